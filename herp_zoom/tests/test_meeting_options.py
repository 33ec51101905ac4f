"""Interview meeting options: the company's meeting settings and templates in every create
request, a setting Zoom refuses, and the host a recruiter chooses."""

import json
import re
from datetime import datetime, timedelta

import responses
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.herp_zoom.models.zoom_meeting_settings import SETTING_FIELDS

from .common import API_URL, ZoomCommon
from .dates import YEAR

# Recording and the summary as chosen for every interview (see test_recording_consent for the consent).
ALL_ZOOM_DEFAULTS = {**{name: "zoom" for name in SETTING_FIELDS}, "meeting_recording_consent": "always",
                     "meeting_summary_consent": "always"}
# Settings field, choice, what the create request's ``settings`` then hold.
SETTING_CASES = [
    ("meeting_waiting_room", "on", {"waiting_room": True}),
    ("meeting_waiting_room", "off", {"waiting_room": False}),
    ("meeting_join_before_host", "off", {"join_before_host": False}),
    ("meeting_join_before_host", "on", {"join_before_host": True, "jbh_time": 10}),
    ("meeting_mute_upon_entry", "on", {"mute_upon_entry": True}),
    ("meeting_host_video", "on", {"host_video": True}),
    ("meeting_participant_video", "off", {"participant_video": False}),
    ("meeting_auto_recording", "none", {"auto_recording": "none"}),
    ("meeting_auto_recording", "local", {"auto_recording": "local"}),
    ("meeting_auto_recording", "cloud", {"auto_recording": "cloud"}),
    ("meeting_authentication", "on", {"meeting_authentication": True}),
    ("meeting_deepfake_detection", "on", {"auto_start_deepfake_detection": True}),
    ("meeting_summary", "on", {"auto_start_meeting_summary": True}),
    ("meeting_summary", "off", {"auto_start_meeting_summary": False}),
]


def create_bodies(fake):
    """The bodies of the create requests Zoom received (after the ``fake_zoom`` block)."""
    return [json.loads(call.request.body) for call in fake.sent
            if call.request.method == "POST" and call.request.url.endswith("/meetings")]


def patch_bodies(fake):
    return [json.loads(call.request.body) for call in (fake.sent or fake.rsps.calls) if call.request.method == "PATCH"]


class OptionsCommon(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Settings administrators are Zoom administrators (and the only users who open Settings).
        cls.settings_admin = new_test_user(cls.env, "zoom_settings_admin", groups="base.group_user,base.group_system",
                                           email="settings@example.com", tz="UTC")


@tagged("post_install", "-at_install")
class TestMeetingSettings(OptionsCommon):
    def test_interview_defaults_are_sent(self):
        with self.zoom() as fake:
            event = self.create_interview()
        [body] = create_bodies(fake)
        self.assertEqual(body["settings"], {
            "waiting_room": True, "join_before_host": False, "mute_upon_entry": True, "host_video": True,
            "participant_video": True, "auto_start_deepfake_detection": True, "auto_start_meeting_summary": False,
            "auto_recording": "none",
        })
        self.assertNotIn("template_id", body)
        self.assertIssued(event, fake, self.zoom_interviewer)

    def test_each_setting_is_in_the_create_request_and_absent_with_zoom_s_default(self):
        for field, choice, expected in SETTING_CASES:
            with self.subTest(field=field, choice=choice):
                self.account.write(dict(ALL_ZOOM_DEFAULTS, **{field: choice}, meeting_jbh_time="10"))
                with self.zoom() as fake:
                    self.create_interview()
                [body] = create_bodies(fake)
                self.assertEqual(body.get("settings"), expected)
                self.account.write({field: "zoom"})
                with self.zoom() as fake:
                    self.create_interview(start=datetime(YEAR, 4, 1, 1))
                [body] = create_bodies(fake)
                self.assertNotIn("settings", body, "Zoom's own default sends nothing")

    def test_alternative_hosts_stay_with_the_settings(self):
        self.account.write(dict(ALL_ZOOM_DEFAULTS, meeting_auto_recording="cloud"))
        with self.zoom() as fake:
            self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id)
        [body] = create_bodies(fake)
        self.assertEqual(body["settings"], {"auto_recording": "cloud", "alternative_hosts": "interviewer2@zoom.example"})

    def test_settings_screen_keeps_the_settings_on_the_connection(self):
        settings = self.env["res.config.settings"].with_user(self.settings_admin).create({
            "zoom_meeting_auto_recording": "cloud", "zoom_meeting_deepfake_detection": "zoom",
            "zoom_meeting_join_before_host": "on", "zoom_meeting_jbh_time": "5",
        })
        settings.execute()
        self.assertEqual((self.account.meeting_auto_recording, self.account.meeting_deepfake_detection,
                          self.account.meeting_join_before_host, self.account.meeting_jbh_time),
                         ("cloud", "zoom", "on", "5"))
        values = self.env["res.config.settings"].with_user(self.settings_admin).default_get(["zoom_meeting_auto_recording"])
        self.assertEqual(values["zoom_meeting_auto_recording"], "cloud")

    def test_recruiters_cannot_change_the_settings(self):
        with self.assertRaises(AccessError):
            self.account.with_user(self.recruiter).write({"meeting_auto_recording": "cloud"})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.recruiter).create({"zoom_meeting_auto_recording": "cloud"})
        self.assertEqual(self.account.meeting_auto_recording, "none")


