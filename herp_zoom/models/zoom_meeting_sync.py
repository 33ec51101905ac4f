import logging
import time
from functools import partial

from odoo import _, api, fields, models, tools
from odoo.tools import SQL

from ..services.meeting_schedule import change_is_ours, schedule_changed, schedule_fingerprint
from ..utils.meeting_text import format_meeting_id, html_block, text_block, zoom_lines
from ..utils.retry import MAX_ATTEMPTS, retry_delay
from ..utils.zoom_client import ZoomError, ZoomMeetingNotFound, ZoomNotConnected

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
        ],
        string="Zoom Status", default="none", required=True, readonly=True, copy=False, index=True,
    )
    zoom_state_reason = fields.Char("Zoom Status Detail", readonly=True, copy=False)
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
                self.env["ir.cron"]._notify_progress(done=0, remaining=1)
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
            self.browse(row[0])._zoom_issue_existing()
            self.env["ir.cron"]._notify_progress(done=1, remaining=0)
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

    def _zoom_mark_for_update(self):
        """After a save: the meetings whose schedule changed are sent to Zoom once it is committed.

        The flag is written in the save's transaction: a save that is rolled back sends nothing.
        """
        if self.env.context.get("herp_zoom_no_sync"):
            return
        owners = self.browse()
        for record in self:
            owners |= record._zoom_meeting_owner()
        owners = owners._zoom_lifecycle_events("update_meetings").filtered(
            lambda owner: owner.active and schedule_changed(owner._zoom_current_schedule(), owner.zoom_synced_schedule)
        )
        if not owners:
            return
        owners.with_context(herp_zoom_no_sync=True).write({
            "zoom_sync_pending": True, "zoom_update_attempts": 0, "zoom_update_retry_at": False,
        })
        data = self.env.cr.postcommit.data
        if "herp_zoom.update_ids" not in data:
            data["herp_zoom.update_ids"] = set()
            self.env.cr.postcommit.add(partial(
                _push_updates_in_new_cursor, self.env.registry, self._name, data["herp_zoom.update_ids"], self.env.lang,
            ))
        data["herp_zoom.update_ids"].update(owners.ids)

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

    def _zoom_push_update(self):
        """Send this record's schedule to its meeting if Zoom does not hold it yet; the caller
        holds the row's lock."""
        self.ensure_one()
        record = self.sudo().with_context(herp_zoom_no_sync=True)
        if not record.zoom_sync_pending or record.zoom_state != "issued" or not record.active:
            return
        schedule = record._zoom_current_schedule()
        if not schedule_changed(schedule, record.zoom_synced_schedule):
            record.write({"zoom_sync_pending": False, "zoom_update_attempts": 0, "zoom_update_retry_at": False})
            return
        try:
            if not record.zoom_account_id._is_connected():
                raise ZoomNotConnected()
            record.zoom_account_id._client().update_meeting(record.zoom_meeting_id, schedule)
        except ZoomMeetingNotFound:
            record._zoom_deleted_in_zoom(None)
            return
        except ZoomError as error:
            record._zoom_update_failed(error)
            return
        holders = record.search([("zoom_meeting_id", "=", record.zoom_meeting_id),
                                 ("zoom_account_id", "=", record.zoom_account_id.id)]) | record
        holders.write({"zoom_synced_schedule": schedule_fingerprint(schedule)})
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
            record._zoom_clear_link(_("The Zoom meeting was deleted in Zoom by %s.", operator or _("someone")))
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
        """Remove the meeting from these records and from what they send to Google / Outlook."""
        for event in self.sudo().with_context(herp_zoom_no_sync=True):
            values = {
                "zoom_state": "deleted",
                "zoom_state_reason": reason,
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
            env = api.Environment(cr, api.SUPERUSER_ID, {"lang": lang} if lang else {})
            cr.execute(SQL(
                "SELECT id FROM %s WHERE id = ANY(%s) AND zoom_sync_pending FOR NO KEY UPDATE SKIP LOCKED",
                SQL.identifier(env[model_name]._table), list(record_ids),
            ))
            for record in env[model_name].browse([row[0] for row in cr.fetchall()]):
                record._zoom_push_update()
    except Exception:  # noqa: BLE001 - runs after the commit; the scheduled action tries again
        _logger.exception("Could not update Zoom meetings right after the save")
