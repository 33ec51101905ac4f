"""Who may host an interview's meeting, from the event's values."""

from odoo.fields import Command


def partner_ids_from_commands(commands):
    """Partner ids, in order, from x2many commands or a plain list of ids."""
    ids = []
    for command in commands or []:
        if isinstance(command, int):
            ids.append(command)
        elif isinstance(command, (list, tuple)) and command:
            if command[0] == Command.LINK:
                ids.append(command[1])
            elif command[0] == Command.SET:
                ids = list(command[2] or [])
            elif command[0] in (Command.UNLINK, Command.DELETE):
                ids = [pid for pid in ids if pid != command[1]]
            elif command[0] == Command.CLEAR:
                ids = []
    return list(dict.fromkeys(ids))


def attendee_partner_ids(vals):
    """The partners of the values' partner and attendee commands."""
    return partner_ids_from_commands(vals.get("partner_ids")) + [
        command[2]["partner_id"] for command in vals.get("attendee_ids") or []
        if isinstance(command, (list, tuple)) and command[0] == Command.CREATE and command[2].get("partner_id")
    ]


def host_candidates(linked_users, partner_ids, organizer_id, chosen_id=None):
    """The linked users that may host, the chosen host (a user the recruiter picked) first, then
    the organizer; one Zoom user counts once.

    ``linked_users``: dicts with id, partner_id, zoom_user_id, zoom_user_email.
    """
    by_user = {user["id"]: user for user in linked_users}
    attendees = [user for pid in partner_ids for user in linked_users if user["partner_id"] == pid]
    if not attendees:
        return []
    candidates = [by_user[user_id] for user_id in (chosen_id, organizer_id) if user_id in by_user] + attendees
    seen, unique = set(), []
    for user in candidates:
        if user["zoom_user_id"] not in seen:
            seen.add(user["zoom_user_id"])
            unique.append(user)
    return unique
