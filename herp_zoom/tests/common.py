"""Shared set-up for herp_zoom's tests: a connected company, users in every role, and Zoom
faked at the HTTP boundary with ``responses`` (the client under test is the real one)."""

import json
import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
import responses
# The sandbox's own check of requests and answers against Zoom's OpenAPI descriptions.
from zoom_sandbox.validation import UnknownOperation, ValidationFailed, ZoomSchemas

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

from .. import compat
from .dates import YEAR

# Odoo's test classes only let requests to localhost through, so Zoom lives there.
ZOOM_HOST = "http://localhost:8999"
API_URL = ZOOM_HOST + "/v2"
OAUTH_URL = ZOOM_HOST
ZOOM_ACCOUNT_ID = "acct_herp_demo"


def zoom_user(user_id, email, role_name="Member", account_id=ZOOM_ACCOUNT_ID):
    role_id = {"Owner": "0", "Admin": "1"}.get(role_name, "2")
    return {
        "id": user_id, "email": email, "account_id": account_id, "role_name": role_name,
        "role_id": role_id, "type": 2, "status": "active", "first_name": email.split("@")[0],
        "last_name": "", "display_name": email.split("@")[0],
    }


def meeting_response(meeting_id, body, host_id, host_email, passcode="aB3xY9"):
    """Zoom's answer to a meeting's creation; a field the request left out is left out here too."""
    meeting = {
        "id": meeting_id,
        "uuid": f"uuid{meeting_id}==",
        "host_id": host_id,
        "host_email": host_email,
        "topic": body.get("topic"),
        "type": body.get("type", 2),
        "status": "waiting",
        "start_time": body.get("start_time") and body["start_time"].rstrip("Z") + "Z",
        "duration": body.get("duration"),
        "timezone": body.get("timezone"),
        "agenda": body.get("agenda"),
        "created_at": "2026-11-24T10:00:00Z",
        "start_url": f"{ZOOM_HOST}/s/{meeting_id}?zak=SECRET-HOST-ZAK",
        "join_url": f"{ZOOM_HOST}/j/{meeting_id}?pwd=Enc{passcode}",
        "password": passcode,
        "settings": body.get("settings") or {},
    }
    return {key: value for key, value in meeting.items() if value is not None}


