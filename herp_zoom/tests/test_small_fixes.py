"""Copies, all-day events, shared create values, Google-synced deletions and UTC start times."""

from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .dates import YEAR
from .test_propagation import SyncCommon


@tagged("post_install", "-at_install")
class TestSmallFixes(SyncCommon):
    def mails_to_candidate(self, event):
        return self.env["mail.mail"].sudo().search([
            ("model", "=", "calendar.event"), ("res_id", "=", event.id),
            ("recipient_ids", "in", self.candidate.ids),
        ])

    def test_copy_sends_the_invitation_once_with_the_link(self):
        with self.zoom() as fake:
            event = self.create_interview()
            copy = event.with_user(self.recruiter).copy({"start": datetime(YEAR, 4, 1, 1, 0),
                                                         "stop": datetime(YEAR, 4, 1, 2, 0)})
            self.assertIssued(copy, fake, self.zoom_interviewer)
        mails = self.mails_to_candidate(copy)
        self.assertEqual(len(mails), 1)
        self.assertIn(copy.zoom_join_url, mails.body_html)

    def test_issuing_an_all_day_event_by_hand_is_refused(self):
        with self.zoom() as fake:
            event = self.env["calendar.event"].with_user(self.recruiter).create({
                "name": "Assessment day", "allday": True, "start_date": date(YEAR, 3, 4), "stop_date": date(YEAR, 3, 4),
                "partner_ids": [(6, 0, (self.interviewer.partner_id | self.candidate).ids)],
            })
            with self.assertRaisesRegex(UserError, "All-day events get no Zoom meeting"):
                event.with_user(self.recruiter).action_zoom_issue_meeting()
            self.assertEqual(fake.create_requests, [])
        self.assertFalse(event.zoom_meeting_id)

    def test_create_leaves_the_callers_values_alone(self):
        values = {"name": "Interview", "start": datetime(YEAR, 3, 4, 1, 0), "stop": datetime(YEAR, 3, 4, 2, 0),
                  "partner_ids": [(6, 0, (self.interviewer.partner_id | self.candidate).ids)]}
        with self.zoom() as fake:
            events = self.env["calendar.event"].with_user(self.recruiter).create([values] * 3)
        self.assertEqual(len(fake.create_requests), 3)
        self.assertEqual(len(set(events.mapped("zoom_meeting_id"))), 3)
        self.assertEqual(set(fake.meetings), {int(meeting_id) for meeting_id in events.mapped("zoom_meeting_id")})
        self.assertNotIn("zoom_meeting_id", values)

    def test_deleting_a_google_synced_interview_queues_its_deletion_once(self):
        self.account.delete_meetings = True
        self.sync_with_google(self.recruiter)
        with self.zoom(), self.google_api():
            event = self.create_interview()
            self.run_after_commit()
            self.assertTrue(event.google_id)
            event.with_user(self.recruiter).unlink()
            deletions = self.env["zoom.meeting.deletion"].sudo().search([("meeting_id", "=", event.zoom_meeting_id)])
        self.assertEqual(len(deletions), 1)

    def test_start_time_is_sent_in_utc(self):
        with self.zoom() as fake:
            self.create_interview(start=datetime(YEAR, 11, 3, 5, 30))
        [(_host, body)] = fake.create_requests
        self.assertEqual(body["start_time"], f"{YEAR}-11-03T05:30:00Z")
        self.assertEqual(body["timezone"], "Asia/Tokyo")