@tagged("post_install", "-at_install")
class TestRefusedSetting(OptionsCommon):
    LOCKED = {"code": 300, "message": "Validation Failed.",
              "errors": [{"field": "settings.auto_start_deepfake_detection", "message": "Locked by the account."}]}

    def test_locked_setting_is_retried_without_it_and_reported_once(self):
        messages_before = len(self.account.message_ids)
        with self.zoom() as fake:
            fake.fail_next("POST", 400, self.LOCKED)
            first = self.create_interview()
            second = self.create_interview(start=datetime(YEAR, 3, 5, 1))
        bodies = create_bodies(fake)
        self.assertEqual(len(bodies), 3, "one refused request, its retry, then the next interview once")
        self.assertTrue(bodies[0]["settings"]["auto_start_deepfake_detection"])
        self.assertNotIn("auto_start_deepfake_detection", bodies[1]["settings"])
        self.assertEqual(bodies[1]["settings"], {key: value for key, value in bodies[0]["settings"].items()
                                                 if key != "auto_start_deepfake_detection"})
        self.assertNotIn("auto_start_deepfake_detection", bodies[2]["settings"])
        self.assertIssued(first, fake, self.zoom_interviewer)
        self.assertIssued(second, fake, self.zoom_interviewer)
        self.assertIn("auto_start_deepfake_detection", first.zoom_state_reason)
        self.assertEqual(self.account.refused_meeting_settings, "auto_start_deepfake_detection")
        new_messages = self.account.message_ids[: len(self.account.message_ids) - messages_before]
        self.assertEqual(len(new_messages), 1, "reported once on the connection")
        self.assertIn("auto_start_deepfake_detection", str(new_messages.body))

    def test_changing_the_settings_asks_zoom_again(self):
        self.account.refused_meeting_settings = "auto_start_deepfake_detection"
        self.env["res.config.settings"].with_user(self.settings_admin).create(
            {"zoom_meeting_deepfake_detection": "on", "zoom_meeting_auto_recording": "local"}).execute()
        self.assertFalse(self.account.refused_meeting_settings)
        with self.zoom() as fake:
            self.create_interview()
        [body] = create_bodies(fake)
        self.assertTrue(body["settings"]["auto_start_deepfake_detection"])

    def test_two_refused_settings_still_issue_the_meeting(self):
        with self.zoom() as fake:
            fake.fail_next("POST", 400, self.LOCKED)
            fake.fail_next("POST", 400, {"code": 300, "message": "Validation Failed. The setting auto_recording is "
                                                                 "locked by the account administrator."})
            event = self.create_interview()
        self.assertEqual(len(create_bodies(fake)), 3)
        self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual(self.account.refused_meeting_settings, "auto_start_deepfake_detection,auto_recording")


