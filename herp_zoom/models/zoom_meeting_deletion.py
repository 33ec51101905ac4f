import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..utils.meeting_text import format_meeting_id
from ..utils.retry import MAX_ATTEMPTS, retry_delay
from ..utils.zoom_client import ZoomError, ZoomMeetingNotFound, ZoomNotConnected
from .zoom_account import AFTER_SAVE

_logger = logging.getLogger(__name__)

MAX_DELETE_ATTEMPTS = MAX_ATTEMPTS


class ZoomMeetingDeletion(models.Model):
    """A Zoom meeting to delete because its interview was deleted or archived.

    The row is written in the transaction that deletes the interview, so the deletion at
    Zoom is never lost: it is tried right after the commit, then by the scheduled action
    until Zoom takes it.
    """

    _name = "zoom.meeting.deletion"
    _description = "Zoom Meeting Deletion"
    _order = "state desc, retry_at, id"
    _rec_name = "meeting_id"

    account_id = fields.Many2one("zoom.account", "Zoom Connection", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    meeting_id = fields.Char("Zoom Meeting ID", required=True, readonly=True)
    meeting_id_display = fields.Char("Meeting ID", compute="_compute_meeting_id_display")
    event_id = fields.Many2one("calendar.event", "Interview", readonly=True, ondelete="set null", index="btree_not_null")
    event_name = fields.Char("Interview Name", readonly=True)
    event_start = fields.Datetime("Interview Start", readonly=True)
    state = fields.Selection(
        [("pending", "Waiting to be deleted"), ("failed", "Could not be deleted")],
        required=True, default="pending", readonly=True, index=True,
    )
    attempts = fields.Integer(readonly=True)
    retry_at = fields.Datetime("Next Attempt", readonly=True)
    reason = fields.Char("Last Error", readonly=True)

    @api.depends("meeting_id")
    def _compute_meeting_id_display(self):
        for deletion in self:
            deletion.meeting_id_display = format_meeting_id(deletion.meeting_id)

    # ------------------------------------------------------------------ queue
    @api.model
    def _enqueue(self, events):
        """Queue the deletion of these events' meetings and try it as soon as the deletion commits."""
        deletions = self.sudo().create([{
            "account_id": event.zoom_account_id.id,
            "meeting_id": event.zoom_meeting_id,
            "event_id": event.id,
            "event_name": event.name,
            "event_start": event.start,
        } for event in events])
        if deletions:
            # Messages of the attempt are in the language of the user who deleted the interview.
            registry, ids, lang = self.env.registry, deletions.ids, self.env.lang
            self.env.cr.postcommit.add(lambda: _attempt_in_new_cursor(registry, ids, lang))
        return deletions

    @api.model
    def _process_due(self, limit=100):
        """Delete the queued meetings whose time has come; each row is taken by one worker."""
        self.flush_model(["state", "retry_at"])
        self.env.cr.execute(
            """SELECT id FROM zoom_meeting_deletion
                WHERE state = 'pending' AND (retry_at IS NULL OR retry_at <= %s)
             ORDER BY retry_at NULLS FIRST, id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED""",
            [fields.Datetime.now(), limit],
        )
        self.browse([row[0] for row in self.env.cr.fetchall()])._attempt()

    @api.model
    def _next_retry_at(self):
        self.env.cr.execute("SELECT min(retry_at) FROM zoom_meeting_deletion WHERE state = 'pending'")
        return self.env.cr.fetchone()[0]

    def action_retry(self):
        """Try again now, also after the deletion was given up."""
        self.ensure_one()
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            raise AccessError(_("Only Zoom administrators can retry the deletion of a Zoom meeting."))
        # The company record rule applies to the caller; superuser rights come only after it.
        self.check_access("read")
        self.env.cr.execute(
            "SELECT id FROM zoom_meeting_deletion WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", [self.id],
        )
        if not self.env.cr.fetchone():
            raise UserError(_("This Zoom meeting is being deleted right now."))
        deletion = self.sudo()
        deletion.write({"state": "pending", "attempts": 0})
        deletion._attempt()
        return True

    def _attempt(self):
        """Ask Zoom to delete each meeting; the caller holds the rows' locks."""
        for deletion in self.sudo().exists():
            if deletion.state != "pending":
                continue
            account = deletion.account_id
            try:
                if not account._is_connected():
                    raise ZoomNotConnected()
                account._client().delete_meeting(deletion.meeting_id)
            except ZoomMeetingNotFound:
                _logger.info("Zoom meeting %s of a deleted interview was already gone", deletion.meeting_id)
            except ZoomError as error:
                deletion._record_failure(error)
                continue
            deletion._done()
        next_at = self.env["zoom.meeting.deletion"].sudo()._next_retry_at()
        if next_at:
            self.env.ref("herp_zoom.ir_cron_issue_pending_meetings").sudo()._trigger(next_at)

    def _done(self):
        self.ensure_one()
        # Every occurrence of a series holds the series' one meeting.
        holders = self.env["calendar.event"].with_context(active_test=False).search([
            ("zoom_meeting_id", "=", self.meeting_id), ("zoom_account_id", "=", self.account_id.id),
            ("zoom_state", "=", "issued"),
        ])
        holders._zoom_clear_link(_("The Zoom meeting was deleted with the interview."))
        event = self.event_id.with_context(active_test=False)
        if event in holders:
            event._message_log(body=_("The Zoom meeting %s was deleted with this interview.",
                                      format_meeting_id(self.meeting_id)))
        self.unlink()

    def _record_failure(self, error):
        self.ensure_one()
        reason = error.message_for(self.env)
        attempts = self.attempts + 1
        if not error.retryable or attempts >= MAX_DELETE_ATTEMPTS:
            self.write({"state": "failed", "attempts": attempts, "reason": reason, "retry_at": False})
            body = _("The Zoom meeting %(meeting)s of the interview “%(name)s” could not be deleted: %(reason)s "
                     "Delete it in Zoom, or try again from Calendar > Configuration > Zoom Meeting Deletions.",
                     meeting=format_meeting_id(self.meeting_id), name=self.event_name or "-", reason=reason)
            self.account_id._notify_admins(body)
            if self.event_id:
                self.event_id._message_log(body=body)
            return
        self.write({"attempts": attempts, "reason": reason,
                    "retry_at": fields.Datetime.now() + retry_delay(attempts, error.retry_after)})
        if attempts == 1 and self.event_id:
            self.event_id._message_log(body=_("The Zoom meeting %(meeting)s could not be deleted yet: %(reason)s It "
                                              "will be tried again automatically.",
                                              meeting=format_meeting_id(self.meeting_id), reason=reason))


def _attempt_in_new_cursor(registry, deletion_ids, lang=None):
    """Right after the interview's deletion commits: delete its meeting at Zoom."""
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {AFTER_SAVE: True, **({"lang": lang} if lang else {})})
            cr.execute(
                """SELECT id FROM zoom_meeting_deletion WHERE id = ANY(%s) AND state = 'pending'
                   FOR NO KEY UPDATE SKIP LOCKED""",
                [list(deletion_ids)],
            )
            env["zoom.meeting.deletion"].browse([row[0] for row in cr.fetchall()])._attempt()
    except Exception:  # noqa: BLE001 - runs after the commit; the scheduled action tries again
        _logger.exception("Could not delete the Zoom meetings of deleted interviews right away")
