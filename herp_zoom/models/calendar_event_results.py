from odoo import fields, models


class CalendarEvent(models.Model):
    """What Zoom reported of the interview once it was held (see zoom.meeting.result)."""

    _inherit = "calendar.event"

    zoom_meeting_started_at = fields.Datetime("Zoom Meeting Started", readonly=True, copy=False)
    zoom_meeting_ended_at = fields.Datetime("Zoom Meeting Ended", readonly=True, copy=False)
    zoom_attendance = fields.Selection(
        [("held", "Held"), ("no_show", "Candidate did not join")], readonly=True, copy=False, index="btree_not_null",
    )
    zoom_result_ids = fields.One2many(
        "zoom.meeting.result", "event_id", string="Zoom Results", readonly=True,
        groups="herp_zoom.group_zoom_recruiter",
    )

    def _zoom_is_private(self):
        """Calendar's own notion of a private event: private, or without a privacy of its own while
        its organizer's calendar is private by default."""
        self.ensure_one()
        event = self.sudo()
        return event.privacy == "private" or (not event.privacy and event.user_id.calendar_default_privacy == "private")

    def _zoom_candidate_partners(self):
        """Who the interview is for: every attendee who is not an internal user."""
        self.ensure_one()
        return self.partner_ids.filtered(lambda partner: not partner.user_ids.filtered(lambda user: not user.share))

    def _zoom_recruiter_user(self):
        """Who follows up a no-show: the organizer."""
        self.ensure_one()
        return self.user_id

    def _zoom_followup_record(self):
        """The record the follow-up activity is scheduled on."""
        self.ensure_one()
        return self

    def _zoom_result_threads(self):
        """The records (a list: they may be of several models) whose chatter gets the interview's results."""
        self.ensure_one()
        return [self]

    def _zoom_set_attendance(self, attendance):
        self.ensure_one()
        if self.zoom_attendance != attendance:
            self.sudo().zoom_attendance = attendance
