"""What Zoom's result events mean, as plain Python (no database)."""

import unittest
from datetime import datetime, timedelta

from odoo.addons.herp_zoom.services.meeting_results import (
    attendance_outcome,
    format_duration,
    match_partner,
    parse_zoom_time,
    participant_key,
    pick_occurrence,
    summary_text,
)

from .dates import YEAR

MONDAY = datetime(YEAR, 3, 4, 1, 0)
ATTENDEES = [(1, "Chika Candidate", ["chika@candidate.example"]),
             (2, "Ichiro Interviewer", ["ichiro@example.com", "ichiro@zoom.example"]),
             (3, "Ken Sato", []), (4, "Ken  sato", ["ken2@example.com"])]


class TestMeetingResultsPolicy(unittest.TestCase):
    def test_zoom_times(self):
        self.assertEqual(parse_zoom_time(f"{YEAR}-03-04T01:02:03Z"), datetime(YEAR, 3, 4, 1, 2, 3))
        self.assertEqual(parse_zoom_time(f"{YEAR}-03-04T10:02:03+09:00"), datetime(YEAR, 3, 4, 1, 2, 3))
        for value in ("", "  ", "yesterday", None, 12):
            self.assertIsNone(parse_zoom_time(value))

    def test_participants_matched_by_email_then_unambiguous_name(self):
        self.assertEqual(match_partner({"email": "ICHIRO@zoom.example", "user_name": "x"}, ATTENDEES), 2)
        self.assertEqual(match_partner({"email": "", "user_name": " chika  candidate "}, ATTENDEES), 1)
        # Two attendees with that name: nobody rather than the wrong one.
        self.assertIsNone(match_partner({"user_name": "Ken Sato"}, ATTENDEES))
        self.assertEqual(match_partner({"email": "ken2@example.com", "user_name": "Ken Sato"}, ATTENDEES), 4)
        self.assertIsNone(match_partner({"email": "other@example.com", "user_name": "Other"}, ATTENDEES))

    def test_participant_key_prefers_zoom_participant_uuid(self):
        self.assertEqual(participant_key({"participant_uuid": "AB", "user_id": "1"}), "participant_uuid:ab")
        self.assertEqual(participant_key({"user_id": "16778240", "email": "a@b.c"}), "user_id:16778240")
        self.assertIsNone(participant_key({"user_name": " "}))

    def test_no_show_only_with_a_candidate_who_never_joined(self):
        self.assertEqual(attendance_outcome([1], [2, 3], [2]), (True, [3]))
        self.assertEqual(attendance_outcome([1], [2], [1, 2]), (False, []))
        self.assertEqual(attendance_outcome([], [2], []), (False, [2]))

    def test_instance_attached_to_the_closest_occurrence(self):
        weekly = [(10 + week, MONDAY + timedelta(weeks=week)) for week in range(3)]
        self.assertEqual(pick_occurrence(weekly, MONDAY + timedelta(weeks=1, minutes=-10)), 11)
        self.assertEqual(pick_occurrence(weekly, MONDAY + timedelta(weeks=2, hours=3)), 12)
        self.assertIsNone(pick_occurrence(weekly, MONDAY + timedelta(days=3)))
        self.assertIsNone(pick_occurrence(weekly, None))
        # A single interview is its meeting's only instance, whenever it is held.
        self.assertEqual(pick_occurrence(weekly[:1], MONDAY + timedelta(days=3)), 10)
        self.assertIsNone(pick_occurrence([], MONDAY))

    def test_summary_text_from_content_or_older_fields(self):
        self.assertEqual(summary_text({"summary_content": " Good.\n", "summary_overview": "x"}), "Good.")
        self.assertEqual(summary_text({"summary_overview": "Overview", "summary_details": [
            {"label": "Skills", "summary": "SQL"}], "next_steps": ["Tech test", " "]}),
            "Overview\n\nSkills: SQL\n\n- Tech test")
        self.assertEqual(summary_text({}), "")

    def test_duration(self):
        self.assertEqual(format_duration(65), "1:05")
        self.assertEqual(format_duration(None), "0:00")
