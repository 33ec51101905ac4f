from odoo.tests import HttpCase, new_test_user, tagged

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