@tagged("post_install", "-at_install")
class TestMeetingTemplates(OptionsCommon):
    TEMPLATES = {"templates": [
        {"id": "tmplInterview", "name": "Candidate interview", "type": 2},
        {"id": "tmplOwn", "name": "Someone's own template", "type": 1},
    ], "total_records": 2}

    def load_templates(self, fake, answer=None):
        fake.rsps.add(responses.GET, re.compile(re.escape(API_URL) + r"/users/me/meeting_templates$"),
                      json=answer or self.TEMPLATES)
        settings = self.env["res.config.settings"].with_user(self.settings_admin).create({})
        return settings.action_zoom_load_meeting_templates()

    def test_templates_listed_from_zoom_and_used_instead_of_the_settings(self):
        with self.zoom() as fake:
            self.load_templates(fake)
        templates = self.env["zoom.meeting.template"].search([("account_id", "=", self.account.id)])
        self.assertEqual(templates.mapped("name"), ["Candidate interview"], "Zoom takes admin templates only")
        self.env["res.config.settings"].with_user(self.settings_admin).create(
            {"zoom_meeting_template_id": templates.id}).execute()
        self.assertEqual(self.account.meeting_template_id, templates)
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id)
        [body] = create_bodies(fake)
        self.assertEqual(body["template_id"], "tmplInterview")
        self.assertEqual(body["settings"], {"alternative_hosts": "interviewer2@zoom.example"},
                         "the template's settings come from Zoom")
        self.assertIssued(event, fake, self.zoom_interviewer)

    def test_template_removed_in_zoom_is_no_longer_sent(self):
        with self.zoom() as fake:
            self.load_templates(fake)
            self.account.meeting_template_id = self.env["zoom.meeting.template"].search(
                [("account_id", "=", self.account.id)])
            self.load_templates(fake, {"templates": [], "total_records": 0})
        self.assertFalse(self.account.meeting_template_id)
        with self.zoom() as fake:
            self.create_interview()
        self.assertNotIn("template_id", create_bodies(fake)[0])

    def test_template_deleted_in_zoom_falls_back_to_the_settings_once(self):
        with self.zoom() as fake:
            self.load_templates(fake)
        self.account.meeting_template_id = self.env["zoom.meeting.template"].search(
            [("account_id", "=", self.account.id)])
        messages_before = len(self.account.message_ids)
        with self.zoom() as fake:
            fake.fail_next("POST", 400, {"code": 300, "message": "Validation Failed. Invalid template_id: tmplInterview.",
                                         "errors": [{"field": "template_id", "message": "Invalid field."}]})
            first = self.create_interview()
            self.create_interview(start=datetime(YEAR, 3, 5, 1))
        bodies = create_bodies(fake)
        self.assertEqual(len(bodies), 3)
        self.assertEqual(bodies[0]["template_id"], "tmplInterview")
        for body in bodies[1:]:
            self.assertNotIn("template_id", body)
            self.assertEqual(body["settings"]["auto_recording"], "none", "the company's settings apply")
        self.assertIssued(first, fake, self.zoom_interviewer)
        self.assertIn("Interview Meeting Template", first.zoom_state_reason)
        self.assertEqual(len(self.account.message_ids) - messages_before, 1)

    def test_only_administrators_load_templates(self):
        with self.assertRaises(AccessError), self.zoom():
            self.account.with_user(self.recruiter).action_load_meeting_templates()


