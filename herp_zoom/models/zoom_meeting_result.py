import hashlib
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import format_datetime, mute_logger

from ..services.recording_consent import RECORDING, SUMMARY
from ..services.meeting_results import (
    NOT_ATTENDED_LEAVE_REASONS,
    RECORDING_EVENT,
    SUMMARY_EVENT,
    attendance_outcome,
    format_duration,
    match_partner,
    parse_zoom_time,
    participant_key,
    pick_occurrence,
    summary_text,
)
from ..utils.retry import MAX_ATTEMPTS, retry_delay
from ..utils.zoom_client import ZoomError
from .. import compat
from ..compat import Constraint

_logger = logging.getLogger(__name__)

RESULT_SUBTYPE = "herp_zoom.mt_zoom_interview_result"


class ZoomMeetingResult(models.Model):
    """What Zoom reported of one held instance of an interview's meeting: when it started and
    ended, who joined, its AI Companion summary and its cloud recording.

    Readable by Recruiters and Zoom Administrators only; written from Zoom's webhooks."""

    _name = "zoom.meeting.result"
    _description = "Zoom Interview Result"
    _order = "started_at desc, id desc"
    _rec_name = "event_id"

    event_id = fields.Many2one("calendar.event", "Interview", required=True, ondelete="cascade", index=True,
                               readonly=True)
    account_id = fields.Many2one("zoom.account", "Zoom Connection", required=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    zoom_meeting_id = fields.Char("Zoom Meeting ID", required=True, readonly=True)
    meeting_uuid = fields.Char("Zoom Meeting Instance", required=True, readonly=True)
    started_at = fields.Datetime("Started", readonly=True)
    ended_at = fields.Datetime("Ended", readonly=True)
    participant_ids = fields.One2many("zoom.meeting.participant", "result_id", "Participants", readonly=True)
    unmatched_count = fields.Integer("Participants not Attendees", compute="_compute_unmatched_count", store=True)
    attendance_evaluated = fields.Boolean(readonly=True)
    no_show = fields.Boolean("Candidate did not Join", readonly=True)
    absent_interviewer_ids = fields.Many2many(
        "res.partner", "zoom_meeting_result_absent_rel", "result_id", "partner_id",
        string="Interviewers who did not Join", readonly=True,
    )
    no_show_activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    summary = fields.Text("Zoom Summary", readonly=True, groups="herp_zoom.group_zoom_recruiter")
    summary_state = fields.Selection(
        [("none", "No summary"), ("pending", "Summary to fetch"), ("done", "Summary fetched"),
         ("failed", "Summary not fetched"), ("expired", "Summary deleted"),
         ("withheld", "Summary not brought back (no consent)")],
        default="none", required=True, readonly=True, index=True,
    )
    summary_attempts = fields.Integer(readonly=True)
    summary_retry_at = fields.Datetime("Next Summary Attempt", readonly=True)
    summary_error = fields.Char("Summary Problem", readonly=True)
    summary_fetched_at = fields.Datetime("Summary Fetched On", readonly=True)
    summary_message_ids = fields.Many2many("mail.message", string="Summary Notes", readonly=True)
    recording_url = fields.Char("Zoom Recording", readonly=True, groups="herp_zoom.group_zoom_recruiter")
    recording_duration = fields.Integer("Recording Duration (Minutes)", readonly=True)
    recording_withheld = fields.Boolean(
        "Recording not Brought Back", readonly=True,
        help="Zoom recorded the interview, but its link was not brought back: the company's settings turn recording "
        "off, or the candidate did not consent.",
    )

    _instance_uniq = Constraint("unique(account_id, meeting_uuid)", "A meeting instance has one result.")

    @api.depends("participant_ids.partner_id")
    def _compute_unmatched_count(self):
        for result in self:
            result.unmatched_count = len(result.participant_ids.filtered(lambda participant: not participant.partner_id))

    # ------------------------------------------------------------------ webhook entry point
    @api.model
    def _zoom_handle_event(self, account, event, data):
        """A verified, first-seen delivery of one of Zoom's result events (``RESULT_EVENTS``)."""
        if not account.fetch_meeting_results:
            return
        meeting = data["payload"].get("object")
        if not isinstance(meeting, dict):
            return
        if event == SUMMARY_EVENT:
            meeting_id, uuid, start = meeting.get("meeting_id"), meeting.get("meeting_uuid"), \
                meeting.get("meeting_start_time")
        else:
            meeting_id, uuid, start = meeting.get("id"), meeting.get("uuid"), meeting.get("start_time")
        participant = meeting.get("participant") if isinstance(meeting.get("participant"), dict) else None
        if not str(meeting_id or "").isdigit() or not isinstance(uuid, str) or not uuid.strip():
            return
        reference = parse_zoom_time(start) or (participant and parse_zoom_time(
            participant.get("join_time") or participant.get("leave_time")))
        result = self._zoom_result_for(account, str(meeting_id), uuid.strip(), reference)
        if not result:
            _logger.info("Ignored Zoom's %s for a meeting instance that is no interview of this company", event)
            return
        if event == "meeting.started":
            result._zoom_started(parse_zoom_time(meeting.get("start_time")))
        elif event == "meeting.ended":
            result._zoom_ended(parse_zoom_time(meeting.get("end_time")))
        elif event in ("meeting.participant_joined", "meeting.participant_left") and participant:
            result._zoom_participant(participant, joined=event == "meeting.participant_joined")
        elif event == SUMMARY_EVENT:
            result._zoom_summary_completed()
        elif event == RECORDING_EVENT:
            result._zoom_recording_completed(meeting)

    @api.model
    def _zoom_result_for(self, account, meeting_id, uuid, reference):
        """The result of this instance, created for the interview (or occurrence) it belongs to;
        deliveries of one instance are handled one after the other."""
        key = int.from_bytes(hashlib.sha256(f"herp_zoom.result:{account.id}:{uuid}".encode()).digest()[:8], "big",
                             signed=True)
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        result = self.search([("account_id", "=", account.id), ("meeting_uuid", "=", uuid)], limit=1)
        if result:
            return result
        events = self.env["calendar.event"].sudo().with_context(active_test=False).search([
            ("zoom_meeting_id", "=", meeting_id), ("zoom_account_id", "=", account.id),
        ])
        event_id = pick_occurrence([(event.id, event.start) for event in events], reference)
        if not event_id:
            return self
        return self.create({"event_id": event_id, "account_id": account.id, "zoom_meeting_id": meeting_id,
                            "meeting_uuid": uuid})

    # ------------------------------------------------------------------ attendance
    def _zoom_started(self, started_at):
        started_at = started_at or fields.Datetime.now()
        if not self.started_at or started_at < self.started_at:
            self.started_at = started_at
            self.event_id.zoom_meeting_started_at = started_at

    def _zoom_ended(self, ended_at):
        if self.ended_at:
            return
        self.ended_at = ended_at or fields.Datetime.now()
        self.event_id.zoom_meeting_ended_at = self.ended_at
        self._zoom_evaluate_attendance()

    def _zoom_participant(self, participant, joined):
        key = participant_key(participant)
        if not key:
            return
        moment = parse_zoom_time(participant.get("join_time" if joined else "leave_time")) or fields.Datetime.now()
        attended = joined or participant.get("leave_reason") not in NOT_ATTENDED_LEAVE_REASONS
        row = self.participant_ids.filtered(lambda existing: existing.participant_key == key)
        values = {}
        if not row:
            event = self.event_id
            attendees = [(partner.id, partner.name, [partner.email, *partner.user_ids.mapped("zoom_user_email")])
                         for partner in event.partner_ids]
            values = {"result_id": self.id, "participant_key": key,
                      "name": str(participant.get("user_name") or "")[:256] or False,
                      "email": str(participant.get("email") or "")[:256] or False,
                      "partner_id": match_partner(participant, attendees)}
        if joined and (not row.joined_at or moment < row.joined_at):
            values["joined_at"] = moment
        if not joined and (not row.left_at or moment > row.left_at):
            values["left_at"] = moment
        if attended and not row.attended:
            values["attended"] = True
        if not row:
            row.create(values)
        elif values:
            row.write(values)
        if self.attendance_evaluated:
            # Zoom retries deliveries: a join reported after the end still counts.
            self._zoom_evaluate_attendance()

    def _zoom_evaluate_attendance(self):
        event = self.event_id
        candidates = event._zoom_candidate_partners()
        interviewers = event.partner_ids.filtered(
            lambda partner: partner not in candidates and partner.user_ids.filtered(lambda user: not user._is_public()
                                                                                    and not user.share))
        attended = self.participant_ids.filtered("attended").partner_id
        no_show, absent_ids = attendance_outcome(candidates.ids, interviewers.ids, attended.ids)
        absent = self.env["res.partner"].browse(absent_ids)
        first = not self.attendance_evaluated
        was_no_show = self.no_show
        self.write({"attendance_evaluated": True, "no_show": no_show, "absent_interviewer_ids": [(6, 0, absent.ids)]})
        event._zoom_set_attendance("no_show" if no_show else "held")
        env = self._zoom_note_env()
        if first:
            self._zoom_log(self._zoom_attendance_note(env, candidates, attended, absent, no_show))
            if no_show:
                self._zoom_schedule_no_show_activity(env, candidates)
        elif was_no_show and not no_show:
            self._zoom_log(env._(
                "Zoom reported late that %(candidates)s joined the interview after all: it is no longer marked as "
                "a no-show.", candidates=", ".join((candidates & attended).mapped("name"))))
            if self.no_show_activity_id:
                self.no_show_activity_id.sudo().unlink()

    def _zoom_attendance_note(self, env, candidates, attended, absent, no_show):
        event = self.event_id
        tz = event.user_id.tz or "UTC"
        lines = [env._("The Zoom interview ran from %(start)s to %(end)s.",
                       start=format_datetime(env, self.started_at or self.ended_at, tz=tz, dt_format="short"),
                       end=format_datetime(env, self.ended_at, tz=tz, dt_format="short"))]
        if no_show:
            lines.append(env._("%s did not join: the interview is marked as a no-show.",
                               ", ".join(candidates.mapped("name"))))
        joined = ", ".join(attended.mapped("name"))
        if joined:
            lines.append(env._("Joined: %s.", joined))
        if absent:
            lines.append(env._("Interviewers who did not join: %s.", ", ".join(absent.mapped("name"))))
        if self.unmatched_count:
            lines.append(env._("Participants who are not attendees of the interview: %s.", self.unmatched_count))
        return Markup("<br/>").join(lines)

    def _zoom_schedule_no_show_activity(self, env, candidates):
        event = self.event_id
        record = event._zoom_followup_record()
        user = event._zoom_recruiter_user()
        if not user:
            return
        self.no_show_activity_id = self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "user_id": user.id,
            "summary": env._("No-show: %s did not join the Zoom interview", ", ".join(candidates.mapped("name"))),
            "note": env._("Follow up with the candidate about the interview %s.", event.name),
            "date_deadline": fields.Date.context_today(self),
        })

    # ------------------------------------------------------------------ summary and recording
    def _zoom_summary_completed(self):
        if self.summary_state in ("pending", "done", "expired", "withheld"):
            return
        if not self._zoom_may_bring_back(SUMMARY):
            self._zoom_withhold_summary()
            return
        # Fetched by the scheduled action, run at once, and not here: Zoom re-delivers a webhook not
        # answered within 3 seconds, and this transaction holds the instance's lock.
        self.write({"summary_state": "pending", "summary_attempts": 0, "summary_retry_at": fields.Datetime.now(),
                    "summary_error": False})
        self.env.ref("herp_zoom.ir_cron_fetch_pending_summaries")._trigger()

    def _zoom_fetch_summary(self):
        """One attempt to fetch and post the summary; never raises for Zoom's failures."""
        self.ensure_one()
        account = self.account_id
        if not account.fetch_meeting_results or not account._is_connected():
            return
        if not self._zoom_may_bring_back(SUMMARY):
            # The consent was withdrawn, or the setting changed, since Zoom announced the summary.
            self._zoom_withhold_summary()
            return
        try:
            answer = account._client().get_meeting_summary(self.meeting_uuid) or {}
        except ZoomError as error:
            attempts = self.summary_attempts + 1
            final = attempts >= MAX_ATTEMPTS or not error.retryable
            retry_at = False if final else fields.Datetime.now() + retry_delay(attempts, error.retry_after)
            self.write({
                "summary_attempts": attempts,
                "summary_state": "failed" if final else "pending",
                "summary_retry_at": retry_at,
                "summary_error": error.message_for(self.env)[:250],
            })
            if retry_at:
                self.env.ref("herp_zoom.ir_cron_fetch_pending_summaries")._trigger(at=retry_at)
            else:
                env = self._zoom_note_env()
                self._zoom_log(env._("Zoom's summary of the interview could not be fetched: %s",
                                     error.message_for(env)))
            return
        env = self._zoom_note_env()
        text = summary_text(answer) or env._("(Zoom's summary is empty.)")
        title = str(answer.get("summary_title") or "")
        body = Markup("<p><strong>%s</strong>%s</p><p style='white-space: pre-wrap'>%s</p>") % (
            env._("Zoom's summary of the interview"), f": {title}" if title else "", text)
        messages = self._zoom_log(body, content=True)
        self.sudo().write({"summary": text, "summary_state": "done", "summary_fetched_at": fields.Datetime.now(),
                           "summary_retry_at": False, "summary_error": False,
                           "summary_message_ids": [(4, message.id) for message in messages]})

    def _zoom_recording_completed(self, meeting):
        share_url = meeting.get("share_url")
        if self.recording_duration or not isinstance(share_url, str) or not share_url.startswith("https://"):
            return
        if not self._zoom_may_bring_back(RECORDING):
            if not self.recording_withheld:
                self.recording_withheld = True
                self._zoom_log(self._zoom_withheld_note(RECORDING))
            return
        duration = meeting.get("duration") if isinstance(meeting.get("duration"), int) else 0
        self.sudo().write({"recording_url": share_url[:2000], "recording_duration": duration or 1})
        self._zoom_log(Markup("%s <a href='%s' target='_blank' rel='noopener noreferrer'>%s</a>") % (
            self._zoom_note_env()._("Zoom recorded the interview (%s). Recording, under Zoom's own access control:",
                                    format_duration(duration)), share_url, share_url), content=True)

    # ------------------------------------------------------------------ consent
    def _zoom_may_bring_back(self, key):
        """Whether the summary or recording (``key``: the Zoom setting) of this instance may be fetched
        and stored: never for a meeting whose candidate did not consent where the company asks for it."""
        self.ensure_one()
        return self.event_id._zoom_may_bring_back(key, self.account_id)

    def _zoom_withhold_summary(self):
        self.write({"summary_state": "withheld", "summary_retry_at": False, "summary_error": False})
        self._zoom_log(self._zoom_withheld_note(SUMMARY))

    def _zoom_withheld_note(self, key):
        env = self._zoom_note_env()
        off = self.account_id._meeting_consent_modes()[key] == "off"
        if key == SUMMARY:
            if off:
                return env._("Zoom made a meeting summary of this interview. It was not brought into Odoo: the "
                             "company's Zoom settings turn the meeting summary off.")
            return env._("Zoom made a meeting summary of this interview. It was not brought into Odoo: the "
                         "candidate has not consented to it.")
        if off:
            return env._("Zoom recorded this interview. The recording's link was not brought into Odoo: the "
                         "company's Zoom settings turn recording off.")
        return env._("Zoom recorded this interview. The recording's link was not brought into Odoo: the candidate "
                     "has not consented to it.")

    # ------------------------------------------------------------------ notes
    def _zoom_note_env(self):
        """Notes are written in the language of the interview's organizer (Zoom's deliveries have none)."""
        return self.env(context=dict(self.env.context, lang=self.event_id.user_id.lang or self.env.lang))

    def _zoom_log(self, body, content=False):
        """An internal note, in the results' restricted subtype, on the interview and the records it is for;
        logged without notifying anyone, so nothing of it is mailed. What was said in the interview
        (``content``) stays off a private interview's chatter, which every employee may read."""
        subtype = self.env.ref(RESULT_SUBTYPE)
        threads = self.event_id._zoom_result_threads()
        if content and self.event_id._zoom_is_private():
            threads = [record for record in threads if record != self.event_id]
        values = [{
            "model": record._name, "res_id": record.id, "body": body, "message_type": "notification",
            "subtype_id": subtype.id, "author_id": self.env.ref("base.partner_root").id,
        } for record in threads]
        return self.env["mail.message"].sudo().create(values)

    # ------------------------------------------------------------------ scheduled actions
    @api.model
    def _cron_fetch_pending_summaries(self, batch_size=50):
        """Fetch the summaries Zoom announced, and retry those it failed to give, with backoff; nothing
        when the feature is off."""
        due = [
            ("summary_state", "=", "pending"), ("summary_retry_at", "<=", fields.Datetime.now()),
            ("account_id.fetch_meeting_results", "=", True), ("account_id.state", "=", "connected"),
        ]
        results = self.search(due, limit=batch_size, order="summary_retry_at, id")
        for result in results:
            if tools.config["test_enable"]:
                result._zoom_fetch_summary()
                continue
            try:
                result._zoom_fetch_summary()
                # The write may lose to a webhook's (below): an expected conflict, not a database error.
                with mute_logger("odoo.sql_db"):
                    self.env.flush_all()
                self.env.cr.commit()  # pylint: disable=invalid-commit
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                # A webhook of the same meeting instance (its recording, a late join) wrote its result
                # while Zoom answered: the summary is still due, and fetched again by a run started now.
                self.env.cr.rollback()
                _logger.info("Zoom's summary of result %s is fetched again after a concurrent update", result.id)
                self.env.ref("herp_zoom.ir_cron_fetch_pending_summaries")._trigger()
                self.env.cr.commit()  # pylint: disable=invalid-commit
                return
        # More due than one batch: Odoo runs the action again right away.
        compat.cron_progress(self.env, done=len(results), remaining=self.search_count(due))

    @api.model
    def _cron_delete_expired_summaries(self):
        """Delete stored summaries, and the notes that hold them, once they are older than the
        connection's retention."""
        for account in self.env["zoom.account"].sudo().search([("summary_retention_days", ">", 0)]):
            limit = fields.Datetime.now() - timedelta(days=account.summary_retention_days)
            expired = self.search([("account_id", "=", account.id), ("summary_state", "=", "done"),
                                   ("summary_fetched_at", "<", limit)])
            if not expired:
                continue
            env = self.env(context=dict(self.env.context, lang=account.company_id.partner_id.lang or self.env.lang))
            expired.summary_message_ids.sudo().write({"body": Markup("<p>%s</p>") % env._(
                "Zoom's summary of this interview was deleted after %s days.", account.summary_retention_days)})
            expired.sudo().write({"summary": False, "summary_state": "expired"})