class ZoomFake:
    """A tiny stateful Zoom answering through ``responses``: meetings are remembered so tests
    can assert what Zoom would hold."""

    def __init__(self, rsps):
        self.rsps = rsps
        self.meetings = {}
        self.next_id = 81234567890
        self.users = {}
        self.create_requests = []
        self.faults = []
        self.lose_next_answers = 0
        self.me = None
        # Meeting summaries by meeting instance UUID (GET /meetings/{uuid}/meeting_summary).
        self.summaries = {}
        # Zoom's ``feature.concurrent_meeting`` in every user's settings (None: left out).
        self.concurrent_meeting = None
        # Every request Zoom received (any endpoint), filled in when the ``fake_zoom`` block ends.
        self.sent = []
        # Called as Zoom receives a create request, e.g. to hold it while another worker acts.
        self.on_create = None

    def fail_next(self, method, status, body=None, headers=None):
        """The next ``method`` request gets this answer instead of being processed."""
        self.faults.append((method, status, body if body is not None else {"code": status, "message": "Fault"},
                            headers or {}))

    def _fault(self, request):
        for index, (method, status, body, headers) in enumerate(self.faults):
            if method == request.method:
                del self.faults[index]
                return status, headers, body if isinstance(body, str) else json.dumps(body)
        return None

    def add_user(self, user):
        self.users[user["id"]] = user
        self.users[user["email"]] = user
        return user

    def install(self):
        self.rsps.add_callback(responses.POST, re.compile(re.escape(API_URL) + r"/users/([^/]+)/meetings$"),
                               callback=self._create)
        self.rsps.add_callback(responses.GET, re.compile(re.escape(API_URL) + r"/users/([^/]+)/meetings.*"),
                               callback=self._list)
        self.rsps.add_callback(responses.GET, re.compile(re.escape(API_URL) + r"/meetings/(\d+)$"),
                               callback=self._get)
        self.rsps.add_callback(responses.DELETE, re.compile(re.escape(API_URL) + r"/meetings/(\d+)$"),
                               callback=self._delete)
        self.rsps.add_callback(responses.PATCH, re.compile(re.escape(API_URL) + r"/meetings/(\d+)$"),
                               callback=self._patch)
        self.rsps.add_callback(responses.GET, re.compile(re.escape(API_URL) + r"/users/([^/?]+)$"),
                               callback=self._get_user)
        self.rsps.add_callback(responses.GET, re.compile(re.escape(API_URL) + r"/meetings/([^/]+)/meeting_summary$"),
                               callback=self._get_summary)
        self.rsps.add_callback(responses.GET, re.compile(re.escape(API_URL) + r"/users/([^/?]+)/settings$"),
                               callback=self._get_user_settings)
        return self

    def _create(self, request):
        if self.on_create:
            self.on_create()
        if fault := self._fault(request):
            return fault
        host = unquote(urlsplit(request.url).path.split("/")[-2])
        user = self.users.get(host)
        if not user:
            return 404, {}, json.dumps({"code": 1001, "message": f"User does not exist: {host}."})
        body = json.loads(request.body)
        self.create_requests.append((host, body))
        meeting_id = self.next_id
        self.next_id += 1
        meeting = meeting_response(meeting_id, body, user["id"], user["email"])
        self.meetings[meeting_id] = meeting
        if self.lose_next_answers:
            # Zoom created the meeting but the answer never reached Odoo.
            self.lose_next_answers -= 1
            raise requests.ConnectionError("connection dropped after the meeting was created")
        return 201, {}, json.dumps(meeting)

    def _list(self, request):
        if fault := self._fault(request):
            return fault
        host = unquote(urlsplit(request.url).path.split("/")[-2])
        meetings = [m for m in self.meetings.values() if m["host_id"] == host or m["host_email"] == host]
        return 200, {}, json.dumps({"meetings": [dict(m, agenda=(m.get("agenda") or "")[:250]) for m in meetings],
                                    "next_page_token": ""})

    def _get(self, request):
        if fault := self._fault(request):
            return fault
        meeting_id = int(request.path_url.rsplit("/", 1)[-1])
        if meeting_id not in self.meetings:
            return 404, {}, json.dumps({"code": 3001, "message": f"Meeting does not exist: {meeting_id}."})
        return 200, {}, json.dumps(self.meetings[meeting_id])

    def _delete(self, request):
        if fault := self._fault(request):
            return fault
        meeting_id = int(request.path_url.rsplit("/", 1)[-1])
        if self.meetings.pop(meeting_id, None) is None:
            return 404, {}, json.dumps({"code": 3001, "message": f"Meeting does not exist: {meeting_id}."})
        return 204, {}, ""

    def _patch(self, request):
        if fault := self._fault(request):
            return fault
        meeting_id = int(request.path_url.rsplit("/", 1)[-1])
        if meeting_id not in self.meetings:
            return 404, {}, json.dumps({"code": 3001, "message": f"Meeting does not exist: {meeting_id}."})
        self.meetings[meeting_id].update(json.loads(request.body))
        return 204, {}, ""

    def _get_summary(self, request):
        if fault := self._fault(request):
            return fault
        uuid = unquote(unquote(urlsplit(request.url).path.split("/")[-2]))
        if uuid not in self.summaries:
            return 404, {}, json.dumps({"code": 3001, "message": "Meeting summary does not exist."})
        return 200, {}, json.dumps(self.summaries[uuid])

    def _get_user(self, request):
        if fault := self._fault(request):
            return fault
        key = unquote(urlsplit(request.url).path.rsplit("/", 1)[-1])
        user = self.me if key == "me" and self.me else self.users.get(key)
        if not user:
            return 404, {}, json.dumps({"code": 1001, "message": f"User does not exist: {key}."})
        return 200, {}, json.dumps(user)

    def _get_user_settings(self, request):
        if fault := self._fault(request):
            return fault
        key = unquote(urlsplit(request.url).path.split("/")[-2])
        if not (key == "me" and self.me) and key not in self.users:
            return 404, {}, json.dumps({"code": 1001, "message": f"User does not exist: {key}."})
        feature = {"meeting_capacity": 100, "large_meeting": False, "webinar": False, "zoom_phone": False}
        if self.concurrent_meeting:
            feature["concurrent_meeting"] = self.concurrent_meeting
        return 200, {}, json.dumps({"feature": feature, "in_meeting": {"waiting_room": True}})


