import logging
import time as clock
from datetime import datetime, time, timedelta

from psycopg2 import errors

from odoo import fields, models
from ..compat import Constraint

# How long a save waits for another save that gives the same Zoom user a meeting (whose Zoom
# request may hang) before it leaves the meeting to the scheduled action.
HOST_LOCK_TIMEOUT = "3s"
# After that wait, each user is asked again alone: one still held is left out at once.
HELD_AGAIN_TIMEOUT = "100ms"

_logger = logging.getLogger(__name__)


class ZoomHost(models.Model):
    """A Zoom user that hosts meetings created by Odoo.

    Its row is what concurrent transactions lock before they give the Zoom user a
    meeting, and it remembers Zoom's per-user daily limit of meeting creations.
    """

    _name = "zoom.host"
    _description = "Zoom Host"
    _rec_name = "zoom_user_id"

    zoom_user_id = fields.Char("Zoom User ID", required=True, readonly=True)
    daily_limit_until = fields.Datetime(
        "Daily Limit Reached Until", readonly=True,
        help="Zoom refuses more meeting creations for this user until this time (00:00 UTC).",
    )
    last_assigned_at = fields.Datetime(readonly=True)
    # The company whose connection last gave this Zoom user a meeting: its record rule keeps one
    # company's hosts (and their daily limits) from another company's administrators.
    company_id = fields.Many2one("res.company", readonly=True, index=True, ondelete="cascade")

    _zoom_user_id_uniq = Constraint("unique(zoom_user_id)", "A Zoom user is recorded once.")

    def _lock_for_assignment(self, zoom_user_ids, company_id=None):
        """Lock the rows of these Zoom users until the end of the transaction; return the ones
        that could not be locked.

        Two transactions that give the same Zoom user a meeting at once are serialized here.
        The second one cannot see the meeting the first one created (its snapshot is older):
        instead of failing the whole save with a serialization error, or waiting for a Zoom
        request that hangs, it leaves that user out, and its meeting to the scheduled action.
        """
        wanted = sorted(set(zoom_user_ids))
        if not wanted:
            return set()
        if self._lock_rows(wanted, company_id):
            return set()
        if len(wanted) == 1:
            # That user is held: waiting for it once more would double the save's wait.
            return set(wanted)
        # One at a time, in order (no deadlock): only the users another save holds are left out,
        # without a second wait for them.
        return {zoom_user_id for zoom_user_id in wanted
                if not self._lock_rows([zoom_user_id], company_id, timeout=HELD_AGAIN_TIMEOUT)}

    def _lock_rows(self, zoom_user_ids, company_id=None, timeout=HOST_LOCK_TIMEOUT):
        """Whether the rows of these users could be locked (within HOST_LOCK_TIMEOUT, and not
        changed since this transaction's snapshot). One round trip: this runs for every save
        that issues a meeting."""
        cr = self.env.cr
        started = clock.monotonic()
        try:
            cr.execute(
                """SAVEPOINT herp_zoom_host_lock;
                   SET LOCAL lock_timeout = %s;
                   INSERT INTO zoom_host (zoom_user_id, company_id, last_assigned_at, create_date, write_date)
                        SELECT uid, %s, now() at time zone 'UTC', now() at time zone 'UTC', now() at time zone 'UTC'
                          FROM unnest(%s::varchar[]) AS uid ORDER BY uid
                   ON CONFLICT (zoom_user_id) DO UPDATE SET last_assigned_at = EXCLUDED.last_assigned_at,
                        company_id = COALESCE(EXCLUDED.company_id, zoom_host.company_id);
                   SET LOCAL lock_timeout = DEFAULT;
                   RELEASE SAVEPOINT herp_zoom_host_lock""",
                [timeout, company_id, zoom_user_ids], log_exceptions=False,
            )
        except (errors.SerializationFailure, errors.LockNotAvailable):
            cr.execute("ROLLBACK TO SAVEPOINT herp_zoom_host_lock; RELEASE SAVEPOINT herp_zoom_host_lock")
            # The load test counts these lines (benchmarks/server_logs.py).
            _logger.info("Host lock of %d Zoom user(s) held by another save for %.3f s: its meeting is left to "
                         "another host or the scheduled action", len(zoom_user_ids), clock.monotonic() - started)
            return False
        _logger.debug("Host lock of %d Zoom user(s) taken after %.3f s", len(zoom_user_ids), clock.monotonic() - started)
        return True

    def _limited_zoom_user_ids(self, zoom_user_ids):
        """The Zoom users among these that reached Zoom's daily creation limit (the form's warning
        about a chosen host; issuing reads the limits with the overlapping meetings)."""
        if not zoom_user_ids:
            return set()
        self.env.cr.execute(
            "SELECT zoom_user_id FROM zoom_host WHERE zoom_user_id = ANY(%s) AND daily_limit_until > %s",
            [list(zoom_user_ids), fields.Datetime.now()],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _mark_daily_limit(self, zoom_user_id, company_id=None):
        """Remember until Zoom's next reset (00:00 UTC) that this user cannot get more meetings."""
        reset = datetime.combine(fields.Datetime.now().date() + timedelta(days=1), time.min)
        self.env.cr.execute(
            """INSERT INTO zoom_host (zoom_user_id, company_id, daily_limit_until, create_date, write_date)
                    VALUES (%s, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC')
               ON CONFLICT (zoom_user_id) DO UPDATE SET daily_limit_until = EXCLUDED.daily_limit_until,
                    company_id = COALESCE(EXCLUDED.company_id, zoom_host.company_id)""",
            [zoom_user_id, company_id, reset],
        )
        return reset
