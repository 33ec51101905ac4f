"""Meeting updates: sent once the save is committed, only for values Zoom holds that really
changed, never for the echo of the Google / Outlook import; failures retried with bounds."""

import importlib
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.herp_zoom.utils.retry import MAX_ATTEMPTS

from .test_propagation import SyncCommon


@tagged("post_install", "-at_install")
class TestMeetingUpdates(SyncCommon):
    def setUp(self):
        super().setUp()
        self.account.update_meetings = True

    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def patches(self, fake):
        return [call for call in fake.rsps.calls if call.request.method == "PATCH"]

    def test_update_is_sent_after_the_commit_in_utc(self):
        with self.zoom() as fake:
            event = self.create_interview()
            self.run_postcommit()
            event.with_user(self.recruiter).write({"start": datetime(2030, 3, 5, 1, 0),
                                                    "stop": datetime(2030, 3, 5, 2, 30)})
            self.assertEqual(self.patches(fake), [], "nothing is sent before the commit")
            self.run_postcommit()
            self.assertEqual(len(self.patches(fake)), 1)
        meeting = fake.meetings[int(event.zoom_meeting_id)]
        self.assertEqual(meeting["start_time"], "2030-03-05T01:00:00Z")
        self.assertEqual(meeting["timezone"], "Asia/Tokyo")
        self.assertEqual(meeting["duration"], 90)

    def test_unchanged_values_send_no_update(self):
        with self.zoom() as fake:
            event = self.create_interview()
            self.run_postcommit()
            event.with_user(self.recruiter).write({"name": event.name, "start": event.start, "stop": event.stop})
            self.run_postcommit()
            self.assertEqual(self.patches(fake), [])

    def test_rolled_back_save_does_not_move_the_meeting(self):
        with self.zoom() as fake:
            event = self.create_interview()
            self.run_postcommit()
            with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
                event.with_user(self.recruiter).write({"name": "Never saved"})
                event.flush_recordset()
                _ = 1 / 0
            self.run_postcommit()
            self.assertEqual(self.patches(fake), [])
        self.assertEqual(fake.meetings[int(event.zoom_meeting_id)]["topic"], "Interview: Chika")

    def test_inbound_google_sync_of_an_unchanged_interview_sends_nothing_to_zoom(self):
        self.sync_with_google(self.recruiter)
        from_google = []
        with self.zoom() as fake, self.google_api(from_google) as google:
            self.create_interview()
            self.run_after_commit()
            [(_method, _uri, sent)] = google
            from_google.append(dict(sent, status="confirmed",
                                    updated=(datetime.now() + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.000Z")))
            calls_before = len(fake.rsps.calls)
            service = importlib.import_module("odoo.addons.google_calendar.utils.google_calendar")
            self.recruiter.with_user(self.recruiter).sudo()._sync_google_calendar(
                service.GoogleCalendarService(self.env["google.service"]))
            self.run_after_commit()
            self.assertEqual(fake.rsps.calls[calls_before:], [])

    def test_import_echo_sends_no_update(self):
        with self.zoom() as fake:
            event = self.create_interview()
            self.run_postcommit()
            event.with_context(dont_notify=True).write({"name": "Interview: Chika"})
            self.run_postcommit()
            self.assertEqual(self.patches(fake), [])

    def test_webhook_for_our_own_change_posts_no_note(self):
        with self.zoom() as fake:
            event = self.create_interview()
            self.run_postcommit()
            event.with_user(self.recruiter).write({"name": "Renamed"})
            self.run_postcommit()
            meeting = fake.meetings[int(event.zoom_meeting_id)]
        messages = event.message_ids
        self.account._handle_webhook({
            "event": "meeting.updated", "event_ts": 1700000000001,
            "payload": {"account_id": self.account.zoom_account_id, "operator": "interviewer@zoom.example",
                        "object": {"id": meeting["id"], "topic": "Renamed"},
                        "old_object": {"id": meeting["id"], "topic": "Interview: Chika"}},
        })
        self.assertEqual(event.message_ids, messages)
        self.account._handle_webhook({
            "event": "meeting.updated", "event_ts": 1700000000002,
            "payload": {"account_id": self.account.zoom_account_id, "operator": "interviewer@zoom.example",
                        "object": {"id": meeting["id"], "topic": "Changed by hand"},
                        "old_object": {"id": meeting["id"], "topic": "Renamed"}},
        })
        self.assertIn("changed in Zoom", event.message_ids[0].body)

    # ------------------------------------------------------------------ retries
    def notes(self, event, text):
        return event.message_ids.filtered(lambda message: text in str(message.body))

    def run_cron_when_due(self, event):
        event.sudo().write({"zoom_update_retry_at": fields.Datetime.now() - timedelta(minutes=1)})
        self.env["calendar.event"]._cron_issue_pending_meetings()

    def test_update_refused_by_zoom_is_given_up_at_once(self):
        with self.zoom() as fake:
            event = self.create_interview()
            self.run_postcommit()
            fake.fail_next("PATCH", 400, {"code": 300, "message": "Invalid field."})
            event.with_user(self.recruiter).write({"name": "Moved"})
            self.run_postcommit()
            self.run_cron_when_due(event)
            self.run_cron_when_due(event)
            self.assertEqual(len(self.patches(fake)), 1)
        self.assertFalse(event.zoom_sync_pending)
        self.assertEqual(len(self.notes(event, "could not be updated")), 1)

    def test_update_retried_a_bounded_number_of_times_with_one_note(self):
        with self.zoom() as fake:
            event = self.create_interview()
            self.run_postcommit()
            for _attempt in range(MAX_ATTEMPTS + 2):
                fake.fail_next("PATCH", 503)
            event.with_user(self.recruiter).write({"name": "Moved"})
            self.run_postcommit()
            for _attempt in range(MAX_ATTEMPTS + 1):
                self.run_cron_when_due(event)
            self.assertEqual(len(self.patches(fake)), MAX_ATTEMPTS)
        self.assertFalse(event.zoom_sync_pending)
        self.assertEqual(len(self.notes(event, "could not be updated yet")), 1)
        self.assertEqual(len(self.notes(event, "gave up updating")), 1)

    def test_update_that_goes_through_later_says_so_once(self):
        with self.zoom() as fake:
            event = self.create_interview()
            self.run_postcommit()
            fake.fail_next("PATCH", 503)
            fake.fail_next("PATCH", 503)
            event.with_user(self.recruiter).write({"name": "Moved"})
            self.run_postcommit()
            self.run_cron_when_due(event)
            self.run_cron_when_due(event)
            self.assertEqual(len(self.patches(fake)), 3)
        self.assertFalse(event.zoom_sync_pending)
        self.assertEqual(fake.meetings[int(event.zoom_meeting_id)]["topic"], "Moved")
        self.assertEqual(len(self.notes(event, "could not be updated yet")), 1)
        self.assertEqual(len(self.notes(event, "was updated after all")), 1)
