from datetime import datetime

from odoo.tests import tagged

from .common import ZoomCommon


@tagged("post_install", "-at_install")
class TestLifecycle(ZoomCommon):
    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()

    def test_default_settings_leave_meetings_alone(self):
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            event.with_user(self.recruiter).write({"name": "Renamed", "start": datetime(2030, 3, 5, 1, 0),
                                                    "stop": datetime(2030, 3, 5, 2, 0)})
            event.with_user(self.recruiter).unlink()
            self.run_postcommit()
        self.assertEqual(fake.meetings[meeting_id]["topic"], "Interview: Chika")
        self.assertIn(meeting_id, fake.meetings)

    def test_update_option_patches_the_meeting_once_per_save(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            event.with_user(self.recruiter).write({"name": "Second interview", "start": datetime(2030, 3, 5, 1, 0),
                                                    "stop": datetime(2030, 3, 5, 2, 30)})
            patches = [call for call in fake.rsps.calls if call.request.method == "PATCH"]
        self.assertEqual(len(patches), 1)
        meeting = fake.meetings[meeting_id]
        self.assertEqual(meeting["topic"], "Second interview")
        self.assertEqual(meeting["start_time"], "2030-03-05T10:00:00")
        self.assertEqual(meeting["timezone"], "Asia/Tokyo")
        self.assertEqual(meeting["duration"], 90)

    def test_update_failure_never_blocks_the_save_and_is_retried(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            fake.fail_next("PATCH", 503)
            event.with_user(self.recruiter).write({"name": "Moved"})
            self.assertEqual(event.name, "Moved")
            self.assertTrue(event.zoom_sync_pending)
            self.assertIn("could not be updated", event.message_ids[0].body)
            self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertFalse(event.zoom_sync_pending)
        self.assertEqual(fake.meetings[int(event.zoom_meeting_id)]["topic"], "Moved")

    def test_delete_option_deletes_meeting_after_commit(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            event.with_user(self.recruiter).unlink()
            self.assertIn(meeting_id, fake.meetings)
            self.run_postcommit()
        self.assertNotIn(meeting_id, fake.meetings)

    def test_archiving_deletes_meeting_and_meeting_already_gone_is_fine(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            fake.meetings.pop(meeting_id)
            event.with_user(self.recruiter).write({"active": False})
            self.run_postcommit()
        self.assertNotIn(meeting_id, fake.meetings)
