"""How long a save waits for Zoom: the connection's setting, bounded, said in the reader's language."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..utils.zoom_client import TIMEOUT
from .common import OAUTH_URL, ZoomCommon


def timeouts(fake, method, path_end):
    """The timeout each matching request was sent with."""
    return [call.request.req_kwargs["timeout"] for call in fake.sent
            if call.request.method == method and call.request.path_url.split("?")[0].endswith(path_end)]


@tagged("post_install", "-at_install")
class TestSaveWait(ZoomCommon):
    def test_a_new_connection_waits_a_few_seconds(self):
        self.assertEqual(self.env["zoom.account"].sudo().new({"company_id": self.company.id}).save_wait, 5)

    def test_the_save_waits_for_zoom_as_long_as_the_connection_says_the_scheduled_action_longer(self):
        # At least 10 seconds: Odoo 19's tests raise shorter timeouts of requests to 10.
        self.account.save_wait = 12
        start = datetime.now().replace(microsecond=0) + timedelta(days=7)
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            event = self.create_interview(start=start)
            self.assertEqual(event.zoom_state, "pending")
            with freeze_time(event.zoom_retry_at + timedelta(seconds=1)):
                self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertIssued(event, fake, self.zoom_interviewer)
        # The save's request, then the scheduled action's (it holds no recruiter's worker).
        self.assertEqual(timeouts(fake, "POST", "/meetings"), [12, TIMEOUT])

    def test_the_token_renewal_of_a_save_waits_as_long_too(self):
        self.account.write({"save_wait": 15, "token_expires_at": datetime.now() - timedelta(minutes=1)})
        with self.zoom() as fake:
            fake.rsps.post(OAUTH_URL + "/oauth/token", json={
                "access_token": "RENEWED", "refresh_token": "RENEWED-REFRESH", "expires_in": 3600, "token_type": "bearer"})
            event = self.create_interview(start=datetime.now().replace(microsecond=0) + timedelta(days=7))
        self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual(timeouts(fake, "POST", "/oauth/token"), [15])
        self.assertEqual(timeouts(fake, "POST", "/meetings"), [15])

    def test_what_a_save_sends_right_after_its_commit_waits_as_long_the_scheduled_action_longer(self):
        """The update of a moved interview and the deletion of a deleted one's meeting are sent by the
        saving worker right after its commit: it waits as long as the save; the scheduled action
        that retries them waits the client's TIMEOUT."""
        self.account.write({"save_wait": 12, "update_meetings": True, "delete_meetings": True})
        start = datetime.now().replace(microsecond=0) + timedelta(days=7)
        with self.zoom() as fake:
            moved = self.create_interview(start=start)
            deleted = self.create_interview(start=start + timedelta(days=1), name="Interview: Aki")
            self.env.flush_all()
            self.env.cr.postcommit.run()
            moved.with_user(self.recruiter).write({"start": start + timedelta(hours=2),
                                                   "stop": start + timedelta(hours=3)})
            deleted.with_user(self.recruiter).unlink()
            self.env.flush_all()
            self.env.cr.postcommit.run()
            # Zoom fails the next update: the scheduled action sends it again, with its own wait.
            fake.fail_next("PATCH", 503)
            moved.with_user(self.recruiter).write({"start": start + timedelta(hours=4),
                                                   "stop": start + timedelta(hours=5)})
            self.env.flush_all()
            self.env.cr.postcommit.run()
            moved.sudo().write({"zoom_update_retry_at": datetime.now() - timedelta(minutes=1)})
            self.env["calendar.event"].sudo()._zoom_push_pending_updates()
        self.assertEqual(timeouts(fake, "PATCH", f"/meetings/{moved.zoom_meeting_id}"), [12, 12, TIMEOUT])
        self.assertEqual(timeouts(fake, "DELETE", ""), [12])

    def test_the_wait_outside_its_range_is_refused_with_the_range(self):
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin"))
        for seconds in (0, 21):
            with self.subTest(seconds=seconds), self.assertRaises(ValidationError) as refusal, \
                    self.env.cr.savepoint():
                settings.create({"zoom_save_wait": seconds}).execute()
            self.assertEqual(str(refusal.exception), "Wait between 1 and 20 seconds for Zoom's answer during a save.")
        settings.create({"zoom_save_wait": 20}).execute()
        self.account.invalidate_recordset()
        self.assertEqual(self.account.save_wait, 20)

    def test_the_range_is_said_in_japanese(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom")])._update_translations(["ja_JP"])
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).with_context(lang="ja_JP")
        with self.assertRaises(ValidationError) as refusal, self.env.cr.savepoint():
            settings.create({"zoom_save_wait": 60}).execute()
        self.assertEqual(str(refusal.exception), "保存時に Zoom の応答を待つ時間は 1〜20 秒の範囲で指定してください。")
