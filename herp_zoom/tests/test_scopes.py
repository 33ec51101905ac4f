"""The scopes the administrator is asked to grant cover every endpoint the client calls, by
Zoom's own OpenAPI description of those endpoints."""

import json
import os
import re
from pathlib import Path

import responses

from odoo.tests import tagged

from odoo.addons.herp_zoom.services.meeting_results import RESULT_SCOPES
from odoo.addons.herp_zoom.utils.zoom_client import (
    ENDPOINT_SCOPES,
    OPTIONAL_SCOPES,
    REQUIRED_SCOPES,
    RESULT_ENDPOINT_SCOPES,
    ZoomClient,
)

from .common import API_URL as API
from .common import OAUTH_URL, ZoomCommon


def openapi_security():
    """{(method, path): [scopes]} from Zoom's OpenAPI files."""
    directory = Path(os.environ.get("ZOOM_OPENAPI_DIR") or Path(__file__).parents[3] / "shared" / "zoom-openapi")
    operations = {}
    for spec_file in sorted(directory.glob("*.json")):
        spec = json.loads(spec_file.read_text())
        for path, methods in (spec.get("paths") or {}).items():
            for method, operation in methods.items():
                if isinstance(operation, dict) and operation.get("security"):
                    operations[(method.upper(), path)] = [
                        scope for requirement in operation["security"] for scope in requirement.get("openapi_oauth", [])
                    ]
    return operations


def endpoints_called():
    """(method, path template) of every API call the client makes."""
    called = []
    client = ZoomClient(API, OAUTH_URL, token_getter=lambda force_refresh=False: "token")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        for method in ("GET", "POST", "PATCH", "DELETE"):
            rsps.add(method, re.compile(re.escape(API) + ".*"), json={"id": 1, "meetings": []}, status=200)
        client.get_user("zu_1")
        client.get_user_settings("zu_1")
        client.create_meeting("zu_1", {"topic": "x"})
        client.list_upcoming_meetings("zu_1")
        client.get_meeting(81234567890)
        client.update_meeting(81234567890, {"topic": "x"})
        client.delete_meeting(81234567890)
        client.get_meeting_summary("aDYlohsHRtCd4ii1uC2+hA==")
        client.list_meeting_templates("me")
        for call in rsps.calls:
            path = call.request.path_url.split("?")[0][len("/v2"):]
            path = re.sub(r"^/users/[^/]+", "/users/{userId}", path)
            path = re.sub(r"^/meetings/[^/]+", "/meetings/{meetingId}", path)
            called.append((call.request.method, path))
    return called


@tagged("post_install", "-at_install")
class TestScopes(ZoomCommon):
    def test_every_endpoint_called_has_a_scope_zoom_accepts_for_it(self):
        public_calls = {name for name, value in vars(ZoomClient).items()
                        if callable(value) and not name.startswith("_")} - {
            "authorize_url", "exchange_code", "refresh_token", "account_credentials", "revoke_token"}
        self.assertEqual(public_calls, {"get_user", "get_user_settings", "create_meeting", "list_upcoming_meetings",
                                        "get_meeting", "update_meeting", "delete_meeting", "get_meeting_summary",
                                        "list_meeting_templates"},
                         "a new call needs its scope")
        security = openapi_security()
        for endpoint in endpoints_called():
            with self.subTest(endpoint=endpoint):
                if endpoint in RESULT_ENDPOINT_SCOPES:
                    # Asked for only with "Bring interview results back from Zoom".
                    self.assertIn(RESULT_ENDPOINT_SCOPES[endpoint], security[endpoint])
                    self.assertIn(RESULT_ENDPOINT_SCOPES[endpoint], RESULT_SCOPES)
                    continue
                self.assertIn(endpoint, ENDPOINT_SCOPES)
                self.assertIn(ENDPOINT_SCOPES[endpoint], security[endpoint])
                self.assertIn(ENDPOINT_SCOPES[endpoint], REQUIRED_SCOPES + OPTIONAL_SCOPES)
        self.assertIn(("GET", "/users/{userId}/settings"), endpoints_called())

    def test_settings_ask_for_every_required_scope(self):
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).create({})
        shown = {scope.strip() for scope in settings.zoom_required_scopes.split(",")}
        # The results' scopes too: the guide lists what "Check setup" may ask for, whatever the settings.
        self.assertEqual(shown, set(REQUIRED_SCOPES) | set(RESULT_SCOPES))
        # Reading one meeting (adopting a meeting whose creation answer was lost) is among them.
        self.assertIn("meeting:read:meeting:admin", shown)
        # Only "Check setup" reads a user's settings: the app may go without that scope.
        self.assertEqual(settings.zoom_optional_scopes, "user:read:settings:admin")

    def test_settings_name_the_result_subscriptions_and_scopes(self):
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).create({})
        self.assertEqual(settings.zoom_result_events.split(", "), [
            "meeting.started", "meeting.participant_joined", "meeting.participant_left", "meeting.ended",
            "meeting.summary_completed", "recording.completed"])
        self.assertEqual(set(settings.zoom_result_scopes.split(", ")), set(RESULT_SCOPES))
        # Every event named is one Zoom sends, with the scope named for it in its description.
        directory = Path(os.environ.get("ZOOM_OPENAPI_DIR") or Path(__file__).parents[3] / "shared" / "zoom-openapi")
        webhooks = json.loads((directory / "zoom-meeting-events-open-api-spec.json").read_text())["webhooks"]
        granted = set(REQUIRED_SCOPES) | set(RESULT_SCOPES)
        for event in settings.zoom_result_events.split(", "):
            with self.subTest(event=event):
                described = webhooks[event]["post"]["requestBody"]["description"].split("Granular Scopes")[1]
                self.assertTrue(set(re.findall(r"`([a-z_:]+)`", described)) & granted)
