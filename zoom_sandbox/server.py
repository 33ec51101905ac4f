"""A Zoom on loopback: OAuth, the API v2 operations herp_zoom uses, webhooks, faults on demand.

    srv = SandboxServer(port=0).start()
    srv.api_url      # http://127.0.0.1:PORT/v2   -> herp_zoom.api_url
    srv.oauth_url    # http://127.0.0.1:PORT      -> herp_zoom.oauth_url
    srv.stop()

Control endpoints (JSON, no auth, loopback only) live under ``/_sandbox``.
"""

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
import socket
import threading
import time
from datetime import datetime, timezone
from html import escape
from urllib.parse import urlencode, urlsplit

import requests
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .interview import InterviewApi
from .meeting_options import MeetingOptionsApi
from .meetings import MeetingsApi, json_response as _json, utc_text as _utc
from .random_faults import random_fault
from .state import CONCURRENT_MEETING_OPTIONS, SandboxState, ZoomError
from .validation import UnknownOperation, ValidationFailed, ZoomSchemas

_logger = logging.getLogger(__name__)



def _zoom_error(error):
    if error.code is None:  # OAuth endpoints answer in OAuth's shape
        kind = "invalid_client" if error.status == 401 else "invalid_grant"
        return _json({"reason": error.message, "error": kind}, error.status, error.headers)
    body = {"code": error.code, "message": error.message}
    if error.errors:
        body["errors"] = error.errors
    return _json(body, error.status, error.headers)


def _api_path(request):
    """The path after /v2 with an encoded "/" (in a meeting UUID) kept inside its segment."""
    raw = urlsplit(request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or "").path
    path = raw if raw.startswith("/v2/") and raw.count("/") != request.path.count("/") else request.path
    return path[len("/v2"):]


