from odoo import _, api, models
from odoo.tools import format_datetime


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    def _zoom_after_issue(self, plans_by_id):
        """The applicant's chatter records the interview's Zoom meeting; a candidate who booked
        the interview while Zoom was unavailable gets the confirmation with the link now."""
        result = super()._zoom_after_issue(plans_by_id)
        issued = self.browse([event_id for event_id, plan in plans_by_id.items() if plan.state == "issued"]).sudo()
        for event in issued.filtered("applicant_id"):
            event.applicant_id._message_log(body=_(
                "Zoom interview scheduled on %(date)s: %(url)s",
                date=format_datetime(self.env, event.start, tz=event.user_id.tz or "UTC", dt_format="medium"),
                url=event.zoom_join_url,
            ))
        # A candidate's booking always belongs to an applicant: other interviews look for no offer.
        for_applicants = issued.filtered("applicant_id")
        if for_applicants:
            self.env["herp_zoom.interview.offer"].sudo().search(
                [("event_id", "in", for_applicants.ids), ("state", "=", "booked")])._send_confirmation_if_ready()
        return result

    def _zoom_booked_by_candidate(self, partner):
        """Whether ``partner`` is the candidate who booked this interview on their page: their
        mails (confirmation with the invitation, new time, cancellation) come from the page."""
        self.ensure_one()
        if not partner:
            return False
        if partner.id == self.env.context.get("herp_zoom_offer_candidate_id"):
            return True  # being booked: the offer does not hold the event yet
        if partner != self.sudo().applicant_id.partner_id:
            return False
        return bool(self.env["herp_zoom.interview.offer"].sudo().search_count([("event_id", "=", self.id)], limit=1))

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
        result = super()._zoom_set_attendance(attendance)
        applicant = self.sudo().applicant_id
        if applicant:
            no_show = attendance == "no_show" or any(
                event.zoom_attendance == "no_show" for event in applicant.meeting_ids if event != self)
            if applicant.zoom_no_show != no_show:
                applicant.zoom_no_show = no_show
        return result

    # ------------------------------------------------------------------ the applicant's consent
    def _zoom_recording_consent(self):
        self.ensure_one()
        return self.sudo().applicant_id.zoom_consent == "given" or super()._zoom_recording_consent()

    @api.model
    def _zoom_plan_consent(self, vals, event_id):
        if event_id or not vals:
            return super()._zoom_plan_consent(vals, event_id)
        applicant_id = _applicant_id(vals, self.env.context)
        if not applicant_id:
            return super()._zoom_plan_consent(vals, event_id)
        return self.env["hr.applicant"].sudo().browse(applicant_id).exists().zoom_consent == "given"

    def write(self, vals):
        result = super().write(vals)
        if "applicant_id" in vals:
            # Another candidate, another consent.
            self._zoom_mark_consent_update()
        return result


def _applicant_id(vals, context):
    """The applicant an interview is created for: its values, or what hr_recruitment's defaults give it."""
    if vals.get("applicant_id"):
        return vals["applicant_id"]
    if vals.get("res_model") == "hr.applicant" and vals.get("res_id"):
        return vals["res_id"]
    if "applicant_id" in vals:
        return False
    if context.get("default_applicant_id"):
        return context["default_applicant_id"]
    if context.get("default_res_model") == "hr.applicant" and context.get("default_res_id"):
        return context["default_res_id"]
    return False


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def _should_notify_attendee(self, *args, **kwargs):
        # One mail for a candidate who booked on their page, addressed by name: the page's confirmation,
        # which carries the invitation; calendar's invitation and date change go to the team only.
        if self.event_id._zoom_booked_by_candidate(self.partner_id):
            return False
        return super()._should_notify_attendee(*args, **kwargs)
