"""The load test's rows read from the servers' logs count what Odoo and herp_zoom really log."""

import io
import logging
import os
import threading

from odoo import SUPERUSER_ID, api
from odoo.netsvc import PerfFilter
from odoo.service.model import retrying
from odoo.tests.common import TransactionCase

from odoo.addons.herp_zoom.tests.workers import WAIT, waiting_on_lock

from benchmarks.server_logs import read_counts

# The format of Odoo's log file (odoo/netsvc.py, init_logger), which the load test's servers write.
ODOO_LOG_FORMAT = "%(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s %(perf_info)s"
CONFLICT_ROW = "UPDATE res_company SET write_date = write_date WHERE id = 1"


class OdooFileFormatter(logging.Formatter):
    """That format, with the process and the database as Odoo adds them to every record (Odoo 18's
    DBFormatter, Odoo 19's LogRecord)."""

    def format(self, record):
        record.pid = os.getpid()
        record.dbname = getattr(threading.current_thread(), "dbname", "?")
        return super().format(record)


class OdooLogFile:
    """What ``logger`` logs from INFO up, written as Odoo writes its log file."""

    def __init__(self, logger):
        self.logger = logging.getLogger(logger)
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(OdooFileFormatter(ODOO_LOG_FORMAT))
        self.handler.addFilter(PerfFilter())

    def __enter__(self):
        self.level = self.logger.level
        self.logger.setLevel(logging.DEBUG)
        self.logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.level)

    def lines(self):
        return self.stream.getvalue().splitlines(keepends=True)


class TestLoadTestLogCounts(TransactionCase):
    test_tags = {"standard", "post_install"}
    test_module = "herp_zoom"
    test_class = "TestLoadTestLogCounts"
    test_sequence = 0

    def test_a_forced_serialization_conflict_is_counted_as_one_retry(self):
        """Two transactions write one row: the second one's request gets PostgreSQL's serialization
        failure, which Odoo's request loop (retrying) logs and runs again; the row counts it."""
        errors, results = [], []

        def second_request():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    results.append(retrying(lambda: cr.execute(CONFLICT_ROW) or "done", env))
            except Exception as error:  # noqa: BLE001 - reported by the assertions
                errors.append(error)

        with OdooLogFile("odoo.service.model") as log:
            with self.registry.cursor() as first:
                # The first transaction holds the row; the second one's snapshot is taken before
                # the first commits, and its update waits for the row's lock.
                first.execute(CONFLICT_ROW)
                thread = threading.Thread(target=second_request)
                thread.start()
                for _attempt in range(int(WAIT / 0.05)):
                    if waiting_on_lock(self.registry, CONFLICT_ROW) or not thread.is_alive():
                        break
                    threading.Event().wait(0.05)
                else:
                    self.fail("the second transaction never waited for the row")
                first.commit()
            thread.join(timeout=WAIT)
        self.assertEqual(errors, [])
        self.assertEqual(results, ["done"], "the second request succeeded at its second try")
        lines = log.lines()
        self.assertTrue(any("SERIALIZATION_FAILURE, 4 tries left, try again in" in line for line in lines), lines)
        counts = read_counts(lines)
        self.assertEqual(counts["retries"], {"SERIALIZATION_FAILURE": 1})
        self.assertEqual(counts["retries_exhausted"], {})

    def test_host_lock_waits_are_counted_with_their_seconds(self):
        """A save takes a free host's lock, then meets a host another transaction holds and gives
        it up after HOST_LOCK_TIMEOUT: both lines of models/zoom_host.py are counted, with their
        seconds."""
        hosts = self.env["zoom.host"].sudo()
        with OdooLogFile("odoo.addons.herp_zoom.models.zoom_host") as log:
            self.assertEqual(hosts._lock_for_assignment(["zu_log_count_free"]), set())
            with self.registry.cursor() as other:
                # Another save gives this Zoom user a meeting and has not committed yet.
                other.execute("""INSERT INTO zoom_host (zoom_user_id, last_assigned_at)
                                 VALUES ('zu_log_count_held', now() at time zone 'UTC')""")
                self.assertEqual(hosts._lock_for_assignment(["zu_log_count_held"]), {"zu_log_count_held"})
                other.rollback()
        lines = log.lines()
        counts = read_counts(lines)["host_lock"]
        # One wait of HOST_LOCK_TIMEOUT for the held user, not a second one for the same user alone.
        self.assertEqual((counts["takes"], counts["waits"], counts["gave_up"]), (1, 0, 1), lines)
        self.assertGreaterEqual(counts["seconds"], 3.0, "the give-up waited HOST_LOCK_TIMEOUT")

    def test_a_save_with_one_held_host_among_two_waits_for_it_once(self):
        """The two interviewers' locks are asked at once and one is held: after that one wait of
        HOST_LOCK_TIMEOUT the free one is taken, and the held one left out without a second wait."""
        hosts = self.env["zoom.host"].sudo()
        with OdooLogFile("odoo.addons.herp_zoom.models.zoom_host") as log:
            with self.registry.cursor() as other:
                other.execute("""INSERT INTO zoom_host (zoom_user_id, last_assigned_at)
                                 VALUES ('zu_log_pair_held', now() at time zone 'UTC')""")
                left_out = hosts._lock_for_assignment(["zu_log_pair_free", "zu_log_pair_held"])
                other.rollback()
        self.assertEqual(left_out, {"zu_log_pair_held"})
        lines = log.lines()
        counts = read_counts(lines)["host_lock"]
        self.assertEqual(counts["takes"], 1, lines)
        self.assertLess(counts["seconds"], 4.0, f"one wait of HOST_LOCK_TIMEOUT (3 s), not two: {lines}")
