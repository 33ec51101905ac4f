"""No silent drift: with updates or deletions off the event says what Zoom still holds and the
recruiter is told once; Odoo's "Clear meeting" on a Zoom interview is one action with one outcome."""

import json
from datetime import datetime, timedelta

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.misc import format_datetime

from .common import ZoomCommon
from .dates import YEAR

START = datetime(YEAR, 3, 4, 1, 0)


@tagged("post_install", "-at_install")
class TestNoSilentDrift(ZoomCommon):
    def setUp(self):
        super().setUp()
        self.account.write({"update_meetings": False, "delete_meetings": False})
        # Notifications an earlier test sent wait in the shared test cursor until its next commit.
        self.env.cr.precommit.clear()

    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def told(self, user):
        """The notifications the web client shows ``user`` (their bus channel)."""
        self.env.cr.precommit.run()
        messages = self.env["bus.bus"].sudo().search([("channel", "like", f'"res.partner",{user.partner_id.id}]')])
        return [json.loads(message.message) for message in messages
                if json.loads(message.message).get("type") == "simple_notification"]

    def test_a_new_connection_leaves_meetings_as_created_and_says_so(self):
        """SPEC S8 / B2: off unless the company turns them on; "Check setup" says what that means."""
        account = self.env["zoom.account"].sudo().create({"company_id": self.env["res.company"].create(
            {"name": "New Company"}).id})
        self.assertFalse(account.update_meetings or account.delete_meetings)
        settings = self.env["res.config.settings"].default_get(["zoom_update_meetings", "zoom_delete_meetings"])
        self.assertFalse(settings.get("zoom_update_meetings") or settings.get("zoom_delete_meetings"))

    def test_rescheduled_with_updates_off_says_what_zoom_still_holds_and_tells_the_recruiter_once(self):
        with self.zoom() as fake:
            event = self.create_interview()
            self.run_postcommit()
            self.assertFalse(event.with_user(self.recruiter).zoom_drift_notice)
            event.with_user(self.recruiter).write({"start": START + timedelta(days=1),
                                                   "stop": START + timedelta(days=1, hours=1)})
            told = self.told(self.recruiter)
            event.with_user(self.recruiter).write({"start": START + timedelta(days=2),
                                                   "stop": START + timedelta(days=2, hours=1)})
            told_again = self.told(self.recruiter)
            self.run_postcommit()
        self.assertEqual(len(fake.sent), 1, "the create request only")
        notice = event.with_user(self.recruiter).zoom_drift_notice
        self.assertIn(format_datetime(self.env, START, tz="Asia/Tokyo", dt_format="short"), notice,
                      "the time Zoom still holds, in the reader's time zone")
        self.assertIn("Update Zoom meetings with interviews", notice)
        self.assertEqual(len(told), 1, told)
        self.assertIn("still", told[0]["payload"]["message"])
        self.assertEqual(len(told_again), 1, "told once")

    def test_deleted_or_archived_with_deletions_off_tells_that_the_meeting_stays_at_zoom(self):
        with self.zoom() as fake:
            archived = self.create_interview()
            deleted = self.create_interview(start=START + timedelta(days=1))
            self.run_postcommit()
            archived.with_user(self.recruiter).write({"active": False})
            self.assertIn("still exists in Zoom", archived.with_user(self.recruiter).zoom_drift_notice)
            deleted.with_user(self.recruiter).unlink()
            told = self.told(self.recruiter)
            self.run_postcommit()
        self.assertEqual([call.request.method for call in fake.sent], ["POST", "POST"])
        self.assertEqual(len(told), 2)
        self.assertTrue(all("still exists in Zoom" in item["payload"]["message"] for item in told))

    def test_setup_guide_and_check_say_what_the_options_change(self):
        with self.zoom() as fake:
            fake.me = fake.users["zu_recruiting"]
            check = self.env["zoom.setup.check"].with_user(self.zoom_admin)._run(self.company)
        line = check.line_ids.filtered(lambda line: line.key == "lifecycle")
        self.assertEqual(line.state, "info")
        self.assertIn("Update Zoom meetings with interviews", line.detail)
        self.assertIn("Delete Zoom meetings with interviews", line.detail)
        self.account.write({"update_meetings": True, "delete_meetings": True})
        with self.zoom() as fake:
            fake.me = fake.users["zu_recruiting"]
            check = self.env["zoom.setup.check"].with_user(self.zoom_admin)._run(self.company)
        self.assertEqual(check.line_ids.filtered(lambda line: line.key == "lifecycle").state, "ok")
        arch = self.env["res.config.settings"].get_view(view_type="form")["arch"]
        self.assertEqual(arch.count("says what Zoom still holds"), 2, "both options say what off means")


@tagged("post_install", "-at_install")
class TestClearMeeting(ZoomCommon):
    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def test_odoo_clear_button_is_not_offered_on_a_zoom_interview(self):
        arch = self.env["calendar.event"].with_user(self.recruiter).get_view(view_type="form")["arch"]
        for button in etree.fromstring(arch).xpath("//button[@name='clear_videocall_location']"):
            self.assertIn("zoom_state", button.get("invisible") or "", "hidden on Zoom interviews")

    def test_clearing_releases_the_meeting_and_every_copy_of_its_link(self):
        for delete in (True, False):
            with self.subTest(delete=delete), self.env.cr.savepoint() as savepoint:
                self.account.delete_meetings = delete
                with self.zoom() as fake:
                    event = self.create_interview()
                    self.run_postcommit()
                    meeting_id, url = int(event.zoom_meeting_id), event.zoom_join_url
                    event.with_user(self.recruiter).write({"videocall_location": False})
                    self.run_postcommit()
                event = event.sudo()
                self.assertEqual((event.zoom_state, event.zoom_join_url, event.zoom_passcode, event.videocall_location),
                                 ("removed", False, False, False))
                self.assertNotIn(url, event._get_customer_description())
                self.assertNotIn(url, event._get_ics_file()[event.id].decode())
                self.assertTrue(event.need_sync and event.need_sync_m)
                self.assertFalse(event._need_video_call(), "no other provider's link is added")
                self.assertEqual([call.request.method for call in fake.sent], ["POST"] + (["DELETE"] if delete else []))
                self.assertEqual(meeting_id in fake.meetings, not delete)
                if not delete:
                    self.assertIn("still exists in Zoom", event.with_user(self.recruiter).zoom_drift_notice)
                savepoint.rollback()
                self.env.invalidate_all()

    def test_an_interviewer_cannot_clear_the_zoom_meeting(self):
        with self.zoom():
            event = self.create_interview()
        with self.assertRaisesRegex(AccessError, "remove the Zoom meeting"), self.env.cr.savepoint():
            event.with_user(self.interviewer).write({"videocall_location": False})
        self.assertEqual(event.sudo().zoom_state, "issued")
