"""The net under the tests that commit (committed.py): what a committed test leaves is seen,
named, and taken away again, messages of rows deleted with raw SQL included."""

from datetime import datetime, timedelta

from odoo import api
from odoo.tests import new_test_user, tagged

from .committed import CommittedDataCase, DatabaseState


@tagged("post_install", "-at_install")
class TestCommittedState(CommittedDataCase):

    def commit_what_the_concurrency_tests_commit(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"no_reset_password": True})
            company = env["res.company"].create({"name": "Left behind Co"})
            company.resource_calendar_id = env["resource.calendar"].create({"name": "Left hours", "company_id": company.id})
            user = new_test_user(env, "left_behind", groups="base.group_user", company_id=company.id,
                                 company_ids=[(6, 0, company.ids)])
            env["ir.config_parameter"].set_param("herp_zoom.api_url", "http://127.0.0.1:9/left-behind/v2")
            start = datetime.now().replace(microsecond=0) + timedelta(days=3)
            event = env["calendar.event"].create({"name": "Left interview", "start": start,
                                                  "stop": start + timedelta(hours=1),
                                                  "partner_ids": [(6, 0, user.partner_id.ids)]})
            event.message_post(body="A note")
            cr.flush()
            # A delete as the tests' raw SQL did: the event's messages stay.
            cr.execute("DELETE FROM calendar_event WHERE id = %s", [event.id])

    def test_what_a_test_commits_is_named_then_taken_away(self):
        with self.registry.cursor() as cr:
            state = DatabaseState(cr, relations=True)
        self.commit_what_the_concurrency_tests_commit()
        with self.registry.cursor() as cr:
            left = state.differences(DatabaseState(cr))
        named = {line.split(":")[0] for line in left}
        self.assertLessEqual({"res_company", "res_users", "res_partner", "resource_calendar", "mail_message",
                              "system parameter herp_zoom.api_url"}, named, left)
        with self.registry.cursor() as cr:
            state.restore(cr)
        self.registry.clear_all_caches()
        with self.registry.cursor() as cr:
            self.assertEqual(state.differences(DatabaseState(cr)), [])
            self.assertEqual(self.env(cr=cr)["ir.config_parameter"].sudo().get_param("herp_zoom.api_url"),
                             state.params.get("herp_zoom.api_url"))
