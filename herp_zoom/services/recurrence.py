"""Odoo's recurrence rule of an interview as the recurrence of one Zoom meeting."""

from datetime import datetime, time

import pytz

# Zoom's meeting types for a series: with a fixed time (and Zoom's own recurrence), or a
# meeting whose link can be used at any time, for rules Zoom cannot express.
RECURRING_FIXED_TIME = 8
RECURRING_NO_FIXED_TIME = 3

ZOOM_MAX_OCCURRENCES = 60
# Zoom's largest repeat interval per kind of recurrence.
ZOOM_MAX_INTERVAL = {"daily": 99, "weekly": 50, "monthly": 10}
ZOOM_RECURRENCE_TYPE = {"daily": 1, "weekly": 2, "monthly": 3}
# Odoo's weekday fields in Zoom's numbering (1 is Sunday).
ZOOM_WEEKDAYS = {"sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7}
RULE_FIELDS = ("rrule_type", "interval", "end_type", "count", "until", "month_by", "day", "byday", "weekday",
               *ZOOM_WEEKDAYS)


def zoom_recurrence(rule, tz_name):
    """``(meeting type, recurrence)`` for Odoo's recurrence ``rule`` (a dict of the event's
    recurrence fields); ``recurrence`` is None for a meeting without fixed time."""
    no_fixed_time = (RECURRING_NO_FIXED_TIME, None)
    kind = rule.get("rrule_type")
    interval = int(rule.get("interval") or 1)
    if kind not in ZOOM_RECURRENCE_TYPE or not 1 <= interval <= ZOOM_MAX_INTERVAL[kind]:
        return no_fixed_time
    recurrence = {"type": ZOOM_RECURRENCE_TYPE[kind], "repeat_interval": interval}
    if kind == "weekly":
        days = sorted(number for day, number in ZOOM_WEEKDAYS.items() if rule.get(day))
        if not days:
            return no_fixed_time
        recurrence["weekly_days"] = ",".join(map(str, days))
    elif kind == "monthly":
        if rule.get("month_by") == "day":
            week = int(rule.get("byday") or 0)
            weekday = ZOOM_WEEKDAYS.get((rule.get("weekday") or "").lower()[:3])
            if week not in (-1, 1, 2, 3, 4) or not weekday:
                return no_fixed_time
            recurrence.update(monthly_week=week, monthly_week_day=weekday)
        else:
            day = int(rule.get("day") or 0)
            if not 1 <= day <= 31:
                return no_fixed_time
            recurrence["monthly_day"] = day
    end_type = rule.get("end_type")
    if end_type == "count" and 1 <= int(rule.get("count") or 0) <= ZOOM_MAX_OCCURRENCES:
        recurrence["end_times"] = int(rule["count"])
    elif end_type == "end_date" and rule.get("until"):
        tz = pytz.timezone(tz_name if tz_name in pytz.all_timezones_set else "UTC")
        last_minute = tz.localize(datetime.combine(rule["until"], time(23, 59)))
        recurrence["end_date_time"] = last_minute.astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        return no_fixed_time
    return RECURRING_FIXED_TIME, recurrence
