"""Zoom's meeting operations in the sandbox: create, list, get, update and delete, with the
occurrences of recurring meetings (type 8) and the per-user daily limit."""

import base64
import hashlib
import json
import secrets
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Response

from . import recurrence as recurrence_rules
from .state import ZoomError

FIELDS_ON_PATCH = ("topic", "start_time", "duration", "timezone", "agenda", "password", "settings", "type",
                   "recurrence")


def json_response(body, status=200, headers=None):
    return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")


def utc_text(value):
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_json = json_response
_utc = utc_text


class MeetingsApi:
    """Mixed into the sandbox's WSGI app, which gives ``state``, ``_api``, ``_body``, ``_page``
    and ``send_webhook``."""

    def on_create_meeting(self, request, user_key):
        grant = self._api(request, f"/users/{user_key}/meetings")
        host = self.state.user_for_grant(grant, user_key)
        body = self._body(request)
        account = self.state.accounts[host["account_id"]]
        settings = self._meeting_settings(host, body)
        alternative_hosts = [email for email in (settings.get("alternative_hosts") or "").split(";") if email]
        for email in alternative_hosts:
            user = self.state.find_user(email)
            if not user or user["account_id"] != host["account_id"] or user["type"] != 2:
                raise ZoomError(400, 1114, f"Invalid alternative host email: {email}.")
        tz = body.get("timezone") or host.get("timezone") or "UTC"
        start = self._start_utc(body.get("start_time"), tz)
        kind = body.get("type", 2)
        occurrences = self._occurrences(start, tz, body.get("duration", 60), body.get("recurrence")) if kind == 8 else None
        self.state.count_create_or_update(host)
        meeting_id = self.state.new_meeting_id()
        password = body.get("password") or (secrets.token_urlsafe(6)[:8] if account.get("require_passcode") else "")
        base = request.host_url.rstrip("/")
        encrypted = base64.urlsafe_b64encode(hashlib.sha256(f"{meeting_id}:{password}".encode()).digest()[:24])
        join_url = f"{base}/j/{meeting_id}" + (f"?pwd={encrypted.decode().rstrip('=')}.1" if password else "")
        meeting = {
            "uuid": base64.b64encode(secrets.token_bytes(16)).decode(),
            "id": meeting_id,
            "host_id": host["id"],
            "host_email": host["email"],
            "topic": body.get("topic") or "Zoom Meeting",
            "type": body.get("type", 2),
            "status": "waiting",
            "start_time": _utc(start),
            "duration": body.get("duration", 60),
            "timezone": tz,
            "agenda": body.get("agenda", ""),
            "created_at": _utc(datetime.now(timezone.utc)),
            "start_url": f"{base}/s/{meeting_id}?zak=" + secrets.token_urlsafe(24),
            "join_url": join_url,
            "password": password,
            "h323_password": "".join(ch for ch in password if ch.isdigit()) or "000000",
            "pstn_password": "".join(ch for ch in password if ch.isdigit()) or "000000",
            "encrypted_password": encrypted.decode().rstrip("="),
            "settings": dict(settings, alternative_hosts=";".join(alternative_hosts)),
            "pre_schedule": False,
        }
        if kind in (3, 8) and body.get("recurrence"):
            meeting["recurrence"] = dict(body["recurrence"])
        if kind == 8:
            meeting["occurrences"] = occurrences
        if kind == 3:
            del meeting["start_time"]  # a recurring meeting with no fixed time has none
        with self.state.lock:
            self.state.meetings[meeting_id] = meeting
        return _json(meeting, 201)

    def _occurrences(self, start, tz, duration, recurrence):
        """Zoom's occurrences of a type 8 meeting, computed on the meeting's local calendar."""
        try:
            found = recurrence_rules.occurrences(start.astimezone(ZoneInfo(tz)), duration, recurrence)
        except recurrence_rules.RecurrenceError as refused:
            raise ZoomError(400, 300, f"Validation Failed. {refused}") from None
        return [dict(occurrence, start_time=_utc(occurrence["start_time"])) for occurrence in found]

    def _occurrence(self, meeting, occurrence_id):
        occurrence = next((item for item in meeting.get("occurrences") or []
                           if item["occurrence_id"] == occurrence_id and item["status"] == "available"), None)
        if occurrence is None:
            raise ZoomError(400, 3000, f"Invalid occurrence_id: {occurrence_id}.")
        return occurrence

    def _start_utc(self, start_time, tz):
        if not start_time:
            return datetime.now(timezone.utc)
        if start_time.endswith("Z"):
            return datetime.strptime(start_time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        local = datetime.strptime(start_time[:19], "%Y-%m-%dT%H:%M:%S")
        return local.replace(tzinfo=ZoneInfo(tz))

    def on_list_meetings(self, request, user_key):
        grant = self._api(request, f"/users/{user_key}/meetings")
        host = self.state.user_for_grant(grant, user_key)
        now = _utc(datetime.now(timezone.utc) - timedelta(hours=1))
        meetings = [
            {key: meeting[key] for key in ("uuid", "id", "host_id", "topic", "type", "start_time", "duration",
                                           "timezone", "created_at", "join_url") if key in meeting}
            | {"agenda": meeting["agenda"][:250]}
            for meeting in sorted(self.state.meetings.values(), key=lambda m: m.get("start_time", ""))
            if meeting["host_id"] == host["id"]
            and (request.args.get("type") not in ("upcoming", "upcoming_meetings")
                 or meeting.get("start_time", now) >= now)
        ]
        return _json(self._page(request, meetings, "meetings"))

    def _meeting_for(self, grant, meeting_id):
        with self.state.lock:
            meeting = self.state.meetings.get(int(meeting_id)) if str(meeting_id).isdigit() else None
        if not meeting or self.state.users[meeting["host_id"]]["account_id"] != grant["account_id"]:
            raise ZoomError(404, 3001, f"Meeting does not exist: {meeting_id}.")
        return meeting

    def on_get_meeting(self, request, meeting_id):
        grant = self._api(request, f"/meetings/{meeting_id}")
        meeting = self._meeting_for(grant, meeting_id)
        if request.args.get("occurrence_id"):
            occurrence = self._occurrence(meeting, request.args["occurrence_id"])
            meeting = dict(meeting, start_time=occurrence["start_time"], duration=occurrence["duration"],
                           occurrences=[occurrence])
        return _json(meeting)

    def on_patch_meeting(self, request, meeting_id):
        grant = self._api(request, f"/meetings/{meeting_id}")
        meeting = self._meeting_for(grant, meeting_id)
        body = self._body(request)
        occurrence_id = request.args.get("occurrence_id")
        if occurrence_id:
            occurrence = self._occurrence(meeting, occurrence_id)
            self.state.count_create_or_update(self.state.users[meeting["host_id"]])
            with self.state.lock:
                if "start_time" in body:
                    occurrence["start_time"] = _utc(self._start_utc(body["start_time"], meeting["timezone"]))
                occurrence["duration"] = body.get("duration", occurrence["duration"])
            return Response(status=204)
        self._refuse_locked(self.state.users[meeting["host_id"]], body.get("settings") or {})
        new_host = self._schedule_for(meeting, body["schedule_for"]) if body.get("schedule_for") else None
        changed = dict(meeting, **{key: body[key] for key in FIELDS_ON_PATCH if key in body and key != "settings"})
        if changed["type"] == 8 and {"recurrence", "start_time", "duration", "timezone", "type"} & set(body):
            start = self._start_utc(body.get("start_time") or meeting.get("start_time"), changed["timezone"])
            meeting_occurrences = self._occurrences(start, changed["timezone"], changed["duration"],
                                                    changed.get("recurrence"))
        else:
            meeting_occurrences = meeting.get("occurrences")
        self.state.count_create_or_update(self.state.users[meeting["host_id"]])
        with self.state.lock:
            if meeting_occurrences is not None and changed["type"] == 8:
                meeting["occurrences"] = meeting_occurrences
            for key in FIELDS_ON_PATCH:
                if key == "settings" and key in body:
                    meeting["settings"].update(body["settings"])
                elif key in body:
                    meeting[key] = body[key]
            if "start_time" in body:
                meeting["start_time"] = _utc(self._start_utc(body["start_time"], meeting["timezone"]))
            if new_host:
                meeting["host_id"], meeting["host_email"] = new_host["id"], new_host["email"]
        return Response(status=204)

    def on_delete_meeting(self, request, meeting_id):
        grant = self._api(request, f"/meetings/{meeting_id}")
        meeting = self._meeting_for(grant, meeting_id)
        if request.args.get("occurrence_id"):
            occurrence = self._occurrence(meeting, request.args["occurrence_id"])
            with self.state.lock:
                occurrence["status"] = "deleted"
            return Response(status=204)
        with self.state.lock:
            self.state.meetings.pop(meeting["id"], None)
        config = self.state.config
        if config.get("webhook_url") and config.get("webhook_secret"):
            operator = self.state.users.get(grant["user_id"]) if grant["user_id"] else None
            threading.Thread(target=self.send_webhook, daemon=True, kwargs={
                "url": config["webhook_url"], "secret": config["webhook_secret"], "event": "meeting.deleted",
                "meeting": meeting, "operator": operator}).start()
        return Response(status=204)
