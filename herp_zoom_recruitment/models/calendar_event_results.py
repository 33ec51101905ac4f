from odoo import models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def _zoom_candidate_partners(self):
        """An interview for an applicant is for the applicant's contact."""
        self.ensure_one()
        partner = self.sudo().applicant_id.partner_id
        return partner if partner else super()._zoom_candidate_partners()

    def _zoom_recruiter_user(self):
        self.ensure_one()
        return self.sudo().applicant_id.user_id or super()._zoom_recruiter_user()

    def _zoom_followup_record(self):
        self.ensure_one()
        return self.sudo().applicant_id or super()._zoom_followup_record()

    def _zoom_result_threads(self):
        applicant = self.sudo().applicant_id
        return super()._zoom_result_threads() + ([applicant] if applicant else [])

    def _zoom_set_attendance(self, attendance):
        super()._zoom_set_attendance(attendance)
        applicant = self.sudo().applicant_id
        if applicant:
            no_show = attendance == "no_show" or any(
                event.zoom_attendance == "no_show" for event in applicant.meeting_ids if event != self)
            if applicant.zoom_no_show != no_show:
                applicant.zoom_no_show = no_show
