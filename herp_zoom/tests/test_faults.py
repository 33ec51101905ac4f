"""Nothing lost when Zoom fails: each failure leaves the event saved, explained and retried."""

import json
import logging
from datetime import datetime, timedelta

import requests
import responses
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.calendar_event import MAX_ISSUE_ATTEMPTS
from .common import API_URL, OAUTH_URL, ZoomCommon
from .dates import YEAR

SECRETS = ("test-client-secret-VALUE", "ACCESS-TOKEN-VALUE", "REFRESH-TOKEN-VALUE")


@tagged("post_install", "-at_install")
class TestFaults(ZoomCommon):
    def setUp(self):
        super().setUp()
        self.logs = self.enterContext(self.assertLogs("odoo.addons.herp_zoom", level="DEBUG"))
        logging.getLogger("odoo.addons.herp_zoom").debug("capturing")

    def tearDown(self):
        leaked = [line for line in self.logs.output if any(secret in line for secret in SECRETS)]
        self.assertFalse(leaked, "a secret reached the logs")
        super().tearDown()

    def cron_trigger_at(self):
        cron = self.env.ref("herp_zoom.ir_cron_issue_pending_meetings")
        return self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)], order="call_at desc", limit=1).call_at

    def assertPending(self, event, reason_part):
        self.assertEqual(event.zoom_state, "pending")
        self.assertIn(reason_part, event.zoom_state_reason)
        self.assertIn("tried again automatically", str(event.message_ids[0].body))
        self.assertTrue(event.zoom_retry_at)
        self.assertTrue(self.cron_trigger_at())

    def test_each_transient_failure_leaves_a_pending_event(self):
        failures = [
            ("refused", requests.ConnectionError("refused"), "could not be reached"),
            ("timeout", requests.Timeout("slow"), "did not answer in time"),
            ("500", (500, {"code": 500, "message": "Internal"}), "temporarily unavailable"),
            ("503", (503, {"code": 503, "message": "Unavailable"}), "temporarily unavailable"),
            ("garbage", (200, "<html>oops</html>"), "unreadable"),
        ]
        for name, failure, reason in failures:
            with responses.RequestsMock() as rsps:
                if isinstance(failure, Exception):
                    rsps.add(responses.POST, API_URL + "/users/zu_interviewer/meetings", body=failure)
                else:
                    status, body = failure
                    rsps.add(responses.POST, API_URL + "/users/zu_interviewer/meetings", status=status,
                             body=body if isinstance(body, str) else json.dumps(body))
                event = self.create_interview(name=f"Interview {name}")
            self.assertTrue(event.exists(), name)
            self.assertPending(event, reason)

    def test_rate_limit_honours_retry_after(self):
        with responses.RequestsMock() as rsps:
            rsps.add(responses.POST, API_URL + "/users/zu_interviewer/meetings", status=429,
                     headers={"Retry-After": "900"}, json={"code": 429, "message": "Too many requests."})
            before = fields.Datetime.now()
            event = self.create_interview()
        self.assertPending(event, "too many requests")
        self.assertGreaterEqual(event.zoom_retry_at, before + timedelta(seconds=899))
        self.assertEqual(self.cron_trigger_at(), event.zoom_retry_at)

    def test_cron_retries_with_backoff_then_issues_exactly_one_meeting(self):
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            event = self.create_interview()
            first_retry = event.zoom_retry_at
            fake.fail_next("POST", 503)
            with freeze_time(first_retry + timedelta(seconds=1)):
                self.env["calendar.event"]._cron_issue_pending_meetings()
            self.assertEqual(event.zoom_state, "pending")
            self.assertGreater(event.zoom_retry_at - fields.Datetime.now(), timedelta(minutes=1))
            with freeze_time(event.zoom_retry_at + timedelta(seconds=1)):
                self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual(len(fake.meetings), 1)
        self.assertIn("issued", str(event.message_ids[0].body))

    def test_bounded_retries_end_in_failed(self):
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            event = self.create_interview()
            for _attempt in range(MAX_ISSUE_ATTEMPTS):
                fake.fail_next("POST", 503)
                with freeze_time(event.zoom_retry_at + timedelta(seconds=1)):
                    self.env["calendar.event"]._cron_issue_pending_meetings()
                if event.zoom_state == "failed":
                    break
        self.assertEqual(event.zoom_state, "failed")
        self.assertIn("failed", event.zoom_state_reason)
        self.assertFalse(fake.meetings)

    def test_user_gone_from_the_account_fails_at_once(self):
        with self.zoom() as fake:
            fake.users.pop("zu_interviewer")
            event = self.create_interview(partners=self.interviewer.partner_id)
        self.assertEqual(event.zoom_state, "failed")
        self.assertIn("no longer a user", str(event.message_ids[0].body))

    def test_revoked_connection_fails_and_asks_for_reauthorization(self):
        self.account.token_expires_at = "2020-01-01 00:00:00"
        with responses.RequestsMock() as rsps:
            rsps.add(responses.POST, OAUTH_URL + "/oauth/token", status=400,
                     json={"reason": "Invalid Token!", "error": "invalid_grant"})
            event = self.create_interview()
        self.assertEqual(event.zoom_state, "failed")
        self.assertIn("connect the Zoom account again", event.zoom_state_reason)

    def test_token_refresh_timing_out_is_retried_later(self):
        self.account.token_expires_at = "2020-01-01 00:00:00"
        with responses.RequestsMock() as rsps:
            rsps.add(responses.POST, OAUTH_URL + "/oauth/token", body=requests.Timeout("slow"))
            event = self.create_interview()
        self.assertPending(event, "did not answer in time")
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "connected")

    def test_401_once_refreshes_the_token_and_retries_once(self):
        with self.zoom() as fake:
            fake.fail_next("POST", 401, {"code": 124, "message": "Invalid access token."})
            token = fake.rsps.add(responses.POST, OAUTH_URL + "/oauth/token", json={
                "access_token": "FRESH", "refresh_token": "RT-NEXT", "expires_in": 3599})
            event = self.create_interview()
        self.assertEqual(token.call_count, 1)
        self.assertIssued(event, fake, self.zoom_interviewer)

    def test_lost_answer_is_adopted_not_duplicated(self):
        with self.zoom() as fake:
            fake.lose_next_answers = 1
            event = self.create_interview(partners=self.interviewer.partner_id)
            self.assertEqual(event.zoom_state, "pending")
            self.assertEqual(event.zoom_uncertain_host, "zu_interviewer")
            self.assertEqual(len(fake.meetings), 1)
            event.with_user(self.recruiter).action_zoom_issue_meeting()
        self.assertEqual(len(fake.meetings), 1)
        self.assertEqual(len(fake.create_requests), 1)
        self.assertIssued(event, fake, self.zoom_interviewer)

    def run_postcommit(self):
        """What runs once the transaction is committed (tests do not commit)."""
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def test_a_host_a_retry_leaves_is_no_longer_busy_for_the_interview_that_overlapped_it(self):
        both = self.interviewer.partner_id | self.interviewer2.partner_id
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            pending = self.create_interview(partners=both | self.candidate)
            self.assertEqual((pending.zoom_state, pending.zoom_uncertain_host), ("pending", "zu_interviewer"))
            # Meanwhile an interview with the first interviewer alone: its only host counts as busy.
            overlapping = self.create_interview(partners=self.interviewer.partner_id | self.candidate,
                                                name="Interview: Aki")
            self.assertTrue(overlapping.sudo().zoom_host_busy)
            self.assertIn("already hosts", overlapping.zoom_state_reason)
            # The retry finds no meeting at Zoom and takes the second interviewer, who is free.
            pending.with_user(self.recruiter).action_zoom_issue_meeting()
            self.run_postcommit()
        self.assertIssued(pending, fake, self.zoom_interviewer2)
        self.assertIssued(overlapping, fake, self.zoom_interviewer)
        self.assertFalse(overlapping.sudo().zoom_host_busy)
        self.assertFalse(overlapping.zoom_state_reason)

    def test_deleting_an_interview_frees_its_host_for_the_one_that_overlapped_it(self):
        with self.zoom():
            first = self.create_interview(partners=self.interviewer.partner_id | self.candidate)
            second = self.create_interview(partners=self.interviewer.partner_id | self.candidate,
                                           name="Interview: Aki", start=datetime(YEAR, 3, 4, 1, 30))
            self.assertTrue(second.sudo().zoom_host_busy)
            first.with_user(self.recruiter).unlink()
            # Looked at again once the deletion is committed, not within its transaction.
            self.assertTrue(second.sudo().zoom_host_busy)
            self.run_postcommit()
        self.assertFalse(second.sudo().zoom_host_busy)
        self.assertFalse(second.zoom_state_reason)

    def test_moving_an_interview_away_frees_its_host_for_the_one_that_overlapped_it(self):
        with self.zoom():
            first = self.create_interview(partners=self.interviewer.partner_id | self.candidate)
            second = self.create_interview(partners=self.interviewer.partner_id | self.candidate,
                                           name="Interview: Aki", start=datetime(YEAR, 3, 4, 1, 30))
            self.assertTrue(second.sudo().zoom_host_busy)
            first.with_user(self.recruiter).write({"start": datetime(YEAR, 3, 4, 5), "stop": datetime(YEAR, 3, 4, 6)})
            self.run_postcommit()
        self.assertFalse(second.sudo().zoom_host_busy)
        self.assertFalse(second.zoom_state_reason)

    def test_a_private_interview_still_overlapping_keeps_its_note_whoever_deleted_the_other(self):
        """The assistant, who is not on a private interview, read it (calendar blanks its fields for
        them), then deletes another interview on the same host: the private one still overlaps a
        third one and keeps its note, read from what the database holds."""
        host_only = self.interviewer.partner_id | self.candidate
        with self.zoom():
            deleted = self.create_interview(user=self.assistant, partners=host_only)
            private = self.create_interview(partners=host_only, name="Interview: Aki", privacy="private")
            self.create_interview(partners=host_only, name="Interview: Ben")
            self.assertTrue(private.sudo().zoom_host_busy)
            private.with_user(self.assistant).read(["zoom_host_zoom_user_id", "zoom_account_id"])
            deleted.with_user(self.assistant).unlink()
            self.run_postcommit()
        self.assertTrue(private.sudo().zoom_host_busy)
        self.assertIn("already hosts", private.sudo().zoom_state_reason)

    def test_button_is_for_issuing_roles_and_a_second_click_creates_nothing(self):
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            event = self.create_interview()
            with self.assertRaisesRegex(AccessError, "^Only Zoom administrators, recruiters and assistants can issue "
                                                     "Zoom meetings.$"):
                event.with_user(self.interviewer).action_zoom_issue_meeting()
            self.assertEqual(len(fake.meetings), 0, "the refused click sent nothing to Zoom")
            event.with_user(self.recruiter).action_zoom_issue_meeting()
            event.with_user(self.recruiter).action_zoom_issue_meeting()
        self.assertEqual(len(fake.meetings), 1)

    def test_daily_limit_moves_to_another_host_and_remembers_the_limited_one(self):
        limited = {"code": 429, "message": "You have exceeded the daily rate limit (100) of Meeting Create/Update "
                   "API requests permitted for this particular user. You may resume these user-level requests "
                   "at GMT 00:00:00."}
        partners = self.interviewer.partner_id | self.interviewer2.partner_id
        with self.zoom() as fake:
            fake.fail_next("POST", 429, limited)
            first = self.create_interview(partners=partners)
            second = self.create_interview(partners=partners, start=datetime(YEAR, 3, 8, 1))
        self.assertIssued(first, fake, self.zoom_interviewer2)
        self.assertIssued(second, fake, self.zoom_interviewer2)
        hosts_asked = [host for host, _body in fake.create_requests]
        self.assertEqual(hosts_asked, ["zu_interviewer2", "zu_interviewer2"])
        host = self.env["zoom.host"].sudo().search([("zoom_user_id", "=", "zu_interviewer")])
        self.assertTrue(host.daily_limit_until > fields.Datetime.now())
        self.assertIn("daily limit", str(first.message_ids[0].body))

    def test_daily_limit_of_a_single_shared_user_is_said_plainly(self):
        limited = {"code": 429, "message": "You have exceeded the daily rate limit (100) of Meeting Create/Update "
                   "API requests permitted for this particular user."}
        self.interviewer._zoom_link(self.zoom_recruiting)
        with self.zoom() as fake:
            fake.fail_next("POST", 429, limited)
            event = self.create_interview(partners=self.interviewer.partner_id)
        self.assertEqual(event.zoom_state, "pending")
        self.assertIn("100 meeting creations per day", event.zoom_state_reason)
        self.assertEqual(event.zoom_retry_at.time(), datetime.min.time())
        self.assertFalse(fake.meetings)

    def test_meeting_of_an_interview_rolled_back_is_deleted_at_zoom(self):
        with self.zoom() as fake:
            with self.assertRaisesRegex(ValueError, "^The interview could not be saved.$"):
                with self.registry.cursor() as cr:
                    event = self.env(cr=cr, user=self.recruiter)["calendar.event"].create({
                        "name": "Interview: Chika", "start": datetime(YEAR, 3, 4, 1), "stop": datetime(YEAR, 3, 4, 2),
                        "partner_ids": [(6, 0, (self.interviewer.partner_id | self.candidate).ids)],
                    })
                    meeting_id = event.sudo().zoom_meeting_id
                    self.assertEqual(event.sudo().zoom_state, "issued")
                    # A later step of the same request fails: the interview is never saved.
                    raise ValueError("The interview could not be saved.")
            deletions = [call.request.url for call in fake.rsps.calls if call.request.method == "DELETE"]
        self.assertEqual(deletions, [f"{API_URL}/meetings/{meeting_id}"])
        self.assertEqual(fake.meetings, {}, "Zoom keeps no meeting of an interview that does not exist")
        self.assertFalse(self.env["calendar.event"].search([("zoom_meeting_id", "=", meeting_id)]))

    def test_zoom_refusing_an_alternative_host_issues_the_meeting_without_it(self):
        self.recruiter._zoom_link(self.zoom_recruiting)
        with self.zoom() as fake:
            fake.fail_next("POST", 400, {"code": 1114, "message": "Invalid alternative host email: "
                                                                  "interviewer@zoom.example."})
            event = self.create_interview(partners=self.interviewer.partner_id | self.recruiter.partner_id)
            bodies = [json.loads(call.request.body) for call in fake.rsps.calls if call.request.method == "POST"]
        self.assertEqual(len(bodies), 2, "one refused request, one retry")
        self.assertEqual(bodies[0]["settings"]["alternative_hosts"], "interviewer@zoom.example")
        self.assertNotIn("alternative_hosts", bodies[1]["settings"])
        self.assertEqual(bodies[1], dict(bodies[0], settings={
            key: value for key, value in bodies[0]["settings"].items() if key != "alternative_hosts"}),
            "only the alternative hosts are left out: the company's settings stay")
        self.assertIssued(event, fake, self.zoom_recruiting)
        self.assertIn("could not be made alternative hosts", str(event.message_ids[0].body))

    def test_lost_answer_is_adopted_by_the_scheduled_action_after_a_rename(self):
        partners = self.interviewer.partner_id | self.candidate
        with self.zoom() as fake:
            # The host already has meetings, one of them with the same name as the lost one.
            earlier = self.create_interview(partners=partners, start=datetime(YEAR, 3, 10, 1))
            self.create_interview(name="Interview: Daichi", partners=partners, start=datetime(YEAR, 3, 11, 1))
            fake.lose_next_answers = 1
            event = self.create_interview(partners=partners)
            self.assertEqual((event.zoom_state, event.zoom_uncertain_host), ("pending", "zu_interviewer"))
            lost_id = max(fake.meetings)  # created by Zoom, its answer lost
            # Renamed before the retry: the lost meeting still has the old topic at Zoom.
            event.with_user(self.recruiter).write({"name": "Interview: Chika (second round)"})
            with freeze_time(event.zoom_retry_at + timedelta(seconds=1)):
                self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertEqual(event.zoom_state, "issued", event.zoom_state_reason)
        self.assertEqual(event.zoom_meeting_id, str(lost_id))
        self.assertEqual(len(fake.create_requests), 3, "no second meeting was created for the interview")
        self.assertEqual(len(fake.meetings), 3)
        self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual(earlier.zoom_meeting_id, str(min(fake.meetings)))
