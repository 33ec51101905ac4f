import logging
import re

import pytz
import vobject

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext
from odoo.tools.sql import create_index
from markupsafe import Markup

from ..compat import calendar_contact_details
from ..services.attendees import attendee_partner_ids, host_candidates, partner_ids_from_commands
from ..services.host_follow import CHOSEN_LEFT, roster_update
from ..services import reasons
from ..services.issue_plan import (  # noqa: F401 pylint: disable=unused-import
    MAX_ISSUE_ATTEMPTS,
    RELEASED_MEETINGS,
    PlannedEvent,
    ZoomIssuePlan,
    lock_chosen_hosts,
)
from ..services.reasons import Reason
from ..services.meeting_schedule import meeting_schedule
from ..services.recurrence import RULE_FIELDS, zoom_recurrence
from ..utils.meeting_text import BLOCK_START, format_meeting_id, strip_block
from ..utils.zoom_client import ZoomNotConnected
from .zoom_issuing import chatter_body, default_topic, run_plan
from .zoom_reason_texts import error_reason, render

_logger = logging.getLogger(__name__)

ISSUING_GROUP = "herp_zoom.group_zoom_assistant"
# Changes of these fields may change what the meeting holds (topic, start, duration, recurrence).
ZOOM_MEETING_FIELDS = {"name", "start", "stop", "duration", "allday", "start_date", "stop_date", "event_tz",
                       "user_id", *RULE_FIELDS}
# Key of the cursor's precommit data: the interviews whose user was told what Zoom still holds.
DRIFT_TOLD = "herp_zoom.drift_told"
# The Zoom block of an .ics description run on after text on the same line (spaces before its mark).
_BLOCK_AFTER_TEXT = re.compile(r"(?<=[^\n ]) *" + re.escape(BLOCK_START))
# Changes of these fields may change who hosts the meeting or may start it.
ROSTER_FIELDS = {"partner_ids", "attendee_ids", "user_id"}
# What a plan reads of an interview's values (see _zoom_planned_event).
PLANNED_FIELDS = ("name", "description", "start", "stop", "allday", "event_tz", "zoom_chosen_host_id")
# Key of the cursor's cache: the plans whose note joins their event's creation message.
CREATION_NOTES = "herp_zoom.creation_notes"
# What every occurrence of a series copies of the series' meeting.
SERIES_FIELDS = ("zoom_state", "zoom_meeting_id", "zoom_join_url", "zoom_passcode", "zoom_host_user_id",
                 "zoom_host_zoom_user_id", "zoom_host_email", "zoom_host_busy", "zoom_account_id", "zoom_state_reason_codes",
                 "zoom_synced_schedule", "zoom_alternative_hosts")