@cache
def zoom_schemas():
    """Zoom's OpenAPI descriptions, read once per test run."""
    return ZoomSchemas()


def contract_violations(calls):
    """What, in these calls to Zoom's API, Zoom would refuse (a request) or never say (an answer).

    Only the API under ``API_URL`` has an OpenAPI description: OAuth's token and revoke calls
    are not checked here."""
    violations = []
    for request, response in calls:
        url = urlsplit(request.url)
        if not request.url.startswith(API_URL + "/"):
            continue
        path = url.path[len(urlsplit(API_URL).path):]
        call = f"{request.method} {path}"
        try:
            zoom_schemas().validate_request(request.method, path, dict(parse_qsl(url.query)), request.body or None)
        except (UnknownOperation, ValidationFailed) as failure:
            violations.append(f"{call}: request refused by Zoom's description: {failure}")
            continue
        if not isinstance(response, requests.Response):
            continue  # the answer never came (a dropped connection)
        try:
            body = json.loads(response.content) if response.content else None
        except ValueError:
            violations.append(f"{call}: answer {response.status_code} is not JSON: {response.content[:200]!r}")
            continue
        try:
            zoom_schemas().validate_response(request.method, path, response.status_code, body)
        except ValidationFailed as failure:
            violations.append(f"answer {response.status_code} Zoom would not give: {failure}")
    return violations


class ZoomContractViolation(AssertionError):
    """The code under test sent Zoom a request Zoom refuses, or the fake gave an answer Zoom never gives."""


