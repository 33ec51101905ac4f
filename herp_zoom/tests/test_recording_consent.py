"""Recording and Zoom's AI summary only with the candidate's consent, in herp_zoom alone: an interview
without applicant has no candidate who could consent, so "only with consent" means off."""

from odoo.tests import tagged

from .test_meeting_options import OptionsCommon, create_bodies
from .test_meeting_results import UUID, ResultsCommon

RECORDED = {"meeting_auto_recording": "cloud", "meeting_summary": "on"}


@tagged("post_install", "-at_install")
class TestConsentSettings(OptionsCommon):
    def test_only_with_consent_is_the_default_once_recording_or_summary_is_on(self):
        self.assertEqual((self.account.meeting_recording_consent, self.account.meeting_summary_consent),
                         ("consent", "consent"))
        defaults = self.env["res.config.settings"].with_user(self.settings_admin).default_get(
            ["zoom_meeting_recording_consent", "zoom_meeting_summary_consent"])
        self.assertEqual((defaults["zoom_meeting_recording_consent"], defaults["zoom_meeting_summary_consent"]),
                         ("consent", "consent"))
        self.env["res.config.settings"].with_user(self.settings_admin).create(
            {"zoom_meeting_auto_recording": "cloud", "zoom_meeting_summary": "on"}).execute()
        with self.zoom() as fake:
            self.create_interview()
        [body] = create_bodies(fake)
        self.assertEqual((body["settings"]["auto_recording"], body["settings"]["auto_start_meeting_summary"]),
                         ("none", False), "no candidate consented")

    def test_interview_without_applicant_is_neither_recorded_nor_summarized(self):
        self.account.write(RECORDED)
        with self.zoom() as fake:
            event = self.create_interview()
        [body] = create_bodies(fake)
        self.assertEqual(body["settings"], {
            "waiting_room": True, "join_before_host": False, "mute_upon_entry": True, "host_video": True,
            "participant_video": True, "auto_start_deepfake_detection": True, "auto_start_meeting_summary": False,
            "auto_recording": "none",
        })
        self.assertIssued(event, fake, self.zoom_interviewer)

    def test_always_records_and_summarizes_every_interview(self):
        self.env["res.config.settings"].with_user(self.settings_admin).create({
            "zoom_meeting_auto_recording": "local", "zoom_meeting_recording_consent": "always",
            "zoom_meeting_summary": "on", "zoom_meeting_summary_consent": "always"}).execute()
        self.assertEqual((self.account.meeting_recording_consent, self.account.meeting_summary_consent),
                         ("always", "always"))
        with self.zoom() as fake:
            self.create_interview()
        [body] = create_bodies(fake)
        self.assertEqual((body["settings"]["auto_recording"], body["settings"]["auto_start_meeting_summary"]),
                         ("local", True))

    def test_off_and_zoom_s_default_are_not_changed_by_the_consent(self):
        self.account.write({"meeting_auto_recording": "zoom", "meeting_summary": "off"})
        self.assertFalse(self.account._meeting_needs_consent())
        with self.zoom() as fake:
            self.create_interview()
        [body] = create_bodies(fake)
        self.assertNotIn("auto_recording", body["settings"], "left to the Zoom account")
        self.assertIs(body["settings"]["auto_start_meeting_summary"], False)

    def test_a_meeting_template_decides_and_asks_no_consent(self):
        template = self.env["zoom.meeting.template"].sudo().create(
            {"account_id": self.account.id, "template_id": "tmplRecorded", "name": "Recorded interview"})
        self.account.write(dict(RECORDED, meeting_template_id=template.id))
        self.assertFalse(self.account._meeting_needs_consent())
        with self.zoom() as fake:
            self.create_interview()
        [body] = create_bodies(fake)
        self.assertEqual(body["template_id"], "tmplRecorded")
        self.assertNotIn("settings", body)

    def test_changing_the_condition_asks_zoom_again_for_refused_settings(self):
        self.account.write(RECORDED)
        self.account.refused_meeting_settings = "auto_recording"
        self.env["res.config.settings"].with_user(self.settings_admin).create(
            {"zoom_meeting_recording_consent": "always"}).execute()
        self.assertFalse(self.account.refused_meeting_settings)


@tagged("post_install", "-at_install")
class TestNothingBroughtBackWithoutConsent(ResultsCommon):
    def setUp(self):
        super().setUp()
        # The interview (without applicant) was held; recording and summary need the candidate's consent.
        self.account.write({"meeting_summary_consent": "consent", "meeting_recording_consent": "consent"})

    def summary_requests(self, fake):
        return [call for call in fake.sent if "meeting_summary" in call.request.url]

    def test_no_summary_request_and_no_recording_link_without_consent(self):
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Said things in confidence."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.fetch_summaries()
            self.summary_completed(event_ts=1)
            self.recording_completed()
            self.recording_completed()
            self.fetch_summaries()
        self.assertEqual(self.summary_requests(fake), [])
        result = self.result()
        self.assertEqual(result.summary_state, "withheld")
        self.assertFalse(result.summary)
        self.assertFalse(result.recording_url)
        self.assertTrue(result.recording_withheld)
        bodies = [str(body) for body in self.result_notes(self.event).mapped("body")]
        self.assertNotIn("Said things", " ".join(bodies))
        self.assertNotIn("rec/share", " ".join(bodies))
        self.assertEqual(len([body for body in bodies if "not brought into Odoo" in body]), 2,
                         "one note for the summary, one for the recording")
        self.assertIn("the candidate has not consented", " ".join(bodies))

    def test_nothing_brought_back_where_the_company_turns_them_off(self):
        self.account.write({"meeting_summary": "off", "meeting_auto_recording": "none"})
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Started by hand in Zoom."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.recording_completed()
            self.fetch_summaries()
        self.assertEqual(self.summary_requests(fake), [])
        self.assertEqual(self.result().summary_state, "withheld")
        self.assertIn("turn the meeting summary off", " ".join(self.result_notes(self.event).mapped("body")))

    def test_a_summary_announced_before_the_setting_changed_is_not_fetched(self):
        self.account.write({"meeting_summary_consent": "always"})
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Announced while it was allowed."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.assertEqual(self.result().summary_state, "pending")
            self.account.write({"meeting_summary_consent": "consent"})
            self.fetch_summaries()
        self.assertEqual(self.summary_requests(fake), [])
        self.assertEqual(self.result().summary_state, "withheld")

    def test_zoom_s_own_default_brings_back_what_zoom_made(self):
        self.account.write({"meeting_summary": "zoom", "meeting_auto_recording": "zoom"})
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "The account records every meeting."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.fetch_summaries()
            self.recording_completed()
        self.assertEqual(len(self.summary_requests(fake)), 1)
        self.assertEqual(self.result().summary, "The account records every meeting.")
        self.assertEqual(self.result().recording_url, "https://zoom.example/rec/share/abc123")
