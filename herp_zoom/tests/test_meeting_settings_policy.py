"""The company's meeting settings and the chosen host, as plain Python (no database)."""

import unittest
from datetime import datetime, timedelta

from odoo.addons.herp_zoom.services.attendees import host_candidates
from odoo.addons.herp_zoom.services.host_choice import chosen_host_problem
from odoo.addons.herp_zoom.services.meeting_settings import (
    INTERVIEW_DEFAULTS,
    SETTING_KEYS,
    refused_setting,
    settings_body,
)

from .dates import YEAR

START = datetime(YEAR, 3, 4, 1, 0)
SLOT = [(START, START + timedelta(hours=1))]
ALICE = {"id": 1, "partner_id": 11, "zoom_user_id": "zu_alice", "zoom_user_email": "alice@zoom.example"}
BOB = {"id": 2, "partner_id": 12, "zoom_user_id": "zu_bob", "zoom_user_email": "bob@zoom.example"}


class TestSettingsBody(unittest.TestCase):
    def test_interview_defaults(self):
        self.assertEqual(settings_body(INTERVIEW_DEFAULTS), {
            "waiting_room": True, "join_before_host": False, "mute_upon_entry": True, "host_video": True,
            "participant_video": True, "auto_start_deepfake_detection": True, "auto_start_meeting_summary": False,
            "auto_recording": "none",
        })

    def test_zoom_s_own_default_leaves_every_setting_out(self):
        self.assertEqual(settings_body({key: "zoom" for key in SETTING_KEYS}), {})
        self.assertEqual(settings_body({}), {})

    def test_each_setting_on_and_off_by_zoom_s_name(self):
        for key in SETTING_KEYS:
            if key == "auto_recording":
                continue
            with self.subTest(key):
                self.assertEqual(settings_body({key: "on"}), {key: True} if key != "join_before_host"
                                 else {key: True, "jbh_time": 0})
                self.assertEqual(settings_body({key: "off"}), {key: False})

    def test_recording_modes(self):
        for mode in ("none", "local", "cloud"):
            self.assertEqual(settings_body({"auto_recording": mode}), {"auto_recording": mode})

    def test_join_before_host_minutes_only_with_join_before_host(self):
        self.assertEqual(settings_body({"join_before_host": "on", "jbh_time": "10"}),
                         {"join_before_host": True, "jbh_time": 10})
        self.assertEqual(settings_body({"join_before_host": "off", "jbh_time": "10"}), {"join_before_host": False})

    def test_refused_settings_are_left_out(self):
        body = settings_body(INTERVIEW_DEFAULTS, left_out=["auto_start_deepfake_detection", "auto_recording"])
        self.assertNotIn("auto_start_deepfake_detection", body)
        self.assertNotIn("auto_recording", body)
        self.assertTrue(body["waiting_room"])


class TestRefusedSetting(unittest.TestCase):
    SENT = {"waiting_room": True, "join_before_host": False, "auto_recording": "cloud", "alternative_hosts": "a@x"}

    def test_field_of_zoom_s_validation_errors(self):
        body = {"code": 300, "message": "Validation Failed.",
                "errors": [{"field": "settings.auto_recording", "message": "Invalid field."}]}
        self.assertEqual(refused_setting(body, self.SENT), "auto_recording")

    def test_setting_named_in_the_message(self):
        body = {"code": 300, "message": "The setting join_before_host is locked by the account administrator."}
        self.assertEqual(refused_setting(body, self.SENT), "join_before_host")

    def test_other_refusals_name_no_setting(self):
        self.assertIsNone(refused_setting({"code": 1114, "message": "Invalid alternative host email: a@x."},
                                          self.SENT))
        self.assertIsNone(refused_setting({"code": 300, "message": "Validation Failed.",
                                           "errors": [{"field": "settings.alternative_hosts"}]}, self.SENT))
        self.assertIsNone(refused_setting({"code": 300, "message": "auto_recording"}, {"waiting_room": True}))
        self.assertIsNone(refused_setting(None, self.SENT))


class TestChosenHost(unittest.TestCase):
    def test_chosen_host_comes_first_even_when_the_organizer_is_linked(self):
        self.assertEqual(host_candidates([ALICE, BOB], [11, 12], organizer_id=1, chosen_id=2), [BOB, ALICE])
        self.assertEqual(host_candidates([ALICE, BOB], [11, 12], organizer_id=1), [ALICE, BOB])

    def test_free_chosen_host_hosts(self):
        self.assertEqual(chosen_host_problem(2, [ALICE, BOB], SLOT, {}, 1, set(), "key"), (BOB, None, []))

    def test_busy_chosen_host_is_kept_and_says_when(self):
        busy = {"zu_bob": [(START, START + timedelta(minutes=30), 99)]}
        host, problem, starts = chosen_host_problem(2, [ALICE, BOB], SLOT, busy, 1, set(), "key")
        self.assertEqual((host, problem, starts), (BOB, None, [START]))
        self.assertEqual(chosen_host_problem(2, [ALICE, BOB], SLOT, busy, 2, set(), "key"), (BOB, None, []))

    def test_limited_or_unlinked_chosen_host_is_not_replaced(self):
        self.assertEqual(chosen_host_problem(2, [ALICE, BOB], SLOT, {}, 1, {"zu_bob"}, "key"),
                         (BOB, "daily_limit", []))
        self.assertEqual(chosen_host_problem(3, [ALICE, BOB], SLOT, {}, 1, set(), "key"), (None, "not_linked", []))
