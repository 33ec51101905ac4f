"""What the load test's Odoo servers logged, read from their log files.

Plain Python (no Odoo import): the test of these counts feeds them what Odoo really logs.
"""

import re
from collections import Counter

# Odoo's file log lines: "<date> <time> <pid> <LEVEL> <db> <logger>: <message>".
_PREFIX = r"^\S+ \S+ \d+ (?P<level>[A-Z]+) \S+ "

# odoo/service/model.py, retrying(), the same in Odoo 18 and 19: a request that met a concurrency
# error of PostgreSQL is rolled back and run again ("SERIALIZATION_FAILURE, 4 tries left, try
# again in 0.7562 sec..."); LOCK_NOT_AVAILABLE and DEADLOCK_DETECTED likewise, and in Odoo 19 an
# ORM ConcurrencyError, logged as its repr. When no try is left it says so and the request fails.
RETRY = re.compile(_PREFIX + r"odoo\.service\.model: (?P<error>[A-Z_]+|\w*ConcurrencyError\(.*\)), "
                             r"\d+ tries left, try again in ")
GAVE_UP = re.compile(_PREFIX + r"odoo\.service\.model: (?P<error>[A-Z_]+|\w*ConcurrencyError\(.*\)), "
                               r"maximum number of tries reached!")

# herp_zoom's own lines (models/zoom_host.py): every take of the host locks with the time it
# waited (DEBUG, which the load test turns on for that logger only), and every give-up (INFO).
HOST_LOCK_TAKEN = re.compile(_PREFIX + r"odoo\.addons\.herp_zoom\.models\.zoom_host: "
                                       r"Host lock of \d+ Zoom user\(s\) taken after (?P<seconds>[0-9.]+) s")
HOST_LOCK_GAVE_UP = re.compile(_PREFIX + r"odoo\.addons\.herp_zoom\.models\.zoom_host: "
                                         r"Host lock of \d+ Zoom user\(s\) held by another save for "
                                         r"(?P<seconds>[0-9.]+) s")
# ``taken after`` at or above this is a wait for another save, not the statement's own time.
WAITED = 0.05


def _error_name(error):
    return "ConcurrencyError" if error.endswith(")") else error


def read_counts(lines):
    """The retries and lock waits in these log lines (any iterable of str)."""
    retries, gave_up = Counter(), Counter()
    lock = {"takes": 0, "waits": 0, "gave_up": 0, "seconds": 0.0}
    for line in lines:
        if match := RETRY.match(line):
            retries[_error_name(match["error"])] += 1
        elif match := GAVE_UP.match(line):
            gave_up[_error_name(match["error"])] += 1
        elif match := HOST_LOCK_TAKEN.match(line):
            seconds = float(match["seconds"])
            lock["takes"] += 1
            lock["seconds"] += seconds
            lock["waits"] += seconds >= WAITED
        elif match := HOST_LOCK_GAVE_UP.match(line):
            lock["gave_up"] += 1
            lock["seconds"] += float(match["seconds"])
    return {"retries": retries, "retries_exhausted": gave_up, "host_lock": lock}


def read_log_files(paths):
    lines = []
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as file:
            lines.extend(file)
    return read_counts(lines)
