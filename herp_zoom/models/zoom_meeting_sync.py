import json
import logging
import time
from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from ..services.host_follow import CHOSEN_LEFT, HAND_OVER, KEEP, NOBODY_LEFT
from ..services.meeting_check import check_due, differences, pause_before_next
from .. import compat
from ..services import reasons
from ..services.meeting_schedule import change_is_ours, schedule_changed, schedule_fingerprint
from ..services.reasons import Reason
from ..utils.meeting_text import format_meeting_id, html_block, text_block, zoom_lines
from ..utils.retry import MAX_ATTEMPTS, retry_delay
from ..utils.zoom_client import ZoomError, ZoomMeetingNotFound, ZoomNotConnected, ZoomRateLimited, ZoomUnavailable
from .after_commit import collect_after_commit
from .zoom_account import AFTER_SAVE
from .zoom_reason_texts import render

_logger = logging.getLogger(__name__)

MAX_UPDATE_ATTEMPTS = MAX_ATTEMPTS
# Seconds one run of the scheduled action spends issuing pending meetings (Odoo stops a cron
# worker after limit_time_real, 120 s by default).
CRON_TIME_BUDGET = 60


class ZoomMeetingSync(models.AbstractModel):
    """Keeps a Zoom meeting in step with the records that hold it: its schedule after a save
    is committed, its deletion with them, and what Zoom tells of it.

    Every occurrence of a recurring interview holds the series' one meeting; the meeting
    follows the record returned by ``_zoom_meeting_owner`` (the series' base event).
    """

    _name = "zoom.meeting.sync"
    _description = "Zoom Meeting Synchronisation"

    zoom_meeting_id = fields.Char("Zoom Meeting ID", readonly=True, copy=False, index="btree_not_null")
    zoom_join_url = fields.Char("Zoom Link", readonly=True, copy=False)
    zoom_passcode = fields.Char(readonly=True, copy=False)
    zoom_state = fields.Selection(
        [
            ("none", "No Zoom meeting"),
            ("pending", "Zoom meeting pending"),
            ("issued", "Zoom meeting issued"),
            ("failed", "Zoom meeting failed"),
            ("deleted", "Zoom meeting deleted in Zoom"),
            ("removed", "Zoom meeting removed"),
        ],
        string="Zoom Status", default="none", required=True, readonly=True, copy=False, index=True,
    )
    # Why the meeting is in its state, as codes with their values (services.reasons): shown in the
    # language of whoever reads it (zoom_state_reason), not in the one of the save that wrote it.
    zoom_state_reason_codes = fields.Char(readonly=True, copy=False)
    zoom_state_reason = fields.Char("Zoom Status Detail", compute="_compute_zoom_state_reason")
    zoom_account_id = fields.Many2one("zoom.account", "Zoom Connection", readonly=True, copy=False)
    zoom_sync_pending = fields.Boolean(
        "Zoom Update Pending", readonly=True, copy=False,
        help="A change of the interview still has to be sent to its Zoom meeting.",
    )
    zoom_synced_schedule = fields.Char(
        "Zoom Meeting Schedule Sent", readonly=True, copy=False,
        help="Topic, start, duration, time zone and recurrence last sent to Zoom.",
    )
    zoom_update_attempts = fields.Integer(readonly=True, copy=False)
    zoom_update_retry_at = fields.Datetime("Next Zoom Update Attempt", readonly=True, copy=False)
    zoom_alternative_hosts = fields.Char(
        readonly=True, copy=False,
        help="The alternative hosts Zoom holds for the meeting, as last sent.",
    )
    zoom_host_left = fields.Boolean(
        readonly=True, copy=False,
        help="The host left the interview and nobody could take over: the organizer was told once.",
    )
    zoom_checked_at = fields.Datetime("Zoom Meeting Last Checked", readonly=True, copy=False)
    zoom_check_reported = fields.Char(
        readonly=True, copy=False, help="The differences with Zoom the daily check last reported, to report them once.",
    )
    zoom_drift_notice = fields.Char(
        "What Zoom Still Holds", compute="_compute_zoom_drift_notice",
        help="What the meeting at Zoom still holds differently from the interview, and how to put it right.",
    )

    # ------------------------------------------------------------------ the link, as text
    def _zoom_join_lines(self, lang=None):
        """Translated lines telling how to join this event's Zoom meeting."""
        self.ensure_one()
        env = self.with_context(lang=lang).env if lang else self.env
        labels = {
            "join": env._("Join Zoom meeting"),
            "meeting_id": env._("Meeting ID"),
            "passcode": env._("Passcode"),
        }
        return zoom_lines(self.zoom_join_url, self.zoom_meeting_id, self.zoom_passcode, labels)

    def _zoom_description_text(self, lang=None):
        self.ensure_one()
        if self.zoom_state != "issued" or not self.zoom_join_url:
            return ""
        return text_block(self._zoom_join_lines(lang))

    def _zoom_description_html(self, lang=None):
        self.ensure_one()
        if self.zoom_state != "issued" or not self.zoom_join_url:
            return ""
        return html_block(self._zoom_join_lines(lang))

    @api.depends("zoom_state_reason_codes")
    @api.depends_context("lang")
    def _compute_zoom_state_reason(self):
        for record in self:
            record.zoom_state_reason = render(self.env, record.zoom_state_reason_codes) or False

    def init(self):
        # Databases of earlier versions kept the detail as text: it stays readable as it was written.
        self.env.cr.execute(SQL(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'zoom_state_reason'",
            self._table))
        if self.env.cr.fetchone():
            self.env.cr.execute(SQL(
                """UPDATE %(table)s SET zoom_state_reason_codes = json_build_array(
                           json_build_array('text', json_build_object('text', zoom_state_reason)))::text
                    WHERE zoom_state_reason IS NOT NULL AND zoom_state_reason_codes IS NULL""",
                table=SQL.identifier(self._table)))

    # ------------------------------------------------------------------ what Zoom still holds
    @api.depends_context("uid", "lang", "tz")
    def _compute_zoom_drift_notice(self):
        for record in self:
            record.zoom_drift_notice = record._zoom_drift_text() or False

    def _zoom_drift_text(self):
        """What the meeting at Zoom still holds that the record no longer says, and how to put it
        right, in the reader's language; "" when Zoom is in step (or the company keeps it so)."""
        self.ensure_one()
        record = self.sudo()
        account = record.zoom_account_id
        if not account or not record.zoom_meeting_id:
            return ""
        if record.zoom_state == "removed" or (record.zoom_state == "issued" and not record.active):
            if account.delete_meetings and account._is_connected():
                return ""
            return self.env._(
                "The Zoom meeting %(meeting)s still exists in Zoom: its link still works. Delete it in Zoom, or ask a "
                "Zoom administrator to turn on \"Delete Zoom meetings with interviews\" (Settings > Calendar > "
                "Zoom) for the next ones.", meeting=format_meeting_id(record.zoom_meeting_id))
        if record.zoom_state != "issued" or (account.update_meetings and account._is_connected()):
            return ""
        owner = record._zoom_meeting_owner().sudo()
        lines = []
        held = json.loads(owner.zoom_synced_schedule or "{}")
        if held and schedule_changed(owner._zoom_current_schedule(), owner.zoom_synced_schedule):
            when = self.env._("without a fixed time")
            if held.get("start_time"):
                start = fields.Datetime.to_datetime(held["start_time"].replace("T", " ").rstrip("Z"))
                when = format_datetime(self.env, start, tz=self.env.user.tz or held.get("timezone"), dt_format="short")
            lines.append(self.env._("Zoom still holds the meeting \"%(topic)s\" on %(when)s for %(minutes)s minutes.",
                                    topic=held.get("topic") or "", when=when, minutes=held.get("duration") or "-"))
        roster = owner._zoom_roster_update()
        if roster and roster.outcome != KEEP:
            lines.append(self.env._("Zoom still has %s as host, who is no longer an interviewer with Zoom on it.",
                                    owner.zoom_host_email))
        elif roster and roster.alternative_hosts is not None and roster.alternative_hosts != (
                owner.zoom_alternative_hosts or ""):
            lines.append(self.env._("Zoom's alternative hosts are still: %s.",
                                    (owner.zoom_alternative_hosts or "").replace(";", ", ") or "-"))
        if not lines:
            return ""
        lines.append(self.env._(
            "Change the meeting in Zoom, or ask a Zoom administrator to turn on \"Update Zoom meetings with "
            "interviews\" (Settings > Calendar > Zoom) and save the interview again."))
        return " ".join(lines)

    def _zoom_tell_drift(self, text):
        """Tell the user who made the change, once, what Zoom still holds."""
        if text and not self.env.su:
            self.env.user._bus_send("simple_notification", {
                "type": "warning", "sticky": True, "title": self.env._("Zoom meeting not changed"), "message": text})

    # ------------------------------------------------------------------ the daily check
    @api.model
    def _cron_check_meetings(self):
        """Read the upcoming meetings at Zoom (once a day, and once more shortly before the start)
        and put right what Zoom lost or changed, within each connection's request budget."""
        for account in self.env["zoom.account"].sudo().search([("state", "=", "connected"),
                                                               ("check_meetings", "=", True)]):
            self._zoom_check_account(account)
            if not tools.config["test_enable"]:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _zoom_check_account(self, account):
        now = fields.Datetime.now()
        self.flush_model(["zoom_state", "zoom_account_id", "zoom_meeting_id", "active", "zoom_checked_at"])
        records = self.sudo().search([("zoom_account_id", "=", account.id), ("zoom_state", "=", "issued"),
                                      ("start", ">", now), ("zoom_meeting_id", "!=", False)], order="start, id")
        # A series holds one meeting: read once, through the occurrence that comes first.
        first = {}
        for record in records:
            first.setdefault(record.zoom_meeting_id, record)
        due = [record for record in first.values()
               if check_due(now, record.start, record.zoom_checked_at, account.check_hours_before)]
        counts = {"read": 0, "reissued": 0, "differing": 0}
        postponed, problem = 0, ""
        client = account._client()
        started = time.monotonic()
        for index, record in enumerate(due[:max(account.check_max_requests, 0)]):
            time.sleep(pause_before_next(index, time.monotonic() - started))
            try:
                meeting = client.get_meeting(record.zoom_meeting_id)
            except ZoomMeetingNotFound:
                counts["read"] += 1
                counts["reissued"] += 1
                record._zoom_meeting_lost()
                continue
            except (ZoomRateLimited, ZoomUnavailable) as error:
                # Nothing is marked wrong because Zoom did not answer: the rest waits for the next run.
                postponed = len(due) - index
                problem = "rate_limited" if isinstance(error, ZoomRateLimited) else "unavailable"
                self.env.ref("herp_zoom.ir_cron_check_meetings").sudo()._trigger(
                    fields.Datetime.now() + timedelta(seconds=max(error.retry_after or 0, 300)))
                break
            except ZoomError:
                postponed = len(due) - index
                problem = "refused"
                break
            counts["read"] += 1
            holders = record._zoom_meeting_holders()
            holders.write({"zoom_checked_at": now})
            owner = record._zoom_meeting_owner().sudo()
            found = differences(owner._zoom_current_schedule(), meeting, owner.zoom_host_zoom_user_id)
            if found:
                counts["differing"] += 1
                owner._zoom_meeting_differs(found, meeting)
            elif owner.zoom_check_reported:
                holders.write({"zoom_check_reported": False})
        if not problem and len(due) > account.check_max_requests:
            postponed, problem = len(due) - account.check_max_requests, "budget"
            self.env.ref("herp_zoom.ir_cron_check_meetings").sudo()._trigger(
                fields.Datetime.now() + timedelta(minutes=10))
        account._meeting_check_done(counts, postponed, problem)

    def _zoom_meeting_holders(self):
        """The records holding this record's meeting (a series' occurrences)."""
        self.ensure_one()
        return self.sudo().with_context(active_test=False).search([
            ("zoom_meeting_id", "=", self.zoom_meeting_id), ("zoom_account_id", "=", self.zoom_account_id.id)])

    def _zoom_meeting_differs(self, found, meeting):
        """Zoom holds other values than the interview: report it once; with updates on, send the
        interview's values again."""
        self.ensure_one()
        record = self.sudo()
        reported = json.dumps(found, sort_keys=True, default=str)
        holders = record._zoom_meeting_holders()
        if record.zoom_check_reported != reported:
            labels = {"start_time": self.env._("start"), "duration": self.env._("duration (minutes)"),
                      "host_id": self.env._("host")}
            changes = ", ".join(self.env._("%(what)s: %(zoom)s instead of %(ours)s", what=labels[key], zoom=zoom,
                                           ours=ours) for key, ours, zoom in found)
            if record.zoom_account_id.update_meetings:
                body = self.env._("The Zoom meeting differs from the interview (%s): the interview's values are sent "
                                  "to Zoom again.", changes)
            else:
                body = self.env._("The Zoom meeting differs from the interview (%s). Change it in Zoom, or ask a Zoom "
                                  "administrator to turn on \"Update Zoom meetings with interviews\".", changes)
            record._message_log(body=body)
            holders.write({"zoom_check_reported": reported})
        if not record.zoom_account_id.update_meetings:
            return
        # What Zoom holds is what was last sent, from now on: the update sends the interview's values.
        values = {"zoom_sync_pending": True, "zoom_update_attempts": 0, "zoom_update_retry_at": False,
                  "zoom_synced_schedule": schedule_fingerprint({**json.loads(record.zoom_synced_schedule or "{}"),
                                                                **{key: meeting.get(key) for key in
                                                                   ("start_time", "duration") if key in meeting}})}
        holders.with_context(herp_zoom_no_sync=True).write(values)
        record._zoom_push_update(resend_host=any(key == "host_id" for key, _ours, _zoom in found))

    def _zoom_meeting_lost(self):
        """Zoom no longer has the meeting (deleted without a webhook, or expired): issue it again."""
        raise NotImplementedError()

    # ------------------------------------------------------------------ to be provided by the holder
    def _zoom_meeting_owner(self):
        """The record whose values the meeting follows."""
        return self

    def _zoom_current_schedule(self):
        """The schedule the meeting should have now (see services.meeting_schedule)."""
        raise NotImplementedError()

    # ------------------------------------------------------------------ the scheduled action
    @api.model
    def _cron_issue_pending_meetings(self, time_budget=CRON_TIME_BUDGET):
        """Retry pending meetings whose time has come; each event is taken by one worker.

        One event per transaction: a worker stopped at its time limit loses one event's work,
        not a batch's (with meetings created at Zoom that no committed interview holds). After
        ``time_budget`` seconds the rest is left to the next run, at once.
        """
        self.flush_model(["zoom_state", "zoom_retry_at", "active"])
        deadline = time.monotonic() + time_budget
        done = []  # taken once per run, even if left pending again
        while True:
            if time.monotonic() > deadline:
                compat.cron_progress(self.env, done=0, remaining=1)
                return
            self.env.cr.execute(SQL(
                """SELECT id FROM %s
                    WHERE zoom_state = 'pending' AND active AND (zoom_retry_at IS NULL OR zoom_retry_at <= %s)
                      AND NOT id = ANY(%s)
                 ORDER BY zoom_retry_at NULLS FIRST, id
                    LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED""",
                SQL.identifier(self._table), fields.Datetime.now(), done,
            ))
            row = self.env.cr.fetchone()
            if not row:
                break
            done.append(row[0])
            self.browse(row[0])._zoom_issue_existing(background=True)
            compat.cron_progress(self.env, done=1, remaining=0)
            if not tools.config["test_enable"]:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self._zoom_push_pending_updates()
        self.env["zoom.meeting.deletion"].sudo()._process_due()
        self._zoom_schedule_next_retry()

    @api.model
    def _zoom_schedule_next_retry(self):
        self.env.cr.execute(SQL(
            """SELECT min(zoom_retry_at) FROM %(table)s WHERE zoom_state = 'pending' AND active
               UNION ALL
               SELECT min(zoom_update_retry_at) FROM %(table)s WHERE zoom_sync_pending AND active""",
            table=SQL.identifier(self._table),
        ))
        due = [row[0] for row in self.env.cr.fetchall()]
        next_at = min(filter(None, [*due, self.env["zoom.meeting.deletion"].sudo()._next_retry_at()]), default=None)
        if next_at:
            self.env.ref("herp_zoom.ir_cron_issue_pending_meetings").sudo()._trigger(max(next_at, fields.Datetime.now()))

    # ------------------------------------------------------------------ updates
    def _zoom_lifecycle_events(self, option):
        """The issued events of these whose company asks for ``option`` (update/delete)."""
        issued = self.sudo().filtered(lambda event: event.zoom_state == "issued" and event.zoom_meeting_id)
        return issued.filtered(lambda event: event.zoom_account_id._is_connected() and event.zoom_account_id[option])

    def _zoom_mark_for_update(self, roster=False):
        """After a save: the meetings whose schedule changed, or (``roster``: the people on them
        changed) whose hosts should change, are sent to Zoom once it is committed.

        The flag is written in the save's transaction: a save that is rolled back sends nothing.
        """
        if self.env.context.get("herp_zoom_no_sync"):
            return
        owners = self.browse()
        for record in self:
            owners |= record._zoom_meeting_owner()
        owners = owners._zoom_lifecycle_events("update_meetings").filtered(
            lambda owner: owner.active and (
                schedule_changed(owner._zoom_current_schedule(), owner.zoom_synced_schedule)
                or (roster and owner._zoom_roster_needs_update()))
        )
        if not owners:
            return
        owners.with_context(herp_zoom_no_sync=True).write({
            "zoom_sync_pending": True, "zoom_update_attempts": 0, "zoom_update_retry_at": False,
        })
        registry, model_name, lang = self.env.registry, self._name, self.env.lang
        collect_after_commit(self.env.cr, "herp_zoom.update_ids", owners.ids,
                             lambda record_ids: _push_updates_in_new_cursor(registry, model_name, record_ids, lang))

    def _zoom_roster_update(self, with_busy=False):
        """The hosts the meeting should have now (services.host_follow.RosterUpdate), or None when
        the meeting is not the record's to follow. ``with_busy``: the new host, if any, must be free."""
        raise NotImplementedError()

    def _zoom_roster_needs_update(self):
        """Whether Zoom should be told of a change of the people on the meeting's record."""
        self.ensure_one()
        roster = self._zoom_roster_update()
        if roster is None:
            return False
        if roster.outcome in (CHOSEN_LEFT, NOBODY_LEFT):
            return not self.zoom_host_left
        return roster.outcome == HAND_OVER or (
            roster.alternative_hosts is not None and roster.alternative_hosts != (self.zoom_alternative_hosts or ""))

    def _zoom_host_left(self, outcome):
        """The host left and nobody takes over: the meeting stays as it is, the organizer is told."""
        raise NotImplementedError()

    @api.model
    def _zoom_push_pending_updates(self, limit=100):
        """Send the updates whose time has come; each record is taken by one worker."""
        self.flush_model(["zoom_sync_pending", "zoom_update_retry_at", "zoom_state", "active"])
        self.env.cr.execute(SQL(
            """SELECT id FROM %s
                 WHERE zoom_sync_pending AND zoom_state = 'issued' AND active
                   AND (zoom_update_retry_at IS NULL OR zoom_update_retry_at <= %s)
                 LIMIT %s FOR NO KEY UPDATE SKIP LOCKED""",
            SQL.identifier(self._table), fields.Datetime.now(), limit,
        ))
        for record in self.browse([row[0] for row in self.env.cr.fetchall()]):
            record._zoom_push_update()

    def _zoom_push_update(self, resend_host=False):
        """Send this record's schedule and hosts to its meeting, in one request, where Zoom does not
        hold them yet (``resend_host``: Zoom has another host than the record says); the caller
        holds the row's lock."""
        self.ensure_one()
        record = self.sudo().with_context(herp_zoom_no_sync=True)
        if not record.zoom_sync_pending or record.zoom_state != "issued" or not record.active:
            return
        schedule = record._zoom_current_schedule()
        send_schedule = schedule_changed(schedule, record.zoom_synced_schedule)
        body = dict(schedule) if send_schedule else {}
        roster = record._zoom_roster_update(with_busy=True)
        if roster and roster.outcome in (CHOSEN_LEFT, NOBODY_LEFT) and not record.zoom_host_left:
            record._zoom_host_left(roster.outcome)
        if roster and roster.outcome == HAND_OVER:
            body["schedule_for"] = roster.host["zoom_user_email"] or roster.host["zoom_user_id"]
        elif resend_host and record.zoom_host_email:
            body["schedule_for"] = record.zoom_host_email
        if roster and roster.alternative_hosts is not None and roster.alternative_hosts != (
                record.zoom_alternative_hosts or ""):
            body["settings"] = {"alternative_hosts": roster.alternative_hosts}
        if not body:
            record.write({"zoom_sync_pending": False, "zoom_update_attempts": 0, "zoom_update_retry_at": False})
            return
        try:
            if not record.zoom_account_id._is_connected():
                raise ZoomNotConnected()
            record.zoom_account_id._client().update_meeting(record.zoom_meeting_id, body)
        except ZoomMeetingNotFound:
            record._zoom_deleted_in_zoom(None)
            return
        except ZoomError as error:
            record._zoom_update_failed(error)
            return
        holders = record.search([("zoom_meeting_id", "=", record.zoom_meeting_id),
                                 ("zoom_account_id", "=", record.zoom_account_id.id)]) | record
        values = {}
        if send_schedule:
            values["zoom_synced_schedule"] = schedule_fingerprint(schedule)
        if "settings" in body:
            values["zoom_alternative_hosts"] = body["settings"]["alternative_hosts"] or False
        if roster and roster.outcome in (KEEP, HAND_OVER):
            values["zoom_host_left"] = False
        previous = record.zoom_host_email
        if roster and roster.outcome == HAND_OVER:
            values.update(zoom_host_user_id=roster.host["id"], zoom_host_zoom_user_id=roster.host["zoom_user_id"],
                          zoom_host_email=roster.host["zoom_user_email"], zoom_host_busy=False)
        holders.write(values)
        if roster and roster.outcome == HAND_OVER:
            record._message_log(body=_(
                "The Zoom meeting is now hosted by %(host)s (before: %(previous)s, who is no longer an interviewer "
                "with Zoom on this interview).", host=roster.host["zoom_user_email"], previous=previous))
        if record.zoom_update_attempts:
            record._message_log(body=_("The Zoom meeting was updated after all."))
        record.write({"zoom_sync_pending": False, "zoom_update_attempts": 0, "zoom_update_retry_at": False})

    def _zoom_update_failed(self, error):
        """One note per failure episode: at the first failure, and when retrying stops."""
        reason = error.message_for(self.env)
        attempts = self.zoom_update_attempts + 1
        if not error.retryable or attempts >= MAX_UPDATE_ATTEMPTS:
            self.write({"zoom_sync_pending": False, "zoom_update_attempts": 0, "zoom_update_retry_at": False})
            if attempts == 1:
                body = _("The Zoom meeting could not be updated: %s Change it in Zoom if needed.", reason)
            else:
                body = _("Odoo gave up updating the Zoom meeting after %(count)s attempts: %(reason)s Change it "
                         "in Zoom if needed.", count=attempts, reason=reason)
            self._message_log(body=body)
            return
        retry_at = fields.Datetime.now() + retry_delay(attempts, error.retry_after)
        self.write({"zoom_update_attempts": attempts, "zoom_update_retry_at": retry_at})
        if attempts == 1:
            self._message_log(body=_("The Zoom meeting could not be updated yet: %s It will be tried again "
                                     "automatically.", reason))
        self.env.ref("herp_zoom.ir_cron_issue_pending_meetings").sudo()._trigger(retry_at)

    # ------------------------------------------------------------------ what Zoom tells
    def _zoom_updated_in_zoom(self, meeting, operator):
        """The meeting was changed in Zoom: say so, without moving the interview; a change
        herp_zoom made itself is not reported."""
        changes = ", ".join(f"{key}: {meeting[key]}" for key in ("topic", "start_time", "duration", "timezone")
                            if key in meeting)
        for record in self.sudo():
            if change_is_ours(meeting, record.zoom_synced_schedule):
                continue
            record._message_log(body=_("The Zoom meeting was changed in Zoom by %(operator)s (%(changes)s). The "
                                       "interview itself was not moved.",
                                       operator=operator or _("someone"), changes=changes or "-"))

    def _zoom_deleted_in_zoom(self, operator):
        """The meeting was deleted in Zoom: clear the link and say who did it."""
        for record in self.sudo().filtered(lambda record: record.zoom_state == "issued"):
            meeting_id = record.zoom_meeting_id
            record._zoom_clear_link(Reason(reasons.DELETED_IN_ZOOM, {"operator": operator or ""}))
            record._message_log(body=_("The Zoom meeting %(meeting)s was deleted in Zoom by %(operator)s; its link "
                                       "was removed from this event.",
                                       meeting=format_meeting_id(meeting_id), operator=operator or _("someone")))

    def _zoom_delete_with_event(self, unlinked=False):
        """Deleting or archiving an interview deletes its meeting, once the deletion is committed,
        unless another occurrence of its series still holds it."""
        events = self._zoom_lifecycle_events("delete_meetings")
        if not events:
            return
        meeting_ids = list(set(events.mapped("zoom_meeting_id")))
        still_held = set(self.sudo().search([
            ("zoom_meeting_id", "in", meeting_ids), ("id", "not in", self.ids if unlinked else []),
        ]).mapped("zoom_meeting_id"))
        queued = set(self.env["zoom.meeting.deletion"].sudo().search([
            ("meeting_id", "in", meeting_ids),
        ]).mapped("meeting_id"))
        to_delete = self.browse()
        for event in events:
            if event.zoom_meeting_id not in still_held | queued:
                to_delete |= event
                queued.add(event.zoom_meeting_id)
        self.env["zoom.meeting.deletion"]._enqueue(to_delete)

    def _zoom_clear_link(self, reason):
        """Remove the meeting from these records and from what they send to Google / Outlook;
        ``reason``: a services.reasons.Reason."""
        for event in self.sudo().with_context(herp_zoom_no_sync=True):
            values = {
                "zoom_state": "deleted",
                "zoom_state_reason_codes": reasons.encode([reason]),
                "zoom_join_url": False,
                "zoom_passcode": False,
                "zoom_sync_pending": False,
                # Outlook sends only the fields written: the description, now without the block.
                "description": event.description,
                **{name: True for name in ("need_sync", "need_sync_m") if name in event._fields},
            }
            if event.videocall_location and event.videocall_location == event.zoom_join_url:
                values["videocall_location"] = False
            event.write(values)


def _push_updates_in_new_cursor(registry, model_name, record_ids, lang):
    """Right after the save commits: send the changed schedules to Zoom."""
    if not record_ids:
        return
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {AFTER_SAVE: True, **({"lang": lang} if lang else {})})
            cr.execute(SQL(
                "SELECT id FROM %s WHERE id = ANY(%s) AND zoom_sync_pending FOR NO KEY UPDATE SKIP LOCKED",
                SQL.identifier(env[model_name]._table), list(record_ids),
            ))
            for record in env[model_name].browse([row[0] for row in cr.fetchall()]):
                record._zoom_push_update()
    except Exception:  # noqa: BLE001 - runs after the commit; the scheduled action tries again
        _logger.exception("Could not update Zoom meetings right after the save")
