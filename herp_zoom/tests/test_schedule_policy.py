"""The meeting schedule and the host choice, as plain Python (no database)."""

import unittest
from datetime import datetime, timedelta

from odoo.addons.herp_zoom.services.host_choice import choose_host
from odoo.addons.herp_zoom.services.issue_plan import PlannedEvent, ZoomIssuePlan
from odoo.addons.herp_zoom.services.meeting_schedule import (
    change_is_ours,
    meeting_schedule,
    schedule_changed,
    schedule_fingerprint,
)

from .dates import YEAR

MONDAY = datetime(YEAR, 3, 4, 1, 0)
WEEKLY = [(MONDAY + timedelta(weeks=week), MONDAY + timedelta(weeks=week, hours=1)) for week in range(4)]
ALICE = {"id": 1, "zoom_user_id": "zu_alice", "zoom_user_email": "alice@zoom.example"}
BOB = {"id": 2, "zoom_user_id": "zu_bob", "zoom_user_email": "bob@zoom.example"}


class TestMeetingSchedule(unittest.TestCase):
    def test_start_in_utc_and_time_zone_for_display(self):
        self.assertEqual(meeting_schedule("Interview", datetime(YEAR, 10, 27, 0, 30), datetime(YEAR, 10, 27, 1, 15),
                                          "Europe/Paris"),
                         {"topic": "Interview", "type": 2, "timezone": "Europe/Paris",
                          "start_time": f"{YEAR}-10-27T00:30:00Z", "duration": 45})

    def test_series_without_fixed_time_has_no_start(self):
        self.assertEqual(meeting_schedule("Interview", MONDAY, MONDAY + timedelta(hours=1), "UTC", meeting_type=3),
                         {"topic": "Interview", "type": 3, "timezone": "UTC"})

    def test_only_a_real_change_counts(self):
        schedule = meeting_schedule("Interview", MONDAY, MONDAY + timedelta(hours=1), "UTC")
        sent = schedule_fingerprint(schedule)
        self.assertFalse(schedule_changed(dict(schedule), sent))
        self.assertTrue(schedule_changed(dict(schedule, duration=90), sent))
        self.assertTrue(schedule_changed(schedule, False))

    def test_notification_of_our_own_change_is_recognised(self):
        sent = schedule_fingerprint(meeting_schedule("Renamed", MONDAY, MONDAY + timedelta(hours=1), "UTC"))
        self.assertTrue(change_is_ours({"id": 1, "topic": "Renamed"}, sent))
        self.assertFalse(change_is_ours({"id": 1, "topic": "Changed by hand"}, sent))
        self.assertFalse(change_is_ours({"id": 1}, sent))
        self.assertFalse(change_is_ours({"id": 1, "topic": "Renamed"}, False))


class TestHostChoice(unittest.TestCase):
    def test_first_candidate_free_at_every_occurrence(self):
        busy = {"zu_alice": [(WEEKLY[2][0], WEEKLY[2][1], 99)]}
        self.assertEqual(choose_host([ALICE, BOB], WEEKLY, busy, 1, set(), "key"), (BOB, []))

    def test_everyone_busy_names_the_overlapping_occurrences(self):
        busy = {"zu_alice": [(WEEKLY[2][0], WEEKLY[2][1], 99)], "zu_bob": [(WEEKLY[0][0], WEEKLY[0][1], 98)]}
        self.assertEqual(choose_host([ALICE, BOB], WEEKLY, busy, 1, set(), "key"), (ALICE, [WEEKLY[2][0]]))

    def test_capacity_allows_overlaps(self):
        busy = {"zu_alice": [(WEEKLY[2][0], WEEKLY[2][1], 99)]}
        self.assertEqual(choose_host([ALICE, BOB], WEEKLY, busy, 2, set(), "key"), (ALICE, []))

    def test_own_planned_meeting_does_not_count(self):
        busy = {"zu_alice": [(start, stop, "key") for start, stop in WEEKLY]}
        self.assertEqual(choose_host([ALICE], WEEKLY, busy, 1, set(), "key"), (ALICE, []))

    def test_everyone_at_the_daily_limit(self):
        self.assertEqual(choose_host([ALICE, BOB], WEEKLY, {}, 1, {"zu_alice", "zu_bob"}, "key"), (None, []))


class TestRetryKeepsItsHost(unittest.TestCase):
    """A meeting whose creation went unanswered counted as its host's meeting in every other save
    meanwhile (the request may have reached Zoom): its retry keeps that host while it is free, so
    that what the others were told (that host was taken) stays true."""

    def plan(self, uncertain_host=None, chosen_host_id=None):
        plan = ZoomIssuePlan(7, None, PlannedEvent(42, "Interview", None, WEEKLY[0][0], WEEKLY[0][1], False, None,
                                                   chosen_host_id), [ALICE, BOB], "UTC", organizer_id=1)
        plan.uncertain_host = uncertain_host
        return plan

    def test_the_retry_keeps_the_host_its_unanswered_request_went_to(self):
        plan = self.plan(uncertain_host="zu_bob")
        plan.choose_host({}, 1, set(), MONDAY)
        self.assertEqual(plan.host, BOB)

    def test_a_first_attempt_takes_the_first_free_candidate(self):
        plan = self.plan()
        plan.choose_host({}, 1, set(), MONDAY)
        self.assertEqual(plan.host, ALICE)

    def test_the_retry_moves_on_when_that_host_is_busy_or_at_its_limit(self):
        plan = self.plan(uncertain_host="zu_bob")
        plan.choose_host({"zu_bob": [(WEEKLY[0][0], WEEKLY[0][1], 99)]}, 1, set(), MONDAY)
        self.assertEqual(plan.host, ALICE)
        plan = self.plan(uncertain_host="zu_bob")
        plan.choose_host({}, 1, {"zu_bob"}, MONDAY)
        self.assertEqual(plan.host, ALICE)

    def test_a_chosen_host_stays_the_host(self):
        plan = self.plan(uncertain_host="zu_bob", chosen_host_id=ALICE["id"])
        plan.choose_host({}, 1, set(), MONDAY)
        self.assertEqual(plan.host, ALICE)
