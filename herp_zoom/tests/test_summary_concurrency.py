"""The scheduled action that fetches Zoom's summaries and a webhook of the same meeting instance
meet on the result's row: the action's write loses to the webhook's, and the summary is fetched
again by a run started at once. Real, separate transactions (no test cursor), with the action's
own commits."""

from datetime import datetime, timedelta
from unittest.mock import patch

import responses

from odoo import api, tools
from odoo.tests import tagged

from .. import compat
from .committed import CommittedDataCase, commit_main_connection
from .common import API_URL

UUID = "concurrent-instance=="


@tagged("post_install", "-at_install")
class TestSummaryMeetsAWebhook(CommittedDataCase):
    def setUp(self):
        super().setUp()
        self.assertFalse(compat.registry_in_test_mode(self.registry), "needs real transactions")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            account = commit_main_connection(
                env, access_token="SUMMARY-ACCESS", token_expires_at=datetime.now() + timedelta(hours=1),
                fetch_meeting_results=True, meeting_summary="on", meeting_summary_consent="always")
            event = env["calendar.event"].with_context(herp_zoom_no_issue=True).create({
                "name": "Interview: summary meets webhook", "start": datetime.now() - timedelta(hours=2),
                "stop": datetime.now() - timedelta(hours=1),
            })
            self.result_id = env["zoom.meeting.result"].create({
                "event_id": event.id, "account_id": account.id, "zoom_meeting_id": "81200000077",
                "meeting_uuid": UUID, "summary_state": "pending", "summary_retry_at": datetime.now() - timedelta(minutes=1),
            }).id
            self.cron_id = env.ref("herp_zoom.ir_cron_fetch_pending_summaries").id

    def test_the_summary_is_fetched_again_and_no_database_error_is_logged(self):
        registry, result_id = self.registry, self.result_id

        def summary_while_the_webhook_writes(request):
            # Zoom's recording webhook of the same instance commits while Zoom answers the action.
            with registry.cursor() as webhook:
                webhook.execute("UPDATE zoom_meeting_result SET recording_duration = 48 WHERE id = %s", [result_id])
            return 200, {}, '{"meeting_uuid": "%s", "summary_content": "Strong in Python."}' % UUID

        with responses.RequestsMock() as rsps, patch.dict(tools.config.options, {"test_enable": False}):
            rsps.add_callback(responses.GET, f"{API_URL}/meetings/{UUID.replace('=', '%3D')}/meeting_summary",
                              callback=summary_while_the_webhook_writes)
            with self.registry.cursor() as cr, self.assertNoLogs("odoo.sql_db", level="ERROR"):
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env["zoom.meeting.result"]._cron_fetch_pending_summaries()
            self.assertEqual(len(rsps.calls), 1)
        with self.registry.cursor() as cr:
            cr.execute("SELECT summary_state, recording_duration FROM zoom_meeting_result WHERE id = %s", [result_id])
            self.assertEqual(cr.fetchone(), ("pending", 48))
            cr.execute("SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s", [self.cron_id])
            self.assertGreaterEqual(cr.fetchone()[0], 1)
