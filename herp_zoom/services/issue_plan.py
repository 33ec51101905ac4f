"""One interview's way to a Zoom meeting: its candidates, the chosen host, the Zoom round
trip and its outcome. A recurring interview is planned once, for all its occurrences."""

import json
import logging
import secrets
from datetime import datetime, timedelta
from functools import partial
from typing import NamedTuple

from odoo import _, fields
from odoo.tools import html2plaintext

from ..utils.meeting_text import format_meeting_id
from ..utils.retry import MAX_ATTEMPTS, retry_delay
from ..utils.zoom_client import (
    ZoomClient,
    ZoomError,
    ZoomMeetingNotFound,
    ZoomNotConnected,
    ZoomRateLimited,
    ZoomReauthorizationNeeded,
    ZoomRequestRejected,
    ZoomSettingRefused,
    ZoomUnavailable,
    ZoomUserNotInAccount,
)
from .host_choice import choose_host, chosen_host_problem, occurrences_over_capacity
from .meeting_schedule import ISSUE_KEY_LABEL, meeting_agenda, meeting_schedule, schedule_fingerprint

_logger = logging.getLogger(__name__)

MAX_ISSUE_ATTEMPTS = MAX_ATTEMPTS
# Zoom lists meetings with their agenda cut to this many characters.
LISTED_AGENDA_MAX = 250
# When a meeting left by a save that met another save's hold on its host is tried again.
HOST_WAIT_RETRY = timedelta(seconds=5)
# Key of the cursor's postcommit data: meetings of interviews deleted in the transaction.
RELEASED_MEETINGS = "herp_zoom.released_meetings"


class PlannedEvent(NamedTuple):
    """What a plan reads of its interview: the values it is being saved with, or the saved
    record's (``event_id`` None before the save)."""

    event_id: int | None
    name: str
    description: str | None
    start: datetime
    stop: datetime
    allday: bool
    event_tz: str | None
    # The host the recruiter chose (a res.users id), or None for the automatic choice.
    chosen_host_id: int | None


