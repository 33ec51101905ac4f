"""Why an interview's meeting is in the state it is in, as a code with its values.

The policy says why; the record keeps the code and its values (JSON), and what a reader sees is
rendered in their own language when they read it (models/zoom_reason_texts.py), not in the
language of the save or the scheduled action that wrote it.
"""

import json
from typing import NamedTuple


class Reason(NamedTuple):
    code: str
    # Values of the text: names, e-mails, dates, counts, or nested reasons (as Reason).
    params: dict = {}


# A meeting the recruiter's chosen host cannot hold.
CHOSEN_NOT_LINKED = "chosen_not_linked"
CHOSEN_DAILY_LIMIT = "chosen_daily_limit"
CHOSEN_NOT_IN_ACCOUNT = "chosen_not_in_account"
CHOSEN_BUSY = "chosen_busy"
# Every candidate reached Zoom's daily limit of creations.
ALL_DAILY_LIMIT = "all_daily_limit"
# Another save was giving the same host a meeting.
HOST_HELD = "host_held"
# Every candidate hosts an overlapping meeting (one-off, or a series on some dates).
ALL_BUSY = "all_busy"
ALL_BUSY_SERIES = "all_busy_series"
# The organizer hosts although busy (the automatic choice could not do better).
ORGANIZER_BUSY = "organizer_busy"
# Settings the account refused (their keys), the meeting created without them.
SETTINGS_REFUSED = "settings_refused"
# Notes of a run.
HOST_DAILY_LIMIT = "host_daily_limit"
HOST_NOT_IN_ACCOUNT = "host_not_in_account"
ALTERNATIVE_HOSTS_REFUSED = "alternative_hosts_refused"
# Zoom's error (params: the error's own message, see zoom_reason_texts.error_reason), and the
# give-up after repeated failures (params: count, reason).
ZOOM_ERROR = "zoom_error"
FAILED_TIMES = "failed_times"
# Issuing by hand or by the check found nothing to issue with.
NO_LINKED_ATTENDEE = "no_linked_attendee"
ALLDAY = "allday"
NOT_CONNECTED = "not_connected"
# The meeting's life after issuing.
DELETED_IN_ZOOM = "deleted_in_zoom"
REMOVED_BY = "removed_by"
LOST_IN_ZOOM = "lost_in_zoom"
# A text written before reasons were kept as codes (databases of earlier versions).
TEXT = "text"


# The reasons that say the host already hosts an overlapping meeting.
HOST_BUSY = frozenset({CHOSEN_BUSY, ALL_BUSY, ALL_BUSY_SERIES, ORGANIZER_BUSY})


def without_host_busy(reasons):
    """These reasons but those saying the host is busy (its overlap is gone)."""
    return [reason for reason in reasons if reason.code not in HOST_BUSY]


def encode(reasons):
    """The JSON of a list of reasons, or False for none."""
    reasons = [reason for reason in reasons if reason]
    if not reasons:
        return False
    return json.dumps([_plain(reason) for reason in reasons], sort_keys=True, ensure_ascii=False)


def decode(value):
    """The reasons of a JSON text (``encode``'s), [] when empty or not ours."""
    if not value:
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return [Reason(TEXT, {"text": value})]
    return [_reason(item) for item in items if isinstance(item, list) and len(item) == 2]


def _plain(value):
    if isinstance(value, Reason):
        return [value.code, {key: _plain(item) for key, item in value.params.items()}]
    if isinstance(value, (list, tuple)):
        return {"list": [_plain(item) for item in value]}
    return value


def _reason(item):
    code, params = item
    return Reason(code, {key: _value(value) for key, value in (params or {}).items()})


def _value(value):
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], dict):
        return _reason(value)
    if isinstance(value, dict) and set(value) == {"list"}:
        return [_value(item) for item in value["list"]]
    return value
