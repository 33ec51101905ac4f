"""Upgrades from Odoo 18.0 to 19.0: herp_zoom's tables, columns, constraints and indexes in a
database created on 18.0 are the ones 19.0 creates, so that herp_zoom's update on 19.0 (after Odoo's
own migration of the database) finds its connections, links and meetings where it expects them, and
the unique constraints behind its ``ON CONFLICT`` keep their names (19.0 declares them with
``models.Constraint``, 18.0 read ``_sql_constraints``).

Run by the test command when it runs both series (``scripts/check_series_schema``), on the two
fresh databases of their first passes."""

import os

from schema import differences, herp_zoom_schema

# What a 19.0 database holds and an 18.0 one does not, or the reverse, for herp_zoom's own
# tables: nothing.
EXPECTED_DIFFERENCES = {}


def test_herp_zoom_schema_is_the_same_on_both_series():
    older, newer = os.environ["HERP_ZOOM_SERIES_DBS"].split(",")
    schema_18, schema_19 = herp_zoom_schema(older), herp_zoom_schema(newer)
    assert schema_19["tables"], f"{newer} holds none of herp_zoom's tables"
    assert ("zoom_host", "zoom_host_zoom_user_id_uniq", "u", "UNIQUE (zoom_user_id)") in schema_18["constraints"]
    assert differences(schema_18, schema_19) == EXPECTED_DIFFERENCES
