"""Which linked interviewer hosts a meeting: one free at every occurrence, within the
account's limit of concurrent meetings per host."""


def occurrences_over_capacity(busy, intervals, own_key, capacity):
    """The starts of ``intervals`` at which the host already holds ``capacity`` meetings."""
    over = []
    for start, stop in intervals:
        count = sum(1 for item in busy if item[0] < stop and item[1] > start and item[2] != own_key)
        if count >= capacity:
            over.append(start)
    return over


def choose_host(candidates, intervals, busy_by_host, capacity, limited, own_key):
    """``(host, overlapping starts)``: the first candidate free at every interval; when none
    is, the first one not limited, with the starts where it is busy. ``(None, [])`` when every
    candidate reached Zoom's daily limit."""
    free = [user for user in candidates if user["zoom_user_id"] not in limited]
    if not free:
        return None, []
    for user in free:
        if not occurrences_over_capacity(busy_by_host.get(user["zoom_user_id"], []), intervals, own_key, capacity):
            return user, []
    host = free[0]
    return host, occurrences_over_capacity(busy_by_host.get(host["zoom_user_id"], []), intervals, own_key, capacity)


def chosen_host_problem(chosen_id, candidates, intervals, busy_by_host, capacity, limited, own_key):
    """``(host, problem, overlapping starts)`` for the host a recruiter chose (a user id).

    ``problem``: ``"not_linked"`` when the chosen user is no linked attendee or organizer of the
    company's Zoom account, ``"daily_limit"`` when their Zoom user reached Zoom's daily limit,
    else None; the overlapping starts say where the chosen host is busy beyond ``capacity``.
    The chosen host is never replaced by another candidate.
    """
    host = next((user for user in candidates if user["id"] == chosen_id), None)
    if host is None:
        return None, "not_linked", []
    if host["zoom_user_id"] in limited:
        return host, "daily_limit", []
    busy = occurrences_over_capacity(busy_by_host.get(host["zoom_user_id"], []), intervals, own_key, capacity)
    return host, None, busy
