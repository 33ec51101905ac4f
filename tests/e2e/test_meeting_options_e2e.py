"""Interview meeting options against the Zoom sandbox over real HTTP: the settings screen's
meeting settings, a setting the account locked, the account's templates, the chosen host."""

from datetime import datetime, timedelta

import requests

from odoo.tests import new_test_user
from odoo.addons.herp_zoom.tests.dates import YEAR

from .sandbox_case import SandboxHttpCase


class TestMeetingOptionsEndToEnd(SandboxHttpCase):
    # Odoo gives these to test classes inside addons; this one spans herp_zoom and the sandbox.
    test_tags = {"standard", "post_install"}
    test_module = "herp_zoom"
    test_class = "TestMeetingOptionsEndToEnd"
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, "opt_admin", groups="base.group_user,base.group_system",
                                  email="opt-admin@example.com")
        cls.recruiter = new_test_user(cls.env, "opt_recruiter", groups="base.group_user,herp_zoom.group_zoom_recruiter",
                                      email="opt-recruiter@example.com", tz="Asia/Tokyo")
        cls.interviewer = new_test_user(cls.env, "opt_interviewer", groups="base.group_user,herp_zoom.group_zoom_guest",
                                        email="opt-interviewer@example.com", tz="Asia/Tokyo")
        cls.interviewer2 = new_test_user(cls.env, "opt_interviewer2", groups="base.group_user,herp_zoom.group_zoom_guest",
                                         email="opt-interviewer2@example.com", tz="Asia/Tokyo")
        cls.candidate = cls.env["res.partner"].create({"name": "Chika Candidate", "email": "chika@candidate.example"})

    def setUp(self):
        super().setUp()
        self.sandbox.state.reset()
        self.account = self.connect_sandbox_s2s(self.admin)
        self.interviewer._zoom_link_by_email("interviewer1@herp-demo.example")
        self.interviewer2._zoom_link_by_email("interviewer2@herp-demo.example")

    def save_settings(self, values):
        self.authenticate("opt_admin", "opt_admin")
        settings_id = self.call("res.config.settings", "create", [values])
        self.call("res.config.settings", "execute", [[settings_id]])
        return settings_id

    def create_interview(self, name, start=datetime(YEAR, 3, 4, 1), **values):
        self.authenticate("opt_recruiter", "opt_recruiter")
        event_id = self.call("calendar.event", "create", [dict({
            "name": name, "start": start.strftime("%Y-%m-%d %H:%M:%S"),
            "stop": (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
            "partner_ids": [[6, 0, (self.interviewer.partner_id | self.interviewer2.partner_id | self.candidate).ids]],
        }, **values)])
        return self.env["calendar.event"].browse(event_id)

    def meeting_of(self, event):
        return self.sandbox.state.meetings[int(event.zoom_meeting_id)]

    def test_settings_screen_settings_reach_the_meeting_and_a_locked_one_is_left_out(self):
        self.save_settings({"zoom_meeting_auto_recording": "cloud", "zoom_meeting_join_before_host": "on",
                            "zoom_meeting_waiting_room": "off", "zoom_meeting_jbh_time": "5",
                            "zoom_meeting_summary": "zoom", "zoom_meeting_recording_consent": "always"})
        first = self.create_interview("Interview: Chika")
        settings = self.meeting_of(first)["settings"]
        self.assertEqual((settings["auto_recording"], settings["join_before_host"], settings["jbh_time"],
                          settings["waiting_room"], settings["auto_start_deepfake_detection"]),
                         ("cloud", True, 5, False, True))
        # The account's administrator locks cloud recording in Zoom.
        requests.post(self.sandbox.url + "/_sandbox/config", json={"locked_settings": ["auto_recording"]}, timeout=10)
        second = self.create_interview("Interview: Daichi", start=datetime(YEAR, 3, 5, 1))
        self.assertEqual(second.zoom_state, "issued")
        self.assertIn("auto_recording", second.zoom_state_reason)
        self.assertEqual(self.meeting_of(second)["settings"]["auto_recording"], "none", "Zoom's own default")
        third = self.create_interview("Interview: Emi", start=datetime(YEAR, 3, 6, 1))
        self.assertEqual(third.zoom_state, "issued")
        statuses = [request["status"] for request in self.sandbox.state.requests
                    if request["method"] == "POST" and request["path"].endswith("/meetings")]
        self.assertEqual(statuses, [201, 400, 201, 201], "refused once, then left out")
        self.account.invalidate_recordset()
        self.assertEqual(self.account.refused_meeting_settings, "auto_recording")

    def test_templates_are_listed_from_zoom_and_used(self):
        settings_id = self.save_settings({})
        self.call("res.config.settings", "action_zoom_load_meeting_templates", [[settings_id]])
        templates = self.env["zoom.meeting.template"].search([("account_id", "=", self.account.id)])
        self.assertEqual(sorted(templates.mapped("name")), ["Candidate interview", "Recorded panel interview"])
        recorded = templates.filtered(lambda template: template.name == "Recorded panel interview")
        self.save_settings({"zoom_meeting_template_id": recorded.id})
        event = self.create_interview("Interview: Chika")
        settings = self.meeting_of(event)["settings"]
        self.assertEqual((settings["auto_recording"], settings["auto_start_meeting_summary"]), ("cloud", True))

    def test_chosen_host_hosts_then_hands_the_meeting_to_another(self):
        self.account.update_meetings = True
        event = self.create_interview("Interview: Chika", zoom_chosen_host_id=self.interviewer2.id)
        meeting = self.meeting_of(event)
        self.assertEqual(meeting["host_email"], "interviewer2@herp-demo.example")
        self.assertEqual(meeting["settings"]["alternative_hosts"], "interviewer1@herp-demo.example")
        event.with_user(self.recruiter).write({"zoom_chosen_host_id": self.interviewer.id})
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()
        meeting = self.meeting_of(event)
        self.assertEqual(meeting["host_email"], "interviewer1@herp-demo.example")
        self.assertEqual(meeting["settings"]["alternative_hosts"], "interviewer2@herp-demo.example")
        self.assertEqual(event.zoom_host_email, "interviewer1@herp-demo.example")
