"""The meeting's hosts follow the interview after the save: the host leaving the panel, archived
or unlinked hands the meeting to another linked interviewer, and the alternative hosts follow the
attendees, in one update once the save is committed."""

import json
from datetime import datetime, timedelta

from odoo.tests import new_test_user, tagged

from .common import ZoomCommon, fake_zoom, zoom_user
from .dates import YEAR

START = datetime(YEAR, 3, 4, 1, 0)


@tagged("post_install", "-at_install")
class TestHostsFollowTheInterviewers(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.interviewer3 = new_test_user(cls.env, "zoom_interviewer3", groups="base.group_user,herp_zoom.group_zoom_guest",
                                         email="interviewer3@example.com", tz="Asia/Tokyo")
        cls.zoom_interviewer3 = zoom_user("zu_interviewer3", "interviewer3@zoom.example")
        cls.interviewer3._zoom_link(cls.zoom_interviewer3)

    def setUp(self):
        super().setUp()
        self.account.update_meetings = True

    def zoom(self):
        return fake_zoom(self.zoom_interviewer, self.zoom_interviewer2, self.zoom_interviewer3, self.zoom_recruiting)

    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def patches(self, fake):
        # Inside the block responses keeps the calls, after it the fake does.
        return [json.loads(call.request.body) for call in fake.sent or fake.rsps.calls if call.request.method == "PATCH"]

    def panel(self, *users, **values):
        """An issued interview with these interviewers and the candidate, its first linked one hosting."""
        partners = self.env["res.partner"].union(*(user.partner_id for user in users)) | self.candidate
        event = self.create_interview(partners=partners, **values)
        self.run_postcommit()
        return event

    def activities(self, event):
        return self.env["mail.activity"].sudo().search([("res_model", "=", "calendar.event"), ("res_id", "=", event.id)])

    def remove(self, event, user):
        event.with_user(self.recruiter).write({"partner_ids": [(3, user.partner_id.id)]})

    def test_host_removed_from_the_interview_hands_the_meeting_to_the_next_interviewer(self):
        with self.zoom() as fake:
            event = self.panel(self.interviewer, self.interviewer2)
            self.assertEqual(event.zoom_host_user_id, self.interviewer)
            self.remove(event, self.interviewer)
            self.assertEqual(self.patches(fake), [], "nothing is sent before the commit")
            self.run_postcommit()
            self.run_postcommit()
        self.assertEqual(self.patches(fake), [{"schedule_for": "interviewer2@zoom.example",
                                               "settings": {"alternative_hosts": ""}}])
        event = event.sudo()
        self.assertEqual((event.zoom_host_user_id, event.zoom_host_email),
                         (self.interviewer2, "interviewer2@zoom.example"))
        self.assertIn("now hosted by interviewer2@zoom.example", str(event.message_ids[0].body))

    def test_archived_host_hands_the_meeting_over(self):
        with self.zoom() as fake:
            event = self.panel(self.interviewer, self.interviewer2)
            self.interviewer.active = False
            self.run_postcommit()
        self.assertEqual([body.get("schedule_for") for body in self.patches(fake)], ["interviewer2@zoom.example"])
        self.assertEqual(event.sudo().zoom_host_user_id, self.interviewer2)

    def test_host_who_unlinks_or_removes_the_app_hands_the_meeting_over(self):
        for way in ("unlink", "deauthorized"):
            with self.subTest(way=way), self.env.cr.savepoint() as savepoint:
                with self.zoom() as fake:
                    event = self.panel(self.interviewer, self.interviewer2)
                    if way == "unlink":
                        self.interviewer.with_user(self.interviewer).action_zoom_unlink_user()
                    else:
                        self.account._handle_webhook({"event": "app_deauthorized", "event_ts": 1, "payload": {
                            "account_id": self.account.zoom_account_id, "user_id": "zu_interviewer",
                            "signature": "x", "deauthorization_time": "2026-12-01T00:00:00Z",
                            "client_id": self.account.client_id}})
                    self.run_postcommit()
                self.assertEqual([body.get("schedule_for") for body in self.patches(fake)],
                                 ["interviewer2@zoom.example"])
                self.assertEqual(event.sudo().zoom_host_user_id, self.interviewer2)
                savepoint.rollback()
                self.env.invalidate_all()

    def test_the_new_host_is_free_and_within_the_daily_limit(self):
        with self.zoom() as fake:
            # interviewer2 already hosts another interview at that time; interviewer3 is free.
            self.panel(self.interviewer2, name="Other interview")
            event = self.panel(self.interviewer, self.interviewer2, self.interviewer3)
            self.remove(event, self.interviewer)
            self.run_postcommit()
        self.assertEqual(self.patches(fake)[-1], {"schedule_for": "interviewer3@zoom.example",
                                                  "settings": {"alternative_hosts": "interviewer2@zoom.example"}})
        with self.zoom() as fake:
            event = self.panel(self.interviewer, self.interviewer2, self.interviewer3, start=START + timedelta(days=3))
            self.env["zoom.host"].sudo()._mark_daily_limit("zu_interviewer2")
            self.remove(event, self.interviewer)
            self.run_postcommit()
        self.assertEqual(self.patches(fake)[-1]["schedule_for"], "interviewer3@zoom.example")

    def test_alternative_hosts_follow_the_attendees(self):
        with self.zoom() as fake:
            event = self.panel(self.interviewer, self.interviewer2)
            event.with_user(self.recruiter).write({"partner_ids": [(4, self.interviewer3.partner_id.id)]})
            self.run_postcommit()
            self.remove(event, self.interviewer2)
            self.run_postcommit()
            # A contact without Zoom changes nothing at Zoom.
            event.with_user(self.recruiter).write({"partner_ids": [(4, self.employee.partner_id.id)]})
            self.run_postcommit()
        self.assertEqual(self.patches(fake), [
            {"settings": {"alternative_hosts": "interviewer2@zoom.example;interviewer3@zoom.example"}},
            {"settings": {"alternative_hosts": "interviewer3@zoom.example"}},
        ])
        self.assertEqual(event.sudo().zoom_host_user_id, self.interviewer)

    def test_a_chosen_host_is_replaced_only_by_the_recruiter(self):
        with self.zoom() as fake:
            event = self.panel(self.interviewer, self.interviewer2, zoom_chosen_host_id=self.interviewer2.id)
            self.assertEqual(event.zoom_host_user_id, self.interviewer2)
            self.remove(event, self.interviewer2)
            self.run_postcommit()
        self.assertEqual(self.patches(fake), [])
        event = event.sudo()
        self.assertEqual(event.zoom_host_user_id, self.interviewer2)
        self.assertIn("choose another Zoom host", str(event.message_ids[0].body))
        self.assertEqual(self.activities(event).user_id, self.recruiter)

    def test_no_linked_interviewer_left_keeps_the_meeting_and_tells_the_organizer(self):
        with self.zoom() as fake:
            event = self.panel(self.interviewer)
            self.remove(event, self.interviewer)
            self.run_postcommit()
        self.assertEqual(self.patches(fake), [])
        event = event.sudo()
        self.assertEqual((event.zoom_state, event.zoom_host_user_id), ("issued", self.interviewer))
        activity = self.activities(event)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.recruiter)
        self.assertIn("no linked interviewer", activity.summary)

    def test_a_series_moves_as_one_meeting(self):
        with self.zoom() as fake:
            event = self.panel(self.interviewer, self.interviewer2, recurrency=True, rrule_type="weekly",
                               interval=1, end_type="count", count=4, mon=True, event_tz="Asia/Tokyo")
            occurrences = event.recurrence_id.calendar_event_ids
            self.assertEqual(len(occurrences), 4)
            occurrences.sorted("start")[0].with_user(self.recruiter).write({
                "partner_ids": [(3, self.interviewer.partner_id.id)], "recurrence_update": "all_events"})
            self.run_postcommit()
        self.assertEqual(len(self.patches(fake)), 1)
        occurrences = self.env["calendar.event"].sudo().search([("recurrence_id", "!=", False),
                                                                ("name", "=", "Interview: Chika")])
        self.assertEqual(set(occurrences.mapped("zoom_host_user_id")), {self.interviewer2})

    def test_reschedule_and_host_leaving_in_one_save_is_one_update(self):
        with self.zoom() as fake:
            event = self.panel(self.interviewer, self.interviewer2)
            event.with_user(self.recruiter).write({
                "partner_ids": [(3, self.interviewer.partner_id.id)],
                "start": START + timedelta(hours=2), "stop": START + timedelta(hours=3)})
            self.run_postcommit()
        self.assertEqual(len(self.patches(fake)), 1)
        body = self.patches(fake)[0]
        self.assertEqual((body["schedule_for"], body["start_time"]), ("interviewer2@zoom.example", f"{YEAR}-03-04T03:00:00Z"))

    def test_with_updates_off_nothing_is_sent_and_the_event_says_what_zoom_holds(self):
        self.account.update_meetings = False
        with self.zoom() as fake:
            event = self.panel(self.interviewer, self.interviewer2)
            self.remove(event, self.interviewer)
            self.run_postcommit()
        self.assertEqual(len(fake.sent), 1, "the create request only")
        notice = event.with_user(self.recruiter).zoom_drift_notice
        self.assertIn("interviewer@zoom.example", notice)
        self.assertIn("Update Zoom meetings with interviews", notice)
