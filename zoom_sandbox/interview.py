"""A held interview, played as Zoom plays it: its meeting starts, people join and leave, it ends,
then the AI Companion summary and the cloud recording are ready. Each step is a webhook signed
with the app's secret token (x-zm-signature, like Zoom), whose body is checked against Zoom's
description of the event first; the summary is kept so that GET /meetings/{uuid}/meeting_summary
answers it.

    POST /_sandbox/interviews/play {"url": ..., "secret_token": ..., "meeting_id": 81000000000,
        "participants": [{"name": "Chika", "email": "chika@example.com", "join": 2, "leave": 40}],
        "duration": 45, "summary": {"title": ..., "content": ...}, "recording": true}
"""

import base64
import json
import secrets
import time
from datetime import datetime, timedelta, timezone
from functools import cached_property
from urllib.parse import unquote

from jsonschema import Draft202012Validator

from .meetings import json_response as _json, utc_text as _utc
from .state import ZoomError
from .validation import ValidationFailed, default_openapi_dir

EVENTS_SPEC_FILE = "zoom-meeting-events-open-api-spec.json"


class InterviewApi:
    """Mixed into the sandbox's WSGI app (``self.state``, ``self.schemas``, ``self.send_webhook``)."""

    @cached_property
    def event_schemas(self):
        folder = getattr(self.schemas, "folder", None) or default_openapi_dir()
        webhooks = json.loads((folder / EVENTS_SPEC_FILE).read_text())["webhooks"]
        return {name: item["post"]["requestBody"]["content"]["application/json"]["schema"]
                for name, item in webhooks.items()}

    def check_event(self, body):
        """Raise ValidationFailed when ``body`` is not an event Zoom describes."""
        schema = self.event_schemas.get(body["event"])
        if schema is None:
            raise ValidationFailed(f"{body['event']} is not an event Zoom sends")
        errors = sorted(Draft202012Validator(schema).iter_errors(body), key=lambda error: list(error.path))
        if errors:
            raise ValidationFailed(f"{body['event']}: " + "; ".join(
                f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors[:5]))

    # ------------------------------------------------------------------ API v2
    def on_get_meeting_summary(self, request, meeting_key):
        grant = self._api(request, f"/meetings/{meeting_key}/meeting_summary")
        # Zoom's UUIDs holding "/" come encoded twice: the path converter leaves the second encoding.
        uuid = unquote(meeting_key)
        with self.state.lock:
            summary = self.state.summaries.get(uuid)
        if not summary or self.state.users[summary["meeting_host_id"]]["account_id"] != grant["account_id"]:
            raise ZoomError(404, 3001, f"Meeting summary does not exist: {uuid}.")
        return _json(summary)

    # ------------------------------------------------------------------ control
    def on_ctl_interview_play(self, request):
        spec = self._body(request)
        with self.state.lock:
            meeting = dict(self.state.meetings.get(int(spec.get("meeting_id") or 0)) or {})
        if not meeting:
            return _json({"code": 3001, "message": f"No sandbox meeting {spec.get('meeting_id')}"}, 404)
        try:
            played = self.play_interview(spec["url"], spec["secret_token"], meeting, spec)
        except ValidationFailed as failure:
            return _json({"code": 300, "message": f"Not an event Zoom sends: {failure}"}, 400)
        return _json(played)

    def play_interview(self, url, secret, meeting, spec):
        """Send the interview's events one after the other; the answers Odoo gave, by event."""
        start = _parse(spec.get("start_time")) or _parse(meeting.get("start_time")) or datetime.now(timezone.utc)
        end = start + timedelta(minutes=int(spec.get("duration") or meeting.get("duration") or 30))
        # Every instance of a recurring meeting has a UUID of its own.
        uuid = meeting["uuid"] if meeting.get("type") == 2 else base64.b64encode(secrets.token_bytes(16)).decode()
        host = self.state.users[meeting["host_id"]]
        account_id = host["account_id"]
        instance = {"id": str(meeting["id"]), "uuid": uuid, "host_id": host["id"], "topic": meeting["topic"],
                    "type": meeting["type"], "start_time": _utc(start), "timezone": meeting.get("timezone") or "UTC",
                    "duration": meeting.get("duration") or 30}
        steps = [("meeting.started", dict(instance, host_email=host["email"]), {})]
        for index, person in enumerate(spec.get("participants") or []):
            participant = {"user_id": str(16778240 + index), "user_name": person["name"],
                           "email": person.get("email") or "", "participant_uuid": f"sbx-participant-{index}"}
            if person.get("join") is None:
                continue
            steps.append(("meeting.participant_joined", dict(instance, participant=dict(
                participant, join_time=_utc(start + timedelta(minutes=person["join"])))), {}))
            leave = person.get("leave")
            left_at = start + timedelta(minutes=leave) if leave is not None else end
            steps.append(("meeting.participant_left", dict(instance, participant=dict(
                participant, leave_time=_utc(min(left_at, end)), leave_reason=f"{person['name']} left the meeting.")),
                {}))
        steps.append(("meeting.ended", dict(instance, host_email=host["email"], end_time=_utc(end)), {}))
        if spec.get("summary"):
            summary = self._store_summary(meeting, host, uuid, start, end, spec["summary"])
            steps.append(("meeting.summary_completed",
                          {key: value for key, value in summary.items() if key != "summary_last_modified_user_id"},
                          {}))
        if spec.get("recording"):
            steps.append(("recording.completed", self._recording(meeting, host, instance, start, end),
                          {"download_token": secrets.token_urlsafe(32)}))
        bodies = [{"event": event, "event_ts": int(time.time() * 1000) + number,
                   "payload": {"account_id": account_id, "object": obj}, **extra}
                  for number, (event, obj, extra) in enumerate(steps)]
        for body in bodies:
            self.check_event(body)
        deliveries = []
        for body in bodies:
            answer = self.send_webhook(url, secret, body["event"], body=body)
            deliveries.append({"event": body["event"], "status": answer["status"]})
        return {"uuid": uuid, "deliveries": deliveries}

    def _store_summary(self, meeting, host, uuid, start, end, summary):
        created = _utc(end + timedelta(minutes=2))
        stored = {
            "meeting_host_id": host["id"], "meeting_host_email": host["email"], "meeting_uuid": uuid,
            "meeting_id": int(meeting["id"]), "meeting_topic": meeting["topic"],
            "meeting_start_time": _utc(start), "meeting_end_time": _utc(end),
            "summary_start_time": _utc(start), "summary_end_time": _utc(end),
            "summary_created_time": created, "summary_last_modified_time": created,
            "summary_title": summary.get("title") or meeting["topic"],
            "summary_overview": summary.get("overview") or "", "summary_details": [], "next_steps": [],
            "summary_content": summary.get("content") or "",
        }
        with self.state.lock:
            self.state.summaries[uuid] = stored
        return stored

    def _recording(self, meeting, host, instance, start, end):
        base = "https://sandbox.zoom.example"
        return dict(
            {key: value for key, value in instance.items() if key != "id"},
            id=int(meeting["id"]), account_id=host["account_id"], host_email=host["email"], password="",
            duration=int((end - start).total_seconds() // 60), share_url=f"{base}/rec/share/{secrets.token_urlsafe(12)}",
            total_size=1048576, recording_count=1, recording_files=[{
                "id": secrets.token_hex(8), "meeting_id": instance["uuid"], "recording_start": _utc(start),
                "recording_end": _utc(end), "file_type": "MP4", "file_size": 1048576, "file_extension": "MP4",
                "play_url": f"{base}/rec/play/{secrets.token_urlsafe(12)}",
                "download_url": f"{base}/rec/download/{secrets.token_urlsafe(12)}",
                "status": "completed", "recording_type": "shared_screen_with_speaker_view",
            }],
        )


def _parse(value):
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
