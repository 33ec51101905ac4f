"""One interview's way to a Zoom meeting, as policy: its candidates, the chosen host, the
request body, what each of Zoom's answers means and the retry rhythm. A recurring interview is
planned once, for all its occurrences.

Values in, values out: the records, the Zoom round trip, the cursor's hooks and the texts a
reader sees are the glue's (models/zoom_issuing.py, models/zoom_reason_texts.py).
"""

import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from ..utils.retry import MAX_ATTEMPTS, retry_delay
from . import reasons
from .host_choice import choose_host, chosen_host_problem, occurrences_over_capacity
from .meeting_schedule import meeting_agenda, meeting_schedule, schedule_fingerprint
from .reasons import Reason

MAX_ISSUE_ATTEMPTS = MAX_ATTEMPTS
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
    """``account_id``: the connection the meeting is issued with; ``vals``: the values the
    interview is created with (None for a saved one); ``event``: a PlannedEvent;
    ``candidates``: the linked users who may host (services.attendees.host_candidates);
    ``series``: (meeting type, Zoom recurrence, occurrence intervals) of a recurring interview;
    ``chosen_host_name``: the name of the chosen host, for the reasons that name them."""

    def __init__(self, account_id, vals, event, candidates, tz, series=None, chosen_host_name=None,
                 organizer_id=None):
        self.account_id = account_id
        self.organizer_id = organizer_id
        self.vals = vals
        self.event_id = event.event_id
        self.name = event.name or ""
        self.description = event.description
        self.start = event.start
        self.stop = event.stop
        self.tz = tz
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
        # Reasons the chatter note adds to the outcome (hosts skipped, settings dropped).
        self.notes = []
        self.chosen_host_id = event.chosen_host_id
        self.chosen_host_name = chosen_host_name
        # Company settings Zoom refused for this meeting, which was created without them.
        self.refused_settings = []
        # Whether the chatter note was told with the event's creation message.
        self.note_logged = False

    @property
    def host_busy(self):
        return bool(self.busy_starts)

    # -- host choice
    def choose_host(self, busy, capacity, limited, now):
        """The host: the chosen one (never another), else the first candidate free at every
        occurrence; ``limited``: the Zoom users at Zoom's daily limit of creations."""
        if self.chosen_host_id:
            self._take_chosen_host(busy, capacity, limited, now)
            return
        candidates = self.candidates
        if self.uncertain_host:
            # A retry after a request Zoom did not answer: that host first. Every save meanwhile
            # counted the interview as its meeting, so leaving it while it is free would leave
            # another interview on a busy host for nothing.
            candidates = sorted(candidates, key=lambda user: user["zoom_user_id"] != self.uncertain_host)
        self.host, self.busy_starts = choose_host(candidates, self.intervals, busy, capacity, limited,
                                                  self.issue_key)
        if not self.host:
            self.state = "pending"
            self.reason = Reason(reasons.ALL_DAILY_LIMIT)
            self.retry_at = next_utc_midnight(now)

    def _take_chosen_host(self, busy, capacity, limited, now):
        """The chosen host hosts, or the meeting waits and says why: never another host instead."""
        host, problem, busy_starts = chosen_host_problem(
            self.chosen_host_id, self.candidates, self.intervals, busy, capacity, limited, self.issue_key)
        if problem == "not_linked":
            self.state = "failed"
            self.reason = Reason(reasons.CHOSEN_NOT_LINKED, {"name": self.chosen_host_name or ""})
            return
        if problem == "daily_limit":
            self.state = "pending"
            self.reason = Reason(reasons.CHOSEN_DAILY_LIMIT, {"email": host["zoom_user_email"]})
            self.retry_at = next_utc_midnight(now)
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

    def wait_for_host(self, now):
        """Another save is giving the chosen host a meeting: the scheduled action chooses again
        in a moment, with that meeting in view. Not a failure of Zoom's: no attempt is counted."""
        self.host = None
        self.busy_starts = []
        self.state = "pending"
        self.reason = Reason(reasons.HOST_HELD)
        self.retry_at = now + HOST_WAIT_RETRY

    def hosts_to_try(self, limited):
        """The hosts to ask Zoom with, in order: the chosen one alone, else the host then the other
        candidates not at the daily limit."""
        if self.chosen_host_id:
            return [self.host]
        return [self.host] + [user for user in self.candidates
                              if user is not self.host and user["zoom_user_id"] not in limited]

    # -- the request body
    def schedule(self, default_topic):
        return meeting_schedule(self.name or default_topic, self.start, self.stop, self.tz,
                                self.meeting_type, self.recurrence)

    def meeting_body(self, default_topic, agenda_text, template_id, settings):
        """The create request: the schedule, the agenda (the interview's description as text, with
        the reference that finds a lost meeting), the company's template or settings, and the
        other candidates as alternative hosts."""
        body = dict(self.schedule(default_topic), agenda=meeting_agenda(agenda_text or "", self.issue_key))
        if template_id:
            body["template_id"] = template_id
        settings = {key: value for key, value in settings.items() if key not in self.refused_settings}
        body.update(self.with_alternative_hosts(settings))
        return body

    def with_alternative_hosts(self, settings):
        """``{"settings": ...}`` with the other candidates as alternative hosts, or {} when empty."""
        settings = dict(settings)
        alternative_hosts = [
            user["zoom_user_email"] for user in self.candidates
            if user["zoom_user_id"] != self.host["zoom_user_id"] and user["zoom_user_email"]
        ]
        if alternative_hosts:
            settings["alternative_hosts"] = ";".join(alternative_hosts)
        return {"settings": settings} if settings else {}

    def refuse_setting(self, body, setting):
        """Zoom refused ``setting`` (locked in the account or not on its plan): the body without it."""
        drop_setting(body, setting)
        self.refused_settings.append(setting)

    # -- outcomes of Zoom's answers
    def issued(self, meeting):
        self.meeting = meeting
        self.state = "issued"
        self.retry_at = None
        found = []
        if self.busy_starts and self.chosen_host_id:
            found.append(Reason(reasons.CHOSEN_BUSY, {"email": self.host["zoom_user_email"],
                                                      "dates": self._busy_dates()}))
        elif self.busy_starts and self.host["id"] == self.organizer_id:
            # The organizer hosts (first in line) although busy: no other linked interviewer was free.
            found.append(Reason(reasons.ORGANIZER_BUSY, {"email": self.host["zoom_user_email"],
                                                         "dates": self._busy_dates()}))
        elif self.busy_starts and self.recurrence is None and self.meeting_type == 2:
            found.append(Reason(reasons.ALL_BUSY, {"email": self.host["zoom_user_email"]}))
        elif self.busy_starts:
            found.append(Reason(reasons.ALL_BUSY_SERIES, {"email": self.host["zoom_user_email"],
                                                          "dates": self._busy_dates()}))
        if self.refused_settings:
            found.append(Reason(reasons.SETTINGS_REFUSED, {"settings": list(self.refused_settings)}))
        self.reason = found or None

    def _busy_dates(self):
        return ", ".join(sorted({start.strftime("%Y-%m-%d") for start in self.busy_starts}))

    def host_at_daily_limit(self, error_reason, reset_at, now):
        """Zoom says the host reached its daily limit: noted; the next host is tried, or the
        meeting waits until the limit resets."""
        self.notes.append(Reason(reasons.HOST_DAILY_LIMIT, {"email": self.host["zoom_user_email"]}))
        self.pending(error_reason, None, now, retry_at=reset_at)

    def host_not_in_account(self, error_reason):
        """Zoom says the host is no user of the account: noted; the next host is tried."""
        self.notes.append(Reason(reasons.HOST_NOT_IN_ACCOUNT, {"email": self.host["zoom_user_email"]}))
        self.failed(error_reason)
        if self.chosen_host_id:
            self.reason = Reason(reasons.CHOSEN_NOT_IN_ACCOUNT, {"email": self.host["zoom_user_email"]})

    def alternative_hosts_refused(self):
        self.notes.append(Reason(reasons.ALTERNATIVE_HOSTS_REFUSED))

    def pending(self, error_reason, retry_after, now, retry_at=None):
        """Zoom failed in a way a later try may not: wait with backoff (Zoom's Retry-After
        honoured), or give up after the last attempt."""
        self.attempts += 1
        if self.attempts >= MAX_ISSUE_ATTEMPTS:
            self.failed(Reason(reasons.FAILED_TIMES, {"count": self.attempts, "reason": error_reason}))
            return
        self.state = "pending"
        self.reason = error_reason
        self.retry_at = retry_at or now + retry_delay(self.attempts, retry_after)

    def failed(self, error_reason):
        self.state = "failed"
        self.reason = error_reason
        self.retry_at = None

    def after_every_host(self, limited, now):
        """Every host was tried: when each one is at the daily limit, the meeting waits for 00:00 UTC."""
        if (self.state == "pending" and not self.chosen_host_id
                and all(user["zoom_user_id"] in limited for user in self.candidates)):
            self.reason = Reason(reasons.ALL_DAILY_LIMIT)
            self.retry_at = next_utc_midnight(now)

    # -- what the interview records
    def result_values(self, default_topic):
        values = {
            "zoom_issue_key": self.issue_key,
            "zoom_account_id": self.account_id,
            "zoom_issue_attempts": self.attempts,
            "zoom_uncertain_host": self.uncertain_host or False,
        }
        found = self.reason if isinstance(self.reason, list) else [self.reason]
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
                "zoom_state_reason_codes": reasons.encode(found),
                "zoom_retry_at": False,
                "zoom_uncertain_host": False,
                "zoom_synced_schedule": schedule_fingerprint(self.schedule(default_topic)),
                # What Zoom took: the other interviewers, unless it refused them.
                "zoom_alternative_hosts": (self.meeting.get("settings") or {}).get("alternative_hosts") or False,
            })
        elif self.state in ("pending", "failed"):
            values.update({
                "zoom_state": self.state,
                "zoom_state_reason_codes": reasons.encode(found),
                "zoom_retry_at": self.retry_at or False,
                "zoom_host_zoom_user_id": (self.host or {}).get("zoom_user_id") or False,
            })
        return values

    @property
    def has_note(self):
        """Whether the run came to an outcome the chatter tells."""
        return self.state in ("issued", "pending", "failed")

    @property
    def reasons(self):
        """The outcome's reasons, as a list."""
        if not self.reason:
            return []
        return list(self.reason) if isinstance(self.reason, list) else [self.reason]


def drop_setting(body, setting):
    body["settings"].pop(setting)
    if not body["settings"]:
        body.pop("settings")


def lock_chosen_hosts(chosen, busy, capacity, limited, lock, now):
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
                plan.wait_for_host(now)
                chosen.pop(plan)
                continue
            chosen[plan] = host["zoom_user_id"]
            to_lock.add(host["zoom_user_id"])
            busy.setdefault(host["zoom_user_id"], []).extend((start, stop, plan.issue_key) for start, stop in plan.intervals)


def next_utc_midnight(now):
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