class SandboxApp(MeetingsApi, InterviewApi, MeetingOptionsApi):
    def __init__(self, state, schemas):
        self.state = state
        self.schemas = schemas
        self.url_map = Map([
            Rule("/oauth/authorize", endpoint="authorize", methods=["GET"]),
            Rule("/oauth/authorize/decide", endpoint="authorize_decide", methods=["POST"]),
            Rule("/oauth/token", endpoint="token", methods=["POST"]),
            Rule("/oauth/revoke", endpoint="revoke", methods=["POST"]),
            Rule("/v2/users", endpoint="list_users", methods=["GET"]),
            Rule("/v2/users", endpoint="create_user", methods=["POST"]),
            Rule("/v2/users/<user_key>", endpoint="get_user", methods=["GET"]),
            Rule("/v2/users/<user_key>/settings", endpoint="get_user_settings", methods=["GET"]),
            Rule("/v2/users/<user_key>/meetings", endpoint="create_meeting", methods=["POST"]),
            Rule("/v2/users/<user_key>/meetings", endpoint="list_meetings", methods=["GET"]),
            Rule("/v2/users/<user_key>/meeting_templates", endpoint="list_meeting_templates", methods=["GET"]),
            Rule("/v2/meetings/<meeting_id>", endpoint="get_meeting", methods=["GET"]),
            Rule("/v2/meetings/<meeting_id>", endpoint="patch_meeting", methods=["PATCH"]),
            Rule("/v2/meetings/<meeting_id>", endpoint="delete_meeting", methods=["DELETE"]),
            Rule("/v2/meetings/<path:meeting_key>/meeting_summary", endpoint="get_meeting_summary", methods=["GET"]),
            Rule("/j/<meeting_id>", endpoint="join_page", methods=["GET"]),
            Rule("/_sandbox/state", endpoint="ctl_state", methods=["GET"]),
            Rule("/_sandbox/meetings", endpoint="ctl_meetings", methods=["GET"]),
            Rule("/_sandbox/requests", endpoint="ctl_requests", methods=["GET"]),
            Rule("/_sandbox/reset", endpoint="ctl_reset", methods=["POST"]),
            Rule("/_sandbox/config", endpoint="ctl_config", methods=["POST"]),
            Rule("/_sandbox/faults", endpoint="ctl_faults", methods=["POST", "DELETE"]),
            Rule("/_sandbox/tokens/expire", endpoint="ctl_expire", methods=["POST"]),
            Rule("/_sandbox/meetings/<int:meeting_id>/vanish", endpoint="ctl_meeting_vanish", methods=["POST"]),
            Rule("/_sandbox/meetings/<int:meeting_id>/edit", endpoint="ctl_meeting_edit", methods=["POST"]),
            Rule("/_sandbox/webhooks/send", endpoint="ctl_webhook_send", methods=["POST"]),
            Rule("/_sandbox/webhooks/validate", endpoint="ctl_webhook_validate", methods=["POST"]),
            Rule("/_sandbox/interviews/play", endpoint="ctl_interview_play", methods=["POST"]),
        ])

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request):
        adapter = self.url_map.bind_to_environ(request.environ)
        control = request.path.startswith("/_sandbox")
        api = request.path.startswith("/v2/")
        if api:
            # What Zoom would refuse is refused before any injected fault: a test passing here
            # means the same request is one Zoom takes.
            refusal = self._check_request(request)
            if refusal is not None:
                return self._log(request, refusal, contract_violation=True)
        fault = None if control else self._take_fault(request)
        if not control and self.state.config["latency"]:
            time.sleep(float(self.state.config["latency"]))
        if fault and not fault.get("after"):
            response = self._apply_fault(fault, request)
            if response is not None:
                return self._log(request, response)
        try:
            endpoint, values = adapter.match()
            response = getattr(self, "on_" + endpoint)(request, **values)
        except ZoomError as error:
            response = _zoom_error(error)
        except (NotFound, MethodNotAllowed):
            response = _json({"code": 404, "message": f"No route {request.method} {request.path} in the Zoom sandbox"},
                             404)
        except HTTPException as error:
            response = _json({"code": error.code, "message": error.description}, error.code)
        if api:
            self._check_answer(request, response)
        if fault and fault.get("after"):
            faulty = self._apply_fault(fault, request)
            if faulty is not None:
                response = faulty
        return response if control else self._log(request, response)

    def _check_request(self, request):
        """Zoom's answer to a request that is not a valid call of its API, or None."""
        path = _api_path(request)
        try:
            self.schemas.validate_request(request.method, path, dict(request.args), request.get_data() or None)
        except UnknownOperation as unknown:
            return _json({"code": 404, "message": str(unknown)}, 404)
        except ValidationFailed as failure:
            return _json({"code": 300, "message": f"Validation Failed. {failure}"}, 400)
        return None

    def _check_answer(self, request, response):
        """Every answer the sandbox builds must be one Zoom documents; violations are kept for the tests."""
        data = response.get_data()
        try:
            body = json.loads(data) if data else None
            self.schemas.validate_response(request.method, _api_path(request), response.status_code, body)
        except (ValueError, ValidationFailed) as failure:
            _logger.error("The Zoom sandbox gave an answer Zoom would not give: %s", failure)
            with self.state.lock:
                self.state.contract_violations.append(f"{request.method} {request.path}: {failure}")

    def _log(self, request, response, contract_violation=False):
        entry = {"method": request.method, "path": request.path, "status": response.status_code, "at": time.time()}
        if contract_violation:
            # Refused as Zoom's OpenAPI descriptions would have it: a test passing here means Zoom takes the request.
            entry["contract_violation"] = True
        if request.path.startswith("/v2/") and request.method in ("POST", "PATCH"):
            # What an API call asked for, for tests to check; OAuth's forms (with secrets) are not kept.
            entry["body"] = request.get_json(force=True, silent=True)
        with self.state.lock:
            self.state.requests.append(entry)
        return response

    # ------------------------------------------------------------------ faults
    def _take_fault(self, request):
        with self.state.lock:
            for fault in self.state.faults:
                if fault.get("method") and fault["method"].upper() != request.method:
                    continue
                if fault.get("path") and not re.search(fault["path"], request.path):
                    continue
                if fault.get("times") is not None:
                    fault["times"] -= 1
                    if fault["times"] <= 0:
                        self.state.faults.remove(fault)
                return dict(fault)
            fault = random_fault(self.state.config, request)
            if fault:
                self.state.injected_faults.append({"kind": fault["kind"], "method": request.method,
                                                   "path": request.path})
            return fault

    def _apply_fault(self, fault, request):
        action = fault.get("action", "status")
        if action == "delay":
            time.sleep(float(fault.get("delay", 0.2)))
            return None
        if action == "timeout":
            time.sleep(float(fault.get("delay", 30)))
            return _json({"code": 504, "message": "Gateway Timeout"}, 504)
        if action == "drop":
            sock = request.environ.get("werkzeug.socket")
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    _logger.debug("socket already closed")
            return Response(b"", status=500)
        if action == "garbage":
            return Response("<html>upstream error</html>", status=200, content_type="application/json")
        body = fault.get("body", {"code": fault.get("status", 500), "message": "Internal Server Error"})
        payload = json.dumps(body) if isinstance(body, (dict, list)) else str(body)
        return Response(payload, status=int(fault.get("status", 500)), headers=fault.get("headers") or {},
                        content_type="application/json")

    # ------------------------------------------------------------------ OAuth
    def on_authorize(self, request):
        args = request.args
        try:
            self.state.app(args.get("client_id"))
        except ZoomError:
            return Response("<h1>Invalid client_id</h1>", status=400, content_type="text/html")
        if not args.get("redirect_uri") or args.get("response_type") != "code":
            return Response("<h1>Invalid request</h1>", status=400, content_type="text/html")
        login_as = args.get("login_as")
        if login_as:
            return self._decide(args, None if login_as == "deny" else login_as)
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{escape(args.get(name, ""))}"/>'
            for name in ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method")
        )
        choices = "".join(
            f'<li><button type="submit" name="user_id" value="{escape(user["id"])}" id="login-{escape(user["email"])}">'
            f'{escape(user["first_name"])} {escape(user["last_name"])} &lt;{escape(user["email"])}&gt; '
            f'({escape(self.state.accounts[user["account_id"]]["name"])}, {escape(user["role_name"])})</button></li>'
            for user in self.state.users.values()
        )
        page = (
            "<!DOCTYPE html><html><head><title>Zoom sandbox - sign in</title></head><body>"
            "<h1>Zoom sandbox</h1><p>Sign in as, and allow the app to access your Zoom account:</p>"
            f'<form method="post" action="/oauth/authorize/decide">{hidden}<ul>{choices}</ul>'
            '<button type="submit" name="deny" value="1" id="deny">Decline</button></form></body></html>'
        )
        return Response(page, content_type="text/html")

    def on_authorize_decide(self, request):
        form = request.form
        return self._decide(form, None if form.get("deny") else form.get("user_id"))

    def _decide(self, params, user_key):
        redirect_uri = params.get("redirect_uri")
        query = {"state": params.get("state", "")}
        if user_key is None:
            query.update(error="access_denied", error_description="The user denied the authorization.")
        else:
            user = self.state.find_user(user_key)
            if not user:
                return Response("<h1>Unknown user</h1>", status=400, content_type="text/html")
            query["code"] = self.state.new_code(params.get("client_id"), user["id"], redirect_uri,
                                                params.get("code_challenge") or None)
        separator = "&" if "?" in redirect_uri else "?"
        return Response(status=302, headers={"Location": redirect_uri + separator + urlencode(query)})

    def _client_auth(self, request):
        auth = request.authorization
        if not auth or auth.type != "basic":
            raise ZoomError(401, None, "Invalid client_id or client_secret")
        return self.state.app(auth.username, auth.password)

    def on_token(self, request):
        app = self._client_auth(request)
        form = request.form
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            grant = self.state.take_code(form.get("code", ""))
            if (not grant or grant["client_id"] != app["client_id"] or grant["expires"] < time.time()
                    or grant["redirect_uri"] != form.get("redirect_uri")):
                raise ZoomError(400, None, "Invalid authorization code " + form.get("code", "")[:6])
            if grant["code_challenge"]:
                verifier = form.get("code_verifier", "")
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if not verifier or not secrets.compare_digest(digest, grant["code_challenge"]):
                    raise ZoomError(400, None, "Invalid code_verifier")
            user = self.state.users[grant["user_id"]]
            return _json(self.state.issue_tokens(app["client_id"], user["id"], user["account_id"]))
        if grant_type == "refresh_token":
            return _json(self.state.rotate(app["client_id"], form.get("refresh_token", "")))
        if grant_type == "account_credentials":
            if app.get("type") != "s2s" or form.get("account_id") != app.get("account_id"):
                raise ZoomError(400, None, "Invalid account_id")
            return _json(self.state.issue_tokens(app["client_id"], None, app["account_id"], with_refresh=False))
        return _json({"reason": "Unsupported grant type", "error": "unsupported_grant_type"}, 400)

    def on_revoke(self, request):
        self._client_auth(request)
        self.state.revoke(request.form.get("token", ""))
        return _json({"status": "success"})

    # ------------------------------------------------------------------ API v2
    def _api(self, request, path):
        """The grant of the request's token (the request itself was validated by ``dispatch``)."""
        return self.state.grant_for(request.headers.get("Authorization"))

    def _body(self, request):
        try:
            return json.loads(request.get_data() or b"{}")
        except ValueError:
            raise ZoomError(400, 300, "Request Body should be a valid JSON object.") from None

    def on_get_user(self, request, user_key):
        grant = self._api(request, f"/users/{user_key}")
        return _json(self.state.public_user(self.state.user_for_grant(grant, user_key)))

    def on_get_user_settings(self, request, user_key):
        grant = self._api(request, f"/users/{user_key}/settings")
        # Zoom refuses a token without the endpoint's scope with code 4711.
        if not grant["scopes"] & {"user:read:settings:admin", "user:read:settings", "user:read:admin"}:
            raise ZoomError(400, 4711, "Invalid access token, does not contain scopes:[user:read:settings:admin].")
        return _json(self.state.user_settings(self.state.user_for_grant(grant, user_key)))

    def on_list_users(self, request):
        grant = self._api(request, "/users")
        users = [self.state.public_user(user) for user in self.state.users.values()
                 if user["account_id"] == grant["account_id"]]
        return _json(self._page(request, users, "users"))

    def on_create_user(self, request):
        """Zoom's "Create users": an owner or admin (or an account token) adds a member."""
        grant = self._api(request, "/users")
        if grant["user_id"] and self.state.users[grant["user_id"]]["role_name"] not in ("Owner", "Admin"):
            raise ZoomError(400, 200, "No permission.")
        info = self._body(request).get("user_info")
        if not info:
            raise ZoomError(400, 300, "Validation Failed. user_info is required.")
        user = self.state.add_user(grant["account_id"], info["email"], info.get("first_name", ""),
                                   info.get("last_name", ""), info["type"])
        return _json({key: user[key] for key in ("id", "first_name", "last_name", "email", "type")}, 201)

    def _page(self, request, items, key):
        size = int(request.args.get("page_size", 30))
        start = int(request.args.get("next_page_token") or 0)
        chunk = items[start:start + size]
        next_token = str(start + size) if start + size < len(items) else ""
        return {"page_size": size, "total_records": len(items), "next_page_token": next_token, key: chunk}

    def on_join_page(self, request, meeting_id):
        return Response(f"<h1>Zoom sandbox meeting {escape(meeting_id)}</h1>", content_type="text/html")

    # ------------------------------------------------------------------ webhooks
    def webhook_body(self, event, meeting=None, operator=None, account_id=None, overrides=None):
        account_id = account_id or (self.state.users[meeting["host_id"]]["account_id"] if meeting else None)
        owner = next((user for user in self.state.users.values()
                      if user["account_id"] == account_id and user["role_name"] == "Owner"), None)
        operator = operator or owner
        if event == "app_deauthorized":
            payload = {"account_id": account_id, "user_id": owner["id"] if owner else "", "signature": secrets.token_hex(16),
                       "deauthorization_time": _utc(datetime.now(timezone.utc)), "client_id": "sandbox-oauth-client"}
        else:
            meeting = meeting or {}
            payload = {
                "account_id": account_id,
                "operator": operator["email"] if operator else "",
                "operator_id": operator["id"] if operator else "",
                "object": {key: meeting[key] for key in ("uuid", "id", "host_id", "topic", "type", "start_time",
                                                         "duration", "timezone") if key in meeting},
            }
            if event == "meeting.updated":
                payload["time_stamp"] = int(time.time() * 1000)
                payload["old_object"] = dict(payload["object"])
        payload.update(overrides or {})
        return {"event": event, "event_ts": int(time.time() * 1000), "payload": payload}

    def send_webhook(self, url, secret, event, meeting=None, operator=None, account_id=None, overrides=None,
                     forge=False, timestamp=None, body=None):
        data = body or self.webhook_body(event, meeting, operator, account_id, overrides)
        raw = json.dumps(data).encode()
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        key = ("not-" + secret) if forge else secret
        signature = "v0=" + hmac.new(key.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
        response = requests.post(url, data=raw, timeout=30, headers={
            "Content-Type": "application/json", "x-zm-request-timestamp": timestamp, "x-zm-signature": signature,
            "User-Agent": "Zoom Marketplace/1.0a",
        })
        return {"status": response.status_code, "body": response.text, "sent": data}

    # ------------------------------------------------------------------ control
    def on_ctl_state(self, request):
        return _json(self.state.snapshot())

    def on_ctl_meetings(self, request):
        host = request.args.get("host_id")
        with self.state.lock:
            meetings = [dict(m) for m in self.state.meetings.values() if not host or m["host_id"] == host]
        return _json({"meetings": meetings})

    def on_ctl_requests(self, request):
        with self.state.lock:
            return _json({"requests": list(self.state.requests)})

    def on_ctl_reset(self, request):
        self.state.reset()
        return _json({"status": "reset"})

    def on_ctl_config(self, request):
        changes = self._body(request)
        if changes.get("concurrent_meeting") not in (None, *CONCURRENT_MEETING_OPTIONS):
            return _json({"code": 300, "message": f"concurrent_meeting is one of {', '.join(CONCURRENT_MEETING_OPTIONS)}"
                                                  " or null (each user's own from the seed)."}, 400)
        with self.state.lock:
            self.state.config.update({key: value for key, value in changes.items() if key in self.state.config})
            return _json(dict(self.state.config))

    def on_ctl_faults(self, request):
        with self.state.lock:
            if request.method == "DELETE":
                self.state.faults.clear()
            else:
                self.state.faults.append(self._body(request))
            return _json({"faults": list(self.state.faults)})

    def on_ctl_expire(self, request):
        self.state.expire_tokens()
        return _json({"status": "expired"})

    def on_ctl_meeting_vanish(self, request, meeting_id):
        """The meeting is gone without any webhook: deleted by someone in Zoom with event
        subscriptions off, or expired (Zoom drops a meeting 30 days after its time, or a meeting
        without fixed time after a year unused). Zoom answers 404 / 3001 for it from now on."""
        with self.state.lock:
            meeting = self.state.meetings.pop(meeting_id, None)
        if not meeting:
            return _json({"code": 3001, "message": f"Meeting does not exist: {meeting_id}."}, 404)
        return _json({"status": "gone", "id": meeting_id, "reason": self._body(request).get("reason") or "deleted"})

    def on_ctl_meeting_edit(self, request, meeting_id):
        """Someone changed the meeting in Zoom's web portal (no webhook): start, duration, host."""
        changes = self._body(request)
        with self.state.lock:
            meeting = self.state.meetings.get(meeting_id)
            if not meeting:
                return _json({"code": 3001, "message": f"Meeting does not exist: {meeting_id}."}, 404)
            if changes.get("host_email"):
                host = self.state.find_user(changes["host_email"])
                if not host:
                    return _json({"code": 1001, "message": f"User does not exist: {changes['host_email']}."}, 404)
                meeting["host_id"], meeting["host_email"] = host["id"], host["email"]
            for key in ("start_time", "duration"):
                if key in changes:
                    meeting[key] = changes[key]
            return _json(dict(meeting))

    def on_ctl_webhook_send(self, request):
        spec = self._body(request)
        meeting = None
        if spec.get("meeting_id"):
            meeting = self.state.meetings.get(int(spec["meeting_id"])) or {"id": int(spec["meeting_id"])}
        account_id = spec.get("account_id") or ("sbxAcct000000000000001" if not meeting or "host_id" not in meeting else None)
        return _json(self.send_webhook(
            spec["url"], spec["secret_token"], spec["event"], meeting=meeting, account_id=account_id,
            overrides=spec.get("payload"), forge=spec.get("forge", False), timestamp=spec.get("timestamp"),
        ))

    def on_ctl_webhook_validate(self, request):
        spec = self._body(request)
        plain = secrets.token_urlsafe(16)
        result = self.send_webhook(spec["url"], spec["secret_token"], "endpoint.url_validation", body={
            "event": "endpoint.url_validation", "event_ts": int(time.time() * 1000), "payload": {"plainToken": plain}})
        expected = hmac.new(spec["secret_token"].encode(), plain.encode(), hashlib.sha256).hexdigest()
        try:
            answer = json.loads(result["body"])
        except ValueError:
            answer = {}
        valid = answer.get("plainToken") == plain and answer.get("encryptedToken") == expected
        return _json({"valid": valid, "status": result["status"], "answer": answer})


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        _logger.debug("%s %s", self.requestline, code)


class SandboxServer:
    """The sandbox in a background thread, for tests, the demo and the benchmark."""

    def __init__(self, host="127.0.0.1", port=0, openapi_dir=None, seed=None):
        self.state = SandboxState(seed)
        self.app = SandboxApp(self.state, ZoomSchemas(openapi_dir))
        self._server = make_server(host, port, self.app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://{host}:{self._server.server_port}"
        self.api_url = self.url + "/v2"
        self.oauth_url = self.url
        self._thread = None

    @property
    def port(self):
        return urlsplit(self.url).port

    @property
    def bound_address(self):
        """(host, port) the listening socket is bound to."""
        return self._server.socket.getsockname()[:2]

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="zoom-sandbox")
        self._thread.start()
        return self

    def serve_forever(self):
        self._server.serve_forever()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
