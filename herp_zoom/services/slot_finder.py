"""Which interview slots are free: inside every interviewer's working hours, outside their busy
events and, when meetings are issued, where some linked interviewer can still host one (the rule
of issuing: at most ``capacity`` simultaneous meetings per Zoom user).

Every datetime is naive UTC, as Odoo stores them.
"""

from datetime import timedelta

from .host_choice import occurrences_over_capacity


def _inside(start, stop, intervals):
    return any(begin <= start and stop <= end for begin, end in intervals)


def _overlaps(start, stop, intervals):
    return any(begin < stop and end > start for begin, end, *_rest in intervals)


def slot_is_free(start, stop, working_by_person, busy_by_person, hosts=None, host_busy=None, capacity=1):
    """Whether ``[start, stop)`` suits every interviewer and, when ``hosts`` is given (meetings
    are issued), leaves one of these Zoom users room to host.

    ``working_by_person``: {person: [(start, stop)]}, every interviewer of the interview;
    ``busy_by_person``: {person: [(start, stop)]}; ``hosts``: Zoom user ids that may host,
    ``None`` when no meeting is issued; ``host_busy``: {zoom user id: [(start, stop, key)]}.
    """
    for person, working in working_by_person.items():
        if not _inside(start, stop, working) or _overlaps(start, stop, busy_by_person.get(person, ())):
            return False
    if hosts is None:
        return True
    host_busy = host_busy or {}
    return any(
        not occurrences_over_capacity(host_busy.get(host, []), [(start, stop)], None, max(capacity, 1))
        for host in hosts
    )


def free_slots(working_by_person, busy_by_person, duration, step=None, not_before=None, limit=200,
               hosts=None, host_busy=None, capacity=1):
    """The free slots of ``duration``, in order, starting on multiples of ``step`` (default: the
    duration, at most an hour) within the first interviewer's working intervals.

    Returns a list of (start, stop), at most ``limit`` of them.
    """
    if not working_by_person or duration <= timedelta(0):
        return []
    step = step or min(duration, timedelta(hours=1))
    reference = next(iter(working_by_person.values()))
    slots = []
    for begin, end in sorted(reference):
        start = _align(begin, step)
        if not_before and start < not_before:
            start = _align(not_before, step)
        while start + duration <= end:
            stop = start + duration
            if slot_is_free(start, stop, working_by_person, busy_by_person, hosts, host_busy, capacity):
                if not slots or slots[-1][0] != start:
                    slots.append((start, stop))
                    if len(slots) >= limit:
                        return slots
            start += step
    return slots


def _align(moment, step):
    """``moment`` rounded up to a multiple of ``step`` within its day."""
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    steps, rest = divmod(moment - midnight, step)
    return midnight + step * (steps + (1 if rest else 0))


def merge_intervals(intervals):
    """Overlapping or touching intervals joined, in order."""
    merged = []
    for start, stop in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def group_by_day(slots, to_local):
    """[(day, [(start, stop, local start, local stop)])] with ``to_local`` turning a UTC datetime
    into the candidate's local one; days in order."""
    days = {}
    for start, stop in sorted(slots):
        local_start = to_local(start)
        days.setdefault(local_start.date(), []).append((start, stop, local_start, to_local(stop)))
    return sorted(days.items())
