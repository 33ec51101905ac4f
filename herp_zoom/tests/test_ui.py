from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.herp_zoom.utils.zoom_client import REQUIRED_SCOPES

from .common import ZoomCommon, zoom_user


@tagged("post_install", "-at_install")
class TestInterviewForm(ZoomCommon, HttpCase):
    def test_recruiter_creates_interview_in_form_and_sees_zoom_link_and_mark(self):
        ichiro = new_test_user(self.env, "ichiro", name="Ichiro Interviewer", email="ichiro@example.com",
                               groups="base.group_user,herp_zoom.group_zoom_guest")
        zoom_ichiro = zoom_user("zu_ichiro", "ichiro@zoom.example")
        ichiro._zoom_link(zoom_ichiro)
        with self.zoom() as fake:
            fake.add_user(zoom_ichiro)
            self.start_tour("/odoo", "herp_zoom_interview_tour", login="zoom_recruiter")
        event = self.env["calendar.event"].search([("name", "=", "Interview with Chika")])
        self.assertEqual(len(fake.create_requests), 1)
        self.assertIssued(event, fake, zoom_ichiro)

    def test_settings_and_preferences_in_english_and_japanese(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom")])._update_translations(["ja_JP"])
        admin = new_test_user(self.env, "tour_admin", groups="base.group_user,base.group_system", tz="UTC")
        for lang in ("en_US", "ja_JP"):
            (admin | self.interviewer).write({"lang": lang})
            self.start_tour("/odoo", "herp_zoom_settings_tour", login="tour_admin")
            self.start_tour("/odoo", "herp_zoom_preferences_tour", login="zoom_interviewer")



@tagged("post_install", "-at_install")
class TestAdministratorFirstHour(ZoomCommon, HttpCase):
    def test_guide_check_setup_fix_and_invite_in_english_and_japanese(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom")])._update_translations(["ja_JP"])
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("web.base.url", "https://hr.example.com")
        params.set_param("web.base.url.freeze", "True")
        self.env.ref("herp_zoom.ir_cron_issue_pending_meetings").active = True
        admin = new_test_user(self.env, "setup_admin", groups="base.group_user,base.group_system", tz="UTC",
                              email="setup.admin@example.com")
        admin._zoom_link(zoom_user("zu_setup_admin", "setup.admin@zoom.example", role_name="Owner"))
        unlinked = self.env["res.users"].search([("zoom_has_role", "=", True), ("zoom_user_id", "=", False),
                                                 ("share", "=", False)])
        self.assertIn(self.recruiter, unlinked)
        for lang in ("en_US", "ja_JP"):
            with self.subTest(lang=lang):
                admin.lang = lang
                self.account.write({"webhook_secret": False, "token_scopes": " ".join(REQUIRED_SCOPES)})
                mails_before = self.env["mail.mail"].sudo().search([])
                with self.zoom() as fake:
                    fake.me = zoom_user("zu_setup_admin", "setup.admin@zoom.example", role_name="Owner")
                    self.start_tour("/odoo", "herp_zoom_setup_tour", login="setup_admin")
                self.assertEqual(self.account.webhook_secret, "tour-secret-token")
                mails = self.env["mail.mail"].sudo().search([]) - mails_before
                # Addressed by e-mail (Odoo 18) or to the users' partners (Odoo 19 finds them by e-mail).
                self.assertEqual(set(mails.mapped(lambda mail: mail.email_to or mail.recipient_ids.email_formatted)),
                                 set(unlinked.filtered("email").mapped("email_formatted")))
