"""Odoo's recurrence rule as Zoom's recurrence of a meeting (plain Python, no database)."""

import unittest
from datetime import date

from odoo.addons.herp_zoom.services.recurrence import RECURRING_FIXED_TIME, RECURRING_NO_FIXED_TIME, zoom_recurrence

from .dates import YEAR


def rule(**values):
    base = {"rrule_type": "weekly", "interval": 1, "end_type": "count", "count": 6, "until": False,
            "month_by": "date", "day": 1, "byday": "1", "weekday": "MON",
            **{day: False for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}
    base.update(values)
    return base


class TestZoomRecurrence(unittest.TestCase):
    def test_daily(self):
        self.assertEqual(zoom_recurrence(rule(rrule_type="daily", interval=2, count=10), "UTC"),
                         (RECURRING_FIXED_TIME, {"type": 1, "repeat_interval": 2, "end_times": 10}))

    def test_weekly_days_in_zoom_numbering(self):
        self.assertEqual(zoom_recurrence(rule(mon=True, fri=True, sun=True), "UTC"),
                         (RECURRING_FIXED_TIME, {"type": 2, "repeat_interval": 1, "weekly_days": "1,2,6",
                                                 "end_times": 6}))

    def test_monthly_by_date(self):
        self.assertEqual(zoom_recurrence(rule(rrule_type="monthly", month_by="date", day=15), "UTC"),
                         (RECURRING_FIXED_TIME, {"type": 3, "repeat_interval": 1, "monthly_day": 15,
                                                 "end_times": 6}))

    def test_monthly_by_weekday(self):
        self.assertEqual(zoom_recurrence(rule(rrule_type="monthly", month_by="day", byday="-1", weekday="TUE"),
                                         "UTC"),
                         (RECURRING_FIXED_TIME, {"type": 3, "repeat_interval": 1, "monthly_week": -1,
                                                 "monthly_week_day": 3, "end_times": 6}))

    def test_end_date_is_the_end_of_that_day_in_the_meeting_time_zone(self):
        self.assertEqual(
            zoom_recurrence(rule(mon=True, end_type="end_date", until=date(YEAR, 4, 8)), "Asia/Tokyo"),
            (RECURRING_FIXED_TIME, {"type": 2, "repeat_interval": 1, "weekly_days": "2",
                                    "end_date_time": f"{YEAR}-04-08T14:59:00Z"}),
        )

    def test_rules_zoom_cannot_express_have_no_fixed_time(self):
        for unexpressible in (
            rule(rrule_type="yearly"),
            rule(mon=True, end_type="forever"),
            rule(mon=True, count=61),
            rule(rrule_type="daily", interval=100),
            rule(mon=True, interval=51),
            rule(rrule_type="monthly", interval=11),
            rule(mon=True, end_type="end_date", until=False),
        ):
            with self.subTest(unexpressible):
                self.assertEqual(zoom_recurrence(unexpressible, "UTC"), (RECURRING_NO_FIXED_TIME, None))

    def test_sixty_occurrences_still_fit(self):
        self.assertEqual(zoom_recurrence(rule(mon=True, count=60), "UTC")[1]["end_times"], 60)