@contextmanager
def fake_zoom(*users):
    """A ZoomFake answering through ``responses`` for the duration of the block.

    Every request it receives and every answer it gives are checked against Zoom's OpenAPI
    descriptions when the block ends: a violation fails the test (ZoomContractViolation)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        # Odoo's own test server and the browser's devtools live on 127.0.0.1.
        rsps.add_passthru(re.compile(r"http://127\.0\.0\.1[:/]"))
        fake = ZoomFake(rsps).install()
        for user in users:
            fake.add_user(user)
        try:
            yield fake
        except BaseException as error:
            fake.sent = list(rsps.calls)
            # The test failed already: the violations, if any, go with its failure.
            for violation in contract_violations(fake.sent):
                error.add_note(f"Zoom contract violation: {violation}")
            raise
        # responses forgets its calls when the block ends: keep them for the assertions after it.
        fake.sent = list(rsps.calls)
        if violations := contract_violations(fake.sent):
            raise ZoomContractViolation(
                f"{len(violations)} call(s) to the Zoom fake break Zoom's OpenAPI description:\n"
                + "\n".join(violations))


class ZoomCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Token renewal runs in a cursor of its own; in tests it must see the test's data.
        compat.enter_registry_test_mode(cls)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("herp_zoom.api_url", API_URL)
        params.set_param("herp_zoom.oauth_url", OAUTH_URL)
        cls.company = cls.env.company
        cls.account = cls.env["zoom.account"].sudo().search([("company_id", "=", cls.company.id)])
        cls.account.unlink()
        cls.account = cls.env["zoom.account"].sudo().create({
            "company_id": cls.company.id,
            "auth_mode": "oauth",
            "client_id": "test-client-id",
            "client_secret": "test-client-secret-VALUE",
            "zoom_account_id": ZOOM_ACCOUNT_ID,
            "state": "connected",
            "access_token": "ACCESS-TOKEN-VALUE",
            "refresh_token": "REFRESH-TOKEN-VALUE",
            "token_expires_at": datetime.now() + timedelta(hours=1),
            # Meetings stay as they were created, as on a new connection: the tests that need the
            # options turn them on.
            "update_meetings": False,
            "delete_meetings": False,
        })
        cls.zoom_admin = new_test_user(cls.env, "zoom_admin", groups="base.group_user,herp_zoom.group_zoom_admin",
                                       email="zadmin@example.com", tz="UTC")
        cls.recruiter = new_test_user(cls.env, "zoom_recruiter", groups="base.group_user,herp_zoom.group_zoom_recruiter",
                                      email="recruiter@example.com", tz="Asia/Tokyo")
        cls.assistant = new_test_user(cls.env, "zoom_assistant", groups="base.group_user,herp_zoom.group_zoom_assistant",
                                      email="assistant@example.com", tz="Asia/Tokyo")
        cls.interviewer = new_test_user(cls.env, "zoom_interviewer", groups="base.group_user,herp_zoom.group_zoom_guest",
                                        email="interviewer@example.com", tz="Asia/Tokyo")
        cls.interviewer2 = new_test_user(cls.env, "zoom_interviewer2", groups="base.group_user,herp_zoom.group_zoom_guest",
                                         email="interviewer2@example.com", tz="Europe/Paris")
        cls.employee = new_test_user(cls.env, "plain_employee", groups="base.group_user", email="employee@example.com")
        cls.zoom_interviewer = zoom_user("zu_interviewer", "interviewer@zoom.example")
        cls.zoom_interviewer2 = zoom_user("zu_interviewer2", "interviewer2@zoom.example")
        cls.zoom_recruiting = zoom_user("zu_recruiting", "recruiting@zoom.example")
        cls.interviewer._zoom_link(cls.zoom_interviewer)
        cls.interviewer2._zoom_link(cls.zoom_interviewer2)
        cls.candidate = cls.env["res.partner"].create({"name": "Candidate Chika", "email": "chika@candidate.example"})

    def setUp(self):
        super().setUp()
        # Tokens renewed by an earlier test live in the shared test cursor's cache.
        self.env.cr.cache.pop("herp_zoom_tokens", None)

    def zoom(self):
        """Zoom faked at HTTP level for the duration of the block."""
        return fake_zoom(self.zoom_interviewer, self.zoom_interviewer2, self.zoom_recruiting)

    def create_interview(self, user=None, partners=None, start=None, hours=1, **values):
        user = user or self.recruiter
        start = start or datetime(YEAR, 3, 4, 1, 0)
        partners = partners if partners is not None else (self.interviewer.partner_id | self.candidate)
        return self.env["calendar.event"].with_user(user).create({
            "name": values.pop("name", "Interview: Chika"),
            "start": start,
            "stop": start + timedelta(hours=hours),
            "partner_ids": [(6, 0, partners.ids)],
            **values,
        })

    def assertIssued(self, event, fake, host_zoom_user):
        event = event.sudo()
        self.assertEqual(event.zoom_state, "issued", event.zoom_state_reason)
        meeting = fake.meetings[int(event.zoom_meeting_id)]
        self.assertEqual(meeting["host_id"], host_zoom_user["id"])
        self.assertEqual(event.zoom_join_url, meeting["join_url"])
        self.assertEqual(event.videocall_location, meeting["join_url"])
        self.assertEqual(event.zoom_passcode, meeting["password"])
        return meeting
