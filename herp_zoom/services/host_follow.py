"""Who hosts an issued meeting once its interview changed: the host follows the linked
interviewers, and the alternative hosts follow the attendees."""

from typing import NamedTuple

from .host_choice import choose_host

# The host is still on the interview, linked to the same Zoom user: nothing to hand over.
KEEP = "keep"
# The host left (removed from the interview, archived or unlinked): another linked interviewer hosts.
HAND_OVER = "hand_over"
# The host the recruiter chose left: only the recruiter chooses another one.
CHOSEN_LEFT = "chosen_left"
# No linked interviewer is left, or every one reached Zoom's daily limit: the meeting stays as it is.
NOBODY_LEFT = "nobody_left"


class RosterUpdate(NamedTuple):
    outcome: str
    # The user (dict of host_candidates) who hosts after the update: the same one unless handed over.
    host: dict | None
    # What Zoom should hold as alternative hosts ("a;b"), or None to leave them as they are.
    alternative_hosts: str | None


def alternative_hosts_text(candidates, host_zoom_user_id):
    """The other candidates' Zoom e-mails, each once, in the candidates' order."""
    emails = [user["zoom_user_email"] for user in candidates
              if user["zoom_user_id"] != host_zoom_user_id and user["zoom_user_email"]]
    return ";".join(dict.fromkeys(emails))


def roster_update(current_host, chosen_id, candidates, intervals, busy_by_host, capacity, limited, own_key):
    """What the meeting's hosts become now.

    ``current_host``: {"id", "zoom_user_id"} of the user hosting at Zoom (None when unknown).
    ``candidates``: the linked users who may host, as ``attendees.host_candidates`` orders them.
    ``chosen_id``: the host the recruiter chose (a user id), replaced only by the recruiter.
    ``busy_by_host``, ``capacity``, ``limited``: as for issuing (``host_choice.choose_host``).
    """
    present = current_host and any(user["id"] == current_host["id"] and user["zoom_user_id"] ==
                                   current_host["zoom_user_id"] for user in candidates)
    if present:
        host = next(user for user in candidates if user["id"] == current_host["id"])
        return RosterUpdate(KEEP, host, alternative_hosts_text(candidates, host["zoom_user_id"]))
    if current_host and chosen_id == current_host["id"]:
        return RosterUpdate(CHOSEN_LEFT, None, None)
    host, _busy_starts = choose_host(candidates, intervals, busy_by_host, capacity, limited, own_key)
    if not host:
        return RosterUpdate(NOBODY_LEFT, None, None)
    return RosterUpdate(HAND_OVER, host, alternative_hosts_text(candidates, host["zoom_user_id"]))
