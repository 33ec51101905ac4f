"""Tests that commit for real (two workers with a cursor each only see committed data) leave the
database as they found it, for the tests that run after them in the same database, Odoo's own
included: what every table holds is noted before the test; after it, the rows added since are
deleted (with what references them: messages, followers, attendees, ...), the system parameters
it changed are set back, and every table must hold what it held, or the test fails naming them.
"""

import psycopg2.errors

from odoo.tests.common import TransactionCase
from odoo.tools import SQL

from .common import API_URL, OAUTH_URL, ZOOM_ACCOUNT_ID

# For each table of the schema: its rows, and the highest id of those with an integer id.
_TABLES = """
    SELECT c.relname,
           (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', c.relname),
                                                 false, true, '')))[1]::text::bigint,
           CASE WHEN a.attname IS NOT NULL THEN
               (xpath('/row/m/text()', query_to_xml(format('SELECT coalesce(max(id), 0) AS m FROM %I', c.relname),
                                                     false, true, '')))[1]::text::bigint
           END
      FROM pg_class c
      JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()
 LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped
                         AND a.atttypid IN ('int4'::regtype, 'int8'::regtype)
     WHERE c.relkind = 'r'
"""
# Odoo's sequences (ir.sequence) each own a database sequence, dropped with their record.
_SEQUENCES = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE ns.nspname = current_schema() AND c.relkind = 'S' AND c.relname ~ '^ir_sequence_[0-9]+$'
"""


class DatabaseState:
    """Rows of every table, highest ids, system parameters and Odoo's database sequences (and,
    with ``relations``, the rows of the relation tables)."""

    def __init__(self, cr, tables=None, relations=False):
        cr.execute(_TABLES)
        rows = [row for row in cr.fetchall() if tables is None or row[0] in tables]
        self.counts = {table: count for table, count, _max_id in rows}
        self.max_ids = {table: max_id for table, _count, max_id in rows if max_id is not None}
        # ``relations``: the rows of the tables without an id (many2many relations), which a
        # test may add between records it did not create (a user joining a group).
        self.relations = {table: _rows(cr, table) for table in self.counts
                          if relations and table not in self.max_ids}
        cr.execute("SELECT key, value FROM ir_config_parameter")
        self.params = dict(cr.fetchall())
        cr.execute(_SEQUENCES)
        self.sequences = {row[0] for row in cr.fetchall()}

    def restore(self, cr):
        """Delete the rows added since (in an order the foreign keys accept, then the relation
        rows added between older records), set the changed system parameters back and drop the
        database sequences added since."""
        cr.execute(_TABLES)
        added = {table: self.max_ids[table] for table, _count, max_id in cr.fetchall()
                 if table in self.max_ids and max_id > self.max_ids[table]}
        while added:
            refused = {}
            for table, max_id in added.items():
                cr.execute("SAVEPOINT herp_zoom_restore")
                try:
                    cr.execute(SQL("DELETE FROM %s WHERE id > %s", SQL.identifier(table), max_id), log_exceptions=False)
                except psycopg2.errors.ForeignKeyViolation:
                    # A row still referenced by a row of a table not cleared yet: tried again after it.
                    cr.execute("ROLLBACK TO SAVEPOINT herp_zoom_restore")
                    refused[table] = max_id
                cr.execute("RELEASE SAVEPOINT herp_zoom_restore")
            if len(refused) == len(added):
                break
            added = refused
        cr.execute(_TABLES)
        for table, count, _max_id in cr.fetchall():
            if table in self.relations and count != self.counts[table]:
                for row in _rows(cr, table) - self.relations[table]:
                    cr.execute(SQL("DELETE FROM %s t WHERE to_jsonb(t)::text = %s", SQL.identifier(table), row))
        for key, value in self.params.items():
            cr.execute("UPDATE ir_config_parameter SET value = %s WHERE key = %s AND value IS DISTINCT FROM %s",
                       [value, key, value])
        cr.execute(_SEQUENCES)
        for sequence in {row[0] for row in cr.fetchall()} - self.sequences:
            cr.execute(SQL("DROP SEQUENCE IF EXISTS %s", SQL.identifier(sequence)))

    def differences(self, after):
        """What ``after`` (a later state) holds that differs from this one, one line each."""
        lines = [f"{table}: {count} rows, {after.counts.get(table)} now"
                 for table, count in sorted(self.counts.items()) if after.counts.get(table) != count]
        lines += [f"system parameter {key}: {self.params.get(key)!r}, {after.params.get(key)!r} now"
                  for key in sorted(set(self.params) | set(after.params)) if self.params.get(key) != after.params.get(key)]
        lines += [f"database sequence {name} added" for name in sorted(after.sequences - self.sequences)]
        lines += [f"database sequence {name} dropped" for name in sorted(self.sequences - after.sequences)]
        return lines


def _rows(cr, table):
    cr.execute(SQL("SELECT to_jsonb(t)::text FROM %s t", SQL.identifier(table)))
    return {row[0] for row in cr.fetchall()}


class CommittedDataCase(TransactionCase):
    """A test that commits: the database is restored after it, and the test fails when anything
    it committed is left."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            state = DatabaseState(cr, relations=True)
        # Registered first, so run last: after the test's own clean-up.
        self.addCleanup(self._restore_database, state)

    def _restore_database(self, state):
        with self.registry.cursor() as cr:
            state.restore(cr)
        # Cached values of the rows deleted or set back (system parameters, companies, ...).
        self.registry.clear_all_caches()
        with self.registry.cursor() as cr:
            left = state.differences(DatabaseState(cr))
        self.assertEqual(left, [], "the test left these changes in the database")


def commit_main_connection(env, **values):
    """The main company's only Zoom connection, Server-to-Server and connected, with Zoom at the
    tests' addresses, created in ``env`` (a cursor of the test's own, which it commits)."""
    params = env["ir.config_parameter"].sudo()
    params.set_param("herp_zoom.api_url", API_URL)
    params.set_param("herp_zoom.oauth_url", OAUTH_URL)
    company = env.ref("base.main_company")
    env["zoom.account"].sudo().search([("company_id", "=", company.id)]).unlink()
    return env["zoom.account"].sudo().create({
        "company_id": company.id, "auth_mode": "s2s", "client_id": "committed-client",
        "client_secret": "committed-secret", "zoom_account_id": ZOOM_ACCOUNT_ID, "state": "connected", **values,
    })

