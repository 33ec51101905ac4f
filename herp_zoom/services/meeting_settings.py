"""The ``settings`` of an interview's Zoom meeting, from the company's choices.

Each choice is Zoom's own default (the setting is left out of the request, so the host's
and the account's settings apply), or a value sent under Zoom's own field name.
"""

ZOOM_DEFAULT = "zoom"
ON, OFF = "on", "off"
# Zoom's field names (``settings`` of "Create a meeting"), in the order the settings show them.
BOOLEAN_SETTINGS = (
    "waiting_room",
    "join_before_host",
    "mute_upon_entry",
    "host_video",
    "participant_video",
    "meeting_authentication",
    "auto_start_deepfake_detection",
    "auto_start_meeting_summary",
)
AUTO_RECORDING = "auto_recording"
AUTO_RECORDING_VALUES = ("none", "local", "cloud")
JBH_TIME = "jbh_time"
JBH_TIME_VALUES = (0, 5, 10, 15)
SETTING_KEYS = (*BOOLEAN_SETTINGS, AUTO_RECORDING)
# What an interview needs: candidates wait for the interviewer, nothing is recorded.
INTERVIEW_DEFAULTS = {
    "waiting_room": ON,
    "join_before_host": OFF,
    "mute_upon_entry": ON,
    "host_video": ON,
    "participant_video": ON,
    "meeting_authentication": ZOOM_DEFAULT,
    "auto_start_deepfake_detection": ON,
    "auto_start_meeting_summary": OFF,
    AUTO_RECORDING: "none",
}


def settings_body(choices, left_out=()):
    """The ``settings`` values to send: ``choices`` maps each Zoom field name to ``"zoom"``
    (Zoom's default: not sent), ``"on"`` / ``"off"``, or the recording mode; ``jbh_time`` is
    the minutes before the start participants may join (sent with join before host on).
    ``left_out``: settings the account refused, never sent again."""
    body = {}
    for key in BOOLEAN_SETTINGS:
        choice = choices.get(key) or ZOOM_DEFAULT
        if choice in (ON, OFF) and key not in left_out:
            body[key] = choice == ON
    recording = choices.get(AUTO_RECORDING) or ZOOM_DEFAULT
    if recording in AUTO_RECORDING_VALUES and AUTO_RECORDING not in left_out:
        body[AUTO_RECORDING] = recording
    if body.get("join_before_host") and JBH_TIME not in left_out:
        minutes = int(choices.get(JBH_TIME) or 0)
        if minutes in JBH_TIME_VALUES:
            body[JBH_TIME] = minutes
    return body


def parse_refused(text):
    """The setting names of a stored comma-separated list."""
    return [name for name in (text or "").split(",") if name]


def refused_setting(error_body, sent_settings):
    """The sent setting a Zoom error names, or None.

    Zoom answers a field it does not take with ``{"code": 300, "message": ..., "errors":
    [{"field": "settings.<name>", "message": ...}]}``; some answers only name it in the
    message. Alternative hosts are not a company setting and are handled on their own.
    """
    if not isinstance(error_body, dict):
        return None
    candidates = [key for key in sent_settings if key != "alternative_hosts"]
    for item in error_body.get("errors") or []:
        field = str((item or {}).get("field") or "") if isinstance(item, dict) else ""
        name = field.split(".")[-1]
        if name in candidates:
            return name
    message = str(error_body.get("message") or "")
    # The longest name first: "join_before_host" is not mistaken for a shorter one.
    for key in sorted(candidates, key=len, reverse=True):
        if key in message:
            return key
    return None
