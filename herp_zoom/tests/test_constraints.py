"""The unique constraints behind herp_zoom's ``INSERT ... ON CONFLICT`` (hosts' assignments,
webhook de-duplication) and its other table constraints exist in the database, on every series:
Odoo 19 ignores ``_sql_constraints``, so a fresh 19 database would lack them and every issued
interview would fail on its host's row."""

from odoo.tests import TransactionCase, tagged

EXPECTED = {
    ("zoom_account", "zoom_account_company_uniq"): "UNIQUE (company_id)",
    ("zoom_account", "zoom_account_max_concurrent_meetings_range"):
        "CHECK ((max_concurrent_meetings = ANY (ARRAY[1, 2])))",
    ("zoom_account", "zoom_account_summary_retention_days_positive"): "CHECK ((summary_retention_days >= 0))",
    ("zoom_host", "zoom_host_zoom_user_id_uniq"): "UNIQUE (zoom_user_id)",
    ("zoom_webhook_delivery", "zoom_webhook_delivery_delivery_uniq"):
        "UNIQUE (account_id, event, event_ts, object_id)",
    ("zoom_meeting_template", "zoom_meeting_template_template_uniq"): "UNIQUE (account_id, template_id)",
    ("zoom_meeting_result", "zoom_meeting_result_instance_uniq"): "UNIQUE (account_id, meeting_uuid)",
    ("zoom_meeting_participant", "zoom_meeting_participant_participant_uniq"): "UNIQUE (result_id, participant_key)",
}


def table_constraints(cr, tables):
    cr.execute("""SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid)
                    FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
                   WHERE rel.relname = ANY(%s) AND con.contype IN ('u', 'c')""", [list(tables)])
    return {(table, name): definition for table, name, definition in cr.fetchall()}


@tagged("post_install", "-at_install")
class TestConstraints(TransactionCase):
    def test_unique_and_check_constraints_exist_in_the_database(self):
        found = table_constraints(self.env.cr, {table for table, _name in EXPECTED})
        self.assertEqual({key: found.get(key) for key in EXPECTED}, EXPECTED)

    def test_a_repeated_webhook_delivery_is_recognised(self):
        company = self.env["res.company"].create({"name": "Webhook Co"})
        account = self.env["zoom.account"].sudo().create({"company_id": company.id})
        delivery = self.env["zoom.webhook.delivery"].sudo()
        self.assertTrue(delivery._record_once(account, "meeting.ended", 1700000000000, "123"))
        self.assertFalse(delivery._record_once(account, "meeting.ended", 1700000000000, "123"))
