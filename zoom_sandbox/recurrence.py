"""Occurrences of Zoom's recurring meetings with a fixed time (type 8), as Zoom computes them.

``recurrence``: type 1 daily, 2 weekly (``weekly_days`` "1".."7", 1 = Sunday), 3 monthly
(``monthly_day``, or ``monthly_week`` -1..4 with ``monthly_week_day`` 1..7); ``repeat_interval``;
ends after ``end_times`` occurrences (at most 60) or on ``end_date_time``, never both.
"""

import calendar
from datetime import datetime, timedelta, timezone

MAX_OCCURRENCES = 60


class RecurrenceError(ValueError):
    """A recurrence Zoom refuses (its message is Zoom's reason)."""


def check(recurrence):
    """Raise RecurrenceError for what the schema allows but Zoom still refuses."""
    if not isinstance(recurrence, dict) or recurrence.get("type") not in (1, 2, 3):
        raise RecurrenceError("A recurring meeting with a fixed time needs a recurrence of type 1, 2 or 3.")
    if recurrence.get("end_times") and recurrence.get("end_date_time"):
        raise RecurrenceError("end_times and end_date_time cannot be used together.")
    if recurrence["type"] == 2 and not recurrence.get("weekly_days"):
        raise RecurrenceError("weekly_days is required for a weekly recurrence.")
    if recurrence["type"] == 2 and not set(str(recurrence["weekly_days"]).split(",")) <= set("1234567"):
        raise RecurrenceError(f"Invalid weekly_days: {recurrence['weekly_days']}.")
    if recurrence["type"] == 3 and not (recurrence.get("monthly_day")
                                        or (recurrence.get("monthly_week") and recurrence.get("monthly_week_day"))):
        raise RecurrenceError("A monthly recurrence needs monthly_day, or monthly_week with monthly_week_day.")


def occurrences(start, duration, recurrence):
    """[{occurrence_id, start_time (UTC datetime), duration, status}] of a type 8 meeting starting at ``start``."""
    check(recurrence)
    interval = max(1, int(recurrence.get("repeat_interval") or 1))
    end_times = recurrence.get("end_times")
    end_times = MAX_OCCURRENCES if end_times in (None, 0) and not recurrence.get("end_date_time") else end_times
    end_times = min(int(end_times), MAX_OCCURRENCES) if end_times else MAX_OCCURRENCES
    until = _parse_utc(recurrence["end_date_time"]) if recurrence.get("end_date_time") else None
    found = []
    for when in _candidates(start, recurrence, interval):
        if (until and when > until) or len(found) >= end_times:
            break
        found.append({"occurrence_id": str(int(when.timestamp() * 1000)), "start_time": when,
                      "duration": duration, "status": "available"})
    return found


def _candidates(start, recurrence, interval):
    kind = recurrence["type"]
    for step in range(MAX_OCCURRENCES * 31):
        if kind == 1:
            yield start + timedelta(days=step * interval)
        elif kind == 2:
            week_start = start - timedelta(days=(start.weekday() + 1) % 7) + timedelta(weeks=step * interval)
            days = sorted(int(day) for day in str(recurrence["weekly_days"]).split(","))
            for day in days:
                when = week_start + timedelta(days=day - 1)
                if when >= start:
                    yield when
        else:
            month = start.month - 1 + step * interval
            year, month = start.year + month // 12, month % 12 + 1
            when = _monthly(year, month, recurrence, start)
            if when and when >= start:
                yield when


def _monthly(year, month, recurrence, start):
    last = calendar.monthrange(year, month)[1]
    if recurrence.get("monthly_day"):
        day = int(recurrence["monthly_day"])
        return start.replace(year=year, month=month, day=day) if day <= last else None
    weekday = (int(recurrence["monthly_week_day"]) - 2) % 7  # Zoom: 1 = Sunday; Python: 0 = Monday
    days = [day for day in range(1, last + 1) if calendar.weekday(year, month, day) == weekday]
    week = int(recurrence["monthly_week"])
    return start.replace(year=year, month=month, day=days[-1] if week == -1 else days[week - 1])


def _parse_utc(value):
    return datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
