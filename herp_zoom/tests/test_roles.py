"""The permission matrix of the four Zoom roles, run as real users with access checks on."""

from datetime import datetime

from odoo.exceptions import AccessError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import HttpCase, tagged

from .common import ZoomCommon

TOKEN_FIELDS = ("access_token", "refresh_token", "token_expires_at")
SECRET_VALUES = ("test-client-secret-VALUE", "ACCESS-TOKEN-VALUE", "REFRESH-TOKEN-VALUE", "webhook-VALUE")


@tagged("post_install", "-at_install")
class TestRoles(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.webhook_secret = "webhook-VALUE"
        cls.roles = {
            "admin": cls.zoom_admin, "recruiter": cls.recruiter, "assistant": cls.assistant,
            "guest": cls.interviewer, "employee": cls.employee,
        }

    def test_groups_form_one_chain_in_their_own_category(self):
        groups = [self.env.ref(f"herp_zoom.group_zoom_{name}") for name in ("guest", "assistant", "recruiter", "admin")]
        self.assertEqual(len({group.category_id for group in groups}), 1)
        for lower, higher in zip(groups, groups[1:]):
            self.assertIn(lower, higher.implied_ids)
        # Odoo shows a chained category as one selection on the user form.
        selection = [name for name in self.env["res.users"].fields_get() if name.startswith("sel_groups_")
                     and str(groups[0].id) in name]
        self.assertEqual(len(selection), 1)

    def test_settings_administrators_are_zoom_administrators_and_new_users_have_no_role(self):
        self.assertTrue(self.env.ref("base.user_admin").has_group("herp_zoom.group_zoom_admin"))
        user = self.env["res.users"].create({"name": "New Hire", "login": "new_hire",
                                             "groups_id": [(6, 0, self.env.ref("base.group_user").ids)]})
        zoom_category = self.env.ref("herp_zoom.module_category_herp_zoom")
        employee_groups = self.env.ref("base.group_user").trans_implied_ids
        self.assertFalse(employee_groups.filtered(lambda group: group.category_id == zoom_category))
        self.assertFalse(any(user.has_group(f"herp_zoom.group_zoom_{name}") for name in ("guest", "assistant")))

    def test_only_admins_connect_disconnect_and_see_the_connection(self):
        self.account.state = "disconnected"
        action = self.account.with_user(self.zoom_admin).action_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        for role in ("recruiter", "assistant", "guest", "employee"):
            user = self.roles[role]
            with self.assertRaises(AccessError, msg=role):
                self.env["zoom.account"].with_user(user).search([]).read(["state"])
            with self.assertRaises(AccessError, msg=role):
                self.env["zoom.meeting.deletion"].with_user(user).search([])
            with self.assertRaises(AccessError, msg=role):
                self.account.with_user(user).action_disconnect()
            with self.assertRaises(AccessError, msg=role):
                self.env["res.config.settings"].with_user(user).create({"zoom_client_id": "x"})

    def test_every_role_links_and_unlinks_itself_but_only_admins_unlink_others(self):
        for role in ("admin", "recruiter", "assistant", "guest"):
            user = self.roles[role]
            action = user.with_user(user).action_zoom_connect_user()
            self.assertEqual(action["type"], "ir.actions.act_url", role)
            user.with_user(user).action_zoom_unlink_user()
        with self.assertRaises(AccessError):
            self.employee.with_user(self.employee).action_zoom_connect_user()
        for role in ("recruiter", "assistant", "guest", "employee"):
            with self.assertRaises(AccessError, msg=role):
                self.interviewer2.with_user(self.roles[role]).action_zoom_unlink_user()
        self.interviewer2.with_user(self.zoom_admin).action_zoom_unlink_user()
        self.assertFalse(self.interviewer2.zoom_user_id)

    def test_issuing_roles(self):
        expected = {"admin": True, "recruiter": True, "assistant": True, "guest": False, "employee": False}
        for role, issues in expected.items():
            with self.zoom() as fake:
                event = self.create_interview(user=self.roles[role], partners=self.interviewer2.partner_id)
            self.assertEqual(bool(fake.create_requests), issues, role)
            self.assertEqual(event.zoom_state, "issued" if issues else "none", role)

    def test_join_url_follows_calendar_privacy(self):
        with self.zoom():
            event = self.create_interview(privacy="private", partners=self.interviewer.partner_id)
        self.assertTrue(event.with_user(self.interviewer).zoom_join_url)
        # Calendar hides private events' fields when it reads them for someone else.
        event.invalidate_recordset()
        hidden = event.with_user(self.employee).read(["zoom_join_url", "zoom_passcode", "videocall_location"])[0]
        self.assertFalse(hidden["zoom_join_url"] or hidden["zoom_passcode"] or hidden["videocall_location"])
        with self.zoom():
            public = self.create_interview(partners=self.interviewer.partner_id, start=datetime(2030, 3, 6, 1))
        self.assertTrue(public.with_user(self.employee).zoom_join_url)

    def test_secrets_never_reach_non_admins_and_tokens_nobody(self):
        for role, user in self.roles.items():
            fields = self.env["zoom.account"].with_user(user).fields_get()
            for name in TOKEN_FIELDS:
                self.assertNotIn(name, fields, role)
            settings_fields = self.env["res.config.settings"].with_user(user).fields_get()
            self.assertEqual("zoom_client_secret" in settings_fields, role == "admin", role)
            self.assertEqual("webhook_secret" in fields, role == "admin", role)
        admin_view = self.account.with_user(self.zoom_admin).read(["client_secret", "webhook_secret"])[0]
        self.assertEqual(admin_view["client_secret"], "test-client-secret-VALUE")
        with self.assertRaises(AccessError):
            self.account.with_user(self.zoom_admin).read(["access_token"])
        for role in ("recruiter", "assistant", "guest", "employee"):
            with self.assertRaises(AccessError, msg=role):
                self.account.with_user(self.roles[role]).read(["client_secret"])
        self.assertFalse(any(value in repr(self.account) for value in SECRET_VALUES))

    def test_connection_chatter_tracks_no_secret(self):
        account = self.account.with_context(tracking_disable=False)
        account.write({"client_secret": "new-secret-VALUE", "client_id": "new-client"})
        account.flush_recordset()
        bodies = " ".join(str(message.body) + " ".join(account.message_ids.tracking_value_ids.mapped(
            lambda value: f"{value.old_value_char} {value.new_value_char}")) for message in account.message_ids)
        self.assertNotIn("new-secret-VALUE", bodies)

    def test_neutralized_copy_holds_no_token_or_secret(self):
        self.env["zoom.meeting.deletion"].create({"account_id": self.account.id, "meeting_id": "81234567890"})
        for query in get_neutralization_queries(["herp_zoom"]):
            self.env.cr.execute(query)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "disconnected")
        self.env.cr.execute("SELECT access_token, refresh_token, client_secret, webhook_secret FROM zoom_account")
        self.assertTrue(all(value is None for row in self.env.cr.fetchall() for value in row))
        self.env.cr.execute("SELECT count(*) FROM zoom_meeting_deletion")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the copy deletes no meeting of production")


