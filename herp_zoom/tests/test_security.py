"""Attacks an ordinary login could try: each one runs as the real user, with access checks on."""

import base64
import hashlib
import hmac
import http.client
import json
import time
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import responses

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..utils.zoom_client import ZoomReauthorizationNeeded
from .common import OAUTH_URL, ZoomCommon, fake_zoom, zoom_user
from .dates import YEAR

OTHER_ZOOM_ACCOUNT_ID = "acct_other_company"
WEBHOOK_SECRET = "shared-webhook-secret-VALUE"


class MultiCompanyCommon(ZoomCommon):
    """Company A (the test company) and company B, each connected to its own Zoom account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Other Company"})
        cls.account_b = cls.env["zoom.account"].sudo().create({
            "company_id": cls.company_b.id,
            "auth_mode": "oauth",
            "client_id": "client-of-b",
            "client_secret": "secret-of-b-VALUE",
            "zoom_account_id": OTHER_ZOOM_ACCOUNT_ID,
            "state": "connected",
            "access_token": "B-ACCESS-TOKEN",
            "refresh_token": "B-REFRESH-TOKEN",
            "token_expires_at": datetime.now() + timedelta(hours=1),
        })
        cls.admin_a = new_test_user(
            cls.env, "admin_of_a", groups="base.group_user,herp_zoom.group_zoom_admin",
            company_id=cls.company.id, company_ids=[(6, 0, cls.company.ids)], email="admin-a@example.com",
        )
        cls.user_b = new_test_user(
            cls.env, "interviewer_of_b", groups="base.group_user,herp_zoom.group_zoom_guest",
            company_id=cls.company_b.id, company_ids=[(6, 0, cls.company_b.ids)], email="user-b@example.com",
        )
        cls.zoom_user_b = zoom_user("zu_b", "user-b@zoom.example", account_id=OTHER_ZOOM_ACCOUNT_ID)
        cls.user_b._zoom_link(cls.zoom_user_b)
        cls.deletion_b = cls.env["zoom.meeting.deletion"].sudo().create({
            "account_id": cls.account_b.id, "meeting_id": "81299999999", "state": "failed",
        })


@tagged("post_install", "-at_install")
class TestPrivateInterviews(ZoomCommon):
    def test_issue_button_on_someone_elses_private_interview_is_refused_and_changes_nothing(self):
        with self.zoom():
            event = self.create_interview(privacy="private")
        self.assertEqual(event.zoom_state, "issued")
        meeting_id = event.zoom_meeting_id
        with self.zoom() as fake:
            with self.assertRaises(AccessError):
                event.with_user(self.assistant).action_zoom_issue_meeting()
        self.assertEqual(len(fake.sent), 0)
        event.invalidate_recordset()
        self.assertEqual((event.zoom_state, event.zoom_meeting_id), ("issued", meeting_id))
        self.assertTrue(event.zoom_join_url)

    def test_deleting_someone_elses_private_interview_queues_nothing(self):
        self.account.delete_meetings = True
        with self.zoom():
            event = self.create_interview(privacy="private")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            event.with_user(self.assistant).unlink()
        self.assertNotIn(event.zoom_meeting_id, self.env.cr.postcommit.data.get("herp_zoom.released_meetings", set()))
        self.assertFalse(self.env["zoom.meeting.deletion"].sudo().search([("meeting_id", "=", event.zoom_meeting_id)]))
        self.assertEqual(event.zoom_state, "issued")

    def test_pending_private_interview_is_retried_only_by_who_may_write_it(self):
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            event = self.create_interview(privacy="private")
        self.assertEqual(event.zoom_state, "pending")
        with self.zoom() as fake:
            with self.assertRaises(AccessError):
                event.with_user(self.assistant).action_zoom_issue_meeting()
            self.assertEqual(len(fake.rsps.calls), 0)
            event.invalidate_recordset()
            self.assertEqual(event.zoom_state, "pending")
            # The organizer may: the meeting is issued with the event's real attendees.
            event.with_user(self.recruiter).action_zoom_issue_meeting()
        self.assertIssued(event, fake, self.zoom_interviewer)


@tagged("post_install", "-at_install")
class TestOtherCompanies(MultiCompanyCommon):
    def test_admin_of_a_cannot_disconnect_or_test_company_b(self):
        with self.zoom() as fake:
            with self.assertRaises(AccessError):
                self.account_b.with_user(self.admin_a).action_disconnect()
            with self.assertRaises(AccessError):
                self.account_b.with_user(self.admin_a).action_test_connection()
            with self.assertRaises(AccessError):
                self.account_b.with_user(self.admin_a).action_connect()
        self.assertEqual(len(fake.sent), 0)
        self.account_b.invalidate_recordset()
        self.assertEqual((self.account_b.state, self.account_b.access_token), ("connected", "B-ACCESS-TOKEN"))

    def test_admin_of_a_cannot_retry_a_deletion_of_company_b(self):
        with self.zoom() as fake:
            with self.assertRaises(AccessError):
                self.deletion_b.with_user(self.admin_a).action_retry()
        self.assertEqual(len(fake.sent), 0)
        self.assertEqual(self.deletion_b.state, "failed")

    def test_admin_of_a_cannot_unlink_a_user_of_company_b(self):
        with self.assertRaises(AccessError):
            self.user_b.with_user(self.admin_a).action_zoom_unlink_user()
        self.user_b.invalidate_recordset()
        self.assertEqual(self.user_b.zoom_user_id, "zu_b")

    def test_settings_administrator_of_a_cannot_change_company_b_through_settings(self):
        sysadmin_a = new_test_user(self.env, "sysadmin_of_a", groups="base.group_user,base.group_system",
                                   company_id=self.company.id, company_ids=[(6, 0, self.company.ids)])
        settings = self.env["res.config.settings"].with_user(sysadmin_a).create({
            "company_id": self.company_b.id, "zoom_client_id": "hijacked",
        })
        with self.zoom() as fake, self.assertRaises(AccessError):
            settings.action_zoom_disconnect()
        with self.assertRaises(AccessError):
            settings.execute()
        self.assertEqual(len(fake.sent), 0)
        self.account_b.invalidate_recordset()
        self.assertEqual((self.account_b.client_id, self.account_b.state), ("client-of-b", "connected"))

    def test_admin_of_a_reads_neither_hosts_nor_webhook_deliveries_of_company_b(self):
        # Company B issues an interview (its Zoom user gets a host row) and receives a webhook.
        recruiter_b = new_test_user(self.env, "recruiter_of_b", groups="base.group_user,herp_zoom.group_zoom_recruiter",
                                    company_id=self.company_b.id, company_ids=[(6, 0, self.company_b.ids)])
        with fake_zoom(self.zoom_interviewer, self.zoom_interviewer2, self.zoom_recruiting, self.zoom_user_b):
            event_b = self.env["calendar.event"].with_user(recruiter_b).with_company(self.company_b).create({
                "name": "Interview at B", "start": datetime(YEAR, 3, 2, 10), "stop": datetime(YEAR, 3, 2, 11),
                "partner_ids": [(6, 0, self.user_b.partner_id.ids)],
            })
            event_a = self.create_interview()
        self.assertEqual((event_b.zoom_state, event_a.zoom_state), ("issued", "issued"))
        deliveries = self.env["zoom.webhook.delivery"].sudo()
        self.assertTrue(deliveries._record_once(self.account_b, "meeting.ended", 1700000000000, "812"))
        self.assertTrue(deliveries._record_once(self.account, "meeting.ended", 1700000000000, "813"))
        hosts = self.env["zoom.host"].with_user(self.admin_a)
        self.assertEqual(hosts.search([]).mapped("zoom_user_id"), [self.zoom_interviewer["id"]])
        host_b = self.env["zoom.host"].sudo().search([("zoom_user_id", "=", "zu_b")])
        self.assertEqual(host_b.company_id, self.company_b)
        with self.assertRaises(AccessError):
            host_b.with_user(self.admin_a).read(["last_assigned_at"])
        received = self.env["zoom.webhook.delivery"].with_user(self.admin_a).search([])
        self.assertEqual(received.mapped("object_id"), ["813"])
        delivery_b = deliveries.search([("object_id", "=", "812")])
        with self.assertRaises(AccessError):
            delivery_b.with_user(self.admin_a).read(["event"])

    def test_admin_of_a_still_manages_company_a(self):
        self.interviewer2.with_user(self.admin_a).action_zoom_unlink_user()
        self.assertFalse(self.interviewer2.zoom_user_id)
        with self.zoom() as fake:
            fake.rsps.add(responses.POST, OAUTH_URL + "/oauth/revoke", json={})
            self.account.with_user(self.admin_a).action_disconnect()
        self.assertEqual(self.account.state, "disconnected")
        self.assertEqual(self.account_b.state, "connected")


@tagged("post_install", "-at_install")
class TestServerToServerLink(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.auth_mode = "s2s"
        cls.newcomer = new_test_user(cls.env, "newcomer@herp.example", groups="base.group_user,herp_zoom.group_zoom_guest",
                                     email="newcomer@herp.example")
        cls.zoom_owner = zoom_user("zu_owner", "owner@zoom.example", role_name="Owner")

    def test_changing_ones_email_does_not_borrow_a_colleagues_zoom_user(self):
        # Users may change their own e-mail, so it proves nothing about who owns a Zoom user.
        self.newcomer.with_user(self.newcomer).write({"email": "owner@zoom.example"})
        with self.zoom() as fake:
            fake.add_user(self.zoom_owner)
            with self.assertRaisesRegex(UserError, "no Zoom user with the e-mail newcomer@herp.example"):
                self.newcomer.with_user(self.newcomer).action_zoom_connect_user()
        asked = [call.request.url for call in fake.sent]
        self.assertFalse([url for url in asked if "owner%40zoom.example" in url or "owner@zoom.example" in url])
        self.assertFalse(self.newcomer.zoom_user_id)

    def test_the_login_links_the_zoom_user_it_names(self):
        with self.zoom() as fake:
            fake.add_user(zoom_user("zu_newcomer", "newcomer@herp.example"))
            self.newcomer.with_user(self.newcomer).action_zoom_connect_user()
        self.assertEqual(self.newcomer.zoom_user_id, "zu_newcomer")
        # A later change of e-mail neither moves nor drops the link.
        self.newcomer.with_user(self.newcomer).write({"email": "owner@zoom.example"})
        self.assertEqual(self.newcomer.zoom_user_id, "zu_newcomer")

    def test_a_zoom_administrator_links_a_user_from_the_accounts_user_list(self):
        wizard = self.env["zoom.user.link"].with_user(self.zoom_admin).create({"user_id": self.newcomer.id})
        with self.zoom() as fake:
            fake.add_user(self.zoom_owner)
            wizard.zoom_email = "owner@zoom.example"
            wizard.action_link()
        self.assertEqual(self.newcomer.zoom_user_id, "zu_owner")
        with self.assertRaises(AccessError):
            self.env["zoom.user.link"].with_user(self.recruiter).create({"user_id": self.newcomer.id})


@tagged("post_install", "-at_install")
class TestDeauthorization(MultiCompanyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.webhook_secret = WEBHOOK_SECRET
        # Both companies installed the same Zoom app, so their secret token is the same.
        cls.account_b.webhook_secret = WEBHOOK_SECRET

    def post(self, data, secret=WEBHOOK_SECRET):
        body = json.dumps(data).encode()
        timestamp = str(int(time.time()))
        signature = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body,
                                     hashlib.sha256).hexdigest()
        return self.url_open("/herp_zoom/webhook", data=body, headers={
            "Content-Type": "application/json", "x-zm-request-timestamp": timestamp, "x-zm-signature": signature})

    def deauthorized(self, account_id, user_id, event_ts=1700000000001):
        return {"event": "app_deauthorized", "event_ts": event_ts, "payload": {
            "account_id": account_id, "user_id": user_id, "client_id": "test-client-id",
            "deauthorization_time": "2026-11-24T10:00:00Z", "signature": "x"}}

    def test_an_interviewer_removing_the_app_unlinks_only_that_interviewer(self):
        self.account.connected_zoom_user_id = "zu_owner"
        self.assert_interviewer_removal_unlinks_only_them()

    def test_an_interviewer_removing_the_app_of_a_connection_older_than_the_recorded_user(self):
        # Connected before the authorizing Zoom user was recorded: an interviewer is still told apart.
        self.assertFalse(self.account.connected_zoom_user_id)
        self.assert_interviewer_removal_unlinks_only_them()

    def assert_interviewer_removal_unlinks_only_them(self):
        response = self.post(self.deauthorized(self.account.zoom_account_id, "zu_interviewer"))
        self.assertEqual(response.status_code, 200)
        self.account.invalidate_recordset()
        self.interviewer.invalidate_recordset()
        self.assertEqual(self.account.state, "connected")
        self.assertEqual(self.account.access_token, "ACCESS-TOKEN-VALUE")
        self.assertFalse(self.interviewer.zoom_user_id)
        self.assertEqual(self.interviewer2.zoom_user_id, "zu_interviewer2")

    def test_the_connecting_administrator_removing_the_app_disconnects_that_company_only(self):
        self.account_b.connected_zoom_user_id = "zu_owner_b"
        self.assertEqual(self.post(self.deauthorized(OTHER_ZOOM_ACCOUNT_ID, "zu_owner_b")).status_code, 200)
        (self.account | self.account_b).invalidate_recordset()
        self.assertEqual(self.account_b.state, "disconnected")
        self.assertFalse(self.account_b.access_token)
        self.assertEqual(self.account.state, "connected")

    def test_a_meeting_event_goes_to_the_company_of_its_zoom_account(self):
        event = self.env["calendar.event"].sudo().create({
            "name": "Interview at B", "start": datetime(YEAR, 3, 4, 1), "stop": datetime(YEAR, 3, 4, 2),
        })
        event.with_context(herp_zoom_no_sync=True).write({
            "zoom_state": "issued", "zoom_meeting_id": "81200000001", "zoom_account_id": self.account_b.id,
            "zoom_join_url": "http://localhost:8999/j/81200000001",
        })
        data = {"event": "meeting.deleted", "event_ts": 1700000000002, "payload": {
            "account_id": OTHER_ZOOM_ACCOUNT_ID, "operator": "owner@b.example", "operator_id": "zu_owner_b",
            "object": {"id": 81200000001, "uuid": "x==", "host_id": "zu_b", "topic": "x", "type": 2,
                       "duration": 60, "timezone": "UTC"}}}
        self.assertEqual(self.post(data).status_code, 200)
        event.invalidate_recordset()
        self.assertEqual(event.zoom_state, "deleted")
        self.env.cr.execute("SELECT account_id FROM zoom_webhook_delivery WHERE event = 'meeting.deleted'")
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], [self.account_b.id])

    def test_an_event_of_an_account_no_company_is_connected_to_is_ignored(self):
        response = self.post(self.deauthorized("acct_nobody", "zu_owner"))
        self.assertEqual(response.status_code, 200)
        (self.account | self.account_b).invalidate_recordset()
        self.assertEqual((self.account.state, self.account_b.state), ("connected", "connected"))


@tagged("post_install", "-at_install")
class TestUserLinkInAnotherCompany(MultiCompanyCommon):
    def test_the_company_of_the_state_is_used_for_exchange_check_and_link(self):
        both = new_test_user(self.env, "works_for_both", groups="base.group_user,herp_zoom.group_zoom_guest",
                             company_id=self.company.id, company_ids=[(6, 0, (self.company | self.company_b).ids)])
        zoom_user_at_b = zoom_user("zu_both", "both@b.example", account_id=OTHER_ZOOM_ACCOUNT_ID)
        token_requests = []

        def token(request):
            token_requests.append((request.headers["Authorization"], parse_qs(request.body)))
            return 200, {}, json.dumps({"access_token": "USER-ACCESS", "expires_in": 3599})

        with self.zoom() as fake:
            fake.rsps.add_callback(responses.POST, OAUTH_URL + "/oauth/token", callback=token)
            fake.me = zoom_user_at_b
            both.with_user(both).with_company(self.company_b)._zoom_link_from_code("code", "verifier")
        self.assertEqual(token_requests[0][0], "Basic " + base64.b64encode(b"client-of-b:secret-of-b-VALUE").decode())
        both.invalidate_recordset()
        self.assertEqual((both.zoom_user_id, both.zoom_user_account_id), ("zu_both", OTHER_ZOOM_ACCOUNT_ID))


@tagged("post_install", "-at_install")
class TestWebhookInput(ZoomCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.webhook_secret = WEBHOOK_SECRET

    def sign(self, timestamp, body):
        return "v0=" + hmac.new(WEBHOOK_SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body,
                                hashlib.sha256).hexdigest()

    def send(self, headers, body):
        return self.opener.post(self.base_url() + "/herp_zoom/webhook", data=body,
                                headers={"Content-Type": "application/json", **headers}, timeout=30)

    def test_malformed_signature_or_timestamp_is_unauthorized_never_an_error(self):
        body = json.dumps({"event": "endpoint.url_validation", "event_ts": 1,
                           "payload": {"plainToken": "abc"}}).encode()
        now = str(int(time.time()))
        good = self.sign(now, body)
        malformed = [
            {"x-zm-signature": good},                                          # no timestamp
            {"x-zm-request-timestamp": now},                                   # no signature
            {"x-zm-request-timestamp": "", "x-zm-signature": good},
            {"x-zm-request-timestamp": now, "x-zm-signature": ""},
            {"x-zm-request-timestamp": "abc", "x-zm-signature": good},
            {"x-zm-request-timestamp": "\u00b2\u00b3", "x-zm-signature": good},  # superscript digits
            {"x-zm-request-timestamp": "\uff11\uff12".encode(), "x-zm-signature": good},  # full-width digits
            {"x-zm-request-timestamp": "9" * 5000, "x-zm-signature": good},     # too many digits for int()
            {"x-zm-request-timestamp": "9" * 30, "x-zm-signature": good},
            {"x-zm-request-timestamp": "-" + now, "x-zm-signature": good},
            {"x-zm-request-timestamp": now + ".5", "x-zm-signature": good},
            {"x-zm-request-timestamp": str(int(now) - 3600), "x-zm-signature": self.sign(str(int(now) - 3600), body)},
            {"x-zm-request-timestamp": now, "x-zm-signature": "v0=" + "\u00e9" * 64},  # not ASCII
            {"x-zm-request-timestamp": now, "x-zm-signature": "v0=\u00e9t\u00e9".encode()},
            {"x-zm-request-timestamp": now, "x-zm-signature": good.upper()},
            {"x-zm-request-timestamp": now, "x-zm-signature": "v1=" + good[3:]},
            {"x-zm-request-timestamp": now, "x-zm-signature": good + "0" * 4000},
            {"x-zm-request-timestamp": now, "x-zm-signature": good[:-1]},
        ]
        for headers in malformed:
            response = self.send(headers, body)
            self.assertEqual(response.status_code, 401, repr(headers)[:120])
        # Repeated headers: a second, forged value is never what gets checked.
        connection = http.client.HTTPConnection(urlsplit(self.base_url()).hostname, self.http_port(), timeout=30)
        connection.putrequest("POST", "/herp_zoom/webhook")
        for name, value in (("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                            ("x-zm-request-timestamp", now), ("x-zm-request-timestamp", "1"),
                            ("x-zm-signature", "v0=" + "0" * 64), ("x-zm-signature", good)):
            connection.putheader(name, value)
        connection.endheaders(body)
        # Refused: by herp_zoom (401), or by Odoo 19 itself before it, for the repeated headers (400).
        self.assertIn(connection.getresponse().status, (400, 401))
        connection.close()
        # After all of them, a valid request is still answered.
        response = self.send({"x-zm-request-timestamp": now, "x-zm-signature": good}, body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["plainToken"], "abc")


@tagged("post_install", "-at_install")
class TestMembershipLookup(MultiCompanyCommon):
    def test_portal_and_public_users_get_no_answer(self):
        portal = new_test_user(self.env, "portal_visitor", groups="base.group_portal")
        public = self.env.ref("base.public_user")
        for user in (portal, public):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["res.partner"].with_user(user).get_zoom_linked_partner_ids([self.interviewer.partner_id.id])

    def test_internal_users_learn_which_attendees_are_linked(self):
        partners = [self.interviewer.partner_id.id, self.candidate.id, self.employee.partner_id.id, "x", 10 ** 9]
        answer = self.env["res.partner"].with_user(self.employee).get_zoom_linked_partner_ids(partners)
        self.assertEqual(answer, [self.interviewer.partner_id.id])


@tagged("post_install", "-at_install")
class TestConnectionStateCache(ZoomCommon):
    def test_a_grant_zoom_revoked_stops_issuing_in_the_same_worker(self):
        self.assertEqual(self.env["zoom.account"]._connected_account_id(self.company.id), self.account.id)
        self.account.token_expires_at = datetime.now() - timedelta(minutes=1)
        with self.zoom() as fake:
            fake.rsps.add(responses.POST, OAUTH_URL + "/oauth/token", status=400,
                          json={"reason": "Invalid Token!", "error": "invalid_grant"})
            # Not assertRaises, which rolls back to a savepoint what the renewal committed.
            raised = None
            try:
                self.account._get_access_token()
            except ZoomReauthorizationNeeded as error:
                raised = error
        self.assertIsNotNone(raised)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "reauth")
        with self.zoom() as fake:
            event = self.create_interview()
        self.assertEqual(len(fake.sent), 0)
        self.assertEqual(event.zoom_state, "none")
        self.assertFalse(self.env["zoom.account"]._connected_account_id(self.company.id))
