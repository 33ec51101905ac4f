"""After the interview, over real HTTP: the sandbox plays it as Zoom's signed webhooks to the
running Odoo, which records attendance and fetches the summary back from the sandbox."""

from odoo.tests import new_test_user
from odoo.tests.common import JsonRpcException
from odoo.addons.herp_zoom.tests.dates import YEAR

from .sandbox_case import SandboxHttpCase


WEBHOOK_SECRET = "sandbox-webhook-secret"
ZOOM_INTERVIEWER = "interviewer1@herp-demo.example"


class TestInterviewResultsEndToEnd(SandboxHttpCase):
    test_tags = {"standard", "post_install"}
    test_module = "herp_zoom"
    test_class = "TestInterviewResultsEndToEnd"
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, "res_admin", groups="base.group_user,base.group_system",
                                  email="res-admin@example.com")
        cls.recruiter = new_test_user(cls.env, "res_recruiter", name="Rie Recruiter", tz="Asia/Tokyo",
                                      groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
                                      email="res-recruiter@example.com")
        cls.assistant = new_test_user(cls.env, "res_assistant", name="Aki Assistant",
                                      groups="base.group_user,herp_zoom.group_zoom_assistant,"
                                             "hr_recruitment.group_hr_recruitment_interviewer",
                                      email="res-assistant@example.com")
        cls.interviewer = new_test_user(cls.env, "res_interviewer", name="Ichiro Interviewer", tz="Asia/Tokyo",
                                        groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer",
                                        email="res-interviewer@example.com")
        cls.interviewer2 = new_test_user(cls.env, "res_interviewer2", name="Hana Interviewer",
                                         groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer",
                                         email="res-interviewer2@example.com")
        cls.candidate = cls.env["res.partner"].create({"name": "Chika Candidate", "email": "chika@candidate.example"})
        job = cls.env["hr.job"].create({"name": "Engineer"})
        cls.applicant = cls.env["hr.applicant"].create({
            "partner_id": cls.candidate.id, "partner_name": cls.candidate.name, "job_id": job.id, "user_id": cls.recruiter.id,
            "interviewer_ids": [(6, 0, (cls.assistant | cls.interviewer | cls.interviewer2).ids)],
        })
        cls.connect_sandbox_s2s(cls.admin, webhook_secret=WEBHOOK_SECRET)
        cls.interviewer._zoom_link_by_email(ZOOM_INTERVIEWER)

    def set_results_setting(self, enabled):
        """The administrator's switch in Settings > Calendar > Zoom."""
        self.authenticate("res_admin", "res_admin")
        settings_id = self.call("res.config.settings", "create", [{
            "zoom_fetch_meeting_results": enabled, "zoom_meeting_summary": "on", "zoom_meeting_summary_consent": "always",
            "zoom_meeting_auto_recording": "cloud", "zoom_meeting_recording_consent": "always"}])
        self.call("res.config.settings", "execute", [[settings_id]])

    def schedule_interview(self, start):
        self.authenticate("res_recruiter", "res_recruiter")
        event_id = self.call("calendar.event", "create", [{
            "name": "Interview: Chika", "start": start, "stop": start.replace(" 01:", " 02:"),
            "applicant_id": self.applicant.id,
            "partner_ids": [[6, 0, [self.interviewer.partner_id.id, self.interviewer2.partner_id.id,
                                    self.candidate.id]]]}])
        event = self.env["calendar.event"].browse(event_id)
        self.assertEqual(event.zoom_state, "issued")
        return event

    def play(self, event, participants, **spec):
        answer = self.sandbox_calls_odoo("/_sandbox/interviews/play", timeout=60, payload={
            "url": self.base_url() + "/herp_zoom/webhook", "secret_token": WEBHOOK_SECRET,
            "meeting_id": int(event.zoom_meeting_id), "participants": participants, "duration": 50, **spec})
        self.assertEqual(answer.status_code, 200, answer.text)
        played = answer.json()
        self.assertEqual({delivery["status"] for delivery in played["deliveries"]}, {200}, played)
        self.env.invalidate_all()
        return played

    def summary_fetches(self):
        return [request for request in self.sandbox.state.requests if request["path"].endswith("/meeting_summary")]

    def run_summary_fetch(self):
        """The scheduled action the webhook triggered, run as Odoo's cron runner runs it."""
        self.env.ref("herp_zoom.ir_cron_fetch_pending_summaries").method_direct_trigger()
        self.env.invalidate_all()

    def messages_seen_by(self, login, record):
        self.authenticate(login, login)
        return self.call("mail.message", "search_read", [[("model", "=", record._name), ("res_id", "=", record.id)],
                                                         ["body"]])

    def test_candidate_joins_results_reach_the_applicant_for_recruiters_only(self):
        self.set_results_setting(True)
        event = self.schedule_interview(f"{YEAR}-03-04 01:00:00")
        self.sandbox.state.requests.clear()
        played = self.play(event, [
            {"name": "Ichiro", "email": ZOOM_INTERVIEWER, "join": 0},
            {"name": "Chika Candidate", "email": "", "join": 2, "leave": 47},
            {"name": "Note taker", "email": "notes@elsewhere.example", "join": 5},
        ], summary={"title": "Interview: Chika", "content": "Chika explained the billing migration clearly."},
            recording=True)
        # Zoom's webhooks were answered without asking Zoom anything: the summary waits for the scheduled action.
        self.assertEqual(self.summary_fetches(), [])
        self.assertEqual(self.env["zoom.meeting.result"].sudo().search([("event_id", "=", event.id)]).summary_state,
                         "pending")
        self.run_summary_fetch()
        self.run_summary_fetch()
        # Odoo fetched the summary once from Zoom, by the instance's UUID.
        fetched = self.summary_fetches()
        self.assertEqual([(request["method"], request["status"]) for request in fetched], [("GET", 200)])

        self.authenticate("res_recruiter", "res_recruiter")
        [values] = self.call("calendar.event", "read", [[event.id], [
            "zoom_meeting_started_at", "zoom_meeting_ended_at", "zoom_attendance"]])
        self.assertEqual((values["zoom_meeting_started_at"], values["zoom_meeting_ended_at"]),
                         (f"{YEAR}-03-04 01:00:00", f"{YEAR}-03-04 01:50:00"))
        self.assertEqual(values["zoom_attendance"], "held")
        [result] = self.call("zoom.meeting.result", "search_read", [[("event_id", "=", event.id)], [
            "meeting_uuid", "no_show", "unmatched_count", "summary", "recording_duration", "absent_interviewer_ids"]])
        self.assertEqual(result["meeting_uuid"], played["uuid"])
        self.assertFalse(result["no_show"])
        self.assertEqual(result["unmatched_count"], 1)
        self.assertEqual(result["summary"], "Chika explained the billing migration clearly.")
        self.assertEqual(result["recording_duration"], 50)
        self.assertEqual(result["absent_interviewer_ids"], [self.interviewer2.partner_id.id])
        participants = self.call("zoom.meeting.participant", "search_read", [[("result_id", "=", result["id"])],
                                                                            ["partner_id", "joined_at"]])
        matched = {row["partner_id"][0] for row in participants if row["partner_id"]}
        self.assertEqual(matched, {self.interviewer.partner_id.id, self.candidate.id})

        recruiter_sees = " ".join(message["body"] for message in self.messages_seen_by("res_recruiter", self.applicant))
        self.assertIn("Chika explained the billing migration clearly.", recruiter_sees)
        self.assertIn("/rec/share/", recruiter_sees)
        self.assertIn("0:50", recruiter_sees)
        for login in ("res_assistant", "res_interviewer"):
            with self.subTest(login=login):
                seen = " ".join(message["body"] for message in self.messages_seen_by(login, self.applicant))
                self.assertNotIn("billing migration", seen)
                self.assertNotIn("/rec/share/", seen)
                seen = " ".join(message["body"] for message in self.messages_seen_by(login, event))
                self.assertNotIn("billing migration", seen)
                [applicant] = self.call("hr.applicant", "read", [[self.applicant.id], ["message_ids"]])
                self.assertTrue(applicant["message_ids"])
                bodies = self.env["mail.message"].browse(applicant["message_ids"]).mapped("body")
                self.assertFalse([body for body in bodies if "billing migration" in body])
                with self.assertRaises(JsonRpcException) as refused:
                    self.call("zoom.meeting.result", "search_read", [[], ["summary"]])
                self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        # Nothing of it was mailed to the candidate.
        self.assertFalse(self.env["mail.mail"].sudo().search([
            ("recipient_ids", "in", self.candidate.ids), ("body_html", "ilike", "billing migration")]))

    def test_candidate_never_joins_no_show_and_follow_up_activity(self):
        self.set_results_setting(True)
        event = self.schedule_interview(f"{YEAR}-03-05 01:00:00")
        self.play(event, [{"name": "Ichiro", "email": ZOOM_INTERVIEWER, "join": 0}])
        self.assertEqual(event.zoom_attendance, "no_show")
        self.assertTrue(self.applicant.zoom_no_show)
        activity = self.applicant.activity_ids.filtered(lambda act: "No-show" in (act.summary or ""))
        self.assertEqual(activity.user_id, self.recruiter)
        self.authenticate("res_recruiter", "res_recruiter")
        [values] = self.call("hr.applicant", "read", [[self.applicant.id], ["zoom_no_show", "activity_ids"]])
        self.assertTrue(values["zoom_no_show"])
        self.assertIn(activity.id, values["activity_ids"])
        seen = " ".join(message["body"] for message in self.messages_seen_by("res_recruiter", self.applicant))
        self.assertIn("marked as a no-show", seen)
        self.assertIn("Hana Interviewer", seen)

    def test_setting_off_no_zoom_request_and_nothing_recorded(self):
        self.set_results_setting(False)
        event = self.schedule_interview(f"{YEAR}-03-06 01:00:00")
        self.sandbox.state.requests.clear()
        self.play(event, [{"name": "Chika Candidate", "email": "chika@candidate.example", "join": 1}],
                  summary={"content": "Should stay at Zoom."}, recording=True)
        self.run_summary_fetch()
        self.assertEqual(self.sandbox.state.requests, [])
        self.assertFalse(event.zoom_attendance or event.zoom_meeting_started_at)
        self.assertFalse(self.env["zoom.meeting.result"].sudo().search([("event_id", "=", event.id)]))