# What users may write of herp_zoom's fields on an interview. Every other stored one follows the
# meeting Zoom holds and is written by herp_zoom only: a forged link or passcode would reach the
# invitations, the .ics and Google / Outlook.
USER_ZOOM_FIELDS = frozenset({"zoom_chosen_host_id"})
CODE_ONLY_FIELDS = frozenset({
    "zoom_meeting_id", "zoom_join_url", "zoom_passcode", "zoom_state", "zoom_state_reason",
    "zoom_state_reason_codes", "zoom_account_id",
    "zoom_sync_pending", "zoom_synced_schedule", "zoom_update_attempts", "zoom_update_retry_at",
    "zoom_host_user_id", "zoom_host_zoom_user_id", "zoom_host_email", "zoom_host_busy", "zoom_issue_key",
    "zoom_issue_attempts", "zoom_retry_at", "zoom_uncertain_host", "zoom_meeting_started_at",
    "zoom_meeting_ended_at", "zoom_attendance", "zoom_result_ids", "zoom_alternative_hosts", "zoom_host_left",
    "zoom_checked_at", "zoom_check_reported", "zoom_consent_pending", "zoom_consent_attempts", "zoom_consent_retry_at",
})


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "zoom.meeting.consent", "zoom.meeting.sync", "zoom.host.choice", "zoom.issue.notice",
                "zoom.code.fields"]
    _zoom_code_fields = CODE_ONLY_FIELDS

    zoom_host_user_id = fields.Many2one("res.users", "Zoom Host", readonly=True, copy=False)
    # Indexed with the end of the event (see init()).
    zoom_host_zoom_user_id = fields.Char("Zoom Host User ID", readonly=True, copy=False)
    zoom_host_email = fields.Char("Zoom Host E-mail", readonly=True, copy=False)
    zoom_host_busy = fields.Boolean(
        "Zoom Host Has Overlapping Meetings", readonly=True, copy=False,
        help="Every linked interviewer already hosts overlapping meetings; candidates may not be able to join.",
    )
    zoom_issue_key = fields.Char(readonly=True, copy=False)
    zoom_issue_attempts = fields.Integer(readonly=True, copy=False)
    zoom_retry_at = fields.Datetime("Next Zoom Attempt", readonly=True, copy=False)
    zoom_uncertain_host = fields.Char(
        readonly=True, copy=False,
        help="Zoom user that may have received a create request whose answer was lost.",
    )
    zoom_linked_partner_ids = fields.Many2many(
        "res.partner", string="Attendees with Zoom", compute="_compute_zoom_linked_partner_ids",
    )
    zoom_meeting_id_display = fields.Char("Meeting ID", compute="_compute_zoom_meeting_id_display")
    zoom_can_issue = fields.Boolean(compute="_compute_zoom_can_issue")
    zoom_issue_notice = fields.Char(compute="_compute_zoom_issue_notice")

    def init(self):
        # Every save that issues a meeting reads its hosts' meetings around it
        # (_zoom_busy_intervals): by host and end, a host's past meetings are never read.
        create_index(self.env.cr, "calendar_event_zoom_host_stop_index", self._table,
                     ["zoom_host_zoom_user_id", "stop"], where="zoom_host_zoom_user_id IS NOT NULL")
        return super().init()

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
                may_issue and not event.allday and event.zoom_state in ("none", "pending", "failed", "deleted", "removed")
                and bool(event.zoom_linked_partner_ids)
            )

    # ------------------------------------------------------------------ create
    @api.model_create_multi
    def create(self, vals_list):
        # The meeting is issued from the values, before the records exist: calendar's own
        # create() sends the invitations, and google_calendar / microsoft_calendar compute
        # what they send, during super().create(), whatever the order of the modules.
        # The caller's dicts are never written: the same dict may be given several times.
        self._zoom_refuse_code_fields(vals_list, creating=True)
        vals_list = [dict(vals) for vals in vals_list]
        if self.env.context.get("dont_notify"):
            for vals in vals_list:
                if vals.get("description"):
                    vals["description"] = strip_block(vals["description"])
        self._zoom_take_series_meeting(vals_list)
        plans = self._zoom_plans_from_vals(vals_list)
        if plans:
            self._zoom_issue(plans)
            for plan in plans:
                plan.vals.update(plan.result_values(default_topic(self.env)))
        # The note on the meeting joins the creation message: one message, not two, per interview.
        # The plans wait on the cursor, not in the context: a context of its own per save would
        # keep an environment alive per interview until the commit, and Odoo looks environments
        # up one by one on every with_context().
        notes = self.env.cr.cache.setdefault(CREATION_NOTES, {})
        notes.update((plan.issue_key, plan) for plan in plans if plan.has_note)
        try:
            events = super().create(vals_list)
        finally:
            for plan in plans:
                notes.pop(plan.issue_key, None)
        if plans:
            by_key = {plan.issue_key: plan for plan in plans}
            planned = events.filtered(lambda event: event.sudo().zoom_issue_key in by_key)
            planned._zoom_after_issue({event.id: by_key[event.sudo().zoom_issue_key] for event in planned})
        return events

    def _zoom_code_fields_message(self, labels):
        return _("%s: the Zoom fields of an interview are set by herp_zoom from the meeting Zoom holds and "
                 "cannot be written by hand. To change the meeting, change the interview (its time, attendees or "
                 "Zoom host) or use \"Issue Zoom meeting\".", labels)

    def _creation_message(self):
        message = super()._creation_message()
        plan = self.env.cr.cache.get(CREATION_NOTES, {}).pop(self.sudo().zoom_issue_key, None)
        if not plan:
            return message
        plan.note_logged = True
        return f"{message} {chatter_body(self._zoom_organizer_env(plan.organizer_id), plan)}"

    def _zoom_take_series_meeting(self, vals_list):
        """Occurrences of a series get the series' meeting, never one of their own."""
        for vals in vals_list:
            if not vals.get("recurrence_id") or vals.get("zoom_meeting_id"):
                continue
            base = self.env["calendar.recurrence"].browse(vals["recurrence_id"]).sudo().base_event_id
            if base.zoom_state == "issued" and base.zoom_meeting_id:
                vals.update(base._zoom_series_values())

    def _zoom_series_values(self):
        self.ensure_one()
        values = {name: self[name] for name in SERIES_FIELDS}
        values.update(zoom_host_user_id=self.zoom_host_user_id.id, zoom_account_id=self.zoom_account_id.id,
                      videocall_location=self.zoom_join_url)
        return values

    def _zoom_skip_issue(self):
        """Whether this create may not issue meetings at all (role, import, configuration)."""
        context = self.env.context
        # dont_notify marks events written by the Google / Outlook import. Odoo's import screen
        # (its "Test" and its import) runs in install_mode with import_file: imported
        # interviews get their meetings by hand, not a burst of Zoom requests per file.
        if (context.get("dont_notify") or context.get("herp_zoom_no_issue") or context.get("install_mode")
                or context.get("import_file")):
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
            if vals.get("allday") or vals.get("zoom_meeting_id") or vals.get("recurrence_id"):
                continue
            if "partner_ids" in vals or "attendee_ids" in vals:
                partner_ids = attendee_partner_ids(vals)
            else:
                if default_partner_ids is None:
                    default_partner_ids = partner_ids_from_commands(
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
        plans = []
        defaults = {}
        for vals, partner_ids, organizer_id in wanted:
            candidates = host_candidates(linked, partner_ids, organizer_id, vals.get("zoom_chosen_host_id"))
            if not candidates:
                continue
            planned, event = self._zoom_planned_event(vals, defaults)
            if planned.allday or not planned.start or not planned.stop:
                continue
            tz = _event_timezone(self.env, planned, organizer_id)
            series = None
            if vals.get("recurrency") and event.rrule_type:
                rule = {name: event[name] for name in RULE_FIELDS}
                series = self.env["calendar.recurrence"].new(rule)._zoom_series(event, tz)
            chosen = planned.chosen_host_id and self.env["res.users"].sudo().browse(planned.chosen_host_id)
            plans.append(ZoomIssuePlan(account.id, vals, planned, candidates, tz, series,
                                       chosen_host_name=chosen.name if chosen else None, organizer_id=organizer_id))
        return plans

    def _zoom_planned_event(self, vals, defaults):
        """(PlannedEvent, new record or None) of the values an interview is being saved with.

        A one-off interview given its start and end is read off its values and the few defaults
        it lacks: Odoo's defaults of every field and a new record would cost more than the rest
        of the plan. A series, or an interview whose end Odoo computes, goes through a new record.
        ``defaults`` keeps the defaults found for the other values of the same create.
        """
        if vals.get("recurrency") or not vals.get("start") or not vals.get("stop"):
            event = self.new(self._add_missing_default_values(dict(vals)))
            return _planned_event(event), event
        missing = [name for name in PLANNED_FIELDS if name not in vals]
        if missing and tuple(missing) not in defaults:
            defaults[tuple(missing)] = self.default_get(missing)
        values = dict(vals, **defaults[tuple(missing)]) if missing else vals
        empty = self.browse()
        read = {name: self._fields[name].convert_to_cache(values.get(name), empty) for name in PLANNED_FIELDS}
        return PlannedEvent(None, read["name"], read["description"], read["start"], read["stop"], read["allday"],
                            read["event_tz"], read["zoom_chosen_host_id"] or None), None

    # ------------------------------------------------------------------ issuing
    def _zoom_issue(self, plans, background=False):
        """Create the Zoom meeting of every plan; never raises for Zoom's failures. A save waits
        for each of Zoom's answers as long as the connection's ``save_wait``; the scheduled
        action (``background``) up to the client's TIMEOUT."""
        now = fields.Datetime.now()
        account = self.env["zoom.account"].sudo().browse(plans[0].account_id)
        capacity = account.max_concurrent_meetings or 1
        all_hosts = {user["zoom_user_id"] for plan in plans for user in plan.candidates}
        busy, limited = self._zoom_busy_intervals(all_hosts, plans)
        chosen = {}
        for plan in plans:
            plan.choose_host(busy, capacity, limited, now)
            if plan.host:
                chosen[plan] = plan.host["zoom_user_id"]
                busy.setdefault(plan.host["zoom_user_id"], []).extend(
                    (start, stop, plan.issue_key) for start, stop in plan.intervals)
        hosts = self.env["zoom.host"].sudo()
        lock_chosen_hosts(chosen, busy, capacity, limited,
                          lambda zoom_user_ids: hosts._lock_for_assignment(zoom_user_ids, account.company_id.id), now)
        client = account._client() if background else account._save_client()
        for plan in plans:
            if plan.host:
                run_plan(self.env, plan, account, client, limited)

    def _zoom_busy_intervals(self, zoom_user_ids, plans):
        """Meetings known to Odoo of these Zoom users around the planned events, and the users
        that reached Zoom's daily limit of creations (one query)."""
        if not zoom_user_ids:
            return {}, set()
        start = min(start for plan in plans for start, _stop in plan.intervals)
        stop = max(stop for plan in plans for _start, stop in plan.intervals)
        exclude = [event_id for plan in plans for event_id in plan.exclude_ids]
        return self._zoom_hosts_busy(zoom_user_ids, start, stop, exclude)

    def _zoom_hosts_busy(self, zoom_user_ids, start, stop, exclude_ids):
        """(meetings by host, hosts at Zoom's daily limit) of these Zoom users between ``start``
        and ``stop``, leaving out the events ``exclude_ids`` (one query)."""
        exclude = list(exclude_ids)
        self.env["calendar.event"].flush_model(["zoom_host_zoom_user_id", "zoom_state", "start", "stop", "active"])
        self.env.cr.execute(
            """SELECT zoom_host_zoom_user_id, start, stop, id FROM calendar_event
                WHERE zoom_host_zoom_user_id = ANY(%s) AND zoom_state IN ('issued', 'pending')
                  AND active AND start < %s AND stop > %s AND NOT id = ANY(%s)
               UNION ALL
               SELECT zoom_user_id, NULL, NULL, NULL FROM zoom_host
                WHERE zoom_user_id = ANY(%s) AND daily_limit_until > %s""",
            [list(zoom_user_ids), stop, start, exclude, list(zoom_user_ids), fields.Datetime.now()],
        )
        busy, limited = {}, set()
        for host, busy_start, busy_stop, event_id in self.env.cr.fetchall():
            if event_id is None:
                limited.add(host)
            else:
                busy.setdefault(host, []).append((busy_start, busy_stop, event_id))
        return busy, limited

    def _zoom_after_issue(self, plans_by_id):
        """Chatter notes for the events just issued (one batch) and the retry schedule."""
        bodies = {event_id: body for event_id, plan in plans_by_id.items()
                  if not plan.note_logged and (body := chatter_body(self._zoom_organizer_env(plan.organizer_id), plan))}
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
        self._zoom_check_write_access()
        account = self.sudo()._zoom_retry_account()
        if account and account.company_id not in self.env.companies:
            raise AccessError(_("This interview's Zoom meeting is issued with the Zoom account of %s, a company "
                                "you do not work in.", account.company_id.name))
        if self.sudo().zoom_state == "issued":
            return False
        # One issuing at a time per event: a second click, or the cron, finds the row locked.
        self.env.cr.execute(
            "SELECT id FROM calendar_event WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", [self.id],
        )
        if not self.env.cr.fetchone():
            raise UserError(_("The Zoom meeting of this event is being issued right now."))
        self.invalidate_recordset()
        event = self.sudo()
        if event.zoom_state == "issued":
            return False
        self._zoom_issue_existing()
        if event.zoom_state != "issued":
            raise UserError(event.zoom_state_reason or _("The Zoom meeting could not be issued."))
        return False

    def _zoom_check_write_access(self):
        """The caller may write these events, private ones included; superuser reads come after.

        Calendar hides private events' fields from non-attendees by writing blanks into the
        cache, which superuser reads share: the cache is dropped once the check passed.
        """
        self.check_access("write")
        self._check_calendar_privacy_write_permissions()
        self.invalidate_recordset()

    def _zoom_retry_account(self):
        """The connection a retry issues with: the event's own, else its organizer's company's."""
        self.ensure_one()
        return self.zoom_account_id or self.env["zoom.account"]._get_for_company(
            self.user_id.company_id or self.env.company)

    def _zoom_issue_existing(self, background=False):
        """Issue the meeting of an existing event (retry); the event's own values are used.
        ``background``: the scheduled action's retry (see _zoom_issue).

        An occurrence of a series takes the series' meeting; a series without one gets it for
        all its occurrences.
        """
        self.ensure_one()
        event = self.sudo()
        if event.allday:
            event._zoom_write_failure(Reason(reasons.ALLDAY), final=True)
            return
        base = event.recurrence_id.base_event_id
        if base and base != event and base.zoom_state == "issued" and base.zoom_meeting_id:
            event.write(base._zoom_series_values())
            return
        account = event._zoom_retry_account()
        if not account._is_connected():
            event._zoom_write_failure(error_reason(ZoomNotConnected()), final=True)
            return
        organizer_id = event.user_id.id
        linked = self.env["res.users"].sudo()._zoom_linked_users(
            account, set(event.partner_ids.ids), {organizer_id},
        )
        candidates = host_candidates(linked, event.partner_ids.ids, organizer_id, event.zoom_chosen_host_id.id)
        if not candidates:
            event._zoom_write_failure(Reason(reasons.NO_LINKED_ATTENDEE), final=True)
            return
        tz = _event_timezone(self.env, event, organizer_id)
        series_events = event.recurrence_id.calendar_event_ids.filtered("active") if event.recurrence_id else event
        series = event.recurrence_id._zoom_series(event, tz) if event.recurrence_id else None
        plan = ZoomIssuePlan(account.id, None, _planned_event(event), candidates, tz, series,
                             chosen_host_name=event.zoom_chosen_host_id.name or None, organizer_id=organizer_id)
        plan.exclude_ids = series_events.ids
        plan.issue_key = event.zoom_issue_key or plan.issue_key
        plan.attempts = event.zoom_issue_attempts
        plan.uncertain_host = event.zoom_uncertain_host
        self._zoom_issue([plan], background=background)
        if plan.host is None and plan.state is None:
            plan.state = "failed"
        values = plan.result_values(default_topic(self.env))
        held_before = event._zoom_hosts_held()
        if plan.state == "issued":
            # The link reaches Google and Outlook through the description: sync the event again.
            # Outlook sends only the fields written, so the description is written too.
            values.update({name: True for name in ("need_sync", "need_sync_m") if name in event._fields})
            values["description"] = event.description
        event.write(values)
        # A retry that took another host lets go of the one the other saves counted.
        self._zoom_release_hosts(held_before - event._zoom_hosts_held())
        if plan.state == "issued" and len(series_events) > 1:
            for occurrence in series_events - event:
                occurrence.write(dict(event._zoom_series_values(), description=occurrence.description,
                                      **{name: True for name in ("need_sync", "need_sync_m") if name in event._fields}))
        event._zoom_after_issue({event.id: plan})
        if plan.state == "issued" and event.start > fields.Datetime.now():
            # The invitations went out without the link: attendees get it now.
            event.attendee_ids._send_invitation_emails()

    def _zoom_write_failure(self, reason, final):
        """No meeting, for ``reason`` (a services.reasons.Reason): the event says why."""
        self.ensure_one()
        self.sudo().write({"zoom_state": "failed" if final else "pending",
                           "zoom_state_reason_codes": reasons.encode([reason])})
        env = self._zoom_organizer_env(self.sudo().user_id.id)
        self.sudo()._message_log(body=env._("The Zoom meeting could not be issued: %s", render(env, reason)))

    def _zoom_organizer_env(self, organizer_id):
        """The environment of the notes about an interview: in its organizer's language, as
        calendar's own notes are."""
        lang = organizer_id and self.env["res.users"].sudo().browse(organizer_id).lang
        return self.with_context(lang=lang or self.env.lang).env

    # ------------------------------------------------------------------ copies and links
    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for event, vals in zip(self, vals_list):
            # A copy (or a new occurrence) gets its own meeting, never the original's link.
            if vals.get("videocall_location") and vals["videocall_location"] == event.zoom_join_url:
                vals["videocall_location"] = False
        return vals_list

    def copy(self, default=None):
        # calendar's copy() adds the attendees after creating the copy and invites them then,
        # before any meeting: the copy is issued first, and invited once, with the link.
        copies = super(CalendarEvent, self.with_context(herp_zoom_no_issue=True, no_mail_to_attendees=True)).copy(
            default).with_env(self.env)
        issuing = not self._zoom_skip_issue() and self._zoom_connected_account_id(self.env.company.id)
        for copy in copies:
            if issuing and not copy.allday and copy.zoom_linked_partner_ids:
                copy._zoom_issue_existing()
            if copy.zoom_state != "issued":
                copy.attendee_ids._send_invitation_emails()
        return copies

    @api.model
    def _zoom_agenda_text(self, description, event_id=None):
        """The Zoom meeting's agenda text of an interview's description: without the contact
        details calendar added to the description of a saved event (they are for the event's
        readers, not for Zoom's list of meetings)."""
        if not description:
            return ""
        description = str(description)
        if event_id:
            for block in calendar_contact_details(self.sudo().browse(event_id)):
                description = description.replace(block, "")
        return html2plaintext(description).strip()

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

    def _get_ics_file(self):
        """The .ics carries the join link as the event's URL and, without a place of its own, as its
        location: calendar apps show a join button for them."""
        files = super()._get_ics_file()
        for event in self:
            url = event.zoom_state == "issued" and event.zoom_join_url
            if not url or not files.get(event.id):
                continue
            calendar = vobject.readOne(files[event.id].decode())
            vevent = calendar.vevent
            if "description" in vevent.contents:
                # The block on lines of its own: calendar's plain text runs it on after a description
                # that ends in no paragraph (on Odoo 19, after the contact details it adds).
                vevent.description.value = _BLOCK_AFTER_TEXT.sub("\n" + BLOCK_START, vevent.description.value)
            if "location" not in vevent.contents:
                vevent.add("location").value = url
            vevent.add("url").value = url
            files[event.id] = calendar.serialize().encode()
        return files

    def _need_video_call(self):
        # An event with a Zoom meeting gets no Google Meet or Teams link, nor one whose
        # meeting is still being retried or was deleted: another provider's link would
        # stand where the interviewers expect Zoom's.
        self.ensure_one()
        if self.zoom_state in ("pending", "deleted", "removed") or (self.zoom_state == "issued" and self.zoom_join_url):
            return False
        parent = getattr(super(), "_need_video_call", None)
        return parent() if parent else True

    # ------------------------------------------------------------------ writes
    def write(self, vals):
        self._zoom_refuse_code_fields([vals])
        if "description" in vals and self.env.context.get("dont_notify"):
            # Descriptions coming back from Google / Outlook hold the block added on the way out.
            vals = dict(vals, description=strip_block(vals["description"]))
        releasing = self._zoom_releasing(vals)
        archived = self.browse()
        if vals.get("active") is False and not self.env.context.get("herp_zoom_series_rewrite"):
            archived = self.filtered(lambda event: event.active and event.zoom_state == "issued")
        # calendar's write() takes the time and rule values out of ``vals`` for a series.
        touched = ZOOM_MEETING_FIELDS.intersection(vals) and vals.get("recurrence_update") not in (
            "all_events", "future_events")
        roster = ROSTER_FIELDS.intersection(vals) and vals.get("recurrence_update") not in (
            "all_events", "future_events")
        watched = self._zoom_drift_watched(touched or roster, bool(archived))
        in_step = watched.filtered(lambda event: not event._zoom_drift_text())
        # What the interviews held before a move or an archiving: the others' overlap may go (read
        # as superuser once the caller may write them).
        held = set()
        if (touched or archived) and self._zoom_connected_account_id(self.env.company.id):
            self.check_access("write")
            held = self._zoom_hosts_held()
        result = super().write(vals)
        if releasing:
            releasing._zoom_release_meeting()
        if archived:
            archived._zoom_delete_with_event()
        elif vals.get("active") is True:
            # Restored before Zoom took the deletion: the interview keeps its meeting.
            self.env["zoom.meeting.deletion"].sudo().search([("event_id", "in", self.ids)]).unlink()
        if touched or roster:
            self.exists()._zoom_mark_for_update(roster=bool(roster))
        if held:
            self._zoom_release_hosts(held - self.exists()._zoom_hosts_held())
        told = self.env.cr.precommit.data.setdefault(DRIFT_TOLD, set())
        for event in in_step.exists():
            # calendar's write() writes again inside: the user is told once per save.
            if event.id not in told and (text := event._zoom_drift_text()):
                told.add(event.id)
                self._zoom_tell_drift(text)
        return result

    def _zoom_drift_watched(self, meeting_changed, archiving):
        """The interviews whose save may leave Zoom behind (updates or deletions off): the user
        who saves is told once when it does."""
        if self.env.su or self.env.context.get("dont_notify") or not (meeting_changed or archiving):
            return self.browse()
        return self.filtered(lambda event: event.sudo().zoom_state == "issued" and event.sudo().zoom_account_id and (
            (archiving and not event.sudo().zoom_account_id.delete_meetings)
            or (meeting_changed and not event.sudo().zoom_account_id.update_meetings)))

    def unlink(self):
        # The caller's own right to delete comes before anything is read or queued as superuser.
        self.check_access("unlink")
        self.env.cr.postcommit.data.setdefault(RELEASED_MEETINGS, set()).update(
            filter(None, self.sudo().mapped("zoom_meeting_id")))
        issued = self.filtered(lambda event: event.sudo().zoom_state == "issued")
        held = self._zoom_hosts_held()
        issued._zoom_delete_with_event(unlinked=True)
        if not self.env.su:
            for event in issued.sudo().filtered(lambda event: not event.zoom_account_id.delete_meetings):
                self._zoom_tell_drift(_(
                    "The Zoom meeting %(meeting)s of \"%(name)s\" still exists in Zoom: its link still works. Delete it "
                    "in Zoom, or ask a Zoom administrator to turn on \"Delete Zoom meetings with interviews\" "
                    "(Settings > Calendar > Zoom) for the next ones.",
                    meeting=format_meeting_id(event.zoom_meeting_id), name=event.name))
        result = super().unlink()
        self._zoom_release_hosts(held)
        return result

    # ------------------------------------------------------------------ clearing the meeting
    def _zoom_releasing(self, vals):
        """The issued interviews whose Zoom link this save clears or replaces (Odoo's "Clear
        meeting", or another link): their meeting is released, not left half-cleared."""
        if ("videocall_location" not in vals or self.env.su or self.env.context.get("dont_notify")
                or self.env.context.get("herp_zoom_no_sync")):
            return self.browse()
        releasing = self.filtered(lambda event: event.sudo().zoom_state == "issued" and event.sudo().zoom_join_url
                                  and vals["videocall_location"] != event.sudo().zoom_join_url)
        if releasing and not self.env.user.has_group(ISSUING_GROUP):
            raise AccessError(_("Only Zoom administrators, recruiters and assistants can remove the Zoom meeting of an "
                                "interview."))
        return releasing

    def action_zoom_remove_meeting(self):
        """Remove the Zoom meeting from this interview (and from Zoom with the deletion option)."""
        self.ensure_one()
        if not self.env.user.has_group(ISSUING_GROUP):
            raise AccessError(_("Only Zoom administrators, recruiters and assistants can remove the Zoom meeting of an "
                                "interview."))
        self._zoom_check_write_access()
        if self.sudo().zoom_state == "issued":
            self.write({"videocall_location": False})
        return True

    def _zoom_release_meeting(self):
        """One outcome: the meeting deleted at Zoom with the company's deletion option (unless another
        occurrence still holds it), every copy of its link removed, no other provider's link added."""
        name = self.env.user.name
        for event in self.sudo():
            event._zoom_delete_with_event(unlinked=True)
            values = {
                "zoom_state": "removed",
                "zoom_state_reason_codes": reasons.encode([Reason(reasons.REMOVED_BY, {"user": name})]),
                "zoom_join_url": False,
                "zoom_passcode": False,
                "zoom_sync_pending": False,
                # Outlook sends only the fields written: the description, now without the Zoom block.
                "description": event.description,
                **{field: True for field in ("need_sync", "need_sync_m") if field in event._fields},
            }
            event.with_context(herp_zoom_no_sync=True).write(values)
            event._message_log(body=_("The Zoom meeting %(meeting)s was removed from the interview by %(user)s.",
                                      meeting=format_meeting_id(event.zoom_meeting_id), user=name))

    def _zoom_meeting_lost(self):
        """Zoom no longer has the meeting (deleted without a webhook, or expired): a new one is
        issued for the interview (its series), and its link reaches everyone again."""
        self.ensure_one()
        owner = self._zoom_meeting_owner().sudo()
        lost = owner.zoom_meeting_id
        env = self.with_context(lang=owner.user_id.lang or self.env.lang).env
        owner._zoom_meeting_holders().filtered("active").with_context(herp_zoom_no_sync=True).write({
            "zoom_state": "deleted", "zoom_join_url": False, "zoom_passcode": False, "zoom_sync_pending": False,
            "zoom_checked_at": False, "zoom_check_reported": False,
            "zoom_state_reason_codes": reasons.encode([Reason(reasons.LOST_IN_ZOOM,
                                                              {"meeting": format_meeting_id(lost)})]),
        })
        owner.with_context(lang=env.lang)._zoom_issue_existing()
        if owner.zoom_state == "issued":
            owner._message_log(body=env._(
                "Zoom no longer had the meeting %(lost)s (deleted in Zoom without notice, or expired): the new meeting "
                "%(new)s was issued, and its link sent to the attendees and to Google and Outlook.",
                lost=format_meeting_id(lost), new=format_meeting_id(owner.zoom_meeting_id)))
        else:
            owner._message_log(body=env._(
                "Zoom no longer had the meeting %(lost)s (deleted in Zoom without notice, or expired): a new meeting "
                "could not be issued yet (%(reason)s).", lost=format_meeting_id(lost),
                reason=render(env, owner.zoom_state_reason_codes)))

    def _rewrite_recurrence(self, values, time_values, recurrence_values):
        # Editing all events archives them and creates the occurrences again: the series keeps
        # its meeting (the new occurrences take it from the base event), updated once.
        base = self.recurrence_id.base_event_id or self
        result = super(CalendarEvent, self.with_context(herp_zoom_series_rewrite=True))._rewrite_recurrence(
            values, time_values, recurrence_values)
        base.exists()._zoom_mark_for_update(roster=bool(ROSTER_FIELDS.intersection(values)))
        return result

    # ------------------------------------------------------------------ hosts after the save
    def _zoom_roster_update(self, with_busy=False):
        """Who should host the issued meeting now, and be its alternative hosts: the linked
        interviewers of the interview, as at creation (services.host_follow)."""
        self.ensure_one()
        event = self.sudo()
        account = event.zoom_account_id
        if not account or event.zoom_state != "issued":
            return None
        organizer_id = event.user_id.id
        linked = self.env["res.users"].sudo()._zoom_linked_users(
            account, set(event.partner_ids.ids), {organizer_id} if organizer_id else set())
        candidates = host_candidates(linked, event.partner_ids.ids, organizer_id, event.zoom_chosen_host_id.id)
        current = event.zoom_host_user_id and {"id": event.zoom_host_user_id.id,
                                               "zoom_user_id": event.zoom_host_zoom_user_id}
        chosen_id = event.zoom_chosen_host_id.id
        if chosen_id and chosen_id != event.zoom_host_user_id.id and any(
                user["id"] == chosen_id for user in candidates):
            # The recruiter's choice is being given the meeting (zoom.host.choice): not decided here.
            return None
        series = event.recurrence_id.calendar_event_ids.filtered("active") if event.recurrence_id else event
        intervals = [(occurrence.start, occurrence.stop) for occurrence in series]
        busy, limited = {}, set()
        if with_busy and candidates:
            busy, limited = self._zoom_hosts_busy({user["zoom_user_id"] for user in candidates},
                                                  min(start for start, _stop in intervals),
                                                  max(stop for _start, stop in intervals), series.ids)
        return roster_update(current, chosen_id, candidates, intervals, busy, account.max_concurrent_meetings or 1,
                             limited, None)

    def _zoom_host_left(self, outcome):
        """The host left and nobody takes over: the meeting stays, the organizer is told (once)."""
        self.ensure_one()
        event = self.sudo()
        organizer = event.user_id
        env = self.with_context(lang=organizer.lang or self.env.lang).env
        if outcome == CHOSEN_LEFT:
            summary = env._("Choose another Zoom host: %s left the interview", event.zoom_host_user_id.name)
            body = env._("%(host)s, the Zoom host the recruiter chose, is no longer on the interview with a linked Zoom "
                         "user; Zoom still has them as host. Only the recruiter replaces a chosen host: choose another "
                         "Zoom host on the interview.", host=event.zoom_host_user_id.name)
        else:
            summary = env._("Zoom host needed: no linked interviewer is left on the interview")
            body = env._("No interviewer with a linked Zoom user of the company's account is left on the interview "
                         "to take over from %s: the Zoom meeting stays as it is, hosted by them. Add an interviewer "
                         "with Zoom, or change the host in Zoom.", event.zoom_host_email)
        event._message_log(body=body)
        if organizer and not organizer.share:
            # Calendar events have no activity mixin: the activity is created as Odoo does for any record.
            self.env["mail.activity"].sudo().create({
                "res_model_id": self.env["ir.model"]._get_id(self._name), "res_id": event.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id, "user_id": organizer.id,
                "summary": summary, "note": body, "date_deadline": fields.Date.context_today(self),
            })
        self.env[self._name].search([("zoom_meeting_id", "=", event.zoom_meeting_id),
                                     ("zoom_account_id", "=", event.zoom_account_id.id)]).sudo().write(
            {"zoom_host_left": True})

    # ------------------------------------------------------------------ lifecycle
    def _zoom_meeting_owner(self):
        """A series' meeting follows its base event (and the rule); an event alone, itself."""
        self.ensure_one()
        base = self.recurrence_id.base_event_id
        if base and base.zoom_meeting_id == self.zoom_meeting_id:
            return base
        return self

    def _zoom_current_schedule(self):
        self.ensure_one()
        event = self.sudo()
        tz = _event_timezone(self.env, event, event.user_id.id)
        meeting_type, recurrence = 2, None
        if event.recurrence_id:
            meeting_type, recurrence = zoom_recurrence(event.recurrence_id._zoom_rule(), tz)
        return meeting_schedule(event.name or self.env._("Interview"), event.start, event.stop, tz,
                                meeting_type, recurrence)


def _planned_event(event):
    """The PlannedEvent of a record (saved, or new with Odoo's defaults and computations)."""
    return PlannedEvent(event.id if isinstance(event.id, int) else None, event.name or "", event.description,
                        event.start, event.stop, event.allday, event.event_tz, event.zoom_chosen_host_id.id or None)


def _event_timezone(env, event, organizer_id):
    tz = None
    if organizer_id:
        tz = env["res.users"].sudo().browse(organizer_id).tz
    tz = tz or event.event_tz or env.user.tz or "UTC"
    return tz if tz in pytz.all_timezones_set else "UTC"
