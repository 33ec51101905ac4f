"""Recording and summary only with the candidate's consent, over HTTP against the Zoom sandbox: the
candidate's page, the recruiter's button, the update Zoom receives, and what comes back after the
interview."""

import re
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch


from odoo.tests import new_test_user


from odoo.addons.herp_zoom import compat
from odoo.addons.herp_zoom_recruitment.tests.offer_common import CSRF, REVISION, next_weekday

from .sandbox_case import SandboxHttpCase

WEBHOOK_SECRET = "sandbox-webhook-secret"
RECORDED = {"auto_recording": "cloud", "auto_start_meeting_summary": True}
NOT_RECORDED = {"auto_recording": "none", "auto_start_meeting_summary": False}


class TestRecordingConsentEndToEnd(SandboxHttpCase):
    # Odoo gives these to test classes inside addons; this one spans the bridge and the sandbox.
    test_tags = {"standard", "post_install"}
    test_module = "herp_zoom_recruitment"
    test_class = "TestRecordingConsentEndToEnd"
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, "consent_admin", groups="base.group_user,base.group_system",
                                  email="consent-admin@example.com")
        cls.recruiter = new_test_user(
            cls.env, "consent_recruiter", email="consent-recruiter@example.com", tz="Asia/Tokyo",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user")
        cls.interviewer = new_test_user(cls.env, "consent_interviewer", name="Ichiro Interviewer",
                                        groups="base.group_user,herp_zoom.group_zoom_guest",
                                        email="consent-interviewer@example.com", tz="Asia/Tokyo")
        cls.applicant = cls.env["hr.applicant"].create({"partner_name": "Chika Candidate",
                                                        "email_from": "chika@candidate.example", "user_id": cls.recruiter.id})
        cls.applicant.partner_id.write({"tz": "Asia/Tokyo", "lang": "en_US"})

    def setUp(self):
        super().setUp()
        self.sandbox.state.reset()
        self.account = self.connect_sandbox_s2s(update_meetings=False, webhook_secret=WEBHOOK_SECRET)
        self.interviewer._zoom_link_by_email("interviewer1@herp-demo.example")
        # The administrator records and summarizes interviews, with the candidate's consent (the default).
        self.authenticate("consent_admin", "consent_admin")
        settings_id = self.call("res.config.settings", "create", [{
            "zoom_meeting_auto_recording": "cloud", "zoom_meeting_summary": "on", "zoom_fetch_meeting_results": True,
            "zoom_consent_text_en": "Acme records interviews for the hiring team only."}])
        self.call("res.config.settings", "execute", [[settings_id]])
        self.account.invalidate_recordset()
        self.assertEqual((self.account.meeting_recording_consent, self.account.meeting_summary_consent),
                         ("consent", "consent"))
        self.authenticate(None, None)

    @contextmanager
    def commits_run_their_hooks(self):
        """herp_zoom's post-commit hooks of the server's commits (a test cursor drops them) run when the
        block ends, as they run right after a real commit."""
        hooks = []
        original = compat.test_cursor_class().commit

        def commit(cursor):
            cursor.flush()
            hooks.extend(hook for hook in cursor.postcommit._funcs
                         if getattr(hook, "__module__", "").startswith("odoo.addons.herp_zoom"))
            cursor.postcommit._funcs.clear()
            return original(cursor)

        with patch.object(compat.test_cursor_class(), "commit", commit):
            yield
            self.env.flush_all()
            while hooks:
                hooks.pop(0)()
        self.env.invalidate_all()

    def submit(self, page, url, **data):
        values = dict(csrf_token=CSRF.search(page.text).group(1), revision=REVISION.search(page.text).group(1),
                      tz="Asia/Tokyo", **data)
        return self.opener.post(self.base_url() + url, data=values, timeout=60)

    def meeting_settings(self, event):
        settings = self.sandbox.state.meetings[int(event.zoom_meeting_id)]["settings"]
        return {key: settings[key] for key in RECORDED}

    def patches(self, event):
        return [(request["status"], request["body"]) for request in self.sandbox.state.requests
                if request["method"] == "PATCH" and request["path"] == f"/v2/meetings/{event.zoom_meeting_id}"]

    def test_consent_on_the_page_withdrawn_by_the_recruiter_given_again_by_the_candidate(self):
        offer = self.env["herp_zoom.interview.offer"].with_user(self.recruiter).create({
            "name": "First interview", "applicant_id": self.applicant.id, "duration": 1.0,
            "interviewer_ids": [(6, 0, self.interviewer.ids)],
            "slot_ids": [(0, 0, {"start": next_weekday(3) + timedelta(hours=1)})],
        })
        offer.action_send()
        link = f"/interview/offer/{offer.sudo().access_token}"
        page = self.opener.get(self.base_url() + link, params={"tz": "Asia/Tokyo"}, timeout=60)
        [box] = re.findall(r'<input type="checkbox"[^>]*name="consent"[^>]*>', page.text)
        self.assertNotIn("checked", box, "unticked by default")
        self.assertIn("Acme records interviews for the hiring team only.", page.text)

        # The candidate ticks the box and books: the meeting is created recorded and summarized.
        with self.commits_run_their_hooks():
            booked = self.submit(page, link + "/book", slot=str(offer.slot_ids.id), consent="yes")
        self.assertIn("notice=booked", booked.url)
        event = self.env["calendar.event"].search([("applicant_id", "=", self.applicant.id)]).sudo()
        self.assertEqual(event.zoom_state, "issued")
        [create] = [request for request in self.sandbox.state.requests
                    if request["method"] == "POST" and re.search(r"/users/[^/]+/meetings$", request["path"])]
        self.assertEqual({key: create["body"]["settings"][key] for key in RECORDED}, RECORDED)
        self.assertEqual(self.meeting_settings(event), RECORDED)
        self.assertEqual(self.patches(event), [])

        # The recruiter withdraws it on the applicant: one update, at once, though updates are off.
        self.authenticate("consent_recruiter", "consent_recruiter")
        [shown] = self.call("hr.applicant", "read", [[self.applicant.id], [
            "zoom_consent", "zoom_consent_date", "zoom_consent_by", "zoom_consent_needed"]])
        self.assertEqual((shown["zoom_consent"], shown["zoom_consent_by"], shown["zoom_consent_needed"]),
                         ("given", "the candidate, on their interview page", True))
        self.assertTrue(shown["zoom_consent_date"])
        with self.commits_run_their_hooks():
            self.call("hr.applicant", "action_zoom_withdraw_consent", [[self.applicant.id]])
        self.assertEqual(self.patches(event), [(204, {"settings": NOT_RECORDED})])
        self.assertEqual(self.meeting_settings(event), NOT_RECORDED)
        [shown] = self.call("hr.applicant", "read", [[self.applicant.id], ["zoom_consent", "zoom_consent_by"]])
        self.assertEqual((shown["zoom_consent"], shown["zoom_consent_by"]), ("refused", self.recruiter.name))

        # Held without consent: Zoom's summary and recording stay at Zoom, Zoom is not even asked.
        self.sandbox.state.requests.clear()
        played = self.sandbox_calls_odoo("/_sandbox/interviews/play", timeout=60, payload={
            "url": self.base_url() + "/herp_zoom/webhook", "secret_token": WEBHOOK_SECRET,
            "meeting_id": int(event.zoom_meeting_id), "duration": 50, "recording": True,
            "participants": [{"name": "Ichiro", "email": "interviewer1@herp-demo.example", "join": 0},
                             {"name": "Chika Candidate", "email": "chika@candidate.example", "join": 1}],
            "summary": {"title": "Interview", "content": "Said in confidence."}})
        self.assertEqual(played.status_code, 200, played.text)
        self.assertEqual({delivery["status"] for delivery in played.json()["deliveries"]}, {200})
        self.env.ref("herp_zoom.ir_cron_fetch_pending_summaries").method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual([request for request in self.sandbox.state.requests
                          if request["path"].endswith("/meeting_summary")], [])
        result = self.env["zoom.meeting.result"].sudo().search([("event_id", "=", event.id)])
        self.assertEqual((result.summary_state, result.summary, result.recording_url), ("withheld", False, False))

        # The candidate gives it again on their page: one more update turns both on.
        page = self.opener.get(self.base_url() + link, params={"tz": "Asia/Tokyo"}, timeout=60)
        with self.commits_run_their_hooks():
            saved = self.submit(page, link + "/consent", consent="yes")
        self.assertIn("notice=consent", saved.url)
        self.assertEqual(self.patches(event), [(204, {"settings": RECORDED})])
        self.assertEqual(self.meeting_settings(event), RECORDED)
