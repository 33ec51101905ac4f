"""The unique constraints of herp_zoom_recruitment (offer links, the interviewers' booking locks
behind ``INSERT ... ON CONFLICT``) exist in the database on every series."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.herp_zoom.tests.test_constraints import table_constraints

EXPECTED = {
    ("herp_zoom_interview_offer", "herp_zoom_interview_offer_access_token_uniq"): "UNIQUE (access_token)",
    ("herp_zoom_interviewer_booking_lock", "herp_zoom_interviewer_booking_lock_user_id_uniq"): "UNIQUE (user_id)",
}


@tagged("post_install", "-at_install")
class TestConstraints(TransactionCase):
    def test_unique_constraints_exist_in_the_database(self):
        found = table_constraints(self.env.cr, {table for table, _name in EXPECTED})
        self.assertEqual({key: found.get(key) for key in EXPECTED}, EXPECTED)
