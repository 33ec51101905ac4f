"""herp_zoom's part of a database's schema, read from PostgreSQL: what a database created on one
Odoo series must hold for the next series' module update to find its data where it expects it."""

import psycopg2

ADDONS = ("herp_zoom", "herp_zoom_recruitment")


def herp_zoom_schema(dbname):
    """{kind: sorted rows} of the tables, columns, constraints and indexes herp_zoom owns."""
    with psycopg2.connect(dbname=dbname) as cnx, cnx.cursor() as cr:
        # The stored fields the addons define, on their own models and on Odoo's.
        cr.execute("""SELECT DISTINCT m.model, f.name
                        FROM ir_model_fields f
                        JOIN ir_model m ON m.id = f.model_id
                        JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
                       WHERE d.module = ANY(%s) AND f.store AND f.name <> 'id'""", [list(ADDONS)])
        fields = cr.fetchall()
        # Models the addons define (an Odoo model they extend has an xmlid of its own module too).
        cr.execute("""SELECT m.model FROM ir_model m
                        JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
                       GROUP BY m.model HAVING bool_and(d.module = ANY(%s))""", [list(ADDONS)])
        own_tables = sorted({model.replace(".", "_") for (model,) in cr.fetchall()})
        cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
                   [own_tables])
        own_tables = sorted(table for (table,) in cr.fetchall())
        columns = sorted({(model.replace(".", "_"), name) for model, name in fields})
        cr.execute("""SELECT table_name, column_name, data_type, is_nullable
                        FROM information_schema.columns
                       WHERE table_schema = 'public'
                         AND (table_name = ANY(%s) OR (table_name, column_name) IN %s)""",
                   [own_tables, tuple(columns) or (("", ""),)])
        column_rows = sorted(cr.fetchall())
        owned = {(table, column) for table, column, _type, _null in column_rows}
        cr.execute("""SELECT rel.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
                        FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
                       WHERE rel.relname = ANY(%s) AND con.contype IN ('u', 'c', 'f', 'p')""", [own_tables])
        constraints = sorted(cr.fetchall())
        cr.execute("""SELECT tablename, indexname, indexdef FROM pg_indexes
                       WHERE schemaname = 'public' AND tablename = ANY(%s)""",
                   [sorted({table for table, _column in owned})])
        indexes = sorted((table, name, definition) for table, name, definition in cr.fetchall()
                         if table in own_tables or any((table, column) in owned and f"({column}" in definition
                                                       for column in _words(definition)))
        cr.execute("""SELECT c.name, c.type FROM ir_model_constraint c
                        JOIN ir_module_module m ON m.id = c.module WHERE m.name = ANY(%s)""", [list(ADDONS)])
        registered = sorted(cr.fetchall())
    return {"tables": own_tables, "columns": column_rows, "constraints": constraints,
            "indexes": indexes, "registered constraints": registered}


def _words(definition):
    return {word.strip('"(),') for word in definition.replace("(", " (").split()}


def differences(older, newer):
    """The rows of each kind that only one of the two schemas holds."""
    found = {}
    for kind in older:
        only_older = sorted(set(older[kind]) - set(newer[kind]))
        only_newer = sorted(set(newer[kind]) - set(older[kind]))
        if only_older or only_newer:
            found[kind] = {"only in the older": only_older, "only in the newer": only_newer}
    return found
