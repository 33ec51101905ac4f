"""What Zoom's webhooks tell about an interview once it is held: who joined, whether the
candidate came, which occurrence of a series it was, and the text of its summary.

Plain Python on plain values, so the rules are tested without a database.
"""

from datetime import datetime, timedelta, timezone

# The events that carry an interview's results, each one a Zoom event subscription.
ATTENDANCE_EVENTS = ("meeting.started", "meeting.participant_joined", "meeting.participant_left", "meeting.ended")
SUMMARY_EVENT = "meeting.summary_completed"
RECORDING_EVENT = "recording.completed"
RESULT_EVENTS = (*ATTENDANCE_EVENTS, SUMMARY_EVENT, RECORDING_EVENT)
# Granular scopes the results need beyond issuing (Zoom's descriptions of the events and of GET
# /meetings/{meetingId}/meeting_summary): participants' events, the summary, the recording's event.
RESULT_SCOPES = ("meeting:read:participant:admin", "meeting:read:summary:admin", "cloud_recording:read:recording:admin")
# Leaving the waiting room is not attending.
NOT_ATTENDED_LEAVE_REASONS = ("Leave waiting room.", "Removed by host from waiting room.")
# An instance of a recurring meeting belongs to the occurrence starting closest to it, within this.
OCCURRENCE_TOLERANCE = timedelta(hours=12)


def parse_zoom_time(value):
    """A naive UTC datetime from Zoom's "2026-11-26T10:00:00Z", or None for blank / malformed values."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def participant_key(participant):
    """What identifies one person across their join and leave deliveries."""
    for field in ("participant_uuid", "participant_user_id", "id", "user_id", "email", "user_name"):
        value = participant.get(field)
        if isinstance(value, (str, int)) and str(value).strip():
            return f"{field}:{str(value).strip().lower()}"
    return None


def normalize_name(name):
    return " ".join(str(name or "").casefold().split())


def match_partner(participant, attendees):
    """The attendee (id) a Zoom participant is: by e-mail first (the attendee's own or their
    linked Zoom user's), then by exact name; None if no attendee or several attendees fit.
    ``attendees`` is a list of (id, name, e-mails)."""
    email = str(participant.get("email") or "").strip().casefold()
    if email:
        by_email = {partner_id for partner_id, _name, emails in attendees
                    if email in {str(known).strip().casefold() for known in emails if known}}
        if len(by_email) == 1:
            return by_email.pop()
    name = normalize_name(participant.get("user_name"))
    if name:
        by_name = {partner_id for partner_id, partner_name, _emails in attendees
                   if normalize_name(partner_name) == name}
        if len(by_name) == 1:
            return by_name.pop()
    return None


def attendance_outcome(candidate_ids, interviewer_ids, attended_ids):
    """``(no_show, absent interviewer ids)`` once the meeting has ended: a no-show when there is
    a candidate and none of the candidates joined."""
    attended = set(attended_ids)
    no_show = bool(candidate_ids) and not attended & set(candidate_ids)
    absent = [partner_id for partner_id in interviewer_ids if partner_id not in attended]
    return no_show, absent


def pick_occurrence(occurrences, instance_start, tolerance=OCCURRENCE_TOLERANCE):
    """The id of the occurrence (id, start) an instance starting at ``instance_start`` belongs to.

    A single event is its own meeting's instance; of a series, the occurrence starting closest
    to the instance, if within ``tolerance`` (None otherwise, or without a start to compare)."""
    if len(occurrences) == 1:
        return occurrences[0][0]
    if not occurrences or not instance_start:
        return None
    occurrence_id, start = min(occurrences, key=lambda item: (abs(item[1] - instance_start), item[0]))
    return occurrence_id if abs(start - instance_start) <= tolerance else None


def summary_text(summary):
    """The summary's plain text from Zoom's meeting_summary answer: its content, or (older
    answers) its overview, details and next steps."""
    if summary.get("summary_content"):
        return str(summary["summary_content"]).strip()
    parts = []
    if summary.get("summary_overview"):
        parts.append(str(summary["summary_overview"]).strip())
    for detail in summary.get("summary_details") or []:
        if isinstance(detail, dict) and (detail.get("label") or detail.get("summary")):
            parts.append(f"{detail.get('label') or ''}: {detail.get('summary') or ''}".strip(": "))
    steps = [str(step).strip() for step in summary.get("next_steps") or [] if str(step).strip()]
    if steps:
        parts.append("\n".join(f"- {step}" for step in steps))
    return "\n\n".join(part for part in parts if part)


def format_duration(minutes):
    """"1:05" for 65 minutes."""
    minutes = max(int(minutes or 0), 0)
    return f"{minutes // 60}:{minutes % 60:02d}"
