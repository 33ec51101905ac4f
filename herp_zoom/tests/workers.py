"""Two Odoo workers made to overlap for certain: the first one's request is held at Zoom until the
second one waits on the database lock that serializes them (or reaches Zoom itself, when nothing
serializes them)."""

import threading
import time

WAIT = 30


class HeldAtZoom:
    """Given to a fake Zoom endpoint: ``arrive()`` holds the first request until ``release``."""

    def __init__(self):
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        self.arrivals = 0
        self.lock = threading.Lock()

    def arrive(self):
        with self.lock:
            self.arrivals += 1
            first = self.arrivals == 1
        if first:
            self.first_arrived.set()
            self.release.wait(timeout=WAIT)
        else:
            # Another worker reached Zoom while the first is held: they overlap.
            self.release.set()


def waiting_on_lock(registry, query_part):
    """Whether a database session waits on a lock while running a query containing ``query_part``."""
    with registry.cursor() as cr:
        cr.execute(
            """SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE %s""",
            [f"%{query_part}%"],
        )
        return cr.fetchone()[0] > 0


def run_overlapping(registry, first, second, held, query_part):
    """Run ``first`` in a worker until Zoom holds its request, then ``second`` in another worker;
    Zoom answers the first once the second waits on a lock of ``query_part`` or reached Zoom.

    Returns (whether the second waited on the lock, errors raised in the workers, threads)."""
    errors = []

    def run(function):
        try:
            function()
        except Exception as error:  # noqa: BLE001 - reported by the caller's assertions
            errors.append(error)
            held.first_arrived.set()
            held.release.set()

    threads = [threading.Thread(target=run, args=(first,))]
    threads[0].start()
    held.first_arrived.wait(timeout=WAIT)
    threads.append(threading.Thread(target=run, args=(second,)))
    threads[1].start()
    waited = False
    deadline = time.monotonic() + WAIT
    while not held.release.is_set() and time.monotonic() < deadline:
        if waiting_on_lock(registry, query_part):
            waited = True
            break
        time.sleep(0.05)
    held.release.set()
    for thread in threads:
        thread.join(timeout=2 * WAIT)
    return waited, errors, threads
