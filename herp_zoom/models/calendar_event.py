import logging
import secrets
from datetime import datetime, timedelta
from functools import partial

import pytz

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import html2plaintext

from markupsafe import Markup

from ..utils.meeting_text import format_meeting_id, html_block, strip_block, text_block, zoom_lines
from ..utils.retry import MAX_ATTEMPTS, retry_delay
from ..utils.zoom_client import (
    ZoomClient,
    ZoomError,
    ZoomMeetingNotFound,
    ZoomNotConnected,
    ZoomRateLimited,
    ZoomReauthorizationNeeded,
    ZoomRequestRejected,
    ZoomUnavailable,
    ZoomUserNotInAccount,
)

_logger = logging.getLogger(__name__)

ISSUING_GROUP = "herp_zoom.group_zoom_assistant"
MAX_ISSUE_ATTEMPTS = MAX_ATTEMPTS
AGENDA_MAX = 2000
MAX_MEETING_MINUTES = 1440
ISSUE_KEY_LABEL = "Odoo ref:"
# Changes of these fields are sent to the meeting when the company keeps meetings up to date.
ZOOM_MEETING_FIELDS = {"name", "start", "stop", "duration", "allday", "start_date", "stop_date"}


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

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
    zoom_host_user_id = fields.Many2one("res.users", "Zoom Host", readonly=True, copy=False)
    zoom_host_zoom_user_id = fields.Char("Zoom Host User ID", readonly=True, copy=False, index="btree_not_null")
    zoom_host_email = fields.Char("Zoom Host E-mail", readonly=True, copy=False)
    zoom_host_busy = fields.Boolean(
        "Zoom Host Has Overlapping Meetings", readonly=True, copy=False,
        help="Every linked interviewer already hosts overlapping meetings; candidates may not be able to join.",
    )
    zoom_account_id = fields.Many2one("zoom.account", "Zoom Connection", readonly=True, copy=False)
    zoom_issue_key = fields.Char(readonly=True, copy=False)
    zoom_issue_attempts = fields.Integer(readonly=True, copy=False)
    zoom_retry_at = fields.Datetime("Next Zoom Attempt", readonly=True, copy=False)
    zoom_uncertain_host = fields.Char(
        readonly=True, copy=False,
        help="Zoom user that may have received a create request whose answer was lost.",
    )
    zoom_sync_pending = fields.Boolean(
        "Zoom Update Pending", readonly=True, copy=False,
        help="A change of the interview still has to be sent to its Zoom meeting.",
    )
    zoom_linked_partner_ids = fields.Many2many(
        "res.partner", string="Attendees with Zoom", compute="_compute_zoom_linked_partner_ids",
    )
    zoom_meeting_id_display = fields.Char("Meeting ID", compute="_compute_zoom_meeting_id_display")
    zoom_can_issue = fields.Boolean(compute="_compute_zoom_can_issue")

    # ------------------------------------------------------------------ computes
    @api.depends("partner_ids")
    def _compute_zoom_linked_partner_ids(self):
        for event in self:
            event.zoom_linked_partner_ids = event.partner_ids.filtered(
                lambda partner: any(user.zoom_user_id for user in partner.sudo().user_ids)
            )

    @api.depends("zoom_meeting_id")
    def _compute_zoom_meeting_id_display(self):
        for event in self:
            event.zoom_meeting_id_display = format_meeting_id(event.zoom_meeting_id)

    @api.depends("zoom_state", "zoom_linked_partner_ids", "allday")
    @api.depends_context("uid")
    def _compute_zoom_can_issue(self):
        may_issue = self.env.user.has_group(ISSUING_GROUP)
        for event in self:
            event.zoom_can_issue = (
                may_issue and not event.allday and event.zoom_state in ("none", "pending", "failed", "deleted")
                and bool(event.zoom_linked_partner_ids)
            )

    # ------------------------------------------------------------------ create
    @api.model_create_multi
    def create(self, vals_list):
        # The meeting is issued from the values, before the records exist: calendar's own
        # create() sends the invitations, and google_calendar / microsoft_calendar compute
        # what they send, during super().create(), whatever the order of the modules.
        if self.env.context.get("dont_notify"):
            vals_list = [
                dict(vals, description=strip_block(vals["description"])) if vals.get("description") else vals
                for vals in vals_list
            ]
        plans = self._zoom_plans_from_vals(vals_list)
        if plans:
            self._zoom_issue(plans)
            for plan in plans:
                plan.vals.update(plan.result_values())
        events = super().create(vals_list)
        if plans:
            by_key = {plan.issue_key: plan for plan in plans}
            planned = events.filtered(lambda event: event.sudo().zoom_issue_key in by_key)
            planned._zoom_after_issue({event.id: by_key[event.sudo().zoom_issue_key] for event in planned})
        return events

    def _zoom_skip_issue(self):
        """Whether this create may not issue meetings at all (role, import, configuration)."""
        context = self.env.context
        # dont_notify marks events written by the Google / Outlook import.
        if context.get("dont_notify") or context.get("herp_zoom_no_issue") or context.get("install_mode"):
            return True
        return not self.env.user.has_group(ISSUING_GROUP)

    @api.model
    def _zoom_connected_account_id(self, company_id):
        return self.env["zoom.account"]._connected_account_id(company_id)

    def _zoom_plans_from_vals(self, vals_list):
        if self._zoom_skip_issue():
            return []
        account_id = self._zoom_connected_account_id(self.env.company.id)
        if not account_id:
            return []
        default_partner_ids = None
        wanted = []
        for vals in vals_list:
            if vals.get("allday") or vals.get("zoom_meeting_id"):
                continue
            if "partner_ids" in vals or "attendee_ids" in vals:
                partner_ids = _partner_ids_from_commands(vals.get("partner_ids")) + [
                    command[2]["partner_id"] for command in vals.get("attendee_ids") or []
                    if isinstance(command, (list, tuple)) and command[0] == Command.CREATE
                    and command[2].get("partner_id")
                ]
            else:
                if default_partner_ids is None:
                    default_partner_ids = _partner_ids_from_commands(
                        self.default_get(["partner_ids"]).get("partner_ids")
                    ) or [self.env.user.partner_id.id]
                partner_ids = default_partner_ids
            if partner_ids:
                wanted.append((vals, partner_ids, vals.get("user_id") or self.env.context.get("default_user_id") or self.env.uid))
        if not wanted:
            return []
        account = self.env["zoom.account"].sudo().browse(account_id)
        linked = self.env["res.users"].sudo()._zoom_linked_users(
            account,
            {pid for _vals, partner_ids, _org in wanted for pid in partner_ids},
            {organizer for _vals, _pids, organizer in wanted},
        )
        if not linked:
            return []
        by_partner = {}
        by_user = {}
        for user in linked:
            by_partner.setdefault(user["partner_id"], []).append(user)
            by_user[user["id"]] = user
        plans = []
        for vals, partner_ids, organizer_id in wanted:
            attendees = [user for pid in partner_ids for user in by_partner.get(pid, [])]
            if not attendees:
                continue
            candidates = ([by_user[organizer_id]] if organizer_id in by_user else []) + attendees
            event = self.new(self._add_missing_default_values(dict(vals)))
            if event.allday or not event.start or not event.stop:
                continue
            plans.append(ZoomIssuePlan(self.env, account, vals, event, candidates, organizer_id))
        return plans

    # ------------------------------------------------------------------ issuing
    def _zoom_issue(self, plans):
        """Create the Zoom meeting of every plan; never raises for Zoom's failures."""
        account = plans[0].account
        capacity = account.max_concurrent_meetings or 1
        all_hosts = {user["zoom_user_id"] for plan in plans for user in plan.candidates}
        limited = self.env["zoom.host"].sudo()._limited_zoom_user_ids(all_hosts)
        busy = self._zoom_busy_intervals(all_hosts, plans)
        chosen = {}
        for plan in plans:
            plan.choose_host(busy, capacity, limited)
            if plan.host:
                chosen[plan] = plan.host["zoom_user_id"]
                busy.setdefault(plan.host["zoom_user_id"], []).append((plan.start, plan.stop, plan.issue_key))
        self.env["zoom.host"].sudo()._lock_for_assignment(list(chosen.values()))
        client = account._client()
        for plan in plans:
            if plan.host:
                plan.run(client, limited)

    def _zoom_busy_intervals(self, zoom_user_ids, plans):
        """Meetings known to Odoo of these Zoom users around the planned events (one query)."""
        if not zoom_user_ids:
            return {}
        start = min(plan.start for plan in plans)
        stop = max(plan.stop for plan in plans)
        exclude = [plan.event_id for plan in plans if plan.event_id]
        self.env["calendar.event"].flush_model(["zoom_host_zoom_user_id", "zoom_state", "start", "stop", "active"])
        self.env.cr.execute(
            """SELECT zoom_host_zoom_user_id, start, stop, id FROM calendar_event
                WHERE zoom_host_zoom_user_id = ANY(%s) AND zoom_state IN ('issued', 'pending')
                  AND active AND start < %s AND stop > %s AND NOT id = ANY(%s)""",
            [list(zoom_user_ids), stop, start, exclude],
        )
        busy = {}
        for host, busy_start, busy_stop, event_id in self.env.cr.fetchall():
            busy.setdefault(host, []).append((busy_start, busy_stop, event_id))
        return busy

    def _zoom_after_issue(self, plans_by_id):
        """Chatter notes for the events just issued (one batch) and the retry schedule."""
        bodies = {event_id: plan.chatter_body() for event_id, plan in plans_by_id.items() if plan.chatter_body()}
        if bodies:
            self.browse(list(bodies)).sudo()._message_log_batch(bodies=bodies)
        retry_at = [plan.retry_at for plan in plans_by_id.values() if plan.state == "pending" and plan.retry_at]
        if retry_at:
            self.env.ref("herp_zoom.ir_cron_issue_pending_meetings").sudo()._trigger(min(retry_at))

    # ------------------------------------------------------------------ retry
    def action_zoom_issue_meeting(self):
        """Issue (or retry) the Zoom meeting of this event by hand."""
        self.ensure_one()
        if not self.env.user.has_group(ISSUING_GROUP):
            raise AccessError(_("Only Zoom administrators, recruiters and assistants can issue Zoom meetings."))
        if self.zoom_state == "issued":
            return False
        # One issuing at a time per event: a second click, or the cron, finds the row locked.
        self.env.cr.execute(
            "SELECT id FROM calendar_event WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", [self.id],
        )
        if not self.env.cr.fetchone():
            raise UserError(_("The Zoom meeting of this event is being issued right now."))
        self.invalidate_recordset()
        if self.zoom_state == "issued":
            return False
        self._zoom_issue_existing()
        if self.zoom_state != "issued":
            raise UserError(self.zoom_state_reason or _("The Zoom meeting could not be issued."))
        return False

    @api.model
    def _cron_issue_pending_meetings(self, batch_size=20):
        """Retry pending meetings whose time has come; each event is taken by one worker."""
        self.flush_model(["zoom_state", "zoom_retry_at", "active"])
        while True:
            self.env.cr.execute(
                """SELECT id FROM calendar_event
                    WHERE zoom_state = 'pending' AND active AND (zoom_retry_at IS NULL OR zoom_retry_at <= %s)
                 ORDER BY zoom_retry_at NULLS FIRST, id
                    LIMIT %s FOR NO KEY UPDATE SKIP LOCKED""",
                [fields.Datetime.now(), batch_size],
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                break
            for event in self.browse(ids):
                event._zoom_issue_existing()
            self.env["ir.cron"]._notify_progress(done=len(ids), remaining=0)
            if not tools.config["test_enable"]:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if len(ids) < batch_size:
                break
        self._zoom_push_pending_updates()
        self.env["zoom.meeting.deletion"].sudo()._process_due()
        self._zoom_schedule_next_retry()

    @api.model
    def _zoom_push_pending_updates(self):
        """Send again the meeting updates that Zoom did not take (lifecycle sync)."""
        self.flush_model(["zoom_sync_pending", "zoom_state", "active"])
        self.env.cr.execute(
            """SELECT id FROM calendar_event WHERE zoom_sync_pending AND zoom_state = 'issued' AND active
                LIMIT 100 FOR NO KEY UPDATE SKIP LOCKED""",
        )
        for event in self.browse([row[0] for row in self.env.cr.fetchall()]):
            event._zoom_push_update()

    @api.model
    def _zoom_schedule_next_retry(self):
        self.env.cr.execute(
            "SELECT min(zoom_retry_at) FROM calendar_event WHERE zoom_state = 'pending' AND active",
        )
        next_at = min(filter(None, [self.env.cr.fetchone()[0],
                                    self.env["zoom.meeting.deletion"].sudo()._next_retry_at()]), default=None)
        if next_at:
            self.env.ref("herp_zoom.ir_cron_issue_pending_meetings").sudo()._trigger(max(next_at, fields.Datetime.now()))

    def _zoom_issue_existing(self):
        """Issue the meeting of an existing event (retry); the event's own values are used."""
        self.ensure_one()
        event = self.sudo()
        account = event.zoom_account_id or self.env["zoom.account"]._get_for_company(event.user_id.company_id or self.env.company)
        if not account._is_connected():
            event._zoom_write_failure(ZoomNotConnected(), final=True)
            return
        organizer_id = event.user_id.id
        linked = self.env["res.users"].sudo()._zoom_linked_users(
            account, set(event.partner_ids.ids), {organizer_id},
        )
        by_partner = {}
        by_user = {user["id"]: user for user in linked}
        for user in linked:
            by_partner.setdefault(user["partner_id"], []).append(user)
        attendees = [user for partner in event.partner_ids for user in by_partner.get(partner.id, [])]
        if not attendees:
            event._zoom_write_failure(
                ZoomUserNotInAccount(_("No attendee of this event has a linked Zoom user of the company's account.")),
                final=True,
            )
            return
        candidates = ([by_user[organizer_id]] if organizer_id in by_user else []) + attendees
        plan = ZoomIssuePlan(self.env, account, None, event, candidates, organizer_id)
        plan.issue_key = event.zoom_issue_key or plan.issue_key
        plan.attempts = event.zoom_issue_attempts
        plan.uncertain_host = event.zoom_uncertain_host
        self._zoom_issue([plan])
        if plan.host is None and plan.state is None:
            plan.state = "failed"
        values = plan.result_values()
        if plan.state == "issued":
            # The link reaches Google and Outlook through the description: sync the event again.
            # Outlook sends only the fields written, so the description is written too.
            values.update({name: True for name in ("need_sync", "need_sync_m") if name in event._fields})
            values["description"] = event.description
        event.write(values)
        event._zoom_after_issue({event.id: plan})
        if plan.state == "issued" and event.start > fields.Datetime.now():
            # The invitations went out without the link: attendees get it now.
            event.attendee_ids._send_invitation_emails()

    def _zoom_write_failure(self, error, final):
        self.ensure_one()
        reason = error.message_for(self.env)
        self.sudo().write({"zoom_state": "failed" if final else "pending", "zoom_state_reason": reason})
        self.sudo()._message_log(body=_("The Zoom meeting could not be issued: %s", reason))

    # ------------------------------------------------------------------ copies and links
    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for event, vals in zip(self, vals_list):
            # A copy (or a new occurrence) gets its own meeting, never the original's link.
            if vals.get("videocall_location") and vals["videocall_location"] == event.zoom_join_url:
                vals["videocall_location"] = False
        return vals_list

    def copy(self, default=None):
        # calendar's copy() adds the attendees after creating the copy: issue for it here.
        copies = super().copy(default)
        if not self._zoom_skip_issue() and self._zoom_connected_account_id(self.env.company.id):
            for copy in copies.filtered(lambda event: not event.allday and event.zoom_linked_partner_ids):
                copy._zoom_issue_existing()
        return copies

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

    def _get_customer_description(self):
        """The description sent to Google, Outlook and the .ics file, with the Zoom block.

        An earlier block coming back from an external calendar is removed first, so a
        round trip never doubles it.
        """
        description = strip_block(super()._get_customer_description())
        block = self._zoom_description_html(self.user_id.lang or None)
        if not block:
            return description
        return Markup("%s%s") % (Markup(description or ""), block)

    def _need_video_call(self):
        # An event with a Zoom meeting gets no Google Meet or Teams link, nor one whose
        # meeting is still being retried: Google and Outlook add theirs only at insertion.
        self.ensure_one()
        if self.zoom_state == "pending" or (self.zoom_state == "issued" and self.zoom_join_url):
            return False
        parent = getattr(super(), "_need_video_call", None)
        return parent() if parent else True

    def write(self, vals):
        if "description" in vals and self.env.context.get("dont_notify"):
            # Descriptions coming back from Google / Outlook hold the block added on the way out.
            vals = dict(vals, description=strip_block(vals["description"]))
        archived = self.browse()
        if vals.get("active") is False:
            archived = self.filtered(lambda event: event.active and event.zoom_state == "issued")
        result = super().write(vals)
        if archived:
            archived._zoom_delete_with_event()
        elif vals.get("active") is True:
            # Restored before Zoom took the deletion: the interview keeps its meeting.
            self.env["zoom.meeting.deletion"].sudo().search([("event_id", "in", self.ids)]).unlink()
        if ZOOM_MEETING_FIELDS.intersection(vals):
            self._zoom_update_meetings()
        return result

    def unlink(self):
        self.filtered(lambda event: event.zoom_state == "issued")._zoom_delete_with_event()
        return super().unlink()

    # ------------------------------------------------------------------ lifecycle (B2, B5)
    def _zoom_lifecycle_events(self, option):
        """The issued events of these whose company asks for ``option`` (update/delete)."""
        issued = self.sudo().filtered(lambda event: event.zoom_state == "issued" and event.zoom_meeting_id)
        return issued.filtered(lambda event: event.zoom_account_id._is_connected() and event.zoom_account_id[option])

    def _zoom_update_meetings(self):
        """Rescheduling or renaming an interview updates its meeting, once per save."""
        if self.env.context.get("herp_zoom_no_sync"):
            return
        for event in self._zoom_lifecycle_events("update_meetings"):
            event._zoom_push_update()

    def _zoom_push_update(self):
        self.ensure_one()
        event = self.sudo()
        tz = _event_timezone(self.env, event, event.user_id.id)
        body = _meeting_schedule(self.env, event.name, event.start, event.stop, tz)
        try:
            event.zoom_account_id._client().update_meeting(event.zoom_meeting_id, body)
        except ZoomMeetingNotFound:
            event._zoom_deleted_in_zoom(None)
            return
        except ZoomError as error:
            # Never blocks the save: the scheduled action sends the update again.
            event.with_context(herp_zoom_no_sync=True).write({"zoom_sync_pending": True})
            event._message_log(body=_("The Zoom meeting could not be updated yet: %s It will be tried again "
                                      "automatically.", error.message_for(self.env)))
            self.env.ref("herp_zoom.ir_cron_issue_pending_meetings").sudo()._trigger(
                fields.Datetime.now() + timedelta(seconds=error.retry_after or 60))
            return
        if event.zoom_sync_pending:
            event.with_context(herp_zoom_no_sync=True).write({"zoom_sync_pending": False})

    def _zoom_delete_with_event(self):
        """Deleting or archiving an interview deletes its meeting, once the deletion is committed."""
        self.env["zoom.meeting.deletion"]._enqueue(self._zoom_lifecycle_events("delete_meetings"))

    def _zoom_deleted_in_zoom(self, operator):
        """The meeting was deleted in Zoom: clear the link and say who did it."""
        for event in self.sudo().filtered(lambda event: event.zoom_state == "issued"):
            values = {
                "zoom_state": "deleted",
                "zoom_state_reason": _("The Zoom meeting was deleted in Zoom by %s.", operator or _("someone")),
                "zoom_join_url": False,
                "zoom_passcode": False,
            }
            if event.videocall_location == event.zoom_join_url:
                values["videocall_location"] = False
            event.with_context(herp_zoom_no_sync=True).write(values)
            event._message_log(body=_("The Zoom meeting %(meeting)s was deleted in Zoom by %(operator)s; its link "
                                      "was removed from this event.",
                                      meeting=format_meeting_id(event.zoom_meeting_id),
                                      operator=operator or _("someone")))

    def _zoom_updated_in_zoom(self, meeting, operator):
        """The meeting was changed in Zoom: say so, without moving the interview."""
        changes = ", ".join(f"{key}: {meeting[key]}" for key in ("topic", "start_time", "duration", "timezone")
                            if key in meeting)
        for event in self.sudo():
            event._message_log(body=_("The Zoom meeting was changed in Zoom by %(operator)s (%(changes)s). The "
                                      "interview itself was not moved.",
                                      operator=operator or _("someone"), changes=changes or "-"))


class ZoomIssuePlan:
    """One event's way to a Zoom meeting: its candidates, the chosen host, the outcome."""

    def __init__(self, env, account, vals, event, candidates, organizer_id):
        self.env = env
        self.account = account
        self.vals = vals
        self.event_id = event.id if isinstance(event.id, int) else None
        self.name = event.name or ""
        self.description = event.description
        self.start = event.start
        self.stop = event.stop
        self.tz = _event_timezone(env, event, organizer_id)
        # One Zoom user shared by several Odoo users is one candidate.
        seen = set()
        self.candidates = []
        for user in candidates:
            if user["zoom_user_id"] not in seen:
                seen.add(user["zoom_user_id"])
                self.candidates.append(user)
        self.issue_key = secrets.token_hex(8)
        self.attempts = 0
        self.uncertain_host = None
        self.host = None
        self.host_busy = False
        self.meeting = None
        self.state = None
        self.reason = None
        self.retry_at = None
        self.notes = []

    # -- host choice
    def choose_host(self, busy, capacity, limited):
        free = [user for user in self.candidates if user["zoom_user_id"] not in limited]
        if not free:
            self.host = None
            self.state = "pending"
            self.reason = _("Every linked interviewer has reached Zoom's limit of 100 meeting creations "
                            "per day; the meeting will be issued after 00:00 UTC.")
            self.retry_at = _next_utc_midnight()
            return
        for user in free:
            overlapping = [
                item for item in busy.get(user["zoom_user_id"], [])
                if item[0] < self.stop and item[1] > self.start and item[2] != self.issue_key
            ]
            if len(overlapping) < capacity:
                self.host = user
                return
        self.host = free[0]
        self.host_busy = True

    # -- the request body
    def meeting_body(self):
        agenda = html2plaintext(self.description or "").strip() if self.description else ""
        reference = f"{ISSUE_KEY_LABEL} {self.issue_key}"
        agenda = (agenda[: AGENDA_MAX - len(reference) - 2] + "\n\n" + reference) if agenda else reference
        body = dict(_meeting_schedule(self.env, self.name, self.start, self.stop, self.tz), type=2, agenda=agenda)
        alternative_hosts = [
            user["zoom_user_email"] for user in self.candidates
            if user["zoom_user_id"] != self.host["zoom_user_id"] and user["zoom_user_email"]
        ]
        if alternative_hosts:
            body["settings"] = {"alternative_hosts": ";".join(alternative_hosts)}
        return body

    # -- the Zoom round trip
    def run(self, client, limited):
        """Create the meeting with the chosen host, moving to the next host where Zoom says so."""
        hosts = [self.host] + [
            user for user in self.candidates
            if user is not self.host and user["zoom_user_id"] not in limited
        ]
        for host in hosts:
            self.host = host
            try:
                meeting = self._adopt_lost_meeting(client) if self.uncertain_host else None
                if not meeting:
                    meeting = self._create(client)
            except ZoomRateLimited as error:
                if error.daily:
                    limited.add(host["zoom_user_id"])
                    reset = self.env["zoom.host"].sudo()._mark_daily_limit(host["zoom_user_id"])
                    self.notes.append(_("%s has reached Zoom's daily limit of meeting creations.", host["zoom_user_email"]))
                    self._pending(error, retry_at=reset)
                    continue
                self._pending(error)
                return
            except ZoomUserNotInAccount as error:
                self.notes.append(_("%s is no longer a user of the company's Zoom account.", host["zoom_user_email"]))
                self._failed(error)
                continue
            except ZoomUnavailable as error:
                # The request may have reached Zoom: the retry looks for the meeting first.
                self.uncertain_host = host["zoom_user_id"]
                self._pending(error)
                return
            except (ZoomNotConnected, ZoomReauthorizationNeeded, ZoomRequestRejected, ZoomError) as error:
                self._failed(error)
                return
            self._issued(meeting)
            return
        if self.state == "pending" and all(user["zoom_user_id"] in limited for user in self.candidates):
            self.reason = _("Every linked interviewer has reached Zoom's limit of 100 meeting creations "
                            "per day; the meeting will be issued after 00:00 UTC.")
            self.retry_at = _next_utc_midnight()

    def _create(self, client):
        body = self.meeting_body()
        try:
            meeting = client.create_meeting(self.host["zoom_user_id"], body)
        except ZoomRequestRejected:
            if "settings" not in body:
                raise
            # Zoom refuses alternative hosts that are not licensed users of the account.
            body.pop("settings")
            meeting = client.create_meeting(self.host["zoom_user_id"], body)
            self.notes.append(_("The other interviewers could not be made alternative hosts."))
        self._undo_on_rollback(client, meeting)
        return meeting

    def _adopt_lost_meeting(self, client):
        """A meeting an earlier, unanswered request did create, if any."""
        reference = f"{ISSUE_KEY_LABEL} {self.issue_key}"
        topic = self.meeting_body()["topic"]
        for meeting in client.list_upcoming_meetings(self.uncertain_host):
            if meeting.get("topic") != topic:
                continue
            try:
                full = client.get_meeting(meeting["id"])
            except ZoomMeetingNotFound:
                continue
            if reference in (full.get("agenda") or ""):
                self.host = next(
                    (user for user in self.candidates if user["zoom_user_id"] == self.uncertain_host), self.host,
                )
                return full
        return None

    def _undo_on_rollback(self, client, meeting):
        """Delete the meeting at Zoom if the transaction that holds it is rolled back."""
        token = client.token_getter(force_refresh=False)
        undo_client = ZoomClient(client.api_url, client.oauth_url, token_getter=lambda force_refresh=False: token)
        self.env.cr.postrollback.add(partial(_delete_orphan, undo_client, meeting.get("id")))

    # -- outcomes
    def _issued(self, meeting):
        self.meeting = meeting
        self.state = "issued"
        self.reason = None
        self.retry_at = None
        if self.host_busy:
            self.reason = _(
                "Every linked interviewer already hosts an overlapping Zoom meeting; %s hosts this one "
                "too, so candidates may not be able to join both.", self.host["zoom_user_email"],
            )

    def _pending(self, error, retry_at=None):
        self.attempts += 1
        if self.attempts >= MAX_ISSUE_ATTEMPTS:
            self._failed(error)
            self.reason = _("Zoom failed %(count)s times: %(reason)s", count=self.attempts, reason=error.message_for(self.env))
            return
        self.state = "pending"
        self.reason = error.message_for(self.env)
        self.retry_at = retry_at or fields.Datetime.now() + retry_delay(self.attempts, error.retry_after)

    def _failed(self, error):
        self.state = "failed"
        self.reason = error.message_for(self.env)
        self.retry_at = None

    def result_values(self):
        values = {
            "zoom_issue_key": self.issue_key,
            "zoom_account_id": self.account.id,
            "zoom_issue_attempts": self.attempts,
            "zoom_uncertain_host": self.uncertain_host or False,
        }
        if self.state == "issued":
            values.update({
                "zoom_state": "issued",
                "zoom_meeting_id": str(self.meeting["id"]),
                "zoom_join_url": self.meeting.get("join_url"),
                "zoom_passcode": self.meeting.get("password") or False,
                "videocall_location": self.meeting.get("join_url"),
                "zoom_host_user_id": self.host["id"],
                "zoom_host_zoom_user_id": self.host["zoom_user_id"],
                "zoom_host_email": self.meeting.get("host_email") or self.host["zoom_user_email"],
                "zoom_host_busy": self.host_busy,
                "zoom_state_reason": self.reason or False,
                "zoom_retry_at": False,
                "zoom_uncertain_host": False,
            })
        elif self.state in ("pending", "failed"):
            values.update({
                "zoom_state": self.state,
                "zoom_state_reason": self.reason,
                "zoom_retry_at": self.retry_at or False,
                "zoom_host_zoom_user_id": (self.host or {}).get("zoom_user_id") or False,
            })
        return values

    def chatter_body(self):
        if self.state == "issued":
            body = _("Zoom meeting %(meeting)s issued, hosted by %(host)s.",
                     meeting=format_meeting_id(self.meeting["id"]), host=self.host["zoom_user_email"])
        elif self.state == "pending":
            body = _("The Zoom meeting is pending: %s It will be tried again automatically.", self.reason)
        elif self.state == "failed":
            body = _("The Zoom meeting could not be issued: %s", self.reason)
        else:
            return None
        extra = [self.reason] if self.state == "issued" and self.reason else []
        return " ".join([body, *extra, *self.notes])


def _partner_ids_from_commands(commands):
    """Partner ids, in order, from x2many commands or a plain list of ids."""
    ids = []
    for command in commands or []:
        if isinstance(command, int):
            ids.append(command)
        elif isinstance(command, (list, tuple)) and command:
            if command[0] == Command.LINK:
                ids.append(command[1])
            elif command[0] == Command.SET:
                ids = list(command[2] or [])
            elif command[0] in (Command.UNLINK, Command.DELETE):
                ids = [pid for pid in ids if pid != command[1]]
            elif command[0] == Command.CLEAR:
                ids = []
    return list(dict.fromkeys(ids))


def _event_timezone(env, event, organizer_id):
    tz = None
    if organizer_id:
        tz = env["res.users"].sudo().browse(organizer_id).tz
    tz = tz or event.event_tz or env.user.tz or "UTC"
    return tz if tz in pytz.all_timezones_set else "UTC"


def _meeting_schedule(env, name, start, stop, tz):
    """Topic, local start, time zone and duration of a meeting, as Zoom takes them."""
    local_start = pytz.utc.localize(start).astimezone(pytz.timezone(tz))
    return {
        "topic": (name or env._("Interview"))[:200],
        "start_time": local_start.strftime("%Y-%m-%dT%H:%M:%S"),
        "timezone": tz,
        # Zoom refuses a scheduled duration over 1440 minutes; the meeting itself can run longer.
        "duration": min(MAX_MEETING_MINUTES, max(1, int(round((stop - start).total_seconds() / 60)))),
    }


def _next_utc_midnight():
    now = fields.Datetime.now()
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time())


def _delete_orphan(client, meeting_id):
    try:
        client.delete_meeting(meeting_id)
        _logger.info("Deleted Zoom meeting %s of a transaction that was rolled back", meeting_id)
    except Exception:  # noqa: BLE001 - runs after the rollback, nothing may escape
        _logger.warning("Could not delete the Zoom meeting %s of a transaction that was rolled back", meeting_id)
