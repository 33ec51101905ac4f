from odoo import api, models

ISSUING_GROUP = "herp_zoom.group_zoom_assistant"


class ZoomIssueNotice(models.AbstractModel):
    """The form's notice that no meeting will be issued, and why (on calendar.event)."""

    _name = "zoom.issue.notice"
    _description = "Zoom Issue Notice"

    # The field itself is on calendar.event (this mixin has none of the fields it depends on).
    @api.depends("partner_ids", "user_id", "allday", "zoom_state", "zoom_meeting_id")
    @api.depends_context("uid", "company")
    def _compute_zoom_issue_notice(self):
        """Says, before saving, that no meeting will be issued because no attendee linked a Zoom user."""
        self.zoom_issue_notice = False
        if not self.env.user.has_group(ISSUING_GROUP):
            return
        account_id = self.env["zoom.account"]._connected_account_id(self.env.company.id)
        if not account_id:
            return
        account = self.env["zoom.account"].sudo().browse(account_id)
        users = self.env["res.users"].sudo()
        for event in self:
            if event.allday or event.zoom_meeting_id or event.zoom_state not in ("none", False):
                continue
            partners = event.partner_ids._origin
            organizer = event.user_id._origin
            if not partners:
                continue
            if users._zoom_linked_users(account, set(partners.ids), {organizer.id} if organizer else set()):
                continue
            unlinked = (partners.sudo().user_ids | organizer.sudo()).filtered(lambda user: not user.share)
            if unlinked:
                event.zoom_issue_notice = self.env._(
                    "No Zoom meeting will be issued: none of the attendees has linked a Zoom user of the company's "
                    "Zoom account (not linked: %(names)s). They link it in their preferences, then \"Issue Zoom "
                    "meeting\" creates it.", names=", ".join(unlinked.mapped("name")))
            else:
                event.zoom_issue_notice = self.env._(
                    "No Zoom meeting will be issued: no attendee is a user with a linked Zoom user.")
