"""The tests' interviews stay ahead of the clock, in years whose days fall as in 2030 and 2031."""

import importlib.util
import unittest
from datetime import date, datetime
from pathlib import Path

from freezegun import freeze_time


def year_at(moment):
    """``dates.YEAR`` as the module computes it when imported at ``moment``."""
    spec = importlib.util.spec_from_file_location("herp_zoom_test_dates", Path(__file__).with_name("dates.py"))
    module = importlib.util.module_from_spec(spec)
    with freeze_time(moment):
        spec.loader.exec_module(module)
    return module.YEAR


class TestDates(unittest.TestCase):
    def test_the_year_is_ahead_of_the_clock_and_keeps_the_days_of_2030(self):
        for moment, year in (("2026-12-04", 2030), ("2030-03-02", 2041), ("2031-12-04", 2041),
                             ("2041-01-01", 2058), ("2070-07-01", 2086)):
            with self.subTest(moment=moment):
                self.assertEqual(year_at(moment), year)
                self.assertGreater(datetime(year, 1, 1), datetime.fromisoformat(moment))
                # 4 March is a Monday, 31 March the Sunday summer time starts in Paris, 1 May 2031+ a Thursday.
                self.assertEqual(date(year, 3, 4).weekday(), 0)
                self.assertEqual(date(year, 3, 31).weekday(), 6)
                self.assertEqual(date(year + 1, 5, 1).weekday(), 3)
