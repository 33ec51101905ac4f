import base64

from odoo import _, fields, models
from odoo.tools import format_datetime
from odoo.addons.herp_zoom.compat import Constraint


class SlotTaken(Exception):
    """The slot is no longer free: someone else booked it or an interviewer became busy."""


class InterviewOfferBooking(models.Model):
    """The candidate's booking, change and cancellation of an offered slot."""

    _inherit = "herp_zoom.interview.offer"

    def _lock_interviewers(self):
        """Serialize bookings that involve one interviewer, in a fixed order.

        The row of each interviewer is written: a concurrent transaction booking one of them
        waits here, then fails to serialize and is run again by Odoo, with a view of the events
        the first one created; checking the slots after this lock then sees them.
        """
        user_ids = sorted(set(self.interviewer_ids.ids))
        self.env.cr.execute(
            """INSERT INTO herp_zoom_interviewer_booking_lock (user_id, locked_at)
                    SELECT uid, now() at time zone 'UTC' FROM unnest(%s::int[]) AS uid ORDER BY uid
               ON CONFLICT (user_id) DO UPDATE SET locked_at = EXCLUDED.locked_at""",
            [user_ids],
        )

    def _as_recruiter(self):
        """This offer seen by its recruiter: the event is created with the recruiter's rights."""
        return self.with_user(self.user_id).with_company(self.company_id).with_context(
            tz=self.user_id.tz, lang=self.user_id.lang)

    def _book_slot(self, slot, consent=None):
        """Create the interview at ``slot`` (or move it there); raises SlotTaken. ``consent``: the
        candidate's answer to the consent to recording and summary, when asked, recorded before the
        meeting is created so that it is created with it."""
        self.ensure_one()
        offer = self.sudo()
        offer._lock_interviewers()
        if slot not in offer._open_slots():
            raise SlotTaken()
        if consent is not None:
            offer._set_candidate_consent(consent, revise=False)
        recruiter_offer = offer._as_recruiter()
        if offer.event_id:
            return recruiter_offer._move_event(slot)
        partners = offer.interviewer_ids.partner_id | offer.partner_id
        # The candidate's mail is the confirmation, sent below: calendar's invitation goes to the team only.
        # The recruiter's own rights decide: they may create events and read the attendees. The
        # event is then created as the recruiter in superuser mode: Odoo 19 checks the partners
        # linked by a request's writes as the request's user (the public user here), whoever writes.
        events = recruiter_offer.env["calendar.event"].with_context(herp_zoom_offer_candidate_id=offer.partner_id.id)
        events.check_access("create")
        partners.with_env(recruiter_offer.env).check_access("read")
        event = events.sudo().create({
            "name": _("%(interview)s: %(candidate)s", interview=offer.name, candidate=offer._candidate_name()),
            "start": slot.start, "stop": slot.stop, "user_id": offer.user_id.id,
            "partner_ids": [(6, 0, partners.ids)], "applicant_id": offer.applicant_id.id,
            "res_model_id": self.env["ir.model"]._get_id("hr.applicant"), "res_id": offer.applicant_id.id,
        }).sudo(False)
        event.check_access("read")
        offer.write({"state": "booked", "event_id": event.id, "revision": offer.revision + 1})
        team = offer._team_offer()
        team.applicant_id._message_log(body=team.env._(
            "%(candidate)s booked %(interview)s on %(date)s.", candidate=team._candidate_name(),
            interview=team.name, date=team._format_start(event.start, team.user_id)))
        offer._send_confirmation_if_ready()
        return event

    def _move_event(self, slot):
        """Move the booked interview; its Zoom meeting follows whatever the update setting."""
        event = self.event_id
        event.write({"start": slot.start, "stop": slot.stop})
        offer = self.sudo()
        sudo_event = event.sudo()
        if sudo_event.zoom_state == "issued" and sudo_event.zoom_meeting_id and sudo_event.zoom_account_id:
            # The candidate's choice reaches Zoom now, even where edits are not sent to Zoom.
            sudo_event.with_context(herp_zoom_no_sync=True).write({"zoom_sync_pending": True})
            sudo_event._zoom_push_update()
        offer.write({"revision": offer.revision + 1, "confirmation_sent": False})
        team = offer._team_offer()
        offer._notify_team(team.env._(
            "%(candidate)s moved %(interview)s to %(date)s.", candidate=team._candidate_name(),
            interview=team.name, date=team._format_start(slot.start, team.user_id)))
        offer._send_confirmation_if_ready()
        return event

    def _cancel_booking(self, by_candidate=True):
        """Cancel the booked interview: the event is archived (and its meeting deleted when the
        company deletes meetings with interviews)."""
        self.ensure_one()
        offer = self.sudo()
        offer._lock_interviewers()
        if by_candidate:
            offer._as_recruiter().event_id.write({"active": False})
        else:
            self.event_id.write({"active": False})
        offer.write({"state": "cancelled", "revision": offer.revision + 1})
        who = offer._candidate_name() if by_candidate else self.env.user.name
        team = offer._team_offer()
        body = team.env._("%(who)s cancelled %(interview)s.", who=who, interview=team.name)
        # With deletions off the meeting stays in Zoom: the team reads it here, with what to do.
        still_held = team.event_id.sudo()._zoom_drift_text()
        offer._notify_team(f"{body} {still_held}" if still_held else body)

    def _consent_asked(self):
        """Whether the candidate's page asks for consent to recording and summary (the company's settings)."""
        self.ensure_one()
        return self.env["zoom.account"]._get_for_company(self.company_id)._meeting_needs_consent()

    def _consent_text(self, lang):
        self.ensure_one()
        return self.env["zoom.account"]._get_for_company(self.company_id)._consent_text(lang)

    def _set_candidate_consent(self, given, revise=True):
        """The candidate gave or withdrew their consent on their page."""
        self.ensure_one()
        offer = self.sudo()
        offer.applicant_id._zoom_set_consent(given, by_candidate=True)
        if revise:
            offer.write({"revision": offer.revision + 1})

    def _team_lang(self):
        """The language of the notes for the team: the recruiter's (the offer's creator), as the
        notes of the interview are in its organizer's; never the candidate's browser's."""
        self.ensure_one()
        return self.sudo().user_id.lang or self.applicant_id._zoom_team_lang()

    def _team_offer(self):
        """This offer (superuser) in the team's language, for the notes it posts."""
        self.ensure_one()
        return self.sudo().with_context(lang=self._team_lang())

    def _candidate_name(self):
        # The applicant's name: the contact of a candidate made from an e-mail may be named after it.
        return self.applicant_id.partner_name or self.partner_id.name

    def _notify_team(self, body):
        """A note on the applicant that reaches the recruiter and the interviewers."""
        partners = self.user_id.partner_id | self.interviewer_ids.partner_id
        self.applicant_id.sudo().message_post(
            body=body, subtype_xmlid="mail.mt_note", partner_ids=partners.ids, author_id=self.partner_id.id)

    def _format_start(self, start, user):
        return format_datetime(self.env, start, tz=user.tz or "UTC", dt_format="medium")

    def _send_confirmation_if_ready(self):
        """The candidate's confirmation, once the event has its Zoom link (or gets none)."""
        for offer in self.sudo():
            event = offer.event_id
            if offer.state != "booked" or offer.confirmation_sent or not event.active:
                continue
            if event.zoom_state == "pending":
                continue
            ics = event._get_ics_file().get(event.id)
            attachment_ids = []
            if ics:
                attachment_ids = self.env["ir.attachment"].create({
                    "name": "invitation.ics", "mimetype": "text/calendar", "datas": base64.b64encode(ics),
                    "res_model": offer._name, "res_id": offer.id,
                }).ids
            template = self.env.ref("herp_zoom_recruitment.mail_template_interview_booked")
            template.send_mail(offer.id, email_layout_xmlid="mail.mail_notification_light",
                               email_values={"attachment_ids": [(6, 0, attachment_ids)]})
            offer.confirmation_sent = True

    def _local_start(self, tz_name):
        self.ensure_one()
        return fields.Datetime.context_timestamp(self.with_context(tz=tz_name), self.event_id.start)


class InterviewerBookingLock(models.Model):
    """The row that bookings of one interviewer's time lock (see _lock_interviewers)."""

    _name = "herp_zoom.interviewer.booking.lock"
    _description = "Interviewer Booking Lock"
    _log_access = False

    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    locked_at = fields.Datetime()

    _user_id_uniq = Constraint("unique(user_id)", "One lock row per interviewer.")
