import responses

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..utils.zoom_client import ZoomReauthorizationNeeded
from .common import API_URL, OAUTH_URL, ZoomCommon


@tagged("post_install", "-at_install")
class TestConnection(ZoomCommon):
    def test_expired_token_is_refreshed_once_and_rotated(self):
        self.account.token_expires_at = "2020-01-01 00:00:00"
        with responses.RequestsMock() as rsps:
            token_call = rsps.add(responses.POST, OAUTH_URL + "/oauth/token", json={
                "access_token": "NEW-ACCESS", "refresh_token": "NEW-REFRESH", "expires_in": 3599,
            })
            me = rsps.add(responses.GET, API_URL + "/users/me", json={"id": "x", "account_id": "acct_herp_demo"})
            self.account._client().get_user("me")
            self.account._client().get_user("me")
        self.assertEqual(token_call.call_count, 1)
        self.assertEqual(me.call_count, 2)
        self.assertIn("grant_type=refresh_token", token_call.calls[0].request.body)
        self.assertIn("refresh_token=REFRESH-TOKEN-VALUE", token_call.calls[0].request.body)
        self.assertTrue(token_call.calls[0].request.headers["Authorization"].startswith("Basic "))
        self.assertEqual(me.calls[1].request.headers["Authorization"], "Bearer NEW-ACCESS")
        self.account.invalidate_recordset()
        self.assertEqual(self.account.refresh_token, "NEW-REFRESH")

    def test_invalid_grant_marks_connection_for_reauthorization(self):
        self.account.token_expires_at = "2020-01-01 00:00:00"
        with responses.RequestsMock() as rsps:
            rsps.add(responses.POST, OAUTH_URL + "/oauth/token", status=400,
                     json={"reason": "Invalid Token!", "error": "invalid_grant"})
            # Not assertRaises: Odoo's rolls back to a savepoint, and the renewal has its own
            # transaction (shared with the test's in test mode).
            raised = None
            try:
                self.account._client().get_user("me")
            except ZoomReauthorizationNeeded as error:
                raised = error
        self.assertIsNotNone(raised, "a refused refresh must raise")
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "reauth")
        self.assertFalse(self.account.refresh_token)

    def test_a_wrong_client_secret_is_named_as_such(self):
        """Zoom answers a wrong Client ID or Secret with 401 and ``invalid_client``: the administrator
        is told to check them, not that an authorization was withdrawn."""
        self.account.write({"auth_mode": "s2s", "zoom_account_id": "acct_herp_demo"})
        with responses.RequestsMock() as rsps:
            token_call = rsps.add(responses.POST, OAUTH_URL + "/oauth/token", status=401,
                                  json={"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
            with self.assertRaisesRegex(UserError, r"^Zoom refused the connection: Zoom rejected the Client ID "
                                                   r"or Client Secret\. Check them in Settings\.$"):
                self.account.action_connect()
        self.assertEqual(token_call.call_count, 1)
