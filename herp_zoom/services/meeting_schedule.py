"""What a Zoom meeting holds of its interview (topic, start, duration, time zone, recurrence),
as Zoom takes it, and how to tell whether it changed."""

import json

from .recurrence import RECURRING_NO_FIXED_TIME

TOPIC_MAX = 200
AGENDA_MAX = 2000
ISSUE_KEY_LABEL = "Odoo ref:"
# Zoom's longest scheduled duration, in minutes.
MAX_MEETING_MINUTES = 1440
# The values of a meeting that follow its interview; a change of any of them is sent to Zoom.
SCHEDULE_KEYS = ("topic", "type", "start_time", "duration", "timezone", "recurrence")


def meeting_schedule(topic, start, stop, tz, meeting_type=2, recurrence=None):
    """The schedule of a meeting from naive UTC ``start``/``stop``.

    The start is sent in UTC: a local wall time is ambiguous in the hour repeated when clocks
    go back. The time zone is kept for Zoom's display and its recurrence.
    """
    schedule = {"topic": topic[:TOPIC_MAX], "type": meeting_type, "timezone": tz}
    if meeting_type == RECURRING_NO_FIXED_TIME:
        return schedule
    schedule["start_time"] = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    # Zoom refuses a scheduled duration over 1440 minutes; the meeting itself can run longer.
    schedule["duration"] = min(MAX_MEETING_MINUTES, max(1, int(round((stop - start).total_seconds() / 60))))
    if recurrence:
        schedule["recurrence"] = recurrence
    return schedule


def schedule_fingerprint(schedule):
    """A stable text of the schedule values, to store what Zoom was last sent."""
    return json.dumps({key: schedule[key] for key in SCHEDULE_KEYS if key in schedule}, sort_keys=True)


def schedule_changed(schedule, fingerprint):
    return schedule_fingerprint(schedule) != (fingerprint or "")


def change_is_ours(meeting, fingerprint):
    """Whether the values of a ``meeting.updated`` notification are those herp_zoom last sent."""
    if not fingerprint:
        return False
    sent = json.loads(fingerprint)
    keys = [key for key in SCHEDULE_KEYS if key in meeting and key != "type"]
    return bool(keys) and all(meeting[key] == sent.get(key) for key in keys)


def meeting_agenda(description_text, issue_key):
    """The agenda: the interview's description and the reference that finds a lost meeting again."""
    reference = f"{ISSUE_KEY_LABEL} {issue_key}"
    if not description_text:
        return reference
    return description_text[: AGENDA_MAX - len(reference) - 2] + "\n\n" + reference
