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
