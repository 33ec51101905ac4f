from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.herp_zoom.models.zoom_meeting_deletion import MAX_DELETE_ATTEMPTS

from .common import ZoomCommon
from .dates import YEAR


@tagged("post_install", "-at_install")
class TestLifecycle(ZoomCommon):
    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        # What the hooks wrote in their own cursor is not in this transaction's cache.
        self.env.invalidate_all()

    def test_default_settings_leave_meetings_alone(self):
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            event.with_user(self.recruiter).write({"name": "Renamed", "start": datetime(YEAR, 3, 5, 1, 0),
                                                    "stop": datetime(YEAR, 3, 5, 2, 0)})
            event.with_user(self.recruiter).unlink()
            self.run_postcommit()
        self.assertEqual(fake.meetings[meeting_id]["topic"], "Interview: Chika")
        self.assertIn(meeting_id, fake.meetings)

    def test_update_option_patches_the_meeting_once_per_save(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            event.with_user(self.recruiter).write({"name": "Second interview", "start": datetime(YEAR, 3, 5, 1, 0),
                                                    "stop": datetime(YEAR, 3, 5, 2, 30)})
            self.run_postcommit()
            patches = [call for call in fake.rsps.calls if call.request.method == "PATCH"]
        self.assertEqual(len(patches), 1)
        meeting = fake.meetings[meeting_id]
        self.assertEqual(meeting["topic"], "Second interview")
        self.assertEqual(meeting["start_time"], f"{YEAR}-03-05T01:00:00Z")
        self.assertEqual(meeting["timezone"], "Asia/Tokyo")
        self.assertEqual(meeting["duration"], 90)

    def test_update_failure_never_blocks_the_save_and_is_retried(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            fake.fail_next("PATCH", 503)
            event.with_user(self.recruiter).write({"name": "Moved"})
            self.run_postcommit()
            self.assertEqual(event.name, "Moved")
            self.assertTrue(event.zoom_sync_pending)
            self.assertIn("could not be updated", event.message_ids[0].body)
            event.sudo().zoom_update_retry_at = fields.Datetime.now() - timedelta(minutes=1)
            self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertFalse(event.zoom_sync_pending)
        self.assertEqual(fake.meetings[int(event.zoom_meeting_id)]["topic"], "Moved")

    def deletions(self):
        return self.env["zoom.meeting.deletion"].sudo().search([])

    def run_cron_later(self, minutes=5):
        """The scheduled action, run once the queued retries are due."""
        self.deletions().write({"retry_at": fields.Datetime.now() - timedelta(minutes=minutes)})
        self.env["calendar.event"]._cron_issue_pending_meetings()

    def test_delete_option_deletes_meeting_after_commit(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            event.with_user(self.recruiter).unlink()
            self.assertIn(meeting_id, fake.meetings, "nothing is deleted at Zoom before the commit")
            self.run_postcommit()
        self.assertNotIn(meeting_id, fake.meetings)
        self.assertFalse(self.deletions())

    def test_deletion_refused_by_zoom_is_retried_until_zoom_takes_it(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview(name="Interview: Daichi")
            meeting_id = int(event.zoom_meeting_id)
            fake.fail_next("DELETE", 503)
            event.with_user(self.recruiter).unlink()
            self.run_postcommit()
            self.assertIn(meeting_id, fake.meetings)
            deletion = self.deletions()
            self.assertEqual((deletion.meeting_id, deletion.event_name, deletion.state, deletion.attempts),
                             (str(meeting_id), "Interview: Daichi", "pending", 1))
            self.assertTrue(deletion.reason)
            self.assertGreater(deletion.retry_at, fields.Datetime.now())
            # Not due yet: the scheduled action leaves it alone.
            self.env["calendar.event"]._cron_issue_pending_meetings()
            self.assertIn(meeting_id, fake.meetings)
            self.run_cron_later()
        self.assertNotIn(meeting_id, fake.meetings)
        self.assertFalse(self.deletions())

    def test_archived_interview_tells_what_became_of_its_meeting(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            fake.fail_next("DELETE", 429, headers={"Retry-After": "600"})
            event.with_user(self.recruiter).write({"active": False})
            self.run_postcommit()
            self.assertIn("could not be deleted yet", event.message_ids[0].body)
            self.assertGreaterEqual(self.deletions().retry_at, fields.Datetime.now() + timedelta(seconds=590))
            self.assertEqual(event.zoom_state, "issued")
            self.run_cron_later(minutes=20)
        self.assertNotIn(meeting_id, fake.meetings)
        self.assertEqual(event.zoom_state, "deleted")
        self.assertFalse(event.zoom_join_url)
        self.assertFalse(event.videocall_location)
        self.assertIn("was deleted with this interview", event.message_ids[0].body)
        # Restored, the interview can get a new meeting.
        event.with_user(self.recruiter).write({"active": True})
        self.assertTrue(event.with_user(self.recruiter).zoom_can_issue)

    def test_deletion_message_speaks_the_language_of_who_archived(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom")])._update_translations(["ja_JP"])
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            fake.fail_next("DELETE", 503)
            # As in a request of a recruiter whose language is Japanese.
            event.with_user(self.recruiter).with_context(lang="ja_JP").write({"active": False})
            self.run_postcommit()
        self.assertIn("まだ削除できていません", event.message_ids[0].body)

    def test_interview_restored_before_zoom_took_the_deletion_keeps_its_meeting(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            fake.fail_next("DELETE", 503)
            event.with_user(self.recruiter).write({"active": False})
            self.run_postcommit()
            event.with_user(self.recruiter).write({"active": True})
            self.run_cron_later()
        self.assertIn(meeting_id, fake.meetings)
        self.assertFalse(self.deletions())
        self.assertEqual(event.zoom_state, "issued")
        self.assertEqual(event.videocall_location, fake.meetings[meeting_id]["join_url"])

    def test_deletion_given_up_after_bounded_tries_tells_the_administrators(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview(name="Interview: Emi")
            meeting_id = int(event.zoom_meeting_id)
            for _attempt in range(MAX_DELETE_ATTEMPTS):
                fake.fail_next("DELETE", 503)
            event.with_user(self.recruiter).unlink()
            self.run_postcommit()
            for _attempt in range(MAX_DELETE_ATTEMPTS - 1):
                self.run_cron_later(minutes=200)
            deletion = self.deletions()
            self.assertEqual((deletion.state, deletion.attempts), ("failed", MAX_DELETE_ATTEMPTS))
            self.run_cron_later(minutes=200)
            self.assertIn(meeting_id, fake.meetings, "a deletion given up is not tried by the scheduled action")
            notice = self.account.message_ids[0]
            self.assertIn("Interview: Emi", notice.body)
            self.assertIn("could not be deleted", notice.body)
            self.assertIn(self.zoom_admin.partner_id, notice.partner_ids)
            with self.assertRaises(AccessError):
                deletion.with_user(self.recruiter).action_retry()
            deletion.with_user(self.zoom_admin).action_retry()
        self.assertNotIn(meeting_id, fake.meetings)
        self.assertFalse(self.deletions())

    def test_deletion_zoom_rejects_is_given_up_at_once(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            fake.fail_next("DELETE", 400, {"code": 300, "message": "Invalid meeting id."})
            event.with_user(self.recruiter).unlink()
            self.run_postcommit()
            self.assertEqual([call.request.method for call in fake.rsps.calls], ["POST", "DELETE"],
                             "a request Zoom rejects is not sent again")
        self.assertEqual(self.deletions().state, "failed")

    def test_deletion_rolled_back_leaves_the_meeting(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
                event.with_user(self.recruiter).unlink()
                raise ZeroDivisionError
            self.run_postcommit()
        self.assertTrue(event.exists())
        self.assertIn(meeting_id, fake.meetings)
        self.assertFalse(self.deletions())

    def delete_requests(self, fake):
        return [call.request.url.rsplit("/", 1)[-1] for call in fake.rsps.calls if call.request.method == "DELETE"]

    def test_archiving_sends_one_deletion_of_its_meeting_after_commit(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            other = self.create_interview(name="Interview: Daichi", start=datetime(YEAR, 3, 6, 1, 0))
            meeting_id = event.zoom_meeting_id
            with self.assertNoLogs("odoo.addons.herp_zoom", level="ERROR"):
                event.with_user(self.recruiter).write({"active": False})
                self.assertEqual(self.delete_requests(fake), [], "nothing is deleted at Zoom before the commit")
                self.run_postcommit()
            deleted = self.delete_requests(fake)
        self.assertEqual(deleted, [meeting_id])
        self.assertNotIn(int(meeting_id), fake.meetings)
        self.assertIn(int(other.zoom_meeting_id), fake.meetings)
        self.assertEqual(event.zoom_state, "deleted")
        self.assertFalse(event.videocall_location)
        self.assertFalse(self.deletions())

    def test_archiving_an_interview_whose_meeting_zoom_no_longer_has_is_fine(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            event = self.create_interview()
            meeting_id = event.zoom_meeting_id
            # Deleted in Zoom by someone, without a webhook reaching Odoo: Zoom answers 3001.
            fake.meetings.pop(int(meeting_id))
            with self.assertNoLogs("odoo.addons.herp_zoom", level="ERROR"):
                event.with_user(self.recruiter).write({"active": False})
                self.run_postcommit()
            deleted = self.delete_requests(fake)
        self.assertEqual(deleted, [meeting_id])
        self.assertEqual(event.zoom_state, "deleted")
        self.assertIn("was deleted with this interview", event.message_ids[0].body)
        self.assertFalse(self.deletions(), "nothing is left to retry")