class ZoomIssuePlan:
    """``env`` gives the language of the messages and the cursor whose rollback undoes the meeting;
    ``event`` is a PlannedEvent."""

    def __init__(self, env, account, vals, event, candidates, tz, series=None):
        self.env = env
        self.account = account
        self.vals = vals
        self.event_id = event.event_id
        self.name = event.name or ""
        self.description = event.description
        self.start = event.start
        self.stop = event.stop
        self.tz = tz
        # ``series``: (meeting type, Zoom recurrence, occurrence intervals) of a recurring interview.
        self.meeting_type, self.recurrence, intervals = series or (2, None, None)
        self.intervals = intervals or [(self.start, self.stop)]
        self.exclude_ids = [self.event_id] if self.event_id else []
        self.candidates = candidates
        self.issue_key = secrets.token_hex(8)
        self.attempts = 0
        self.uncertain_host = None
        self.host = None
        self.busy_starts = []
        self.meeting = None
        self.state = None
        self.reason = None
        self.retry_at = None
        self.notes = []
        self.chosen_host_id = event.chosen_host_id
        # Company settings Zoom refused for this meeting, which was created without them.
        self.refused_settings = []
        # Whether the chatter note was told with the event's creation message.
        self.note_logged = False
        # Whether the candidate consented to recording and summary (read when the company asks).
        self._consent = None

    @property
    def host_busy(self):
        return bool(self.busy_starts)

    # -- host choice
    def choose_host(self, busy, capacity, limited):
        if self.chosen_host_id:
            self._take_chosen_host(busy, capacity, limited)
            return
        self.host, self.busy_starts = choose_host(self.candidates, self.intervals, busy, capacity, limited,
                                                  self.issue_key)
        if not self.host:
            self.state = "pending"
            self.reason = _daily_limit_reason()
            self.retry_at = _next_utc_midnight()

    def _take_chosen_host(self, busy, capacity, limited):
        """The chosen host hosts, or the meeting waits and says why: never another host instead."""
        host, problem, busy_starts = chosen_host_problem(
            self.chosen_host_id, self.candidates, self.intervals, busy, capacity, limited, self.issue_key)
        if problem == "not_linked":
            name = self.env["res.users"].sudo().browse(self.chosen_host_id).name
            self.state = "failed"
            self.reason = _(
                "The chosen host %s has no linked Zoom user of the company's Zoom account, so no meeting was "
                "created. Choose another Zoom host (or leave it empty for the automatic choice) and issue the "
                "meeting again.", name)
            return
        if problem == "daily_limit":
            self.state = "pending"
            self.reason = _(
                "The chosen host %s has reached Zoom's limit of 100 meeting creations per day; the meeting will "
                "be issued with them after 00:00 UTC. Choose another Zoom host to issue it now.",
                host["zoom_user_email"])
            self.retry_at = _next_utc_midnight()
            return
        self.host, self.busy_starts = host, busy_starts

    def choose_free_host(self, busy, capacity, unavailable):
        """Another candidate, free at every occurrence, instead of a host that was held. A host
        the recruiter chose is waited for, never replaced."""
        if self.chosen_host_id:
            self.host = None
            return None
        self.host = next((user for user in self.candidates if user["zoom_user_id"] not in unavailable
                          and not occurrences_over_capacity(busy.get(user["zoom_user_id"], []), self.intervals,
                                                            self.issue_key, capacity)), None)
        self.busy_starts = []
        return self.host

    def wait_for_host(self):
        """Another save is giving the chosen host a meeting: the scheduled action chooses again
        in a moment, with that meeting in view. Not a failure of Zoom's: no attempt is counted."""
        self.host = None
        self.busy_starts = []
        self.state = "pending"
        self.reason = _("Another save was giving the same interviewer a Zoom meeting at that moment; "
                        "this meeting will be issued in a moment.")
        self.retry_at = fields.Datetime.now() + HOST_WAIT_RETRY

    # -- the request body
    @property
    def consent(self):
        if not self.account._meeting_needs_consent():
            return False
        if self._consent is None:
            # Not as superuser: that would drop the defaults the interview is created with (its applicant).
            self._consent = bool(self.env["calendar.event"]._zoom_plan_consent(self.vals, self.event_id))
        return self._consent

    def schedule(self):
        return meeting_schedule(self.name or self.env._("Interview"), self.start, self.stop, self.tz,
                                self.meeting_type, self.recurrence)

    def meeting_body(self):
        agenda = html2plaintext(self.description or "").strip() if self.description else ""
        body = dict(self.schedule(), agenda=meeting_agenda(agenda, self.issue_key))
        template_id, settings = self.account._meeting_settings_body(consent=self.consent)
        if template_id:
            body["template_id"] = template_id
        settings = {key: value for key, value in settings.items() if key not in self.refused_settings}
        body.update(self._with_alternative_hosts(settings))
        return body

    def _with_alternative_hosts(self, settings):
        """``{"settings": ...}`` with the other candidates as alternative hosts, or {} when empty."""
        settings = dict(settings)
        alternative_hosts = [
            user["zoom_user_email"] for user in self.candidates
            if user["zoom_user_id"] != self.host["zoom_user_id"] and user["zoom_user_email"]
        ]
        if alternative_hosts:
            settings["alternative_hosts"] = ";".join(alternative_hosts)
        return {"settings": settings} if settings else {}

    # -- the Zoom round trip
    def run(self, client, limited):
        """Create the meeting with the chosen host, moving to the next host where Zoom says so."""
        hosts = [self.host] + [
            user for user in self.candidates
            if user is not self.host and user["zoom_user_id"] not in limited
        ]
        if self.chosen_host_id:
            # The recruiter's choice: no other host instead.
            hosts = [self.host]
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
                if self.chosen_host_id:
                    self.reason = _("The chosen host %s is no longer a user of the company's Zoom account. Choose "
                                    "another Zoom host and issue the meeting again.", host["zoom_user_email"])
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
        if (self.state == "pending" and not self.chosen_host_id
                and all(user["zoom_user_id"] in limited for user in self.candidates)):
            self.reason = _daily_limit_reason()
            self.retry_at = _next_utc_midnight()

    def _create(self, client):
        body = self.meeting_body()
        while True:
            settings = body.get("settings") or {}
            try:
                meeting = client.create_meeting(self.host["zoom_user_id"], body)
            except ZoomSettingRefused as error:
                if error.setting not in settings:
                    raise
                # Locked in the account or not on its plan: the meeting is created without it.
                self._refuse_setting(body, error.setting)
                continue
            except ZoomRequestRejected as error:
                if "template_id" in body and "template_id" in json.dumps(error.details):
                    # The template was deleted in Zoom: the company's settings apply instead.
                    body.pop("template_id")
                    self.refused_settings.append("template_id")
                    self.account._meeting_settings_refused(["template_id"])
                    body.pop("settings", None)
                    _template, company_settings = self.account._meeting_settings_body(consent=self.consent)
                    body.update(self._with_alternative_hosts(company_settings))
                    continue
                if "alternative_hosts" not in settings:
                    raise
                # Zoom refuses alternative hosts that are not licensed users of the account.
                self._drop_setting(body, "alternative_hosts")
                self.notes.append(_("The other interviewers could not be made alternative hosts."))
                continue
            break
        self._undo_on_rollback(client, meeting)
        return meeting

    def _refuse_setting(self, body, setting):
        self._drop_setting(body, setting)
        self.refused_settings.append(setting)
        self.account._meeting_settings_refused([setting])

    @staticmethod
    def _drop_setting(body, setting):
        body["settings"].pop(setting)
        if not body["settings"]:
            body.pop("settings")

    def _adopt_lost_meeting(self, client):
        """A meeting an earlier, unanswered request did create, if any."""
        reference = f"{ISSUE_KEY_LABEL} {self.issue_key}"
        for meeting in client.list_upcoming_meetings(self.uncertain_host):
            # Not the topic: the interview may have been renamed since. Zoom's list cuts agendas
            # at 250 characters, so only a cut one without the reference needs a closer look.
            listed_agenda = meeting.get("agenda") or ""
            if reference not in listed_agenda and len(listed_agenda) < LISTED_AGENDA_MAX:
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
        """Delete the meeting at Zoom if the records that hold it are rolled back.

        A full rollback runs the cursor's postrollback hooks; a rollback to a savepoint runs
        none, so after the commit the meeting is looked for in the database and deleted when
        no interview holds it.
        """
        token = client.token_getter(force_refresh=False)
        undo_client = ZoomClient(client.api_url, client.oauth_url, token_getter=lambda force_refresh=False: token)
        cr = self.env.cr
        cr.postrollback.add(partial(delete_orphan, undo_client, meeting.get("id")))
        released = cr.postcommit.data.setdefault(RELEASED_MEETINGS, set())
        cr.postcommit.add(partial(delete_if_unheld, self.env.registry, undo_client, meeting.get("id"), released))

    # -- outcomes
    def _issued(self, meeting):
        self.meeting = meeting
        self.state = "issued"
        self.reason = None
        self.retry_at = None
        if self.busy_starts and self.chosen_host_id:
            self.reason = _(
                "The chosen host %(host)s already hosts an overlapping Zoom meeting (%(dates)s), so candidates "
                "may not be able to join both. Choose another Zoom host if this one cannot be in both.",
                host=self.host["zoom_user_email"],
                dates=", ".join(sorted({start.strftime("%Y-%m-%d") for start in self.busy_starts})),
            )
        elif self.busy_starts and self.recurrence is None and self.meeting_type == 2:
            self.reason = _(
                "Every linked interviewer already hosts an overlapping Zoom meeting; %s hosts this one "
                "too, so candidates may not be able to join both.", self.host["zoom_user_email"],
            )
        elif self.busy_starts:
            self.reason = _(
                "Every linked interviewer already hosts overlapping Zoom meetings; %(host)s hosts this series "
                "too, so candidates may not be able to join both on %(dates)s.",
                host=self.host["zoom_user_email"],
                dates=", ".join(sorted({start.strftime("%Y-%m-%d") for start in self.busy_starts})),
            )

        if self.refused_settings:
            refused = _(
                "Created without the setting(s) %s: the company's Zoom account refused them (locked in Zoom or "
                "not on its plan). An administrator can see this on the Zoom connection.",
                ", ".join(self.account._meeting_setting_labels(self.refused_settings)),
            )
            self.reason = f"{self.reason} {refused}" if self.reason else refused

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
                "zoom_synced_schedule": schedule_fingerprint(self.schedule()),
                # What Zoom took: the other interviewers, unless it refused them.
                "zoom_alternative_hosts": (self.meeting.get("settings") or {}).get("alternative_hosts") or False,
            })
        elif self.state in ("pending", "failed"):
            values.update({
                "zoom_state": self.state,
                "zoom_state_reason": self.reason,
                "zoom_retry_at": self.retry_at or False,
                "zoom_host_zoom_user_id": (self.host or {}).get("zoom_user_id") or False,
            })
        return values

    @property
    def has_note(self):
        """Whether the run came to an outcome the chatter tells (see chatter_body)."""
        return self.state in ("issued", "pending", "failed")

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


