"""The permission model of docs/security.md ("Who may do what"), run cell by cell as the real users."""

import json
from datetime import datetime
from pathlib import Path

import responses

from odoo.exceptions import AccessError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import HttpCase, new_test_user, tagged

from .common import API_URL, OAUTH_URL, ZoomCommon
from .dates import YEAR

README = Path(__file__).resolve().parents[2] / "docs" / "security.md"
TOKEN_FIELDS = ("access_token", "refresh_token", "token_expires_at")

# README column -> role of the test users.
ROLE_COLUMNS = {
    "Zoom Administrator": "admin",
    "Recruiter": "recruiter",
    "Assistant": "assistant",
    "Guest": "guest",
    "Employee without Zoom role": "employee",
    "Portal user": "portal",
    "Another company's administrator": "other_admin",
}
# README row -> action performed by the test.
ACTION_ROWS = {
    "Connect the company's Zoom account": "connect",
    "Disconnect it": "disconnect",
    "Test the connection": "test",
    "Link their own Zoom user": "link_self",
    "Unlink their own Zoom user": "unlink_self",
    "Unlink another user's Zoom user": "unlink_others",
    'Issue a meeting (new interview, or "Issue Zoom meeting")': "issue",
    "Retry a meeting deletion": "retry_deletion",
    "Choose the Zoom host of an interview": "choose_host",
    "Change the interview meeting settings, load templates": "meeting_settings",
    "Read the client secret and webhook secret": "read_secrets",
    "Read the access and refresh tokens": "read_tokens",
    "Read an interview's Zoom results (who joined, summary, recording)": "read_results",
    "Read the notes with an interview's Zoom results": "read_result_notes",
    "Read the Zoom results of a private interview they are not on": "read_private_results",
    "Write an interview's Zoom link, passcode, state or host by hand": "write_zoom_fields",
    "Check the Zoom setup": "check_setup",
    "Invite users to link their Zoom user": "invite_to_link",
}
ALL = set(ROLE_COLUMNS.values())
ALLOWED = {
    "connect": {"admin"},
    "disconnect": {"admin"},
    "test": {"admin"},
    "link_self": {"admin", "recruiter", "assistant", "guest"},
    "unlink_self": {"admin", "recruiter", "assistant", "guest", "other_admin"},
    "unlink_others": {"admin"},
    "issue": {"admin", "recruiter", "assistant"},
    "retry_deletion": {"admin"},
    "choose_host": {"admin", "recruiter", "assistant"},
    "meeting_settings": {"admin"},
    "read_secrets": {"admin"},
    "read_tokens": set(),
    "read_results": {"admin", "recruiter"},
    "read_result_notes": {"admin", "recruiter", "other_admin"},
    "read_private_results": set(),
    "write_zoom_fields": set(),
    "check_setup": {"admin"},
    "invite_to_link": {"admin"},
}


