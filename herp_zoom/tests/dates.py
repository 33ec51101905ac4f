"""The year of the tests' interviews: always ahead of the clock, so the suite passes in any year.

The tests were written for 2030 and 2031; they name days of those years (a Monday, the Sunday of a
change of summer time, 31 March). ``YEAR`` is the first year after the current one whose calendar is
2030's, as the next year's is 2031's (same weekdays, no 29 February): every day keeps its weekday
and its summer-time change, and the tests read the same, years from now too.
"""

import calendar
from datetime import date, datetime, timezone
from itertools import count


def _calendar_of_2030(year):
    return (date(year, 1, 1).weekday() == date(2030, 1, 1).weekday()
            and not calendar.isleap(year) and not calendar.isleap(year + 1))


YEAR = next(year for year in count(datetime.now(timezone.utc).year + 1) if _calendar_of_2030(year))
