"""The daily check of upcoming interviews' meetings against Zoom: a meeting Zoom lost is issued
again, one that drifted is reported (and put right with updates on), within a request budget."""

import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ZoomCommon
from .dates import YEAR

NOW = datetime(YEAR, 3, 1, 0, 0)
START = datetime(YEAR, 3, 4, 1, 0)


@tagged("post_install", "-at_install")
class TestDailyMeetingCheck(ZoomCommon):
    def setUp(self):
        super().setUp()
        # The tests move the clock to YEAR: the connection's token is still valid then.
        self.account.token_expires_at = datetime(YEAR + 1, 1, 1)
        self.account.flush_recordset()

    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def gets(self, fake):
        # Inside the block responses keeps the calls, after it the fake does.
        return [call.request.path_url for call in fake.sent or fake.rsps.calls
                if call.request.method == "GET" and "/meetings/" in call.request.path_url]

    def check(self):
        self.env["calendar.event"]._cron_check_meetings()
        self.run_postcommit()

    def interviews(self, count=1, **values):
        events = self.env["calendar.event"]
        for index in range(count):
            events |= self.create_interview(start=START + timedelta(days=index), **values)
        self.run_postcommit()
        return events.sudo()

    def test_the_scheduled_action_is_on_by_default_and_runs_daily(self):
        cron = self.env.ref("herp_zoom.ir_cron_check_meetings")
        self.assertTrue(cron.active)
        self.assertTrue(self.env["zoom.account"].sudo().new({}).check_meetings)

    def test_upcoming_meetings_are_read_once_a_day_and_again_before_the_start(self):
        day = datetime(YEAR, 3, 3, 0, 0)
        with self.zoom() as fake:
            with freeze_time(NOW):
                events = self.interviews(2)  # START and a day later
                past = self.create_interview(start=NOW - timedelta(days=2))
            reads = []
            for moment in (day, day, START - timedelta(hours=2, minutes=30), START - timedelta(hours=2),
                           day + timedelta(days=1, minutes=31)):
                with freeze_time(moment):
                    before = len(self.gets(fake))
                    self.check()
                    reads.append(sorted(self.gets(fake)[before:]))
        first, second = (f"/v2/meetings/{event.zoom_meeting_id}" for event in events)
        self.assertEqual(reads, [
            sorted([first, second]),  # never read: both
            [],  # once a day
            [first],  # within the last 3 hours before its start
            [],  # read already in that window
            [second],  # a day after its last read
        ])
        self.assertNotIn(f"/v2/meetings/{past.sudo().zoom_meeting_id}", self.gets(fake))

    def test_a_meeting_zoom_no_longer_has_is_issued_again_everywhere(self):
        with freeze_time(NOW), self.zoom() as fake:
            event = self.interviews()
            old_url = event.zoom_join_url
            del fake.meetings[int(event.zoom_meeting_id)]  # deleted in Zoom, without a webhook
            last_mail = max(self.env["mail.mail"].sudo().search([]).ids or [0])
            self.check()
        self.assertEqual(len(fake.create_requests), 2, "the interview's, then the new one")
        event.invalidate_recordset()
        self.assertEqual(event.zoom_state, "issued")
        self.assertNotEqual(event.zoom_join_url, old_url)
        self.assertEqual(event.videocall_location, event.zoom_join_url)
        self.assertIn(event.zoom_join_url, event._get_customer_description())
        self.assertIn(event.zoom_join_url, event._get_ics_file()[event.id].decode().replace("\r\n ", ""))
        self.assertTrue(event.need_sync, "Google gets the new link")
        self.assertTrue(event.need_sync_m, "Outlook gets the new link")
        self.assertIn("no longer had the meeting", str(event.message_ids.mapped("body")))
        new_mails = self.env["mail.mail"].sudo().search([("id", ">", last_mail)])
        self.assertTrue([mail for mail in new_mails if event.zoom_join_url in str(mail.body_html)],
                        "a new invitation carries the new link")

    def test_a_meeting_that_drifted_is_reported_and_sent_again_with_updates_on(self):
        for updates in (False, True):
            with self.subTest(updates=updates), self.env.cr.savepoint() as savepoint:
                self.account.update_meetings = updates
                with freeze_time(NOW), self.zoom() as fake:
                    event = self.interviews()
                    meeting = fake.meetings[int(event.zoom_meeting_id)]
                    meeting.update(start_time=f"{YEAR}-03-05T01:00:00Z", duration=30)  # moved in Zoom
                    self.check()
                    self.check()
                patches = [json.loads(call.request.body) for call in fake.sent if call.request.method == "PATCH"]
                notes = [body for body in event.message_ids.mapped("body") if "differs from the interview" in body]
                self.assertEqual(len(notes), 1, "reported once")
                if updates:
                    self.assertEqual(len(patches), 1)
                    self.assertEqual((patches[0]["start_time"], patches[0]["duration"]), (f"{YEAR}-03-04T01:00:00Z", 60))
                else:
                    self.assertEqual(patches, [])
                savepoint.rollback()
                self.env.invalidate_all()

    def test_requests_stay_within_the_budget_of_a_run(self):
        self.account.check_max_requests = 2
        with freeze_time(NOW), self.zoom() as fake:
            self.interviews(3)
            self.check()
            self.assertEqual(len(self.gets(fake)), 2)
            self.check()
            self.assertEqual(len(self.gets(fake)), 3, "the rest in the next run")

    def test_zoom_not_answering_postpones_the_rest_and_marks_nothing_wrong(self):
        for status in (429, 503):
            with self.subTest(status=status), self.env.cr.savepoint() as savepoint:
                with freeze_time(NOW), self.zoom() as fake:
                    events = self.interviews(3)
                    fake.fail_next("GET", status, headers={"Retry-After": "60"} if status == 429 else None)
                    self.check()
                    self.assertEqual(len(self.gets(fake)), 1, "the run stops at Zoom's refusal")
                    self.assertEqual(set(events.mapped("zoom_state")), {"issued"})
                    self.assertFalse([body for body in events.message_ids.mapped("body") if "Zoom" in body
                                      and "differs" in body])
                    self.assertEqual(fake.create_requests[3:], [], "nothing issued again")
                    self.check()
                    self.assertEqual(len(self.gets(fake)), 4, "the three are read in the next run")
                savepoint.rollback()
                self.env.invalidate_all()

    def test_check_setup_shows_the_last_run(self):
        with freeze_time(NOW), self.zoom() as fake:
            self.interviews(2)
            self.check()
            fake.me = fake.users["zu_recruiting"]
            check = self.env["zoom.setup.check"].with_user(self.zoom_admin)._run(self.company)
        line = check.line_ids.filtered(lambda line: line.key == "meeting_check")
        self.assertEqual(line.state, "ok")
        self.assertIn("2 meeting(s) read", line.detail)
