"""Recording and Zoom's AI summary only with the candidate's consent: asked on the candidate's page,
recorded or withdrawn by the recruiter on the applicant, and every meeting of the applicant's
interviews following it at once, whatever "Update Zoom meetings" says."""

import re
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged


from odoo.addons.herp_zoom import compat
from odoo.addons.herp_zoom.tests.test_meeting_options import create_bodies, patch_bodies
from odoo.addons.herp_zoom.tests.test_meeting_results import UUID, ResultsCommon

from .offer_common import OfferCase, next_weekday

CONSENT_BOX = re.compile(r'<input type="checkbox"[^>]*name="consent"[^>]*>')
CONSENT_TEXT = re.compile(r'<label class="form-check-label" for="herp_zoom_offer_consent[^"]*"[^>]*>(.*?)</label>', re.S)
RECORDED = {"auto_recording": "cloud", "auto_start_meeting_summary": True}
NOT_RECORDED = {"auto_recording": "none", "auto_start_meeting_summary": False}


class RolledBack(Exception):
    """Raised to roll a savepoint back."""


def consent_settings(body):
    return {key: body["settings"][key] for key in RECORDED}


@tagged("post_install", "-at_install")
class TestCandidateConsent(OfferCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Recorded in the cloud and summarized, each only with the candidate's consent (the default).
        cls.account.write({"meeting_auto_recording": "cloud", "meeting_summary": "on"})

    def setUp(self):
        super().setUp()
        self.day = next_weekday(3)
        self.offer = self.make_offer([self.day + timedelta(hours=hour) for hour in (1, 2)])

    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    @contextmanager
    def server_commits_run_their_hooks(self):
        """The candidate's requests commit on a test cursor, which drops the post-commit hooks: herp_zoom's
        run when the block ends, as they run right after a real commit."""
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

    def consent_box(self, html):
        boxes = CONSENT_BOX.findall(html)
        self.assertEqual(len(boxes), 1, html)
        return boxes[0]

    # ------------------------------------------------------------------ the candidate's page
    def consent_text(self, **params):
        [text] = CONSENT_TEXT.findall(self.open_page(self.offer, **params).text)
        return text.strip()

    def test_page_asks_unticked_with_the_company_s_own_text_in_the_candidate_s_language(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom_recruitment")])._update_translations(["ja_JP"])
        page = self.open_page(self.offer)
        self.assertNotIn("checked", self.consent_box(page.text), "unticked by default")
        self.assertIn("I agree that my interview may be recorded and summarized", self.consent_text())
        japanese = self.consent_text(lang="ja_JP")
        self.assertNotIn("I agree", japanese)
        self.assertIn("録画", japanese)
        self.env["res.config.settings"].create({
            "zoom_consent_text_en": "Acme may record this interview for the hiring team only.",
            "zoom_consent_text_ja": "アクメ社は採用チームのためだけにこの面接を録画します。",
        }).execute()
        self.assertEqual(self.account.consent_text_en, "Acme may record this interview for the hiring team only.")
        self.assertEqual(self.consent_text(), "Acme may record this interview for the hiring team only.")
        self.assertEqual(self.consent_text(lang="ja_JP"), "アクメ社は採用チームのためだけにこの面接を録画します。")

    def test_page_does_not_ask_where_nothing_depends_on_consent(self):
        self.account.write({"meeting_recording_consent": "always", "meeting_summary_consent": "always"})
        page = self.open_page(self.offer)
        self.assertFalse(CONSENT_BOX.findall(page.text))
        with self.zoom() as fake:
            self.book(self.offer, self.offer.slot_ids[0], consent="yes")
        self.assertEqual(consent_settings(create_bodies(fake)[0]), RECORDED, "always, without asking")
        self.assertFalse(self.applicant.zoom_consent)

    def test_ticked_box_creates_the_meeting_recorded_and_the_applicant_shows_who_and_when(self):
        with self.zoom() as fake:
            response = self.book(self.offer, self.offer.slot_ids[0], consent="yes")
            self.run_postcommit()
        self.assertIn("notice=booked", response.url)
        [body] = create_bodies(fake)
        self.assertEqual(consent_settings(body), RECORDED)
        self.assertEqual(patch_bodies(fake), [], "created with it: nothing to update")
        applicant = self.applicant.with_user(self.officer)
        self.assertEqual(applicant.zoom_consent, "given")
        self.assertTrue(applicant.zoom_consent_date)
        self.assertFalse(applicant.zoom_consent_user_id)
        self.assertEqual(applicant.zoom_consent_by, "the candidate, on their interview page")
        self.assertRegex(applicant.zoom_consent_summary, r"^Given on .+ by the candidate, on their interview page\.$")
        self.assertTrue(applicant.zoom_consent_needed)
        self.assertIn("The candidate consented, on their interview page", str(self.applicant.message_ids.mapped("body")))
        self.assertIn("checked", self.consent_box(self.open_page(self.offer).text), "the booked page shows it")

    def test_unticked_box_creates_the_meeting_without_recording_or_summary(self):
        with self.zoom() as fake:
            self.book(self.offer, self.offer.slot_ids[0])
            self.run_postcommit()
        [body] = create_bodies(fake)
        self.assertEqual(consent_settings(body), NOT_RECORDED)
        self.assertEqual(self.applicant.zoom_consent, "refused")
        self.assertFalse(patch_bodies(fake))

    def test_candidate_changes_their_mind_on_the_booked_page_and_the_meeting_follows_at_once(self):
        self.assertFalse(self.account.update_meetings)
        with self.zoom() as fake:
            booked = self.book(self.offer, self.offer.slot_ids[0], consent="yes")
            event = self.offer_events().sudo()
            with self.server_commits_run_their_hooks():
                withdrawn = self.post(self.offer, "consent", dict(self.form_values(booked.text), tz="Asia/Tokyo"))
            self.assertIn("notice=consent", withdrawn.url)
            self.assertIn("Your choice about recording was saved", withdrawn.text)
            self.assertNotIn("checked", self.consent_box(withdrawn.text))
            self.assertEqual(self.applicant.zoom_consent, "refused")
            self.assertEqual(fake.meetings[int(event.zoom_meeting_id)]["settings"]["auto_recording"], "none")
            with self.server_commits_run_their_hooks():
                again = self.post(self.offer, "consent", dict(self.form_values(withdrawn.text), consent="yes"))
            replay = self.post(self.offer, "consent", dict(self.form_values(withdrawn.text)))
        self.assertEqual(again.status_code, 200)
        self.assertEqual(replay.status_code, 409, "a stale form changes nothing")
        self.assertEqual(self.applicant.zoom_consent, "given")
        self.assertEqual(patch_bodies(fake), [{"settings": NOT_RECORDED}, {"settings": RECORDED}])
        self.assertEqual([call.request.url.rsplit("/", 1)[-1] for call in fake.sent
                          if call.request.method == "PATCH"], [event.zoom_meeting_id] * 2)
        self.assertEqual(len(create_bodies(fake)), 1)
        self.assertFalse(event.zoom_consent_pending)

    # ------------------------------------------------------------------ the recruiter
    def test_recruiter_records_and_withdraws_consent_and_each_change_reaches_zoom_once(self):
        with self.zoom() as fake:
            self.book(self.offer, self.offer.slot_ids[0])
            event = self.offer_events().sudo()
            applicant = self.applicant.with_user(self.officer)
            applicant.action_zoom_record_consent()
            applicant.action_zoom_record_consent()
            self.run_postcommit()
            self.assertEqual(applicant.zoom_consent, "given")
            self.assertEqual(applicant.zoom_consent_user_id, self.officer)
            self.assertEqual(applicant.zoom_consent_by, self.officer.name)
            self.assertEqual(fake.meetings[int(event.zoom_meeting_id)]["settings"]["auto_recording"], "cloud")
            applicant.action_zoom_withdraw_consent()
            self.run_postcommit()
        self.assertEqual(patch_bodies(fake), [{"settings": RECORDED}, {"settings": NOT_RECORDED}])
        self.assertEqual(applicant.zoom_consent, "refused")
        self.assertRegex(applicant.zoom_consent_summary, rf"^Not given \(.+, {re.escape(self.officer.name)}\)\.$")
        notes = " ".join(str(body) for body in event.message_ids.mapped("body"))
        self.assertIn("The candidate consented: the Zoom meeting now has automatic recording and the AI Companion "
                      "meeting summary on.", notes)
        self.assertIn("now has automatic recording and the AI Companion meeting summary off", notes)
        self.assertIn(f"{self.officer.name} recorded the candidate's consent", str(self.applicant.message_ids.mapped("body")))

    def test_a_change_that_is_rolled_back_sends_nothing(self):
        with self.zoom() as fake:
            self.book(self.offer, self.offer.slot_ids[0])
            self.run_postcommit()
            with self.assertRaises(RolledBack), self.env.cr.savepoint():
                self.applicant.with_user(self.officer).action_zoom_record_consent()
                raise RolledBack()
            self.run_postcommit()
        self.assertFalse(patch_bodies(fake))
        self.assertEqual(self.applicant.zoom_consent, "refused")

    def test_zoom_down_the_change_is_retried_by_the_scheduled_action(self):
        with self.zoom() as fake:
            self.book(self.offer, self.offer.slot_ids[0])
            event = self.offer_events().sudo()
            fake.fail_next("PATCH", 503, {"code": 503, "message": "Service unavailable."})
            self.applicant.with_user(self.officer).action_zoom_record_consent()
            self.run_postcommit()
            self.assertTrue(event.zoom_consent_pending)
            self.assertEqual(event.zoom_consent_attempts, 1)
            self.assertIn("could not be sent to the Zoom meeting yet", str(event.message_ids[0].body))
            event.zoom_consent_retry_at = event.zoom_consent_retry_at - timedelta(hours=1)
            self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertEqual(patch_bodies(fake), [{"settings": RECORDED}, {"settings": RECORDED}])
        self.assertEqual(fake.meetings[int(event.zoom_meeting_id)]["settings"]["auto_recording"], "cloud")
        self.assertFalse(event.zoom_consent_pending)

    def test_an_interview_scheduled_from_the_applicant_follows_its_consent(self):
        self.applicant.sudo()._zoom_set_consent(True)
        self.env.cr.postcommit.clear()
        action = self.applicant.with_user(self.officer).action_create_meeting()
        start = self.day + timedelta(hours=4)
        context = dict(action["context"], default_partner_ids=action["context"]["default_partner_ids"]
                       + [self.interviewer.partner_id.id])
        with self.zoom() as fake:
            event = self.env["calendar.event"].with_user(self.officer).with_context(**context).create(
                {"name": "Second interview", "start": start, "stop": start + timedelta(hours=1)})
        self.assertEqual(event.applicant_id, self.applicant)
        self.assertEqual(consent_settings(create_bodies(fake)[0]), RECORDED)

    def test_only_recruiters_record_consent_and_nobody_writes_it_by_hand(self):
        interviewer = self.applicant.with_user(self.interviewer)
        with self.assertRaises(AccessError):
            interviewer.action_zoom_record_consent()
        for user in (self.officer, self.interviewer):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "zoom_consent"), \
                    self.env.cr.savepoint():
                self.applicant.with_user(user).write({"zoom_consent": "given"})
        self.assertFalse(self.applicant.zoom_consent)


@tagged("post_install", "-at_install")
class TestResultsFollowConsent(ResultsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write({"meeting_summary_consent": "consent", "meeting_recording_consent": "consent"})
        cls.applicant = cls.env["hr.applicant"].create({"partner_id": cls.candidate.id, "partner_name": cls.candidate.name})

    def setUp(self):
        super().setUp()
        self.event.applicant_id = self.applicant
        self.env.cr.postcommit.clear()

    def play(self):
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Strong on SQL."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.fetch_summaries()
            self.recording_completed()
        return [call for call in fake.sent if "meeting_summary" in call.request.url]

    def test_with_the_candidate_s_consent_summary_and_recording_come_back(self):
        self.applicant._zoom_set_consent(True)
        self.assertEqual(len(self.play()), 1)
        self.assertEqual(self.result().summary, "Strong on SQL.")
        self.assertTrue(self.result().recording_url)

    def test_without_it_zoom_is_not_asked_and_nothing_is_stored(self):
        self.applicant._zoom_set_consent(False)
        self.assertEqual(self.play(), [])
        self.assertFalse(self.result().summary)
        self.assertFalse(self.result().recording_url)
        notes = " ".join(str(body) for body in self.result_notes(self.applicant).mapped("body"))
        self.assertIn("the candidate has not consented", notes)
        self.assertNotIn("Strong on SQL", notes)

    def test_consent_withdrawn_after_zoom_announced_the_summary(self):
        self.applicant._zoom_set_consent(True)
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Strong on SQL."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.applicant._zoom_set_consent(False)
            self.fetch_summaries()
        self.assertEqual([call for call in fake.sent if "meeting_summary" in call.request.url], [])
        self.assertEqual(self.result().summary_state, "withheld")
