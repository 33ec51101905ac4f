import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests

from .conftest import bearer

HOST = "interviewer1@herp-demo.example"


def meeting_body(**values):
    return {"topic": "Interview: Chika", "type": 2, "start_time": "2030-03-04T10:00:00", "timezone": "Asia/Tokyo",
            "duration": 60, "agenda": "First interview", **values}


def create(sandbox, token, host=HOST, **values):
    return requests.post(f"{sandbox.api_url}/users/{host}/meetings", headers=bearer(token),
                         json=meeting_body(**values), timeout=5)


def assert_documented(sandbox, method, path, status, body):
    sandbox.app.schemas.validate_response(method, path, status, body)


def test_user_lookup_by_email_and_id_matches_zoom_schema(sandbox, account_token):
    by_email = requests.get(f"{sandbox.api_url}/users/{HOST}", headers=bearer(account_token), timeout=5)
    assert by_email.status_code == 200
    assert_documented(sandbox, "GET", f"/users/{HOST}", 200, by_email.json())
    by_id = requests.get(f"{sandbox.api_url}/users/{by_email.json()['id']}", headers=bearer(account_token), timeout=5)
    assert by_id.json()["email"] == HOST
    missing = requests.get(f"{sandbox.api_url}/users/nobody@herp-demo.example", headers=bearer(account_token), timeout=5)
    assert missing.status_code == 404
    assert missing.json() == {"code": 1001, "message": "User does not exist: nobody@herp-demo.example."}


def test_meeting_lifecycle_matches_zoom_schema(sandbox, account_token):
    created = create(sandbox, account_token, settings={"alternative_hosts": "interviewer2@herp-demo.example"})
    assert created.status_code == 201
    meeting = created.json()
    assert_documented(sandbox, "POST", f"/users/{HOST}/meetings", 201, meeting)
    assert meeting["start_time"] == "2030-03-04T01:00:00Z"
    assert meeting["timezone"] == "Asia/Tokyo"
    assert meeting["password"] and "pwd=" in meeting["join_url"]
    assert meeting["settings"]["alternative_hosts"] == "interviewer2@herp-demo.example"
    path = f"/meetings/{meeting['id']}"
    fetched = requests.get(sandbox.api_url + path, headers=bearer(account_token), timeout=5).json()
    assert_documented(sandbox, "GET", path, 200, fetched)
    listed = requests.get(f"{sandbox.api_url}/users/{HOST}/meetings", params={"type": "upcoming"},
                          headers=bearer(account_token), timeout=5).json()
    assert_documented(sandbox, "GET", f"/users/{HOST}/meetings", 200, listed)
    assert [item["id"] for item in listed["meetings"]] == [meeting["id"]]
    patched = requests.patch(sandbox.api_url + path, headers=bearer(account_token), timeout=5,
                             json={"topic": "Second interview", "duration": 90})
    assert patched.status_code == 204
    assert requests.get(sandbox.api_url + path, headers=bearer(account_token), timeout=5).json()["duration"] == 90
    assert requests.delete(sandbox.api_url + path, headers=bearer(account_token), timeout=5).status_code == 204
    gone = requests.get(sandbox.api_url + path, headers=bearer(account_token), timeout=5)
    assert gone.status_code == 404
    assert gone.json()["code"] == 3001


def test_state_shows_what_zoom_holds(sandbox, account_token):
    meeting = create(sandbox, account_token).json()
    state = requests.get(sandbox.url + "/_sandbox/state", timeout=5).json()
    assert [(m["id"], m["host_email"], m["topic"]) for m in state["meetings"]] == [
        (meeting["id"], HOST, "Interview: Chika")]
    assert account_token not in json.dumps(state)
    requests.post(sandbox.url + "/_sandbox/reset", timeout=5)
    assert requests.get(sandbox.url + "/_sandbox/state", timeout=5).json()["meetings"] == []


@pytest.mark.parametrize("body", [{"type": "abc"}, {"duration": "x"}, {"start_time": "next tuesday"}])
def test_requests_zoom_would_reject_get_zoom_s_validation_error(sandbox, account_token, body):
    response = create(sandbox, account_token, **body)
    assert response.status_code == 400
    assert response.json()["code"] == 300
    assert response.json()["message"].startswith("Validation Failed.")


def test_invalid_alternative_host_is_refused(sandbox, account_token):
    response = create(sandbox, account_token, settings={"alternative_hosts": "someone@other-corp.example"})
    assert response.status_code == 400


def test_daily_limit_per_user(sandbox, account_token):
    requests.post(sandbox.url + "/_sandbox/config", json={"daily_limit": 2}, timeout=5)
    assert create(sandbox, account_token).status_code == 201
    assert create(sandbox, account_token).status_code == 201
    limited = create(sandbox, account_token)
    assert limited.status_code == 429
    assert "Retry-After" not in limited.headers
    assert "daily rate limit (2)" in limited.json()["message"]
    assert create(sandbox, account_token, host="interviewer2@herp-demo.example").status_code == 201


