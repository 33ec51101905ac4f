"""Settings' "Check setup", the invitation to link and the interview form's notice, with a database."""

from datetime import datetime, timedelta

import responses

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged

from odoo.addons.herp_zoom.services.meeting_results import RESULT_EVENTS
from odoo.addons.herp_zoom.utils.zoom_client import OPTIONAL_SCOPES, REQUIRED_SCOPES

from .common import OAUTH_URL, ZoomCommon, zoom_user
from .dates import YEAR

PUBLIC_URL = "https://hr.example.com"


@tagged("post_install", "-at_install")
class TestCheckSetup(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", PUBLIC_URL)
        cls.account.write({"webhook_secret": "WEBHOOK-SECRET-VALUE", "token_scopes": " ".join(REQUIRED_SCOPES)})
        cls.env.ref("herp_zoom.ir_cron_issue_pending_meetings").active = True
        cls.zoom_me = zoom_user("zu_owner", "owner@zoom.example", role_name="Owner")
        # Settings are for Settings administrators, who are Zoom administrators.
        cls.settings_admin = cls.env.ref("base.user_admin")

    def setUp(self):
        super().setUp()
        # Scopes of a token renewed by an earlier test live in the shared test cursor's cache.
        self.env.cr.cache.pop("herp_zoom_scopes", None)

    def check_setup(self, user=None, fake_me=True, concurrent_meeting=None):
        settings = self.env["res.config.settings"].with_user(user or self.settings_admin).create({})
        with self.zoom() as fake:
            fake.me = self.zoom_me if fake_me else None
            fake.concurrent_meeting = concurrent_meeting
            action = settings.action_zoom_check_setup()
        check = self.env["zoom.setup.check"].with_user(user or self.settings_admin).browse(action["res_id"])
        self.assertEqual(action["res_model"], "zoom.setup.check")
        self.sent = fake.sent
        return check, {line.key: line for line in check.line_ids}

    def test_everything_set_up_is_green_with_one_call_to_zoom(self):
        check, lines = self.check_setup()
        self.assertEqual({key: line.state for key, line in lines.items()}, {
            "connection": "ok", "scopes": "ok", "base_url": "ok", "webhook": "info", "retry_cron": "ok",
            # The users with a role who did not link (the recruiter, the assistant, ...) are a note.
            "linked_users": "info", "simultaneous": "info",
            # The connection keeps meetings as they were created; the daily check has not run yet.
            "lifecycle": "info", "meeting_check": "info",
        })
        self.assertTrue(check.all_green)
        # The token lacks the optional scope of the plan check: Zoom is not asked for the settings.
        self.assertEqual(self.paths_sent(), ["GET /v2/users/me"])
        self.assertIn("owner@zoom.example", lines["connection"].detail)

    def test_nothing_reveals_a_secret(self):
        _check, lines = self.check_setup()
        text = " ".join(f"{line.title} {line.detail} {line.fix}" for line in lines.values())
        for secret in ("test-client-secret-VALUE", "WEBHOOK-SECRET-VALUE", "ACCESS-TOKEN-VALUE", "REFRESH-TOKEN-VALUE"):
            self.assertNotIn(secret, text)

    def test_connection_refused_by_zoom_fails(self):
        settings = self.env["res.config.settings"].with_user(self.settings_admin).create({})
        with self.zoom() as fake:
            fake.fail_next("GET", 503)
            action = settings.action_zoom_check_setup()
        lines = {line.key: line for line in self.env["zoom.setup.check"].browse(action["res_id"]).line_ids}
        self.assertEqual(lines["connection"].state, "failed")
        self.assertIn("Zoom did not answer the test call", lines["connection"].detail)
        self.assertEqual(lines["scopes"].state, "warning")

    def test_disconnected_account_fails_without_calling_zoom(self):
        self.account.state = "disconnected"
        check, lines = self.check_setup()
        self.assertEqual(lines["connection"].state, "failed")
        self.assertFalse(check.all_green)
        self.assertEqual(self.sent, [])

    def test_missing_scopes_are_named(self):
        self.account.write({"update_meetings": True,
                            "token_scopes": "user:read:user:admin meeting:write:meeting:admin"})
        _check, lines = self.check_setup()
        self.assertEqual(lines["scopes"].state, "failed")
        for scope in ("meeting:update:meeting:admin", "meeting:read:list_meetings:admin"):
            self.assertIn(scope, lines["scopes"].detail)
        self.assertNotIn("user:read:user:admin", lines["scopes"].detail)

    def test_granted_scopes_come_with_the_renewed_token(self):
        self.account.write({"token_scopes": False, "token_expires_at": datetime.now() - timedelta(minutes=1)})
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            rsps.add(responses.POST, OAUTH_URL + "/oauth/token", json={
                "access_token": "NEW-ACCESS", "refresh_token": "NEW-REFRESH", "expires_in": 3599,
                "token_type": "bearer", "scope": " ".join(REQUIRED_SCOPES[:2]),
            })
            rsps.add(responses.GET, OAUTH_URL + "/v2/users/me", json=self.zoom_me)
            settings = self.env["res.config.settings"].with_user(self.settings_admin).create({})
            action = settings.action_zoom_check_setup()
        self.account.invalidate_recordset()
        self.assertEqual(self.account.token_scopes, " ".join(REQUIRED_SCOPES[:2]))
        lines = {line.key: line for line in self.env["zoom.setup.check"].browse(action["res_id"]).line_ids}
        self.assertEqual(lines["scopes"].state, "failed")
        self.assertIn(REQUIRED_SCOPES[2], lines["scopes"].detail)

    def test_scopes_unknown_until_zoom_says(self):
        self.account.token_scopes = False
        _check, lines = self.check_setup()
        self.assertEqual(lines["scopes"].state, "warning")

    def test_local_or_plain_http_address_fails(self):
        for url in ("http://hr.example.com", "https://localhost:8069"):
            self.env["ir.config_parameter"].sudo().set_param("web.base.url", url)
            _check, lines = self.check_setup()
            self.assertEqual(lines["base_url"].state, "failed", url)

    def test_webhook_secret_missing_fails_and_last_delivery_is_shown(self):
        self.account.webhook_secret = False
        _check, lines = self.check_setup()
        self.assertEqual(lines["webhook"].state, "failed")
        self.account.webhook_secret = "WEBHOOK-SECRET-VALUE"
        self.env["zoom.webhook.delivery"].sudo()._record_once(self.account, "meeting.deleted", "1732600000000", "1")
        _check, lines = self.check_setup()
        self.assertEqual(lines["webhook"].state, "ok")
        self.assertIn("Last verified delivery", lines["webhook"].detail)

    def test_inactive_retry_action_fails_and_its_button_activates_it(self):
        cron = self.env.ref("herp_zoom.ir_cron_issue_pending_meetings")
        cron.active = False
        _check, lines = self.check_setup()
        self.assertEqual((lines["retry_cron"].state, lines["retry_cron"].action_kind), ("failed", "retry_cron"))
        with self.zoom() as fake:
            fake.me = self.zoom_me
            action = lines["retry_cron"].action_fix()
        self.assertTrue(cron.active)
        again = self.env["zoom.setup.check"].browse(action["res_id"])
        self.assertEqual(again.line_ids.filtered(lambda line: line.key == "retry_cron").state, "ok")

    def test_linked_users_counted_with_a_link_to_the_unlinked(self):
        _check, lines = self.check_setup()
        with_role = self.env["res.users"].search([("zoom_has_role", "=", True), ("share", "=", False)])
        linked = with_role.filtered("zoom_user_id")
        self.assertEqual(lines["linked_users"].detail,
                         f"{len(linked)} of the {len(with_role)} users with a Zoom role linked a Zoom user.")
        action = lines["linked_users"].action_fix()
        self.assertEqual(action["res_model"], "res.users")
        self.assertEqual(action["context"]["search_default_zoom_role_not_linked"], 1)
        (with_role - linked).write({"zoom_user_id": "zu_x", "zoom_user_account_id": self.account.zoom_account_id})
        _check, lines = self.check_setup()
        self.assertEqual(lines["linked_users"].state, "ok")

    def paths_sent(self):
        return [call.request.method + " " + call.request.path_url for call in self.sent]

    def test_simultaneous_meetings_compared_with_the_users_concurrent_meeting_option(self):
        self.account.write({"max_concurrent_meetings": 2,
                            "token_scopes": " ".join(REQUIRED_SCOPES + OPTIONAL_SCOPES)})
        check, lines = self.check_setup(concurrent_meeting="None")
        self.assertEqual(lines["simultaneous"].state, "failed")
        self.assertEqual(lines["simultaneous"].detail,
                         "Set to 2, but Zoom's plan lets a user host 1 meeting(s) at once.")
        self.assertEqual(lines["simultaneous"].fix, "Set Simultaneous Meetings to 1.")
        self.assertFalse(check.all_green)
        self.assertEqual(self.paths_sent(), ["GET /v2/users/me", "GET /v2/users/me/settings"])

        _check, lines = self.check_setup(concurrent_meeting="Basic")
        self.assertEqual(lines["simultaneous"].state, "ok")
        self.assertIn("(Basic) allows it", lines["simultaneous"].detail)
        self.account.max_concurrent_meetings = 1
        _check, lines = self.check_setup(concurrent_meeting="None")
        self.assertEqual(lines["simultaneous"].state, "ok")

    def test_simultaneous_meetings_unknown_without_the_settings_scope_and_zoom_not_asked(self):
        self.account.max_concurrent_meetings = 2
        check, lines = self.check_setup(concurrent_meeting="None")
        self.assertEqual(lines["simultaneous"].state, "info")
        self.assertEqual(lines["simultaneous"].detail,
                         "Set to 2. The plan's limit is unknown: grant the scope user:read:settings:admin to let "
                         "the check compare.")
        # An optional scope: its absence fails neither the scopes line nor the check.
        self.assertEqual(lines["scopes"].state, "ok")
        self.assertTrue(check.all_green)
        self.assertEqual(self.paths_sent(), ["GET /v2/users/me"])

    def test_simultaneous_meetings_unknown_when_zoom_refuses_the_settings(self):
        # Zoom has not said which scopes it granted: the check asks, and Zoom says the scope is missing.
        self.account.write({"max_concurrent_meetings": 2, "token_scopes": False})
        with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
            rsps.add(responses.GET, OAUTH_URL + "/v2/users/me", json=self.zoom_me)
            rsps.add(responses.GET, OAUTH_URL + "/v2/users/me/settings", status=400, json={
                "code": 4711, "message": "Invalid access token, does not contain scopes:[user:read:settings:admin]"})
            settings = self.env["res.config.settings"].with_user(self.settings_admin).create({})
            action = settings.action_zoom_check_setup()
            self.assertEqual(len(rsps.calls), 2)
        lines = {line.key: line for line in self.env["zoom.setup.check"].browse(action["res_id"]).line_ids}
        self.assertEqual(lines["connection"].state, "ok")
        self.assertEqual(lines["simultaneous"].state, "info")
        self.assertIn("grant the scope user:read:settings:admin", lines["simultaneous"].detail)

        # Zoom out of service for the settings call: the reason is shown, the other lines stand.
        self.account.token_scopes = " ".join(REQUIRED_SCOPES + OPTIONAL_SCOPES)
        with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
            rsps.add(responses.GET, OAUTH_URL + "/v2/users/me", json=self.zoom_me)
            rsps.add(responses.GET, OAUTH_URL + "/v2/users/me/settings", status=503,
                     json={"code": 503, "message": "Down"})
            action = settings.action_zoom_check_setup()
            self.assertEqual(len(rsps.calls), 2)
        lines = {line.key: line for line in self.env["zoom.setup.check"].browse(action["res_id"]).line_ids}
        self.assertEqual(lines["connection"].state, "ok")
        self.assertEqual(lines["simultaneous"].state, "info")
        self.assertIn("unknown. Zoom is temporarily unavailable (HTTP 503).", lines["simultaneous"].detail)

    def test_only_zoom_administrators_check_the_setup(self):
        settings = self.env["res.config.settings"].create({})
        with self.assertRaisesRegex(AccessError, "Only Zoom administrators can check the Zoom setup"):
            settings.with_user(self.recruiter).action_zoom_check_setup()
        with self.assertRaisesRegex(AccessError, "Only Zoom administrators"):
            self.env["zoom.setup.check"].with_user(self.recruiter)._run(self.company)
        _check, lines = self.check_setup()
        with self.assertRaises(AccessError):
            lines["retry_cron"].with_user(self.recruiter).action_fix()
        other = self.env["res.company"].create({"name": "Other company"})
        with self.assertRaisesRegex(AccessError, "companies you work in"):
            self.env["zoom.setup.check"].with_user(self.zoom_admin)._run(other)

    def test_settings_guide_shows_this_databases_values(self):
        settings = self.env["res.config.settings"].with_user(self.settings_admin).create({})
        self.assertEqual(settings.zoom_redirect_url, PUBLIC_URL + "/herp_zoom/oauth/callback")
        self.assertEqual(settings.zoom_webhook_url, PUBLIC_URL + "/herp_zoom/webhook")
        self.assertEqual(set(settings.zoom_webhook_events.split(", ")),
                         {"meeting.deleted", "meeting.updated", "app_deauthorized", *RESULT_EVENTS})
        arch = settings.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertEqual(settings.zoom_optional_scopes, "user:read:settings:admin")
        self.assertNotIn("user:read:settings:admin", settings.zoom_required_scopes)
        for name in ("zoom_redirect_url", "zoom_webhook_url", "zoom_required_scopes", "zoom_optional_scopes",
                     "zoom_webhook_events"):
            self.assertRegex(arch, f'name="{name}"[^>]*widget="CopyClipboardChar"')
        self.assertIn('name="zoom_webhook_secret"', arch)


@tagged("post_install", "-at_install")
class TestInviteToLink(ZoomCommon):
    def invite(self, user, users):
        """The users list's action, as ``user``: the invitation dialog, then "Send invitations"."""
        invitation = self.env["zoom.link.invitation"].with_user(user).with_context(
            active_model="res.users", active_ids=users.ids, active_id=users[:1].id).create({})
        self.assertEqual(invitation.user_ids, users)
        return invitation.action_send()

    def test_filter_finds_users_with_a_role_who_did_not_link(self):
        found = self.env["res.users"].search([("zoom_has_role", "=", True), ("zoom_user_id", "=", False),
                                              ("share", "=", False)])
        self.assertIn(self.recruiter, found)
        self.assertIn(self.assistant, found)
        self.assertNotIn(self.interviewer, found)
        self.assertNotIn(self.employee, found)

    def test_invitation_mails_the_unlinked_users_a_button_to_their_preferences(self):
        before = self.env["mail.mail"].sudo().search([])
        result = self.invite(self.zoom_admin, self.recruiter | self.assistant | self.interviewer)
        mails = self.env["mail.mail"].sudo().search([]) - before
        # Addressed by e-mail (Odoo 18) or to the users' partners (Odoo 19 finds them by e-mail).
        self.assertEqual(sorted(mails.mapped(lambda mail: mail.email_to or mail.recipient_ids.email_formatted)),
                         sorted([self.recruiter.email_formatted, self.assistant.email_formatted]))
        for mail in mails:
            self.assertIn("/herp_zoom/my-zoom-user", mail.body_html)
            self.assertIn("Link my Zoom user", mail.body_html)
        self.assertIn(self.interviewer.name, result["params"]["message"])

    def test_dialog_says_who_gets_it(self):
        invitation = self.env["zoom.link.invitation"].with_user(self.zoom_admin).with_context(
            active_model="res.users", active_ids=(self.recruiter | self.interviewer | self.employee).ids).create({})
        self.assertEqual(invitation.invited_ids, self.recruiter)
        self.assertEqual(invitation.skipped_ids, self.interviewer | self.employee)
        # As the dialog shows it, before the record exists.
        form = Form(self.env["zoom.link.invitation"].with_user(self.zoom_admin).with_context(
            active_model="res.users", active_ids=(self.recruiter | self.interviewer).ids))
        self.assertEqual(form.invited_ids.ids, self.recruiter.ids)
        self.assertEqual(form.skipped_ids.ids, self.interviewer.ids)
        action = self.env.ref("herp_zoom.action_zoom_link_invitation")
        self.assertEqual((action.binding_model_id.model, action.group_ids),
                         ("res.users", self.env.ref("herp_zoom.group_zoom_admin")))

    def test_invitation_in_japanese_for_a_japanese_user(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom")])._update_translations(["ja_JP"])
        self.recruiter.lang = "ja_JP"
        before = self.env["mail.mail"].sudo().search([])
        self.invite(self.zoom_admin, self.recruiter)
        mail = self.env["mail.mail"].sudo().search([]) - before
        self.assertIn("Zoom ユーザーを連携", mail.subject)
        self.assertIn("/herp_zoom/my-zoom-user", mail.body_html)

    def test_only_zoom_administrators_invite(self):
        with self.assertRaises(AccessError):
            self.invite(self.recruiter, self.assistant)
        invitation = self.env["zoom.link.invitation"].create({"user_ids": [(6, 0, self.assistant.ids)]})
        with self.assertRaisesRegex(AccessError, "Only Zoom administrators can invite"):
            invitation.with_user(self.recruiter).action_send()
        with self.assertRaisesRegex(AccessError, "Only Zoom administrators can invite"):
            self.assistant.with_user(self.recruiter)._zoom_invite_to_link()


@tagged("post_install", "-at_install")
class TestInvitationButton(ZoomCommon, HttpCase):
    def test_button_opens_the_preferences_of_whoever_opens_it(self):
        self.authenticate("zoom_interviewer", "zoom_interviewer")
        response = self.url_open("/herp_zoom/my-zoom-user", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(
            f"/odoo/action-herp_zoom.action_my_zoom_preferences/{self.interviewer.id}"))
        action = self.env.ref("herp_zoom.action_my_zoom_preferences")
        self.assertEqual((action.res_model, action.view_id), ("res.users", self.env.ref("base.view_users_form_simple_modif")))

    def test_button_asks_to_sign_in_first(self):
        response = self.url_open("/herp_zoom/my-zoom-user", allow_redirects=False)
        self.assertIn("/web/login", response.headers["Location"])


@tagged("post_install", "-at_install")
class TestNoMeetingNotice(ZoomCommon):
    def test_form_says_before_saving_that_no_meeting_will_be_issued_and_why(self):
        form = Form(self.env["calendar.event"].with_user(self.recruiter))
        form.name = "Interview: Chika"
        form.start = datetime(YEAR, 3, 4, 1, 0)
        form.stop = datetime(YEAR, 3, 4, 2, 0)
        form.partner_ids.clear()
        form.partner_ids.add(self.employee.partner_id)
        form.partner_ids.add(self.candidate)
        self.assertIn("No Zoom meeting will be issued", form.zoom_issue_notice)
        self.assertIn(self.employee.name, form.zoom_issue_notice)
        self.assertNotIn(self.candidate.name, form.zoom_issue_notice)
        form.partner_ids.add(self.interviewer.partner_id)
        self.assertFalse(form.zoom_issue_notice)
        form.partner_ids.remove(self.interviewer.partner_id.id)
        with self.zoom() as fake:
            event = form.save()
        self.assertEqual(event.zoom_state, "none")
        self.assertEqual(fake.create_requests, [])

    def test_no_notice_for_users_who_cannot_issue_or_a_disconnected_account(self):
        form = Form(self.env["calendar.event"].with_user(self.employee))
        form.name = "Lunch"
        self.assertFalse(form.zoom_issue_notice)
        self.account.state = "disconnected"
        self.env.registry.clear_cache()
        form = Form(self.env["calendar.event"].with_user(self.recruiter))
        form.name = "Interview"
        self.assertFalse(form.zoom_issue_notice)