def lock_chosen_hosts(chosen, busy, capacity, limited, lock):
    """Lock the hosts chosen for the plans (``chosen``: plan -> Zoom user id) with ``lock``, which
    returns the ones it could not lock. A host another save holds, or gave a meeting since this
    save began, is left out: its plans take another candidate free at their time, whose lock
    holds, or leave the meeting to the scheduled action (pending, in a moment)."""
    to_lock, unavailable = set(chosen.values()), set(limited)
    while to_lock:
        held = lock(list(to_lock))
        if not held:
            return
        unavailable |= held
        to_lock = set()
        for plan in [plan for plan, host in chosen.items() if host in held]:
            for intervals in busy.values():
                intervals[:] = [item for item in intervals if item[2] != plan.issue_key]
            host = plan.choose_free_host(busy, capacity, unavailable)
            if not host:
                plan.wait_for_host()
                chosen.pop(plan)
                continue
            chosen[plan] = host["zoom_user_id"]
            to_lock.add(host["zoom_user_id"])
            busy.setdefault(host["zoom_user_id"], []).extend((start, stop, plan.issue_key) for start, stop in plan.intervals)


def _daily_limit_reason():
    return _("Every linked interviewer has reached Zoom's limit of 100 meeting creations "
             "per day; the meeting will be issued after 00:00 UTC.")


def _next_utc_midnight():
    now = fields.Datetime.now()
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time())


def delete_orphan(client, meeting_id):
    try:
        client.delete_meeting(meeting_id)
        _logger.info("Deleted Zoom meeting %s of a transaction that was rolled back", meeting_id)
    except Exception:  # noqa: BLE001 - runs after the rollback, nothing may escape
        _logger.warning("Could not delete the Zoom meeting %s of a transaction that was rolled back", meeting_id)


def delete_if_unheld(registry, client, meeting_id, released):
    """After the commit: delete the meeting when no interview holds it (its creation was
    rolled back to a savepoint); ``released`` holds the meetings of interviews deleted on
    purpose, whose meetings follow the company's deletion option instead."""
    if str(meeting_id) in released:
        return
    try:
        with registry.cursor() as cr:
            cr.execute("SELECT 1 FROM calendar_event WHERE zoom_meeting_id = %s LIMIT 1", [str(meeting_id)])
            if cr.fetchone():
                return
    except Exception:  # noqa: BLE001 - runs after the commit, nothing may escape
        _logger.warning("Could not check whether the Zoom meeting %s is held by an interview", meeting_id)
        return
    delete_orphan(client, meeting_id)
