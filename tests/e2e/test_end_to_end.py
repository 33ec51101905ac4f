"""herp_zoom against the Zoom sandbox over real HTTP: consent, user link, issuance, webhook, browser."""

import re
import time
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import urljoin

import requests
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user

from odoo.addons.herp_zoom.utils.zoom_client import ZoomMeetingNotFound
from odoo.addons.herp_zoom.tests.dates import YEAR

from zoom_sandbox.state import GRANTED_SCOPES

from .sandbox_case import SandboxHttpCase


class TestEndToEnd(SandboxHttpCase):
    # Odoo gives these to test classes inside addons; this one spans herp_zoom and the sandbox.
    test_tags = {"standard", "post_install"}
    test_module = "herp_zoom"
    test_class = "TestEndToEnd"
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, "e2e_admin", groups="base.group_user,base.group_system",
                                  email="e2e-admin@example.com")
        cls.recruiter = new_test_user(cls.env, "e2e_recruiter", groups="base.group_user,herp_zoom.group_zoom_recruiter",
                                      email="e2e-recruiter@example.com", tz="Asia/Tokyo")
        cls.interviewer = new_test_user(cls.env, "e2e_interviewer", name="Ichiro Interviewer",
                                        groups="base.group_user,herp_zoom.group_zoom_guest",
                                        email="e2e-interviewer@example.com", tz="Asia/Tokyo")
        cls.interviewer2 = new_test_user(cls.env, "e2e_interviewer2", name="Hana Interviewer",
                                         groups="base.group_user,herp_zoom.group_zoom_guest",
                                         email="e2e-interviewer2@example.com", tz="Asia/Tokyo")
        cls.candidate = cls.env["res.partner"].create({"name": "Chika Candidate", "email": "chika@candidate.example"})

    def setUp(self):
        super().setUp()
        self.sandbox.state.reset()

    def sign_in_at_zoom(self, act_url, zoom_email):
        """Follow Zoom's consent page as a person would: pick the Zoom user, then Zoom's redirect."""
        browser = requests.Session()
        page = browser.get(act_url, timeout=10)
        self.assertEqual(page.status_code, 200)
        form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', page.text, re.DOTALL)
        fields = {name: unescape(value) for name, value in
                  re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"/>', form.group(2))}
        user_id = re.search(r'name="user_id" value="([^"]+)" id="login-' + re.escape(zoom_email) + '"', page.text).group(1)
        decided = browser.post(urljoin(act_url, form.group(1)), data=dict(fields, user_id=user_id),
                               allow_redirects=False, timeout=10)
        self.assertEqual(decided.status_code, 302)
        callback = decided.headers["Location"]
        self.assertTrue(callback.startswith(self.base_url() + "/herp_zoom/oauth/callback?"))
        # Back in Odoo, in the browser session of the Odoo user who started.
        return self.url_open(callback[len(self.base_url()):])

    def start_company_consent(self):
        """An administrator enters the consent app in Settings and clicks Connect."""
        self.authenticate("e2e_admin", "e2e_admin")
        settings_id = self.call("res.config.settings", "create", [{
            "zoom_auth_mode": "oauth", "zoom_client_id": "sandbox-oauth-client",
            "zoom_client_secret": "sandbox-oauth-secret"}])
        action = self.call("res.config.settings", "action_zoom_connect", [[settings_id]])
        self.assertEqual(action["type"], "ir.actions.act_url")
        return action

    def connect_company_through_consent(self):
        action = self.start_company_consent()
        self.assertTrue(action["url"].startswith(self.sandbox.url + "/oauth/authorize?"))
        result = self.sign_in_at_zoom(action["url"], "owner@herp-demo.example")
        self.assertEqual(result.status_code, 200)
        self.assertIn("o_herp_zoom_oauth_result", result.text)
        self.assertIn("alert-success", result.text)

    def test_admin_connects_interviewer_links_recruiter_issues_and_zoom_holds_it(self):
        self.connect_company_through_consent()
        account = self.env["zoom.account"].sudo().search([("company_id", "=", self.env.company.id)])
        self.assertEqual(account.state, "connected")
        self.assertEqual(account.zoom_account_id, "sbxAcct000000000000001")
        self.assertEqual(self.admin.zoom_user_email, "owner@herp-demo.example")

        self.authenticate("e2e_interviewer", "e2e_interviewer")
        action = self.call("res.users", "action_zoom_connect_user", [[self.interviewer.id]])
        result = self.sign_in_at_zoom(action["url"], "interviewer1@herp-demo.example")
        self.assertIn("alert-success", result.text)
        self.interviewer.invalidate_recordset()
        self.assertEqual(self.interviewer.zoom_user_email, "interviewer1@herp-demo.example")

        # A personal Zoom account is refused with a message that says so.
        action = self.call("res.users", "action_zoom_connect_user", [[self.interviewer.id]])
        refused = self.sign_in_at_zoom(action["url"], "personal@example.com")
        self.assertIn("alert-danger", refused.text)
        self.assertIn("personal account", refused.text)
        self.interviewer.invalidate_recordset()
        self.assertEqual(self.interviewer.zoom_user_email, "interviewer1@herp-demo.example")

        self.authenticate("e2e_recruiter", "e2e_recruiter")
        event_id = self.call("calendar.event", "create", [{
            "name": "Interview: Chika", "start": f"{YEAR}-03-04 01:00:00", "stop": f"{YEAR}-03-04 02:00:00",
            "partner_ids": [[6, 0, [self.interviewer.partner_id.id, self.candidate.id]]]}])
        [event] = self.call("calendar.event", "read", [[event_id], ["zoom_state", "zoom_meeting_id", "zoom_join_url",
                                                                     "zoom_passcode", "videocall_location"]])
        self.assertEqual(event["zoom_state"], "issued")
        [meeting] = self.sandbox.state.snapshot()["meetings"]
        self.assertEqual(str(meeting["id"]), event["zoom_meeting_id"])
        self.assertEqual(meeting["join_url"], event["zoom_join_url"])
        self.assertEqual(meeting["join_url"], event["videocall_location"])
        self.assertEqual(meeting["password"], event["zoom_passcode"])
        self.assertEqual(meeting["host_email"], "interviewer1@herp-demo.example")
        self.assertEqual(meeting["topic"], "Interview: Chika")
        self.assertEqual((meeting["start_time"], meeting["timezone"], meeting["duration"]),
                         (f"{YEAR}-03-04T01:00:00Z", "Asia/Tokyo", 60))

    def test_declined_consent_stores_nothing(self):
        action = self.start_company_consent()
        result = self.url_open(requests.get(action["url"] + "&login_as=deny", allow_redirects=False,
                                            timeout=10).headers["Location"][len(self.base_url()):])
        self.assertIn("alert-danger", result.text)
        account = self.env["zoom.account"].sudo().search([("company_id", "=", self.env.company.id)])
        self.assertEqual(account.state, "disconnected")

    def connect_s2s_and_link(self):
        account = self.connect_sandbox_s2s(self.admin, webhook_secret="sandbox-webhook-secret")
        self.interviewer._zoom_link_by_email("interviewer1@herp-demo.example")
        return account

    def add_fault(self, **fault):
        requests.post(self.sandbox.url + "/_sandbox/faults", timeout=10, json=fault).raise_for_status()

    def create_interview(self, name, start=datetime(YEAR, 3, 4, 1), interviewers=None):
        interviewers = interviewers or self.interviewer
        return self.env["calendar.event"].with_user(self.recruiter).create({
            "name": name, "start": start, "stop": start + timedelta(hours=1),
            "partner_ids": [(6, 0, (interviewers.partner_id | self.candidate).ids)]})

    def zoom_requests(self, path_part):
        return [(request["method"], request["path"], request["status"]) for request in self.sandbox.state.requests
                if path_part in request["path"]]

    def test_meeting_deleted_in_zoom_reaches_odoo_through_a_signed_webhook(self):
        self.connect_s2s_and_link()
        event = self.create_interview("Interview: Chika")
        self.assertEqual(event.zoom_state, "issued")
        webhook = self.base_url() + "/herp_zoom/webhook"
        validation = self.sandbox_calls_odoo("/_sandbox/webhooks/validate", timeout=30, payload={
            "url": webhook, "secret_token": "sandbox-webhook-secret"}).json()
        self.assertTrue(validation["valid"], validation)
        forged = self.sandbox_calls_odoo("/_sandbox/webhooks/send", timeout=30, payload={
            "url": webhook, "secret_token": "sandbox-webhook-secret", "event": "meeting.deleted",
            "meeting_id": int(event.zoom_meeting_id), "forge": True}).json()
        self.assertEqual(forged["status"], 401)
        sent = self.sandbox_calls_odoo("/_sandbox/webhooks/send", timeout=30, payload={
            "url": webhook, "secret_token": "sandbox-webhook-secret", "event": "meeting.deleted",
            "meeting_id": int(event.zoom_meeting_id)}).json()
        self.assertEqual(sent["status"], 200)
        event.invalidate_recordset()
        self.assertEqual(event.zoom_state, "deleted")
        self.assertFalse(event.videocall_location)
        self.assertIn("owner@herp-demo.example", event.message_ids[0].body)

    def test_recruiter_creates_interview_in_the_browser(self):
        self.connect_s2s_and_link()
        self.start_tour("/odoo", "herp_zoom_interview_tour", login="e2e_recruiter")
        event = self.env["calendar.event"].search([("name", "=", "Interview with Chika")])
        self.assertEqual(event.zoom_state, "issued")
        [meeting] = self.sandbox.state.snapshot()["meetings"]
        self.assertEqual(event.zoom_join_url, meeting["join_url"])

    def test_dropped_answer_over_http_is_retried_without_a_second_meeting(self):
        self.connect_s2s_and_link()
        # Zoom creates the meeting, then the connection drops before Odoo reads the answer.
        self.add_fault(method="POST", path="/meetings$", action="drop", after=True, times=1)
        event = self.create_interview("Interview: Chika")
        self.assertEqual(event.zoom_state, "pending")
        self.assertEqual(len(self.sandbox.state.snapshot()["meetings"]), 1)
        # Zoom is down for a while: the retry stays pending and creates nothing.
        self.add_fault(method="GET", action="status", status=503, times=1)
        with self.assertRaises(UserError):
            event.with_user(self.recruiter).action_zoom_issue_meeting()
        self.assertEqual(event.zoom_state, "pending")
        event.with_user(self.recruiter).action_zoom_issue_meeting()
        self.assertEqual(event.zoom_state, "issued")
        [meeting] = self.sandbox.state.snapshot()["meetings"]
        self.assertEqual(str(meeting["id"]), event.zoom_meeting_id)
        self.assertEqual(event.zoom_join_url, meeting["join_url"])


    def test_zoom_too_slow_over_http_leaves_exactly_one_meeting_per_interview(self):
        account = self.connect_s2s_and_link()
        # A save waits one second; the sandbox answers after eleven (Odoo 19 waits at least ten
        # seconds for any request made under tests).
        account.save_wait = 1
        with self.assertLogs("odoo.addons.herp_zoom", level="DEBUG") as logs:
            # Zoom is slow and creates nothing.
            self.add_fault(method="POST", path="/meetings$", action="timeout", delay=11, times=1)
            first = self.create_interview("Interview: Chika")
            self.assertEqual(first.zoom_state, "pending")
            self.assertEqual(first.zoom_state_reason, "Zoom did not answer in time.")
            self.assertIn("will be tried again automatically", first.message_ids[0].body)
            self.assertEqual(self.sandbox.state.snapshot()["meetings"], [])
            first.with_user(self.recruiter).action_zoom_issue_meeting()
            self.assertEqual(first.zoom_state, "issued")
            self.assertEqual(len(self.sandbox.state.snapshot()["meetings"]), 1)

            # Zoom creates the meeting but answers after Odoo stopped waiting.
            self.add_fault(method="POST", path="/meetings$", action="timeout", delay=11, after=True, times=1)
            second = self.create_interview("Interview: Daichi")
            self.assertEqual(second.zoom_state, "pending")
            self.assertEqual(len(self.sandbox.state.snapshot()["meetings"]), 2)
            second.with_user(self.recruiter).action_zoom_issue_meeting()
            self.assertEqual(second.zoom_state, "issued")
        meetings = {str(meeting["id"]): meeting for meeting in self.sandbox.state.snapshot()["meetings"]}
        self.assertEqual(set(meetings), {first.zoom_meeting_id, second.zoom_meeting_id},
                         "the late meeting was adopted, not created twice")
        self.assertEqual(meetings[second.zoom_meeting_id]["topic"], "Interview: Daichi")
        self.assertEqual(second.zoom_join_url, meetings[second.zoom_meeting_id]["join_url"])
        self.env.cr.execute("SELECT access_token FROM zoom_account WHERE id = %s", [account.id])
        secrets = ("sandbox-s2s-secret", "sandbox-webhook-secret", self.env.cr.fetchone()[0])
        self.assertTrue(any("timed out" in line for line in logs.output))
        self.assertFalse([line for line in logs.output if any(secret in line for secret in secrets)])

    def test_save_waits_for_a_hanging_zoom_no_longer_than_the_connection_says(self):
        """Zoom creates the meeting but its answer hangs: the save stops waiting after the
        connection's wait (5 s by default, not the client's 20 s), the interview is saved with its
        meeting pending, and the scheduled action takes the meeting the late answer was about."""
        save_wait, hang = 5, 25
        self.connect_s2s_and_link()
        self.add_fault(method="POST", path="/meetings$", action="timeout", delay=hang, after=True, times=1)
        self.addCleanup(self.wait_for_answer_after, hang)
        started = time.monotonic()
        event = self.create_interview("Interview: Eri", start=datetime.now().replace(microsecond=0) + timedelta(days=7))
        waited = time.monotonic() - started
        self.assertGreaterEqual(waited, save_wait)
        # A few seconds for the save itself on a busy machine; the client's TIMEOUT is 20 s.
        self.assertLess(waited, save_wait + 10, "the save stopped waiting once the connection's wait was over")
        self.assertEqual(event.zoom_state, "pending")
        self.assertEqual(event.zoom_state_reason, "Zoom did not answer in time.")
        [late] = self.sandbox.state.snapshot()["meetings"]
        with freeze_time(event.zoom_retry_at + timedelta(seconds=1)):
            self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertEqual(event.zoom_state, "issued", event.zoom_state_reason)
        self.assertEqual(event.zoom_meeting_id, str(late["id"]), "the meeting of the late answer was taken")
        self.assertEqual(len(self.sandbox.state.snapshot()["meetings"]), 1, "no second meeting was created")
        self.assertEqual(event.zoom_join_url, late["join_url"])

    def wait_for_answer_after(self, hang):
        """Until the sandbox gave the hanging answer (which it records then), so that no later test
        sees it."""
        deadline = time.monotonic() + hang + 10
        while time.monotonic() < deadline:
            if any(request["status"] == 504 for request in self.sandbox.state.requests):
                return
            time.sleep(0.2)

    def test_rescheduled_then_deleted_interview_updates_then_deletes_its_meeting_at_zoom(self):
        account = self.connect_s2s_and_link()
        account.write({"update_meetings": True, "delete_meetings": True})
        event = self.create_interview("Interview: Chika")
        meeting_id = int(event.zoom_meeting_id)
        path = f"/v2/meetings/{meeting_id}"
        self.authenticate("e2e_recruiter", "e2e_recruiter")
        self.call("calendar.event", "write", [[event.id], {
            "name": "Interview: Chika (second round)", "start": f"{YEAR}-03-05 02:00:00", "stop": f"{YEAR}-03-05 03:30:00"}])
        # The update is sent after the save's commit; a test server's commit runs no post-commit
        # hook, so the scheduled action sends the update the save left pending.
        self.assertEqual(self.zoom_requests("/v2/meetings/"), [])
        self.env["calendar.event"]._cron_issue_pending_meetings()
        meeting = self.sandbox.state.meetings[meeting_id]
        self.assertEqual((meeting["topic"], meeting["start_time"], meeting["timezone"], meeting["duration"]),
                         ("Interview: Chika (second round)", f"{YEAR}-03-05T02:00:00Z", "Asia/Tokyo", 90))
        self.assertEqual(self.zoom_requests("/v2/meetings/"), [("PATCH", path, 204)])
        self.call("calendar.event", "unlink", [[event.id]])
        # The deletion queued with the interview reaches Zoom through the scheduled action.
        self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertNotIn(meeting_id, self.sandbox.state.meetings)
        self.assertEqual(self.zoom_requests("/v2/meetings/"), [("PATCH", path, 204), ("DELETE", path, 204)])
        self.assertFalse(self.env["zoom.meeting.deletion"].search([("meeting_id", "=", str(meeting_id))]))

    def test_alternative_hosts_zoom_takes_and_one_it_refuses(self):
        self.connect_s2s_and_link()
        self.interviewer2._zoom_link_by_email("interviewer2@herp-demo.example")
        both = self.interviewer | self.interviewer2
        first = self.create_interview("Interview: Chika", interviewers=both)
        meeting = self.sandbox.state.meetings[int(first.zoom_meeting_id)]
        self.assertEqual(meeting["host_email"], "interviewer1@herp-demo.example")
        self.assertEqual(meeting["settings"]["alternative_hosts"], "interviewer2@herp-demo.example")
        # Hana's Zoom licence is taken away: Zoom refuses a Basic user as alternative host.
        self.sandbox.state.find_user("interviewer2@herp-demo.example")["type"] = 1
        second = self.create_interview("Interview: Daichi", start=datetime(YEAR, 3, 6, 1), interviewers=both)
        self.assertEqual(second.zoom_state, "issued")
        meeting = self.sandbox.state.meetings[int(second.zoom_meeting_id)]
        self.assertEqual(meeting["settings"]["alternative_hosts"], "")
        self.assertEqual([status for method, _path, status in self.zoom_requests("/meetings")
                          if method == "POST"], [201, 400, 201])
        self.assertIn("could not be made alternative hosts", second.message_ids[0].body)

    def test_recurring_meeting_through_the_client_and_the_validated_sandbox(self):
        client = self.connect_s2s_and_link()._client()
        meeting = client.create_meeting("interviewer1@herp-demo.example", {
            "topic": "Interview day", "type": 8, "start_time": f"{YEAR}-03-05T01:00:00Z", "timezone": "Asia/Tokyo",
            "duration": 60, "agenda": "Odoo ref: 0123456789abcdef",
            "recurrence": {"type": 2, "repeat_interval": 1, "weekly_days": "3,5", "end_times": 6},
            "settings": {"alternative_hosts": "interviewer2@herp-demo.example"}})
        self.assertEqual(len(meeting["occurrences"]), 6)
        self.assertEqual(meeting["occurrences"][1]["start_time"], f"{YEAR}-03-07T01:00:00Z")
        client.update_meeting(meeting["id"], {"recurrence": {"type": 2, "weekly_days": "3", "end_times": 4}})
        self.assertEqual([item["start_time"] for item in client.get_meeting(meeting["id"])["occurrences"]],
                         [f"{YEAR}-03-05T01:00:00Z", f"{YEAR}-03-12T01:00:00Z", f"{YEAR}-03-19T01:00:00Z",
                          f"{YEAR}-03-26T01:00:00Z"])
        client.delete_meeting(meeting["id"])
        with self.assertRaisesRegex(ZoomMeetingNotFound, "^The Zoom meeting no longer exists in Zoom.$"):
            client.get_meeting(meeting["id"])
        self.assertEqual([status for _method, _path, status in self.zoom_requests("/meetings")],
                         [201, 204, 200, 204, 404])

    def check_setup_lines(self):
        settings_id = self.call("res.config.settings", "create", [{}])
        action = self.call("res.config.settings", "action_zoom_check_setup", [[settings_id]])
        lines = self.call("zoom.setup.check.line", "search_read", [[["check_id", "=", action["res_id"]]],
                                                                   ["key", "state", "detail"]])
        return {line["key"]: line for line in lines}

    def test_check_setup_reads_the_scopes_zoom_granted_with_the_token(self):
        self.sandbox.state.config["granted_scopes"] = "user:read:user:admin meeting:write:meeting:admin"
        self.connect_company_through_consent()
        lines = self.check_setup_lines()
        self.assertEqual(lines["connection"]["state"], "ok")
        self.assertEqual(lines["scopes"]["state"], "failed")
        self.assertIn("meeting:read:list_meetings:admin", lines["scopes"]["detail"])
        self.assertNotIn("meeting:write:meeting:admin", lines["scopes"]["detail"])
        # The test server answers on http://127.0.0.1: Zoom could not reach it.
        self.assertEqual(lines["base_url"]["state"], "failed")

        # The app gets the missing scopes; connecting again brings a token that carries them.
        self.sandbox.state.config["granted_scopes"] = GRANTED_SCOPES
        self.call("res.config.settings", "action_zoom_disconnect", [[self.call("res.config.settings", "create", [{}])]])
        self.connect_company_through_consent()
        self.assertEqual(self.check_setup_lines()["scopes"]["state"], "ok")

    def test_check_setup_compares_simultaneous_meetings_with_the_option_zoom_reports(self):
        # The sandbox's app lacks the scope of the user settings: the check says which scope to grant.
        self.sandbox.state.config["granted_scopes"] = GRANTED_SCOPES.replace("user:read:settings:admin", "").strip()
        self.connect_company_through_consent()
        settings_id = self.call("res.config.settings", "create", [{"zoom_max_concurrent_meetings": 2}])
        self.call("res.config.settings", "execute", [[settings_id]])
        line = self.check_setup_lines()["simultaneous"]
        self.assertEqual(line["state"], "info")
        self.assertIn("grant the scope user:read:settings:admin", line["detail"])
        self.assertEqual(self.zoom_requests("/settings"), [])

        # Granted: the owner who connected has Concurrent Meeting Basic (the seed), which allows 2.
        self.sandbox.state.config["granted_scopes"] = GRANTED_SCOPES
        self.call("res.config.settings", "action_zoom_disconnect", [[self.call("res.config.settings", "create", [{}])]])
        self.connect_company_through_consent()
        line = self.check_setup_lines()["simultaneous"]
        self.assertEqual((line["state"], line["detail"]),
                         ("ok", "Set to 2; Zoom's concurrent meeting option (Basic) allows it."))

        # The plan loses the option: Zoom now says "None", and the check fails with the fix.
        changed = requests.post(self.sandbox.url + "/_sandbox/config", json={"concurrent_meeting": "None"}, timeout=5)
        self.assertEqual(changed.json()["concurrent_meeting"], "None")
        line = self.check_setup_lines()["simultaneous"]
        self.assertEqual((line["state"], line["detail"]),
                         ("failed", "Set to 2, but Zoom's plan lets a user host 1 meeting(s) at once."))
        self.assertEqual(self.zoom_requests("/settings"),
                         [("GET", "/v2/users/me/settings", 200), ("GET", "/v2/users/me/settings", 200)])