def readme_matrix():
    """{action: {role: allowed}} as docs/security.md's table says it."""
    section = README.read_text().split("## Who may do what", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    matrix = {}
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        action = ACTION_ROWS[cells[0]]
        matrix[action] = {ROLE_COLUMNS[column]: mark == "✓" for column, mark in zip(header[1:], cells[1:])}
    return matrix


@tagged("post_install", "-at_install")
class TestPermissionMatrix(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.webhook_secret = "webhook-VALUE"
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.portal = new_test_user(cls.env, "zoom_portal", groups="base.group_portal", email="portal@example.com")
        cls.other_admin = new_test_user(
            cls.env, "admin_of_b", groups="base.group_user,herp_zoom.group_zoom_admin",
            company_id=cls.company_b.id, company_ids=[(6, 0, cls.company_b.ids)], email="admin-b@example.com",
        )
        cls.users = {
            "admin": cls.zoom_admin, "recruiter": cls.recruiter, "assistant": cls.assistant,
            "guest": cls.interviewer, "employee": cls.employee, "portal": cls.portal,
            "other_admin": cls.other_admin,
        }

    def test_readme_states_exactly_the_tested_model(self):
        self.assertEqual(readme_matrix(), {action: {role: role in allowed for role in ALL}
                                           for action, allowed in ALLOWED.items()})

    def test_every_cell(self):
        for action, allowed in ALLOWED.items():
            for role, user in self.users.items():
                with self.subTest(action=action, role=role), self.env.cr.savepoint(flush=False) as savepoint:
                    getattr(self, f"check_{action}")(user, role in allowed)
                    savepoint.rollback()
                    self.env.invalidate_all()

    # ------------------------------------------------------------------ one check per action
    def check_connect(self, user, allowed):
        if allowed:
            action = self.account.with_user(user).action_connect()
            self.assertTrue(action["url"].startswith(OAUTH_URL + "/oauth/authorize?"))
        else:
            with self.assertRaises(AccessError):
                self.account.with_user(user).action_connect()

    def check_disconnect(self, user, allowed):
        with self.zoom() as fake:
            fake.rsps.add(responses.POST, OAUTH_URL + "/oauth/revoke", json={})
            if allowed:
                self.account.with_user(user).action_disconnect()
            else:
                with self.assertRaises(AccessError):
                    self.account.with_user(user).action_disconnect()
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "disconnected" if allowed else "connected")
        self.assertEqual(len(fake.sent), 1 if allowed else 0)

    def check_test(self, user, allowed):
        with self.zoom() as fake:
            fake.me = fake.users["zu_recruiting"]
            if allowed:
                answer = self.account.with_user(user).action_test_connection()
                self.assertIn("recruiting@zoom.example", answer["params"]["message"])
            else:
                with self.assertRaises(AccessError):
                    self.account.with_user(user).action_test_connection()
        self.assertEqual(len(fake.sent), 1 if allowed else 0)

    def check_link_self(self, user, allowed):
        as_user = user.with_user(user).with_company(self.company) if user == self.other_admin else user.with_user(user)
        if allowed:
            action = as_user.action_zoom_connect_user()
            self.assertTrue(action["url"].startswith(OAUTH_URL + "/oauth/authorize?"))
        else:
            with self.assertRaises(AccessError):
                as_user.action_zoom_connect_user()

    def check_unlink_self(self, user, allowed):
        user.sudo()._zoom_link(self.zoom_recruiting)
        if allowed:
            user.with_user(user).action_zoom_unlink_user()
        else:
            with self.assertRaises(AccessError):
                user.with_user(user).action_zoom_unlink_user()
        user.invalidate_recordset()
        self.assertEqual(user.zoom_user_id, False if allowed else "zu_recruiting")

    def check_unlink_others(self, user, allowed):
        if allowed:
            self.interviewer2.with_user(user).action_zoom_unlink_user()
        else:
            with self.assertRaises(AccessError):
                self.interviewer2.with_user(user).action_zoom_unlink_user()
        self.interviewer2.invalidate_recordset()
        self.assertEqual(self.interviewer2.zoom_user_id, False if allowed else "zu_interviewer2")

    def check_issue(self, user, allowed):
        # A new interview gets its meeting only when its creator may issue...
        with self.zoom() as fake:
            if user == self.portal:
                with self.assertRaises(AccessError):
                    self.create_interview(user=user, partners=self.interviewer2.partner_id)
            else:
                created = self.create_interview(user=user, partners=self.interviewer2.partner_id)
                self.assertEqual(created.zoom_state, "issued" if allowed else "none")
        self.assertEqual(len(fake.create_requests), 1 if allowed else 0)
        # ...and so does "Issue Zoom meeting" on an interview whose first attempt failed.
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            pending = self.create_interview(partners=self.interviewer2.partner_id, start=datetime(YEAR, 5, 1, 1))
        self.assertEqual(pending.zoom_state, "pending")
        with self.zoom() as fake:
            if allowed:
                pending.with_user(user).action_zoom_issue_meeting()
            else:
                with self.assertRaises(AccessError):
                    pending.with_user(user).action_zoom_issue_meeting()
        self.assertEqual(len(fake.create_requests), 1 if allowed else 0)
        self.assertEqual(pending.zoom_state, "issued" if allowed else "pending")

    def check_retry_deletion(self, user, allowed):
        deletion = self.env["zoom.meeting.deletion"].sudo().create({
            "account_id": self.account.id, "meeting_id": "81234567890", "state": "failed", "attempts": 8,
        })
        with self.zoom() as fake:
            fake.meetings[81234567890] = {"id": 81234567890}
            if allowed:
                deletion.with_user(user).action_retry()
            else:
                with self.assertRaises(AccessError):
                    deletion.with_user(user).action_retry()
        self.assertEqual(81234567890 in fake.meetings, not allowed)
        self.assertEqual(bool(deletion.exists()), not allowed)

    def check_check_setup(self, user, allowed):
        with self.zoom() as fake:
            fake.me = fake.users["zu_recruiting"]
            if allowed:
                check = self.env["zoom.setup.check"].with_user(user)._run(self.company)
                self.assertEqual(check.line_ids.filtered(lambda line: line.key == "connection").state, "ok")
            else:
                with self.assertRaises(AccessError):
                    self.env["zoom.setup.check"].with_user(user)._run(self.company)
        # Allowed: the test call, then the connected user's settings (the scopes are not known yet).
        self.assertEqual([call.request.path_url for call in fake.sent],
                         ["/v2/users/me", "/v2/users/me/settings"] if allowed else [])

    def check_invite_to_link(self, user, allowed):
        # Addressed by e-mail (Odoo 18) or to the user's partner (Odoo 19 finds it by e-mail).
        to_assistant = ["|", ("email_to", "=", self.assistant.email_formatted),
                        ("recipient_ids", "in", self.assistant.partner_id.ids)]
        mails = self.env["mail.mail"].sudo().search_count(to_assistant)
        if allowed:
            self.assistant.with_user(user)._zoom_invite_to_link()
        else:
            with self.assertRaises(AccessError):
                self.assistant.with_user(user)._zoom_invite_to_link()
        self.assertEqual(self.env["mail.mail"].sudo().search_count(to_assistant), mails + (1 if allowed else 0))

    def check_read_secrets(self, user, allowed):
        if allowed:
            values = self.account.with_user(user).read(["client_secret", "webhook_secret"])[0]
            self.assertEqual((values["client_secret"], values["webhook_secret"]),
                             ("test-client-secret-VALUE", "webhook-VALUE"))
        else:
            with self.assertRaises(AccessError):
                self.account.with_user(user).read(["client_secret", "webhook_secret"])

    def _held_interview(self, **values):
        """An interview whose Zoom summary was fetched: its result and its note."""
        self.account.write({"fetch_meeting_results": True, "meeting_summary": "on", "meeting_summary_consent": "always"})
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer2.partner_id | self.candidate, **values).sudo()
            fake.summaries["uuid-roles=="] = {"summary_content": "Assessment."}
            self.account._handle_webhook({"event": "meeting.summary_completed", "event_ts": 1, "payload": {
                "account_id": self.account.zoom_account_id, "object": {
                    "meeting_id": int(event.zoom_meeting_id), "meeting_uuid": "uuid-roles==",
                    "meeting_start_time": f"{YEAR}-03-04T01:00:00Z"}}})
            # Fetched by the scheduled action the webhook started.
            self.env["zoom.meeting.result"]._cron_fetch_pending_summaries()
        result = self.env["zoom.meeting.result"].sudo().search([("event_id", "=", event.id)])
        self.assertEqual(result.summary, "Assessment.")
        return result

    def check_read_results(self, user, allowed):
        result = self._held_interview()
        if allowed:
            self.assertEqual(result.with_user(user).read(["summary"])[0]["summary"], "Assessment.")
        else:
            with self.assertRaises(AccessError):
                result.with_user(user).read(["summary"])

    def check_read_private_results(self, user, allowed):
        # Private by its organizer's default (the interview has no privacy of its own): another
        # recruiter organizes it, none of the users of the table attends it.
        self.assertFalse(allowed)
        organizer = new_test_user(self.env, "private_organizer", email="private-organizer@example.com",
                                  groups="base.group_user,herp_zoom.group_zoom_recruiter")
        self.env["res.users.settings"]._find_or_create_for_user(organizer).calendar_default_privacy = "private"
        result = self._held_interview(user_id=organizer.id)
        self.assertFalse(result.event_id.privacy)
        with self.assertRaises(AccessError):
            result.with_user(user).read(["summary"])
        if user.has_group("herp_zoom.group_zoom_recruiter"):
            self.assertNotIn(result, self.env["zoom.meeting.result"].with_user(user).search([]))

    def check_write_zoom_fields(self, user, allowed):
        self.assertFalse(allowed)
        with self.zoom():
            event = self.create_interview(partners=self.interviewer.partner_id | self.candidate)
        for values in ({"zoom_join_url": "https://attacker.example/j/1", "zoom_passcode": "000000"},
                       {"zoom_state": "failed"}, {"zoom_host_user_id": user.id}):
            with self.assertRaises(AccessError) as refusal, self.env.cr.savepoint():
                event.with_user(user).write(values)
            if user != self.portal:  # the portal user may not write events at all
                self.assertIn("set by herp_zoom", str(refusal.exception))
        event.invalidate_recordset()
        self.assertEqual((event.zoom_state, event.zoom_host_user_id), ("issued", self.interviewer))

    def check_read_result_notes(self, user, allowed):
        note = self._held_interview().summary_message_ids
        self.assertEqual(len(note), 1)
        if allowed:
            self.assertIn("Assessment.", note.with_user(user).read(["body"])[0]["body"])
        else:
            with self.assertRaises(AccessError):
                note.with_user(user).read(["body"])
    def check_choose_host(self, user, allowed):
        with self.zoom():
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id)
        self.assertEqual(event.zoom_host_user_id, self.interviewer)
        if allowed:
            event.with_user(user).write({"zoom_chosen_host_id": self.interviewer2.id})
        else:
            with self.assertRaises(AccessError):
                event.with_user(user).write({"zoom_chosen_host_id": self.interviewer2.id})
        self.assertEqual(event.sudo().zoom_chosen_host_id, self.interviewer2 if allowed else self.env["res.users"])

    def check_meeting_settings(self, user, allowed):
        with self.zoom() as fake:
            fake.rsps.add(responses.GET, f"{API_URL}/users/me/meeting_templates",
                          json={"templates": [{"id": "tmpl1", "name": "Interview", "type": 2}], "total_records": 1})
            if allowed:
                self.account.with_user(user).write({"meeting_auto_recording": "cloud"})
                self.account.with_user(user).action_load_meeting_templates()
            else:
                with self.assertRaises(AccessError):
                    self.account.with_user(user).write({"meeting_auto_recording": "cloud"})
                with self.assertRaises(AccessError):
                    self.account.with_user(user).action_load_meeting_templates()
        self.assertEqual(self.account.meeting_auto_recording, "cloud" if allowed else "none")
        self.assertEqual(len(fake.sent), 1 if allowed else 0)
        self.env.flush_all()  # written before the savepoint is rolled back

    def check_read_tokens(self, user, allowed):
        self.assertFalse(allowed)
        for name in TOKEN_FIELDS:
            self.assertNotIn(name, self.env["zoom.account"].with_user(user).fields_get())
            with self.assertRaises(AccessError):
                self.account.with_user(user).read([name])


