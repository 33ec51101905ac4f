"""Zoom's summary is fetched by the scheduled action, never inside Zoom's webhook request: Zoom wants
its answer within 3 seconds and re-delivers otherwise."""

import json
import time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .test_meeting_results import UUID, ResultsCommon
from .test_webhook import sign_as_zoom

WEBHOOK_SECRET = "results-webhook-secret-VALUE"


@tagged("post_install", "-at_install")
class TestSummaryFetchedAfterTheWebhook(ResultsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.webhook_secret = WEBHOOK_SECRET
        cls.fetch_cron = cls.env.ref("herp_zoom.ir_cron_fetch_pending_summaries")

    def deliver(self, event, meeting, event_ts=None, **extra):
        """One delivery as Zoom makes it: a signed POST to the webhook."""
        if event_ts is None:
            type(self).event_ts += 1
            event_ts = self.event_ts
        data = {"event": event, "event_ts": event_ts,
                "payload": {"account_id": self.account.zoom_account_id, "object": meeting}, **extra}
        body = json.dumps(data).encode()
        timestamp = str(int(time.time()))
        response = self.url_open("/herp_zoom/webhook", data=body, headers={
            "Content-Type": "application/json", "x-zm-request-timestamp": timestamp,
            "x-zm-signature": sign_as_zoom(WEBHOOK_SECRET, timestamp, body)})
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        return data

    def fetch_triggers(self):
        return self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", self.fetch_cron.id)])

    def test_webhook_asks_zoom_nothing_and_the_scheduled_action_fetches_at_once(self):
        triggers_before = self.fetch_triggers()
        with self.zoom() as during_webhook:
            during_webhook.summaries[UUID] = {"summary_content": "Strong in Python."}
            delivery = self.summary_completed()
            self.deliver(delivery["event"], delivery["payload"]["object"], event_ts=delivery["event_ts"])  # re-delivery
        self.assertEqual(len(during_webhook.sent), 0)
        result = self.result()
        self.assertEqual((result.summary_state, result.summary_attempts), ("pending", 0))
        self.assertFalse(self.result_notes(self.event))
        # The scheduled action is asked to run now, not at its next interval.
        [trigger] = self.fetch_triggers() - triggers_before
        self.assertLessEqual(trigger.call_at, fields.Datetime.now())

        with self.zoom() as during_cron:
            during_cron.summaries[UUID] = {"summary_content": "Strong in Python."}
            self.env["zoom.meeting.result"]._cron_fetch_pending_summaries()
            self.env["zoom.meeting.result"]._cron_fetch_pending_summaries()
        self.assertEqual(len([call for call in during_cron.sent if "meeting_summary" in call.request.url]), 1)
        self.assertEqual(result.summary_state, "done")
        self.assertEqual(result.summary, "Strong in Python.")
        [note] = self.result_notes(self.event)
        self.assertIn("Strong in Python.", note.body)
        self.assertTrue(note.subtype_id.internal)

    def test_setting_off_records_no_pending_fetch(self):
        self.account.fetch_meeting_results = False
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Good."}
            self.summary_completed()
            self.env["zoom.meeting.result"]._cron_fetch_pending_summaries()
        self.assertEqual(len(fake.sent), 0)
        self.assertFalse(self.result())

    def test_setting_turned_off_before_the_scheduled_action_runs_asks_zoom_nothing(self):
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Good."}
            self.summary_completed()
            self.account.fetch_meeting_results = False
            self.env["zoom.meeting.result"]._cron_fetch_pending_summaries()
        self.assertEqual(len(fake.sent), 0)
        self.assertEqual(self.result().summary_state, "pending")
        self.assertFalse(self.result_notes(self.event))
