from odoo import _, models
from odoo.tools import format_datetime


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def _zoom_after_issue(self, plans_by_id):
        """The applicant's chatter records the interview's Zoom meeting."""
        result = super()._zoom_after_issue(plans_by_id)
        issued = self.browse([event_id for event_id, plan in plans_by_id.items() if plan.state == "issued"]).sudo()
        for event in issued.filtered("applicant_id"):
            event.applicant_id._message_log(body=_(
                "Zoom interview scheduled on %(date)s: %(url)s",
                date=format_datetime(self.env, event.start, tz=event.user_id.tz or "UTC", dt_format="medium"),
                url=event.zoom_join_url,
            ))
        return result
