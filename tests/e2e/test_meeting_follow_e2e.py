"""Meetings that stay right after the save, against the Zoom sandbox over real HTTP: the host
follows the interviewers, and the daily check issues again a meeting Zoom lost without telling,
whose new link reaches Google and Outlook."""

import json
from datetime import datetime, timedelta

import requests

from odoo.tests import new_test_user
from odoo.addons.herp_zoom.tests.dates import YEAR

from .sandbox_case import SandboxHttpCase


class TestMeetingsFollowEndToEnd(SandboxHttpCase):
    # Odoo gives these to test classes inside addons; this one spans herp_zoom and the sandbox.
    test_tags = {"standard", "post_install"}
    test_module = "herp_zoom"
    test_class = "TestMeetingsFollowEndToEnd"
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, "follow_admin", groups="base.group_user,base.group_system",
                                  email="follow-admin@example.com")
        cls.recruiter = new_test_user(cls.env, "follow_recruiter", email="follow-recruiter@example.com",
                                      groups="base.group_user,herp_zoom.group_zoom_recruiter", tz="Asia/Tokyo")
        cls.interviewers = [
            new_test_user(cls.env, f"follow_interviewer{number}", email=f"follow-interviewer{number}@example.com",
                          groups="base.group_user,herp_zoom.group_zoom_guest", tz="Asia/Tokyo")
            for number in (1, 2, 3)]
        cls.candidate = cls.env["res.partner"].create({"name": "Chika Candidate", "email": "chika@candidate.example"})

    def setUp(self):
        super().setUp()
        self.sandbox.state.reset()
        self.account = self.connect_sandbox_s2s(self.admin, update_meetings=True)
        for number, user in enumerate(self.interviewers, start=1):
            user._zoom_link_by_email(f"interviewer{number}@herp-demo.example")

    def create_interview(self, users, start=datetime(YEAR, 3, 4, 1)):
        """The recruiter's interview, created over JSON-RPC as the browser does."""
        self.authenticate("follow_recruiter", "follow_recruiter")
        partners = self.env["res.partner"].union(*(user.partner_id for user in users)) | self.candidate
        event_id = self.call("calendar.event", "create", [{
            "name": "Interview: Chika", "start": start.strftime("%Y-%m-%d %H:%M:%S"),
            "stop": (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
            "partner_ids": [[6, 0, partners.ids]]}])
        return self.env["calendar.event"].browse(event_id)

    def patches(self):
        return [request for request in self.sandbox.state.requests
                if request["method"] == "PATCH" and request["path"].startswith("/v2/meetings/")]

    def test_the_meeting_goes_to_the_next_interviewer_when_the_host_leaves_the_panel(self):
        event = self.create_interview(self.interviewers[:2])
        meeting_id = int(event.zoom_meeting_id)
        self.assertEqual(self.sandbox.state.meetings[meeting_id]["host_email"], "interviewer1@herp-demo.example")
        self.call("calendar.event", "write", [[event.id], {
            "partner_ids": [[3, self.interviewers[0].partner_id.id], [4, self.interviewers[2].partner_id.id]]}])
        # The update is sent after the save's commit; a test server's commit runs no post-commit
        # hook, so the scheduled action sends the update the save left pending.
        self.assertEqual(self.patches(), [])
        self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertEqual(len(self.patches()), 1, "one update")
        meeting = self.sandbox.state.meetings[meeting_id]
        self.assertEqual(meeting["host_email"], "interviewer2@herp-demo.example")
        self.assertEqual(meeting["settings"]["alternative_hosts"], "interviewer3@herp-demo.example")
        event.invalidate_recordset()
        self.assertEqual(event.zoom_host_email, "interviewer2@herp-demo.example")

    def test_the_daily_check_issues_again_a_meeting_zoom_lost_and_the_new_link_reaches_every_calendar(self):
        event = self.create_interview(self.interviewers[:1], start=datetime.now() + timedelta(days=3))
        lost = event.zoom_meeting_id
        # Deleted in Zoom with event subscriptions off: no webhook reaches Odoo.
        answer = requests.post(f"{self.sandbox.url}/_sandbox/meetings/{lost}/vanish", json={"reason": "deleted"},
                               timeout=10)
        self.assertEqual(answer.status_code, 200)
        self.env["calendar.event"]._cron_check_meetings()
        event.invalidate_recordset()
        self.assertEqual(event.zoom_state, "issued")
        self.assertNotEqual(event.zoom_meeting_id, lost)
        new_meeting = self.sandbox.state.meetings[int(event.zoom_meeting_id)]
        self.assertEqual(event.zoom_join_url, new_meeting["join_url"])
        self.assertTrue(event.need_sync and event.need_sync_m)
        # What google_calendar and microsoft_calendar send at their next sync: the new link, not the old one.
        payloads = {
            "google": json.dumps(event.with_user(self.recruiter)._google_values(), default=str),
            "outlook": json.dumps(event.with_user(self.recruiter)._microsoft_values(
                event._get_microsoft_synced_fields()), default=str),
        }
        for provider, payload in payloads.items():
            with self.subTest(provider=provider):
                self.assertIn(new_meeting["join_url"], payload)
                self.assertNotIn(f"/j/{lost}", payload)

    def test_the_daily_check_reports_a_meeting_moved_in_zoom_and_puts_it_right(self):
        event = self.create_interview(self.interviewers[:2], start=datetime.now().replace(microsecond=0)
                                      + timedelta(days=2))
        meeting_id = event.zoom_meeting_id
        requests.post(f"{self.sandbox.url}/_sandbox/meetings/{meeting_id}/edit", timeout=10, json={
            "duration": 30, "host_email": "interviewer3@herp-demo.example"})
        self.env["calendar.event"]._cron_check_meetings()
        meeting = self.sandbox.state.meetings[int(meeting_id)]
        self.assertEqual((meeting["duration"], meeting["host_email"]), (60, "interviewer1@herp-demo.example"),
                         "the interview's duration and host, sent again with schedule_for")
        self.assertEqual(len(self.patches()), 1)
        event.invalidate_recordset()
        self.assertIn("differs from the interview", str(event.message_ids[0].body))