def add_fault(sandbox, **fault):
    requests.post(sandbox.url + "/_sandbox/faults", json=fault, timeout=5)


def test_fault_status_with_retry_after_happens_once(sandbox, account_token):
    add_fault(sandbox, method="POST", path="/meetings$", action="status", status=429, times=1,
              body={"code": 429, "message": "Too many requests. Please try again later."}, headers={"Retry-After": "7"})
    limited = create(sandbox, account_token)
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7"
    assert create(sandbox, account_token).status_code == 201


def test_fault_delay_timeout_drop_and_garbage(sandbox, account_token):
    add_fault(sandbox, action="delay", delay=0.3, times=1)
    started = time.monotonic()
    assert create(sandbox, account_token).status_code == 201
    assert time.monotonic() - started >= 0.3
    add_fault(sandbox, action="timeout", delay=2, times=1)
    with pytest.raises(requests.Timeout):
        requests.post(f"{sandbox.api_url}/users/{HOST}/meetings", headers=bearer(account_token),
                      json=meeting_body(), timeout=0.5)
    add_fault(sandbox, action="drop", times=1)
    with pytest.raises(requests.ConnectionError):
        create(sandbox, account_token)
    add_fault(sandbox, action="garbage", times=1)
    garbage = create(sandbox, account_token)
    with pytest.raises(ValueError):
        garbage.json()


def test_fault_after_processing_creates_the_meeting_but_loses_the_answer(sandbox, account_token):
    add_fault(sandbox, method="POST", action="drop", after=True, times=1)
    with pytest.raises(requests.ConnectionError):
        create(sandbox, account_token)
    assert len(requests.get(sandbox.url + "/_sandbox/meetings", timeout=5).json()["meetings"]) == 1


class _Receiver(BaseHTTPRequestHandler):
    received = []
    secret = "sandbox-webhook-secret"

    def do_POST(self):
        import hashlib
        import hmac
        body = self.rfile.read(int(self.headers["Content-Length"]))
        timestamp = self.headers["x-zm-request-timestamp"]
        expected = "v0=" + hmac.new(self.secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
        data = json.loads(body)
        self.received.append((data, self.headers["x-zm-signature"] == expected))
        if data["event"] == "endpoint.url_validation":
            plain = data["payload"]["plainToken"]
            answer = {"plainToken": plain,
                      "encryptedToken": hmac.new(self.secret.encode(), plain.encode(), hashlib.sha256).hexdigest()}
        else:
            answer = {"status": "ok"}
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        return


@pytest.fixture
def receiver():
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


def test_webhooks_are_signed_like_zoom_and_match_its_event_schema(sandbox, account_token, receiver):
    meeting = create(sandbox, account_token).json()
    result = requests.post(sandbox.url + "/_sandbox/webhooks/send", timeout=10, json={
        "url": receiver, "secret_token": "sandbox-webhook-secret", "event": "meeting.deleted",
        "meeting_id": meeting["id"]}).json()
    assert result["status"] == 200
    data, signature_ok = _Receiver.received[-1]
    assert signature_ok
    assert data["event"] == "meeting.deleted"
    assert data["payload"]["object"]["id"] == meeting["id"]
    assert data["payload"]["operator"] == "owner@herp-demo.example"
    from openapi_schema_validator import validate
    from zoom_sandbox.validation import default_openapi_dir
    events = json.loads((default_openapi_dir() / "zoom-meeting-events-open-api-spec.json").read_text())
    schema = events["webhooks"]["meeting.deleted"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    validate(data, schema)
    forged = requests.post(sandbox.url + "/_sandbox/webhooks/send", timeout=10, json={
        "url": receiver, "secret_token": "sandbox-webhook-secret", "event": "app_deauthorized", "forge": True}).json()
    assert forged["status"] == 200
    assert not _Receiver.received[-1][1]


def test_url_validation_challenge(sandbox, receiver):
    result = requests.post(sandbox.url + "/_sandbox/webhooks/validate", timeout=10, json={
        "url": receiver, "secret_token": "sandbox-webhook-secret"}).json()
    assert result["valid"] is True


def _non_loopback_address():
    """An address of this machine other than loopback (no packet is sent), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_server_listens_on_loopback_only(sandbox):
    # The address the listening socket is bound to, not the one the URL was built from.
    assert sandbox.bound_address == ("127.0.0.1", sandbox.port)
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=2):
        pass
    address = _non_loopback_address()
    if address:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((address, sandbox.port), timeout=2)