@tagged("post_install", "-at_install")
class TestChosenHost(OptionsCommon):
    def test_chosen_host_hosts_and_the_others_are_alternative_hosts(self):
        self.recruiter._zoom_link(self.zoom_recruiting)
        with self.zoom() as fake:
            event = self.create_interview(
                partners=self.interviewer.partner_id | self.interviewer2.partner_id | self.recruiter.partner_id,
                zoom_chosen_host_id=self.interviewer2.id)
        [(host, body)] = fake.create_requests
        self.assertEqual(host, "zu_interviewer2")
        self.assertIssued(event, fake, self.zoom_interviewer2)
        self.assertEqual(event.zoom_host_user_id, self.interviewer2)
        self.assertEqual(body["settings"]["alternative_hosts"], "recruiting@zoom.example;interviewer@zoom.example")

    def test_busy_chosen_host_is_not_replaced_and_the_event_says_why(self):
        with self.zoom() as fake:
            self.create_interview(partners=self.interviewer2.partner_id | self.candidate)
            event = self.create_interview(
                partners=self.interviewer.partner_id | self.interviewer2.partner_id,
                start=datetime(YEAR, 3, 4, 1, 30), zoom_chosen_host_id=self.interviewer2.id)
        self.assertEqual([host for host, _body in fake.create_requests], ["zu_interviewer2", "zu_interviewer2"])
        self.assertIssued(event, fake, self.zoom_interviewer2)
        self.assertIn("The chosen host interviewer2@zoom.example already hosts", event.zoom_state_reason)

    def test_daily_limited_chosen_host_waits_instead_of_another_host(self):
        self.env["zoom.host"].sudo()._mark_daily_limit("zu_interviewer2")
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id,
                                          zoom_chosen_host_id=self.interviewer2.id)
        self.assertEqual(fake.create_requests, [], "no meeting with another host")
        self.assertEqual(event.zoom_state, "pending")
        self.assertIn("limit of 100 meeting creations", event.zoom_state_reason)
        self.assertIn("interviewer2@zoom.example", event.zoom_state_reason)

    def test_daily_limited_chosen_host_is_the_host_after_midnight(self):
        self.env["zoom.host"].sudo()._mark_daily_limit("zu_interviewer2")
        with self.zoom():
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id,
                                          zoom_chosen_host_id=self.interviewer2.id)
        self.assertEqual(event.zoom_state, "pending")
        self.account.token_expires_at = event.zoom_retry_at + timedelta(hours=2)  # no renewal at midnight
        with self.zoom() as fake, freeze_time(event.zoom_retry_at + timedelta(seconds=1)):
            self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertEqual([host for host, _body in fake.create_requests], ["zu_interviewer2"])
        self.assertIssued(event, fake, self.zoom_interviewer2)

    def test_chosen_host_without_zoom_gets_a_reason_and_no_meeting(self):
        self.interviewer2._zoom_unlink()
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id,
                                          zoom_chosen_host_id=self.interviewer2.id)
        self.assertEqual(fake.create_requests, [])
        self.assertEqual(event.zoom_state, "failed")
        self.assertIn(f"The chosen host {self.interviewer2.name} has no linked Zoom user", event.zoom_state_reason)

    def test_zoom_refusing_the_chosen_host_fails_without_another_host(self):
        with self.zoom() as fake:
            fake.fail_next("POST", 404, {"code": 1001, "message": "User does not exist: zu_interviewer2."})
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id,
                                          zoom_chosen_host_id=self.interviewer2.id)
        self.assertEqual(len(create_bodies(fake)), 1)
        self.assertEqual(event.zoom_state, "failed")
        self.assertIn("The chosen host interviewer2@zoom.example is no longer a user", event.zoom_state_reason)

    def test_warning_before_saving(self):
        with self.zoom():
            self.create_interview(partners=self.interviewer2.partner_id | self.candidate)
        draft = self.env["calendar.event"].with_user(self.recruiter).new({
            "name": "Interview: Daichi", "start": datetime(YEAR, 3, 4, 1, 30), "stop": datetime(YEAR, 3, 4, 2, 30),
            "user_id": self.recruiter.id,
            "partner_ids": [(6, 0, (self.interviewer2.partner_id | self.employee.partner_id).ids)],
        })
        self.assertEqual(draft.zoom_host_choice_ids._origin, self.interviewer2, "only linked attendees may host")
        draft.zoom_chosen_host_id = self.interviewer2
        warning = draft._onchange_zoom_chosen_host_id()["warning"]["message"]
        self.assertIn("already hosts 1 overlapping Zoom meeting", warning)
        draft.start, draft.stop = datetime(YEAR, 3, 4, 3), datetime(YEAR, 3, 4, 4)
        self.assertIsNone(draft._onchange_zoom_chosen_host_id(), "free at that time")
        self.env["zoom.host"].sudo()._mark_daily_limit("zu_interviewer2")
        self.assertIn("limit of 100 meeting creations", draft._onchange_zoom_chosen_host_id()["warning"]["message"])
        self.interviewer2._zoom_unlink()
        self.assertIn("has no linked Zoom user", draft._onchange_zoom_chosen_host_id()["warning"]["message"])

    def test_only_issuing_roles_choose_the_host(self):
        event = self.create_interview(user=self.recruiter, partners=self.candidate)
        with self.assertRaises(AccessError):
            event.with_user(self.interviewer).write({"zoom_chosen_host_id": self.interviewer.id})


@tagged("post_install", "-at_install")
class TestHostChangeOfIssuedMeeting(OptionsCommon):
    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def test_new_host_is_given_the_meeting_with_schedule_for(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id)
            self.run_postcommit()
            event.with_user(self.recruiter).write({"zoom_chosen_host_id": self.interviewer2.id})
            self.assertEqual(patch_bodies(fake), [], "nothing is sent before the commit")
            self.run_postcommit()
        self.assertEqual(patch_bodies(fake), [{"schedule_for": "interviewer2@zoom.example",
                                    "settings": {"alternative_hosts": "interviewer@zoom.example"}}])
        self.assertEqual((event.zoom_host_user_id, event.zoom_host_email),
                         (self.interviewer2, "interviewer2@zoom.example"))
        self.assertIn("now hosted by interviewer2@zoom.example", str(event.message_ids[0].body))

    def test_zoom_refusing_the_new_host_keeps_the_meeting_and_says_what_to_do(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id)
            self.run_postcommit()
            fake.fail_next("PATCH", 400, {"code": 3000, "message": "You cannot schedule a meeting for "
                                                                   "interviewer2@zoom.example"})
            event.with_user(self.recruiter).write({"zoom_chosen_host_id": self.interviewer2.id})
            self.run_postcommit()
        self.assertEqual(event.zoom_host_user_id, self.interviewer)
        self.assertEqual(event.zoom_state, "issued")
        self.assertIn("Zoom did not give the meeting to", str(event.message_ids[0].body))
        self.assertIn("Schedule for", str(event.message_ids[0].body))

    def test_without_meeting_updates_the_event_says_what_to_do(self):
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id)
            event.with_user(self.recruiter).write({"zoom_chosen_host_id": self.interviewer2.id})
            self.run_postcommit()
        self.assertEqual(patch_bodies(fake), [])
        self.assertEqual(event.zoom_host_user_id, self.interviewer)
        self.assertIn("updating Zoom meetings with interviews is off", str(event.message_ids[0].body))