@tagged("post_install", "-at_install")
class TestSecretsOverRpc(ZoomCommon, HttpCase):
    def rpc(self, model, method, args, kwargs=None):
        response = self.url_open("/web/dataset/call_kw", data=__import__("json").dumps({
            "jsonrpc": "2.0", "method": "call", "params": {
                "model": model, "method": method, "args": args, "kwargs": kwargs or {}}}),
            headers={"Content-Type": "application/json"})
        return response.text

    def test_no_token_or_secret_over_json_rpc(self):
        self.account.webhook_secret = "webhook-VALUE"
        for login in ("zoom_recruiter", "zoom_assistant", "zoom_interviewer", "plain_employee", "zoom_admin"):
            self.authenticate(login, login)
            answers = [
                self.rpc("zoom.account", "search_read", [[]], {"fields": []}),
                self.rpc("zoom.account", "read", [[self.account.id], ["access_token", "refresh_token"]]),
                self.rpc("zoom.account", "export_data", [[self.account.id], ["client_secret", "access_token"]]),
                self.rpc("res.config.settings", "default_get", [["zoom_client_secret", "zoom_webhook_secret"]]),
                self.rpc("res.users", "read", [[self.interviewer.id], ["zoom_user_id", "zoom_user_email"]]),
            ]
            text = " ".join(answers)
            for token in ("ACCESS-TOKEN-VALUE", "REFRESH-TOKEN-VALUE"):
                self.assertNotIn(token, text, login)
            if login != "zoom_admin":
                self.assertNotIn("test-client-secret-VALUE", text, login)
                self.assertNotIn("webhook-VALUE", text, login)
        self.assertIn("test-client-secret-VALUE", text)
