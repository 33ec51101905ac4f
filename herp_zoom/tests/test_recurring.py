"""A recurring interview has one recurring Zoom meeting, whose link every occurrence carries."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from .dates import YEAR
from .test_propagation import SyncCommon

MONDAY = datetime(YEAR, 3, 4, 1, 0)  # 10:00 in Tokyo


@tagged("post_install", "-at_install")
class TestRecurringInterview(SyncCommon):
    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def weekly_interview(self, count=6, partners=None, **values):
        return self.create_interview(
            start=MONDAY, partners=partners, recurrency=True, rrule_type="weekly", interval=1,
            end_type="count", count=count, mon=True, event_tz="Asia/Tokyo", **values,
        )

    def requests(self, fake, method):
        return [call for call in fake.rsps.calls if call.request.method == method]

    def test_weekly_series_gets_one_recurring_meeting_on_every_occurrence(self):
        # (Odoo leaves recurring events out of Outlook: they must be created in Outlook itself.)
        self.sync_with_google(self.recruiter)
        with self.zoom() as fake, self.google_api() as google:
            event = self.weekly_interview()
            occurrences = event.recurrence_id.calendar_event_ids
            self.assertEqual(len(occurrences), 6)
            self.assertEqual(len(fake.create_requests), 1)
            self.assertEqual(len(fake.meetings), 1)
            _host, body = fake.create_requests[0]
            self.assertEqual(body["type"], 8)
            self.assertEqual(body["recurrence"], {"type": 2, "repeat_interval": 1, "weekly_days": "2",
                                                  "end_times": 6})
            [meeting] = fake.meetings.values()
            for occurrence in occurrences.sudo():
                self.assertEqual(occurrence.zoom_state, "issued")
                self.assertEqual(occurrence.zoom_meeting_id, str(meeting["id"]))
                self.assertEqual(occurrence.zoom_join_url, meeting["join_url"])
                self.assertEqual(occurrence.zoom_passcode, meeting["password"])
                self.assertEqual(occurrence.videocall_location, meeting["join_url"])
            ics = occurrences[-1]._get_ics_file()[occurrences[-1].id].decode()
            self.assertIn(meeting["join_url"], ics.replace("\r\n ", ""))
            self.run_after_commit()
        series = [body for method, _uri, body in google if method == "POST" and body.get("recurrence")]
        self.assertEqual(len(series), 1)
        self.assertIn(meeting["join_url"], series[0]["description"])

    def test_editing_the_series_time_patches_the_one_meeting(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.weekly_interview()
            meeting_id = int(event.zoom_meeting_id)
            self.run_postcommit()
            third = event.recurrence_id.calendar_event_ids.sorted("start")[2]
            third.with_user(self.recruiter).write({
                "start": fields.Datetime.to_string(third.start + timedelta(hours=2)),
                "stop": fields.Datetime.to_string(third.stop + timedelta(hours=2)),
                "recurrence_update": "all_events",
            })
            self.run_postcommit()
            occurrences = self.env["calendar.event"].search([("recurrence_id", "!=", False),
                                                             ("name", "=", "Interview: Chika")])
            self.assertEqual(len(occurrences), 6)
            self.assertEqual(len(fake.create_requests), 1)
            patches = [call.request.body for call in self.requests(fake, "PATCH")]
            self.assertEqual(len(patches), 1, patches)
            self.assertEqual(self.requests(fake, "DELETE"), [])
            self.assertEqual(set(occurrences.sudo().mapped("zoom_meeting_id")), {str(meeting_id)})
        self.assertEqual(fake.meetings[meeting_id]["start_time"], f"{YEAR}-03-04T03:00:00Z")

    def test_detached_occurrence_keeps_the_link(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.weekly_interview()
            self.run_postcommit()
            second = event.recurrence_id.calendar_event_ids.sorted("start")[1]
            second.with_user(self.recruiter).write({
                "start": fields.Datetime.to_string(second.start + timedelta(days=1)),
                "stop": fields.Datetime.to_string(second.stop + timedelta(days=1)),
                "recurrence_update": "self_only",
            })
            self.run_postcommit()
            self.assertEqual(second.sudo().zoom_join_url, event.sudo().zoom_join_url)
            self.assertEqual(len(fake.create_requests), 1)
            self.assertEqual(self.requests(fake, "PATCH"), [], "one occurrence does not move the series")

    def test_deleting_the_series_deletes_the_meeting_once(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.weekly_interview()
            meeting_id = int(event.zoom_meeting_id)
            occurrences = event.recurrence_id.calendar_event_ids.sorted("start")
            occurrences[1].with_user(self.recruiter).unlink()
            self.run_postcommit()
            self.assertIn(meeting_id, fake.meetings, "deleting one occurrence keeps the series' meeting")
            event.with_user(self.recruiter).action_mass_deletion("all_events")
            self.run_postcommit()
            self.assertEqual(len(self.requests(fake, "DELETE")), 1)
        self.assertNotIn(meeting_id, fake.meetings)

    def test_host_must_be_free_for_every_occurrence(self):
        partners = self.interviewer.partner_id | self.interviewer2.partner_id | self.candidate
        with self.zoom() as fake:
            # The first interviewer already hosts an interview at the time of the fourth occurrence.
            self.create_interview(start=MONDAY + timedelta(weeks=3), name="Another interview",
                                  partners=self.interviewer.partner_id | self.candidate)
            event = self.weekly_interview(partners=partners)
            self.assertIssued(event, fake, self.zoom_interviewer2)
            self.assertFalse(event.zoom_host_busy)

    def test_occurrences_that_overlap_are_named_when_no_host_is_free(self):
        with self.zoom():
            self.create_interview(start=MONDAY + timedelta(weeks=3), name="Another interview")
            event = self.weekly_interview()
        event = event.sudo()
        self.assertTrue(event.zoom_host_busy)
        self.assertIn(f"{YEAR}-03-25", event.zoom_state_reason)

    def test_rule_zoom_cannot_express_gets_a_meeting_without_fixed_time(self):
        with self.zoom() as fake:
            event = self.create_interview(start=MONDAY, recurrency=True, rrule_type="yearly", interval=1,
                                          end_type="count", count=3, event_tz="Asia/Tokyo")
            self.assertEqual(len(fake.create_requests), 1)
            _host, body = fake.create_requests[0]
            self.assertEqual(body["type"], 3)
            self.assertNotIn("recurrence", body)
            self.assertEqual(len(set(event.recurrence_id.calendar_event_ids.sudo().mapped("zoom_join_url"))), 1)

