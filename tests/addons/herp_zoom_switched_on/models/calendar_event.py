from odoo import api, models

from .. import tally

MAIN_COMPANY = "base.main_company"
ISSUING_GROUP = "herp_zoom.group_zoom_assistant"


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        context = {
            "imported": bool(self.env.context.get("dont_notify")),
            "may_issue": self.env.user.has_group(ISSUING_GROUP),
            "company_connected": bool(self._zoom_connected_account_id(self.env.company.id)),
        }
        connected = self.env["zoom.account"]._connected_account_id(self.env.ref(MAIN_COMPANY).id)
        for event in events.sudo().with_context(active_test=False):
            outcome = _outcome(event, **context)
            tally.count_event(outcome)
            if outcome != "external" and not connected:
                tally.connection_lost(f"creating the event {event.name!r}")
        return events


def _outcome(event, imported, may_issue, company_connected):
    """"meeting" for an event created with a Zoom meeting, else why it has none (see tally)."""
    if event.zoom_state == "issued" and event.zoom_join_url:
        return "meeting"
    internal_attendees = event.partner_ids.user_ids.filtered(lambda user: not user.share)
    if not internal_attendees and (not event.user_id or event.user_id.share):
        return "external"
    if imported:
        return "imported"
    if not may_issue:
        return "no_zoom_role"
    if not company_connected:
        return "other_company"
    if event.allday:
        return "allday"
    if not internal_attendees:
        return "organizer_only"
    if event.zoom_state in ("pending", "failed"):
        return event.zoom_state
    return "other"
