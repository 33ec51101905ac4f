import json
import logging
from datetime import datetime, timedelta
from urllib.parse import parse_qs

import psycopg2.errors
import responses

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..utils.zoom_client import ZoomUnavailable
from .committed import CommittedDataCase
from .common import API_URL, OAUTH_URL, ZoomCommon, zoom_user
from .dates import YEAR
from .workers import HeldAtZoom, run_overlapping

SECRETS = ("test-client-secret-VALUE", "ACCESS-TOKEN-VALUE", "REFRESH-TOKEN-VALUE")


@tagged("post_install", "-at_install")
class TestAccount(ZoomCommon):
    def test_disconnect_revokes_clears_tokens_and_stops_issuing(self):
        with self.assertLogs("odoo.addons.herp_zoom", level="DEBUG") as logs, responses.RequestsMock() as rsps:
            logging.getLogger("odoo.addons.herp_zoom").debug("start")
            revoke = rsps.add(responses.POST, OAUTH_URL + "/oauth/revoke", json={"status": "success"})
            self.account.with_user(self.zoom_admin).action_disconnect()
        self.assertIn("token=ACCESS-TOKEN-VALUE", revoke.calls[0].request.body)
        self.assertTrue(revoke.calls[0].request.headers["Authorization"].startswith("Basic "))
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "disconnected")
        self.assertFalse(self.account.access_token or self.account.refresh_token or self.account.token_expires_at)
        self.assertFalse([line for line in logs.output if any(secret in line for secret in SECRETS)])
        with self.zoom() as fake:
            event = self.create_interview()
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")

    def test_disconnect_clears_tokens_even_when_zoom_refuses_the_revocation(self):
        with responses.RequestsMock() as rsps:
            rsps.add(responses.POST, OAUTH_URL + "/oauth/revoke", status=500, json={"code": 500, "message": "down"})
            self.account.with_user(self.zoom_admin).action_disconnect()
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "disconnected")
        self.assertFalse(self.account.access_token)

    def test_only_zoom_admins_change_the_connection(self):
        for user in (self.recruiter, self.assistant, self.interviewer):
            with self.assertRaisesRegex(AccessError, "Only Zoom administrators can change the company's Zoom connection"):
                self.account.sudo().with_user(user).action_disconnect()
        self.assertEqual(self.account.state, "connected")

    def test_server_to_server_connects_with_account_credentials_and_tests_the_connection(self):
        self.account.write({"state": "disconnected", "auth_mode": "s2s", "access_token": False})
        with responses.RequestsMock() as rsps:
            token = rsps.add(responses.POST, OAUTH_URL + "/oauth/token",
                             json={"access_token": "S2S-ACCESS", "expires_in": 3599, "token_type": "bearer"})
            rsps.add(responses.GET, API_URL + "/users/me",
                     json=zoom_user("zu_owner", "owner@zoom.example", role_name="Owner"))
            self.account.with_user(self.zoom_admin).action_connect()
            answer = self.account.with_user(self.zoom_admin).action_test_connection()
        self.assertIn("grant_type=account_credentials", token.calls[0].request.body)
        self.assertIn("account_id=acct_herp_demo", token.calls[0].request.body)
        self.assertEqual(self.account.state, "connected")
        self.assertIn("owner@zoom.example", answer["params"]["message"])

    def test_server_to_server_renewal_asks_for_account_credentials_again(self):
        self.account.write({"auth_mode": "s2s", "refresh_token": False, "token_expires_at": "2020-01-01 00:00:00"})
        with responses.RequestsMock() as rsps:
            token = rsps.add(responses.POST, OAUTH_URL + "/oauth/token",
                             json={"access_token": "S2S-NEW", "expires_in": 3599, "token_type": "bearer"})
            rsps.add(responses.GET, API_URL + "/users/me", json=zoom_user("zu_owner", "owner@zoom.example"))
            self.account._client().get_user("me")
        self.assertIn("grant_type=account_credentials", token.calls[0].request.body)

    def test_settings_scripts_configure_the_company_account(self):
        settings_admin = self.env.ref("base.user_admin")
        settings = self.env["res.config.settings"].with_user(settings_admin).create({
            "zoom_auth_mode": "s2s", "zoom_client_id": "script-client", "zoom_client_secret": "script-secret",
            "zoom_account_id": "acct_script", "zoom_max_concurrent_meetings": 2,
        })
        settings.execute()
        self.account.invalidate_recordset()
        self.assertEqual((self.account.auth_mode, self.account.client_id, self.account.zoom_account_id,
                          self.account.max_concurrent_meetings), ("s2s", "script-client", "acct_script", 2))
        self.assertEqual(self.account.client_secret, "script-secret")
        # The settings say the range; the database refuses what gets past them.
        with self.assertRaisesRegex(ValidationError, "Simultaneous Meetings per Zoom User: enter a whole number from 1 "
                                                     "to 2; 3 is not allowed."):
            self.env["res.config.settings"].with_user(settings_admin).create({"zoom_max_concurrent_meetings": 3}).execute()
        with self.assertRaisesRegex(psycopg2.errors.CheckViolation, "zoom_account_max_concurrent_meetings_range"), \
                mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.account.write({"max_concurrent_meetings": 3})
            self.account.flush_recordset()
        self.account.invalidate_recordset()
        self.assertEqual(self.account.max_concurrent_meetings, 2)

    def test_shared_zoom_user_hosts_for_every_odoo_user_linked_to_it(self):
        self.interviewer._zoom_link(self.zoom_recruiting)
        self.interviewer2._zoom_link(self.zoom_recruiting)
        with self.zoom() as fake:
            first = self.create_interview(partners=self.interviewer.partner_id)
            second = self.create_interview(partners=self.interviewer2.partner_id, start=datetime(YEAR, 3, 5, 1))
        self.assertIssued(first, fake, self.zoom_recruiting)
        self.assertIssued(second, fake, self.zoom_recruiting)

    def test_users_unlink_themselves_and_admins_anyone(self):
        self.interviewer.with_user(self.interviewer).action_zoom_unlink_user()
        self.assertFalse(self.interviewer.zoom_user_id)
        with self.assertRaisesRegex(AccessError, "Only Zoom administrators can link or unlink another user's Zoom user"):
            self.interviewer2.with_user(self.interviewer).action_zoom_unlink_user()
        self.assertEqual(self.interviewer2.zoom_user_id, "zu_interviewer2")
        self.interviewer2.with_user(self.zoom_admin).action_zoom_unlink_user()
        self.assertFalse(self.interviewer2.zoom_user_id)
        with self.assertRaisesRegex(AccessError, "Your user has no Zoom role"):
            self.employee.with_user(self.employee).action_zoom_connect_user()

    def test_multi_company_connections_stay_apart(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        other_account = self.env["zoom.account"]._get_for_company(other, create=True)
        self.assertNotEqual(other_account, self.account)
        self.assertFalse(other_account._is_connected())
        self.recruiter.write({"company_ids": [(4, other.id)], "company_id": other.id})
        with self.zoom() as fake:
            event = self.env["calendar.event"].with_user(self.recruiter).with_company(other).create({
                "name": "Other company interview", "start": datetime(YEAR, 3, 4, 1), "stop": datetime(YEAR, 3, 4, 2),
                "partner_ids": [(6, 0, self.interviewer.partner_id.ids)]})
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")


class TestConcurrentRefresh(CommittedDataCase):
    """Two workers needing a token at once, with committed data and real separate cursors; the
    database is restored after each test (CommittedDataCase)."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            company = env["res.company"].create({"name": "Refresh Co"})
            account = env["zoom.account"].sudo().create({
                "company_id": company.id, "auth_mode": "oauth", "client_id": "cid", "client_secret": "csecret",
                "zoom_account_id": "acct", "state": "connected", "access_token": "OLD-ACCESS",
                "refresh_token": "RT-1", "token_expires_at": datetime.now() - timedelta(minutes=1),
            })
            env["ir.config_parameter"].sudo().set_param("herp_zoom.oauth_url", OAUTH_URL)
            env["ir.config_parameter"].sudo().set_param("herp_zoom.api_url", API_URL)
            self.company_id, self.account_id = company.id, account.id

    def account_in(self, cr):
        return self.env(cr=cr)["zoom.account"].sudo().browse(self.account_id)

    def stored_tokens(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT state, access_token, refresh_token FROM zoom_account WHERE id = %s", [self.account_id])
            return cr.fetchone()

    def rotating_token_endpoint(self, used_refresh_tokens, held=None):
        """Zoom's token endpoint: each refresh token works once and is replaced by the next one."""
        def endpoint(request):
            refresh = parse_qs(request.body)["refresh_token"][0]
            used_refresh_tokens.append(refresh)
            if held:
                held.arrive()
            number = int(refresh.rsplit("-", 1)[-1])
            if used_refresh_tokens.count(refresh) > 1:
                return 400, {}, json.dumps({"reason": "Invalid Token!", "error": "invalid_grant"})
            return 200, {}, json.dumps({"access_token": f"NEW-ACCESS-{number + 1}",
                                        "refresh_token": f"RT-{number + 1}", "expires_in": 3599})
        return endpoint

    def test_two_workers_refresh_once_and_the_connection_survives(self):
        tokens, used_refresh_tokens = [], []
        held = HeldAtZoom()

        def worker():
            with self.registry.cursor() as cr:
                tokens.append(self.account_in(cr)._get_access_token())

        with responses.RequestsMock() as rsps:
            rsps.add_callback(responses.POST, OAUTH_URL + "/oauth/token",
                              callback=self.rotating_token_endpoint(used_refresh_tokens, held))
            waited, errors, threads = run_overlapping(self.registry, worker, worker, held, "zoom_account")
        self.assertFalse(any(thread.is_alive() for thread in threads), "a worker is stuck")
        self.assertFalse(errors)
        self.assertTrue(waited, "the second worker waited on the token lock while Zoom held the first renewal")
        self.assertEqual(used_refresh_tokens, ["RT-1"])
        self.assertEqual(tokens, ["NEW-ACCESS-2", "NEW-ACCESS-2"])
        self.assertEqual(self.stored_tokens(), ("connected", "NEW-ACCESS-2", "RT-2"))

    def test_two_workers_told_401_renew_the_token_once(self):
        """Zoom revoked the access token early: both workers get a 401 and force a renewal at once."""
        with self.registry.cursor() as cr:
            cr.execute("UPDATE zoom_account SET token_expires_at = %s WHERE id = %s",
                       [datetime.now() + timedelta(hours=1), self.account_id])
        used_refresh_tokens, answers, api_tokens = [], [], []
        held = HeldAtZoom()

        def me(request):
            token = request.headers["Authorization"].removeprefix("Bearer ")
            api_tokens.append(token)
            if token == "OLD-ACCESS":
                return 401, {}, json.dumps({"code": 124, "message": "Invalid access token."})
            return 200, {}, json.dumps(zoom_user("zu_owner", "owner@zoom.example", account_id="acct"))

        def worker():
            with self.registry.cursor() as cr:
                answers.append(self.account_in(cr)._client().get_user("me")["email"])

        with responses.RequestsMock() as rsps:
            rsps.add_callback(responses.GET, API_URL + "/users/me", callback=me)
            rsps.add_callback(responses.POST, OAUTH_URL + "/oauth/token",
                              callback=self.rotating_token_endpoint(used_refresh_tokens, held))
            waited, errors, threads = run_overlapping(self.registry, worker, worker, held, "zoom_account")
        self.assertFalse(any(thread.is_alive() for thread in threads), "a worker is stuck")
        self.assertFalse(errors)
        self.assertTrue(waited, "the second worker waited on the token lock while Zoom held the first renewal")
        self.assertEqual(answers, ["owner@zoom.example", "owner@zoom.example"])
        self.assertEqual(used_refresh_tokens, ["RT-1"], "one renewal for both workers")
        self.assertEqual(sorted(api_tokens), ["NEW-ACCESS-2", "NEW-ACCESS-2", "OLD-ACCESS", "OLD-ACCESS"])
        self.assertEqual(self.stored_tokens(), ("connected", "NEW-ACCESS-2", "RT-2"))

    def test_rotated_refresh_token_survives_a_request_that_rolls_back(self):
        used_refresh_tokens = []
        with responses.RequestsMock() as rsps:
            rsps.add_callback(responses.POST, OAUTH_URL + "/oauth/token",
                              callback=self.rotating_token_endpoint(used_refresh_tokens))
            with self.assertRaisesRegex(ZoomUnavailable, "^Zoom could not be reached or did not answer properly"):
                with self.registry.cursor() as cr:
                    self.assertEqual(self.account_in(cr)._get_access_token(), "NEW-ACCESS-2")
                    # The rest of the request fails: its transaction is rolled back.
                    raise ZoomUnavailable()
            # Zoom already forgot RT-1: the connection lives on only if RT-2 was kept.
            self.assertEqual(self.stored_tokens(), ("connected", "NEW-ACCESS-2", "RT-2"))
            with self.registry.cursor() as cr:
                cr.execute("UPDATE zoom_account SET token_expires_at = %s WHERE id = %s",
                           [datetime.now() - timedelta(minutes=1), self.account_id])
            with self.registry.cursor() as cr:
                self.assertEqual(self.account_in(cr)._get_access_token(), "NEW-ACCESS-3")
        self.assertEqual(used_refresh_tokens, ["RT-1", "RT-2"])
        self.assertEqual(self.stored_tokens(), ("connected", "NEW-ACCESS-3", "RT-3"))
