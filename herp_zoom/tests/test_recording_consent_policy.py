"""Recording and summary off, always, or only with the candidate's consent, as plain Python (no database)."""

import unittest

from odoo.addons.herp_zoom.services.recording_consent import (
    consent_update,
    feature_mode,
    may_bring_back,
    needs_consent,
    with_consent,
)

SETTINGS = {"waiting_room": True, "auto_recording": "cloud", "auto_start_meeting_summary": True}
BOTH_CONSENT = {"auto_recording": "consent", "auto_start_meeting_summary": "consent"}


class TestRecordingConsent(unittest.TestCase):
    def test_mode_of_each_choice(self):
        cases = [
            ("auto_recording", "none", "consent", "off"),
            ("auto_recording", "zoom", "consent", "zoom"),
            ("auto_recording", "cloud", "always", "always"),
            ("auto_recording", "local", "consent", "consent"),
            ("auto_recording", "cloud", False, "consent"),
            ("auto_start_meeting_summary", "off", "always", "off"),
            ("auto_start_meeting_summary", "zoom", "always", "zoom"),
            ("auto_start_meeting_summary", "on", "consent", "consent"),
            ("auto_start_meeting_summary", "on", "always", "always"),
        ]
        for key, choice, condition, mode in cases:
            with self.subTest(key=key, choice=choice, condition=condition):
                self.assertEqual(feature_mode(key, choice, condition), mode)

    def test_without_consent_both_are_turned_off_and_the_rest_is_kept(self):
        self.assertEqual(with_consent(SETTINGS, BOTH_CONSENT, False),
                         {"waiting_room": True, "auto_recording": "none", "auto_start_meeting_summary": False})
        self.assertEqual(with_consent(SETTINGS, BOTH_CONSENT, True), SETTINGS)

    def test_always_ignores_the_consent_and_a_refused_setting_stays_out(self):
        modes = {"auto_recording": "always", "auto_start_meeting_summary": "consent"}
        self.assertEqual(with_consent(SETTINGS, modes, False),
                         {"waiting_room": True, "auto_recording": "cloud", "auto_start_meeting_summary": False})
        refused = {"waiting_room": True, "auto_start_meeting_summary": True}
        self.assertEqual(with_consent(refused, BOTH_CONSENT, False),
                         {"waiting_room": True, "auto_start_meeting_summary": False})

    def test_an_update_sends_only_what_depends_on_the_consent(self):
        modes = {"auto_recording": "consent", "auto_start_meeting_summary": "always"}
        self.assertEqual(consent_update(SETTINGS, modes, True), {"auto_recording": "cloud"})
        self.assertEqual(consent_update(SETTINGS, modes, False), {"auto_recording": "none"})
        self.assertEqual(consent_update(SETTINGS, BOTH_CONSENT, False),
                         {"auto_recording": "none", "auto_start_meeting_summary": False})
        self.assertEqual(consent_update(SETTINGS, {"auto_recording": "off", "auto_start_meeting_summary": "zoom"},
                                        True), {})
        self.assertTrue(needs_consent(modes))
        self.assertFalse(needs_consent({"auto_recording": "always", "auto_start_meeting_summary": "zoom"}))

    def test_brought_back_only_where_on_for_the_interview(self):
        self.assertTrue(may_bring_back("always", False))
        self.assertTrue(may_bring_back("zoom", False))
        self.assertTrue(may_bring_back("consent", True))
        self.assertFalse(may_bring_back("consent", False))
        self.assertFalse(may_bring_back("off", True))
