from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import ZoomCommon


@tagged("post_install", "-at_install")
class TestIssuance(ZoomCommon):
    def test_recruiter_event_with_linked_interviewer_issues_one_meeting(self):
        with self.zoom() as fake:
            event = self.create_interview(start=datetime(2030, 3, 4, 1, 0), hours=1)
        self.assertEqual(len(fake.create_requests), 1)
        host, body = fake.create_requests[0]
        self.assertEqual(host, "zu_interviewer")
        self.assertEqual(body["topic"], "Interview: Chika")
        # The recruiter (organizer) is in Tokyo: 01:00 UTC is 10:00 there.
        self.assertEqual(body["start_time"], "2030-03-04T10:00:00")
        self.assertEqual(body["timezone"], "Asia/Tokyo")
        self.assertEqual(body["duration"], 60)
        self.assertEqual(body["type"], 2)
        meeting = self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertNotIn("SECRET-HOST-ZAK", str(event.sudo().read()[0]))
        self.assertEqual(event.zoom_meeting_id, str(meeting["id"]))

    def test_event_without_linked_attendee_issues_nothing(self):
        with self.zoom() as fake:
            event = self.create_interview(partners=self.candidate | self.employee.partner_id)
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")
        self.assertFalse(event.videocall_location)

    def test_event_created_by_user_without_issuing_role_issues_nothing(self):
        for user in (self.employee, self.interviewer):
            with self.zoom() as fake:
                event = self.create_interview(user=user)
            self.assertFalse(fake.create_requests, user.login)
            self.assertEqual(event.zoom_state, "none")

    def test_assistant_and_admin_issue(self):
        for user in (self.assistant, self.zoom_admin):
            with self.zoom() as fake:
                event = self.create_interview(user=user)
            self.assertIssued(event, fake, self.zoom_interviewer)

    def test_all_day_event_gets_no_meeting(self):
        with self.zoom() as fake:
            event = self.env["calendar.event"].with_user(self.recruiter).create({
                "name": "Interview day",
                "allday": True,
                "start_date": "2030-03-04",
                "stop_date": "2030-03-04",
                "partner_ids": [(6, 0, self.interviewer.partner_id.ids)],
            })
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")

    def test_edits_neither_issue_nor_delete(self):
        with self.zoom() as fake:
            plain = self.create_interview(partners=self.candidate)
            plain.with_user(self.recruiter).write({"partner_ids": [(4, self.interviewer.partner_id.id)]})
            self.assertFalse(fake.create_requests)
            event = self.create_interview()
            meeting_id = event.zoom_meeting_id
            event.with_user(self.recruiter).write({"partner_ids": [(3, self.interviewer.partner_id.id)]})
            event.with_user(self.recruiter).write({"partner_ids": [(4, self.interviewer2.partner_id.id)]})
            self.assertEqual(len(fake.create_requests), 1)
            event.with_user(self.recruiter).unlink()
            self.assertIn(int(meeting_id), fake.meetings)

    def test_batch_create_issues_one_meeting_per_event(self):
        with self.zoom() as fake:
            events = self.env["calendar.event"].with_user(self.recruiter).create([
                {
                    "name": f"Interview {index}",
                    "start": datetime(2030, 3, 4, 1, 0) + timedelta(days=index),
                    "stop": datetime(2030, 3, 4, 2, 0) + timedelta(days=index),
                    "partner_ids": [(6, 0, (self.interviewer.partner_id | self.candidate).ids)],
                }
                for index in range(3)
            ] + [{"name": "Lunch", "start": datetime(2030, 3, 4, 3, 0), "stop": datetime(2030, 3, 4, 4, 0),
                  "partner_ids": [(6, 0, self.candidate.ids)]}])
        self.assertEqual(len(fake.create_requests), 3)
        self.assertEqual(events.mapped("zoom_state"), ["issued", "issued", "issued", "none"])
        self.assertEqual(len(set(events[:3].mapped("zoom_meeting_id"))), 3)

    def test_organizer_hosts_when_linked_and_others_become_alternative_hosts(self):
        self.recruiter._zoom_link(self.zoom_recruiting)
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.recruiter.partner_id)
        host, body = fake.create_requests[0]
        self.assertEqual(host, "zu_recruiting")
        self.assertEqual(body["settings"]["alternative_hosts"], "interviewer@zoom.example")
        self.assertIssued(event, fake, self.zoom_recruiting)

    def test_busy_host_is_skipped(self):
        with self.zoom() as fake:
            first = self.create_interview(partners=self.interviewer.partner_id)
            second = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id,
                                           start=datetime(2030, 3, 4, 1, 30))
        self.assertIssued(first, fake, self.zoom_interviewer)
        self.assertIssued(second, fake, self.zoom_interviewer2)
        self.assertFalse(second.zoom_host_busy)

    def test_every_host_busy_still_issues_and_says_so(self):
        with self.zoom() as fake:
            self.create_interview(partners=self.interviewer.partner_id)
            second = self.create_interview(start=datetime(2030, 3, 4, 1, 30))
        self.assertIssued(second, fake, self.zoom_interviewer)
        self.assertTrue(second.zoom_host_busy)
        self.assertIn("overlapping", second.zoom_state_reason)
        self.assertIn("overlapping", second.message_ids[:1].body)

    def test_copy_does_not_reuse_meeting(self):
        with self.zoom() as fake:
            event = self.create_interview()
            copy = event.with_user(self.recruiter).copy({"start": datetime(2030, 4, 1, 1, 0), "stop": datetime(2030, 4, 1, 2, 0)})
        self.assertEqual(len(fake.create_requests), 2)
        self.assertNotEqual(copy.zoom_meeting_id, event.zoom_meeting_id)
        self.assertNotEqual(copy.videocall_location, event.videocall_location)
