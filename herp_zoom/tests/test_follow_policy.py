"""Who hosts a meeting after its interview changed, and when the daily check reads it, as plain
Python (no database)."""

import unittest
from datetime import datetime, timedelta

from odoo.addons.herp_zoom.services.host_follow import CHOSEN_LEFT, HAND_OVER, KEEP, NOBODY_LEFT, roster_update
from odoo.addons.herp_zoom.services.meeting_check import check_due, differences, pause_before_next

from .dates import YEAR

START = datetime(YEAR, 3, 4, 1, 0)
SLOT = [(START, START + timedelta(hours=1))]
ALICE = {"id": 1, "zoom_user_id": "zu_alice", "zoom_user_email": "alice@zoom.example"}
BOB = {"id": 2, "zoom_user_id": "zu_bob", "zoom_user_email": "bob@zoom.example"}
CAROL = {"id": 3, "zoom_user_id": "zu_carol", "zoom_user_email": "carol@zoom.example"}


def update(current, candidates, chosen=None, busy=None, limited=()):
    return roster_update(current, chosen, candidates, SLOT, busy or {}, 1, set(limited), None)


class TestHostFollowPolicy(unittest.TestCase):
    def test_the_host_still_on_the_interview_keeps_it_and_the_others_are_alternative_hosts(self):
        result = update(ALICE, [ALICE, BOB, CAROL])
        self.assertEqual((result.outcome, result.host, result.alternative_hosts),
                         (KEEP, ALICE, "bob@zoom.example;carol@zoom.example"))

    def test_the_host_who_left_hands_over_to_the_first_free_one_within_the_daily_limit(self):
        busy = {"zu_bob": [(START, START + timedelta(hours=1), 99)]}
        self.assertEqual(update(ALICE, [BOB, CAROL], busy=busy).host, CAROL)
        self.assertEqual(update(ALICE, [BOB, CAROL], limited={"zu_bob"}).host, CAROL)
        result = update(ALICE, [BOB, CAROL])
        self.assertEqual((result.outcome, result.host, result.alternative_hosts), (HAND_OVER, BOB, "carol@zoom.example"))

    def test_a_host_relinked_to_another_zoom_user_is_no_longer_the_host(self):
        relinked = dict(ALICE, zoom_user_id="zu_alice_private")
        self.assertEqual(update(ALICE, [relinked, BOB]).outcome, HAND_OVER)

    def test_a_chosen_host_who_left_is_not_replaced(self):
        self.assertEqual(update(ALICE, [BOB], chosen=ALICE["id"]), (CHOSEN_LEFT, None, None))

    def test_nobody_left_or_everyone_at_the_daily_limit_keeps_the_meeting(self):
        self.assertEqual(update(ALICE, []), (NOBODY_LEFT, None, None))
        self.assertEqual(update(ALICE, [BOB], limited={"zu_bob"}), (NOBODY_LEFT, None, None))

    def test_one_zoom_user_shared_by_two_users_is_one_alternative_host(self):
        shared = dict(CAROL, id=4)
        self.assertEqual(update(ALICE, [ALICE, CAROL, shared]).alternative_hosts, "carol@zoom.example")


class TestMeetingCheckPolicy(unittest.TestCase):
    def test_due_once_a_day_and_once_in_the_last_hours(self):
        now = START - timedelta(days=2)
        self.assertTrue(check_due(now, START, None, 3), "never read")
        self.assertFalse(check_due(now, START, now - timedelta(hours=23), 3))
        self.assertTrue(check_due(now, START, now - timedelta(hours=24), 3))
        in_window = START - timedelta(hours=2)
        self.assertTrue(check_due(in_window, START, in_window - timedelta(hours=2), 3))
        self.assertFalse(check_due(in_window, START, in_window - timedelta(minutes=30), 3))
        self.assertFalse(check_due(in_window, START, in_window - timedelta(hours=2), 0), "no second read")
        self.assertFalse(check_due(START, START, None, 3), "started: not read")

    def test_pace_stays_within_the_light_rate(self):
        self.assertEqual(pause_before_next(0, 0.0), 0.0)
        self.assertAlmostEqual(pause_before_next(4, 0.5), 0.5)
        self.assertEqual(pause_before_next(4, 2.0), 0.0)

    def test_differences_name_start_duration_and_host(self):
        expected = {"type": 2, "start_time": f"{YEAR}-03-04T01:00:00Z", "duration": 60}
        meeting = {"start_time": f"{YEAR}-03-05T01:00:00Z", "duration": 30, "host_id": "zu_bob"}
        self.assertEqual(differences(expected, meeting, "zu_alice"), [
            ("start_time", f"{YEAR}-03-04T01:00:00Z", f"{YEAR}-03-05T01:00:00Z"), ("duration", 60, 30),
            ("host_id", "zu_alice", "zu_bob")])
        self.assertEqual(differences(expected, dict(meeting, start_time=expected["start_time"], duration=60,
                                                    host_id="zu_alice"), "zu_alice"), [])

    def test_a_series_is_compared_by_its_host_only(self):
        expected = {"type": 8, "start_time": f"{YEAR}-03-04T01:00:00Z", "duration": 60, "recurrence": {"type": 2}}
        self.assertEqual(differences(expected, {"start_time": f"{YEAR}-03-11T01:00:00Z", "duration": 60,
                                                "host_id": "zu_alice"}, "zu_alice"), [])
