"""The daily check of upcoming interviews' meetings against what Zoom holds: which are due, how
fast Zoom may be asked, and what differs."""

from datetime import timedelta

from .meeting_schedule import RECURRING_NO_FIXED_TIME

# Every meeting is read at least this often until its interview starts.
CHECK_EVERY = timedelta(days=1)
# Zoom's Light rate limit of the smallest plans (Free: 4 requests per second, Pro: 30, Business+: 80),
# shared with every other app of the account: the check never asks faster.
LIGHT_REQUESTS_PER_SECOND = 4
# Defaults of the connection's settings.
DEFAULT_HOURS_BEFORE = 3
DEFAULT_MAX_REQUESTS = 300


def check_due(now, start, checked_at, hours_before):
    """Whether a meeting whose interview starts at ``start`` is read now (naive UTC datetimes):
    once a day, and once more within the last ``hours_before`` hours before the start."""
    if start <= now:
        return False
    if not checked_at or checked_at <= now - CHECK_EVERY:
        return True
    last_window = start - timedelta(hours=hours_before)
    return hours_before > 0 and now >= last_window and checked_at < last_window


def pause_before_next(requests_done, elapsed_seconds, rate=LIGHT_REQUESTS_PER_SECOND):
    """Seconds to wait before the next request so that ``requests_done`` requests in
    ``elapsed_seconds`` stay within ``rate`` per second."""
    return max(0.0, requests_done / rate - elapsed_seconds)


def differences(expected, meeting, host_zoom_user_id):
    """What Zoom's ``meeting`` (GET /meetings/{id}) holds differently from the interview.

    ``expected``: the schedule herp_zoom would send (services.meeting_schedule). Returns a list of
    (key, expected value, Zoom's value) for the start, the duration and the host.
    """
    found = []
    if expected.get("type") != RECURRING_NO_FIXED_TIME and not expected.get("recurrence"):
        zoom_start = (meeting.get("start_time") or "").replace(".000", "")
        if expected.get("start_time") and zoom_start and zoom_start != expected["start_time"]:
            found.append(("start_time", expected["start_time"], zoom_start))
        if expected.get("duration") and meeting.get("duration") and meeting["duration"] != expected["duration"]:
            found.append(("duration", expected["duration"], meeting["duration"]))
    if host_zoom_user_id and meeting.get("host_id") and meeting["host_id"] != host_zoom_user_id:
        found.append(("host_id", host_zoom_user_id, meeting["host_id"]))
    return found
