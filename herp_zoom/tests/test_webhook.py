import hashlib
import hmac
import json
import time

from odoo.tests import HttpCase, tagged

from .common import ZoomCommon
from .dates import YEAR

WEBHOOK_SECRET = "webhook-secret-VALUE"


def sign_as_zoom(secret, timestamp, body):
    """x-zm-signature as Zoom documents it: "v0=" + hex HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    message = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@tagged("post_install", "-at_install")
class TestWebhook(ZoomCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.webhook_secret = WEBHOOK_SECRET

    def post_event(self, data, secret=WEBHOOK_SECRET, timestamp=None, signature=None):
        body = json.dumps(data).encode()
        timestamp = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "x-zm-request-timestamp": timestamp,
            "x-zm-signature": signature or sign_as_zoom(secret, timestamp, body),
        }
        return self.url_open("/herp_zoom/webhook", data=body, headers=headers)

    def deleted_event(self, meeting_id, event_ts=1700000000000):
        return {
            "event": "meeting.deleted",
            "event_ts": event_ts,
            "payload": {
                "account_id": self.account.zoom_account_id,
                "operator": "owner@zoom.example",
                "operator_id": "zu_owner",
                "object": {"id": int(meeting_id), "uuid": "abc==", "host_id": "zu_interviewer", "topic": "x",
                           "type": 2, "duration": 60, "timezone": "Asia/Tokyo"},
            },
        }

    def issued_event(self):
        with self.zoom():
            event = self.create_interview()
        self.assertEqual(event.zoom_state, "issued")
        return event

    def test_url_validation_answers_the_challenge(self):
        response = self.post_event({"event": "endpoint.url_validation", "event_ts": 1,
                                    "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"}})
        self.assertEqual(response.status_code, 200)
        expected = hmac.new(WEBHOOK_SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
        self.assertEqual(response.json(), {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected})

    def test_meeting_deleted_in_zoom_clears_the_link_and_says_who(self):
        event = self.issued_event()
        response = self.post_event(self.deleted_event(event.zoom_meeting_id))
        self.assertEqual(response.status_code, 200)
        event.invalidate_recordset()
        self.assertEqual(event.zoom_state, "deleted")
        self.assertFalse(event.zoom_join_url)
        self.assertFalse(event.videocall_location)
        self.assertEqual(event.name, "Interview: Chika")
        self.assertIn("owner@zoom.example", event.message_ids[0].body)

    def test_repeated_delivery_is_handled_once(self):
        event = self.issued_event()
        messages_before = len(event.message_ids)
        data = self.deleted_event(event.zoom_meeting_id)
        self.assertEqual(self.post_event(data).status_code, 200)
        self.assertEqual(self.post_event(data).status_code, 200)
        event.invalidate_recordset()
        self.assertEqual(len(event.message_ids), messages_before + 1)

    def test_repeated_change_notice_is_noted_once(self):
        # A change in Zoom is noted on every delivery that is not a repeat: the repeat is dropped.
        event = self.issued_event()
        data = self.deleted_event(event.zoom_meeting_id, event_ts=1700000000100)
        data["event"] = "meeting.updated"
        data["payload"]["object"] = {"id": int(event.zoom_meeting_id), "start_time": f"{YEAR}-03-05T01:00:00Z"}
        messages_before = len(event.message_ids)
        self.assertEqual(self.post_event(data).status_code, 200)
        self.assertEqual(self.post_event(data).status_code, 200)
        event.invalidate_recordset()
        self.assertEqual(len(event.message_ids), messages_before + 1)
        data["event_ts"] = 1700000000200
        self.assertEqual(self.post_event(data).status_code, 200)
        event.invalidate_recordset()
        self.assertEqual(len(event.message_ids), messages_before + 2, "a new delivery is noted again")

    def test_forged_signature_is_refused_without_effect(self):
        event = self.issued_event()
        response = self.post_event(self.deleted_event(event.zoom_meeting_id), secret="not-the-secret")
        self.assertEqual(response.status_code, 401)
        response = self.post_event(self.deleted_event(event.zoom_meeting_id), signature="v0=deadbeef")
        self.assertEqual(response.status_code, 401)
        body = json.dumps(self.deleted_event(event.zoom_meeting_id)).encode()
        unsigned = self.url_open("/herp_zoom/webhook", data=body, headers={"Content-Type": "application/json"})
        self.assertEqual(unsigned.status_code, 401)
        event.invalidate_recordset()
        self.assertEqual(event.zoom_state, "issued")
        self.assertTrue(event.zoom_join_url)

    def test_stale_timestamp_is_refused(self):
        event = self.issued_event()
        response = self.post_event(self.deleted_event(event.zoom_meeting_id), timestamp=int(time.time()) - 3600)
        self.assertEqual(response.status_code, 401)
        event.invalidate_recordset()
        self.assertEqual(event.zoom_state, "issued")

    def test_unknown_meeting_is_ignored(self):
        event = self.issued_event()
        response = self.post_event(self.deleted_event(99999999999))
        self.assertEqual(response.status_code, 200)
        event.invalidate_recordset()
        self.assertEqual(event.zoom_state, "issued")

    def test_meeting_updated_in_zoom_is_noted_not_applied(self):
        event = self.issued_event()
        start = event.start
        data = self.deleted_event(event.zoom_meeting_id)
        data["event"] = "meeting.updated"
        data["payload"]["object"] = {"id": int(event.zoom_meeting_id), "start_time": f"{YEAR}-03-05T01:00:00Z"}
        self.assertEqual(self.post_event(data).status_code, 200)
        event.invalidate_recordset()
        self.assertEqual(event.start, start)
        self.assertEqual(event.zoom_state, "issued")
        self.assertIn(f"{YEAR}-03-05T01:00:00Z", event.message_ids[0].body)

    def test_app_deauthorized_deletes_tokens_and_stops_issuing(self):
        data = {"event": "app_deauthorized", "event_ts": 1700000000001, "payload": {
            "account_id": self.account.zoom_account_id, "user_id": "zu_owner", "client_id": "test-client-id",
            "deauthorization_time": "2026-11-24T10:00:00Z", "signature": "x"}}
        self.assertEqual(self.post_event(data).status_code, 200)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "disconnected")
        self.assertFalse(self.account.access_token)
        self.assertFalse(self.account.refresh_token)
        self.assertTrue(any("removed" in message.body for message in self.account.message_ids))
        with self.zoom() as fake:
            event = self.create_interview()
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")