@tagged("post_install", "-at_install")
class TestRoles(ZoomCommon):
    def test_groups_form_one_chain(self):
        """Each role includes the one below (how each series lists them under "Zoom" on the user
        form is tested by its data addon, series/<series>/herp_zoom_series/tests)."""
        groups = [self.env.ref(f"herp_zoom.group_zoom_{name}") for name in ("guest", "assistant", "recruiter", "admin")]
        for lower, higher in zip(groups, groups[1:]):
            self.assertIn(lower, higher.implied_ids)

    def test_settings_administrators_are_zoom_administrators_and_new_users_have_no_role(self):
        self.assertTrue(self.env.ref("base.user_admin").has_group("herp_zoom.group_zoom_admin"))
        user = self.env["res.users"].create({"name": "New Hire", "login": "new_hire",
                                             "group_ids": [(6, 0, self.env.ref("base.group_user").ids)]})
        zoom_groups = self.env["res.groups"].browse(
            self.env.ref(f"herp_zoom.group_zoom_{name}").id for name in ("guest", "assistant", "recruiter", "admin"))
        employee_groups = self.env.ref("base.group_user").all_implied_ids
        self.assertFalse(employee_groups & zoom_groups)
        self.assertFalse(any(user.has_group(f"herp_zoom.group_zoom_{name}") for name in ("guest", "assistant")))

    def test_only_zoom_admins_see_the_connection_and_the_deletions(self):
        self.assertEqual(self.env["zoom.account"].with_user(self.zoom_admin).search([]), self.account)
        for user in (self.recruiter, self.assistant, self.interviewer, self.employee):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["zoom.account"].with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                self.env["zoom.meeting.deletion"].with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                self.env["res.config.settings"].with_user(user).create({"zoom_client_id": "x"})

    def test_join_url_follows_calendar_privacy(self):
        with self.zoom():
            event = self.create_interview(privacy="private", partners=self.interviewer.partner_id)
        self.assertTrue(event.with_user(self.interviewer).zoom_join_url)
        # Calendar hides private events' fields when it reads them for someone else.
        event.invalidate_recordset()
        hidden = event.with_user(self.employee).read(["zoom_join_url", "zoom_passcode", "videocall_location"])[0]
        self.assertFalse(hidden["zoom_join_url"] or hidden["zoom_passcode"] or hidden["videocall_location"])
        with self.zoom():
            public = self.create_interview(partners=self.interviewer.partner_id, start=datetime(YEAR, 3, 6, 1))
        self.assertTrue(public.with_user(self.employee).zoom_join_url)

    def test_only_admins_see_the_secrets_in_settings(self):
        for user in (self.zoom_admin, self.recruiter, self.assistant, self.interviewer, self.employee):
            settings_fields = self.env["res.config.settings"].with_user(user).fields_get()
            self.assertEqual("zoom_client_secret" in settings_fields, user == self.zoom_admin, user.login)
            self.assertEqual("zoom_webhook_secret" in settings_fields, user == self.zoom_admin, user.login)

    def test_connection_chatter_tracks_no_secret(self):
        account = self.account.with_context(tracking_disable=False)
        # Tracking messages are written just before the commit, and not for records created in
        # the same transaction: commit what the class set up first.
        self.env.flush_all()
        self.env.cr.precommit.run()
        account.write({"client_secret": "new-secret-VALUE", "client_id": "new-client"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = account.message_ids.tracking_value_ids
        written = " ".join(f"{value.old_value_char} {value.new_value_char}" for value in tracked)
        bodies = " ".join(str(message.body) for message in account.message_ids)
        self.assertIn("new-client", written, "the change of the client id is tracked")
        self.assertNotIn("new-secret-VALUE", written + bodies)

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
        """(result, error class name) of a JSON-RPC call as the authenticated user."""
        response = self.url_open("/web/dataset/call_kw", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "params": {
                "model": model, "method": method, "args": args, "kwargs": kwargs or {}}}),
            headers={"Content-Type": "application/json"})
        answer = response.json()
        return answer.get("result"), (answer.get("error") or {}).get("data", {}).get("name")

    def test_admins_read_secrets_over_json_rpc_and_nobody_reads_tokens(self):
        self.account.webhook_secret = "webhook-VALUE"
        access_error = "odoo.exceptions.AccessError"
        self.authenticate("zoom_admin", "zoom_admin")
        rows, error = self.rpc("zoom.account", "search_read", [[]], {"fields": ["client_secret", "webhook_secret"]})
        self.assertIsNone(error)
        self.assertEqual([(row["client_secret"], row["webhook_secret"]) for row in rows],
                         [("test-client-secret-VALUE", "webhook-VALUE")])
        defaults, error = self.rpc("res.config.settings", "default_get", [["zoom_client_secret"]])
        self.assertIsNone(error)
        self.assertEqual(defaults["zoom_client_secret"], "test-client-secret-VALUE")
        result, error = self.rpc("zoom.account", "read", [[self.account.id], ["access_token", "refresh_token"]])
        self.assertEqual((result, error), (None, access_error))
        result, error = self.rpc("zoom.account", "export_data", [[self.account.id], ["access_token"]])
        self.assertEqual((result, error), (None, "odoo.exceptions.UserError"))
        for login in ("zoom_recruiter", "zoom_assistant", "zoom_interviewer", "plain_employee"):
            self.authenticate(login, login)
            for method, args, kwargs, expected in (
                ("search_read", [[]], {"fields": []}, access_error),
                ("read", [[self.account.id], ["client_secret"]], {}, access_error),
                ("export_data", [[self.account.id], ["client_secret", "webhook_secret"]], {},
                 "odoo.exceptions.UserError"),
            ):
                result, error = self.rpc("zoom.account", method, args, kwargs)
                self.assertEqual((result, error), (None, expected), f"{login} {method}")
            defaults, error = self.rpc("res.config.settings", "default_get",
                                       [["zoom_client_secret", "zoom_webhook_secret"]])
            self.assertIsNone(error, login)
            self.assertFalse(defaults.get("zoom_client_secret") or defaults.get("zoom_webhook_secret"), login)
            # What every user may read about a colleague's link is answered, without secrets.
            users, error = self.rpc("res.users", "read", [[self.interviewer.id], ["zoom_user_email"]])
            self.assertIsNone(error, login)
            self.assertEqual(users[0]["zoom_user_email"], "interviewer@zoom.example")
