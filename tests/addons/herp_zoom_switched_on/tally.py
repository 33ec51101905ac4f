"""What Odoo's tests did with herp_zoom switched on, kept in memory for tests/odoo_switched_on.py.

pytest runs Odoo in its own process (HttpCase's server threads included): the pass reads and
resets these counters around every test. Nothing here is stored in the database, which every
test rolls back.
"""

import threading
from collections import Counter

_lock = threading.Lock()
_events = Counter()
_lost = []


def count_event(outcome):
    """One event created by a test: ``outcome`` is "meeting" or why it got none."""
    with _lock:
        _events["events"] += 1
        _events[outcome] += 1


def take():
    """The events counted since the last call, by outcome (and "events", their total)."""
    with _lock:
        counts = dict(_events)
        _events.clear()
    return counts


def connection_lost(where):
    """The company's Zoom connection was gone when ``where`` needed it: nothing was issued."""
    with _lock:
        _lost.append(where)


def take_lost():
    with _lock:
        lost = list(_lost)
        _lost.clear()
    return lost
