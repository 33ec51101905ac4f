import base64
import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import responses

import odoo.http
from odoo.service import security
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.zoom_account import SESSION_NONCE_KEY

from .common import OAUTH_URL, ZOOM_ACCOUNT_ID, ZoomCommon, zoom_user


class OAuthFlowCase(ZoomCommon, HttpCase):
    """A company not connected yet, an administrator to start its consent, Odoo served over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", cls.base_url())
        cls.account.write({"state": "disconnected", "access_token": False, "refresh_token": False})
        cls.admin_user = new_test_user(cls.env, "oauth_admin", groups="base.group_user,base.group_system",
                                       email="oauth-admin@example.com")

    def call(self, model, method, args):
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": model, "method": method, "args": args, "kwargs": {}})

    def start_account_consent(self):
        self.authenticate("oauth_admin", "oauth_admin")
        action = self.call("zoom.account", "action_connect", [[self.account.id]])
        self.assertEqual(action["type"], "ir.actions.act_url")
        url = urlsplit(action["url"])
        self.assertEqual(f"{url.scheme}://{url.netloc}{url.path}", OAUTH_URL + "/oauth/authorize")
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.assertEqual(query["client_id"], "test-client-id")
        self.assertEqual(query["redirect_uri"], self.base_url() + "/herp_zoom/oauth/callback")
        self.assertEqual(query["code_challenge_method"], "S256")
        return query

    def fake_token_exchange(self, fake, me, challenge):
        def token(request):
            form = {key: values[0] for key, values in parse_qs(request.body).items()}
            verifier = form["code_verifier"]
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            self.assertEqual(digest, challenge, "the PKCE verifier must match the challenge sent to Zoom")
            self.assertEqual(form["grant_type"], "authorization_code")
            self.assertTrue(request.headers["Authorization"].startswith("Basic "))
            return 200, {}, json.dumps({"access_token": "CONSENT-ACCESS", "refresh_token": "CONSENT-REFRESH",
                                        "expires_in": 3599, "token_type": "bearer"})
        fake.rsps.add_callback(responses.POST, OAUTH_URL + "/oauth/token", callback=token)
        fake.rsps.add(responses.POST, OAUTH_URL + "/oauth/revoke", json={"status": "success"})
        fake.me = me

    def owner_consents(self, query):
        """The account's owner signs in to Zoom and consents: Zoom sends them back to the callback."""
        owner = zoom_user("zu_owner", "owner@zoom.example", role_name="Owner")
        with self.zoom() as fake:
            self.fake_token_exchange(fake, owner, query["code_challenge"])
            return self.url_open(f"/herp_zoom/oauth/callback?code=abc&state={query['state']}")


@tagged("post_install", "-at_install")
class TestOAuthFlows(OAuthFlowCase):
    """The consent callback of herp_zoom through Odoo's HTTP stack, Zoom faked with responses."""

    def test_owner_consent_connects_the_account_and_links_the_admin(self):
        query = self.start_account_consent()
        page = self.owner_consents(query)
        self.assertIn("alert-success", page.text)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "connected")
        self.assertEqual(self.account.zoom_account_id, ZOOM_ACCOUNT_ID)
        self.assertEqual(self.account.connected_by_id, self.admin_user)
        self.assertEqual(self.account.access_token, "CONSENT-ACCESS")
        self.assertEqual(self.admin_user.zoom_user_id, "zu_owner")

    def test_replayed_state_is_refused(self):
        query = self.start_account_consent()
        with self.zoom() as fake:
            self.fake_token_exchange(fake, zoom_user("zu_owner", "owner@zoom.example", role_name="Owner"),
                                     query["code_challenge"])
            self.assertEqual(self.url_open(f"/herp_zoom/oauth/callback?code=abc&state={query['state']}").status_code, 200)
            replay = self.url_open(f"/herp_zoom/oauth/callback?code=abc&state={query['state']}")
        self.assertEqual(replay.status_code, 403)

    def test_forged_state_is_refused_and_nothing_is_stored(self):
        query = self.start_account_consent()
        payload, signature = query["state"].rsplit(".", 1)
        data = json.loads(base64.urlsafe_b64decode(payload))
        data["u"] = self.recruiter.id
        forged_payload = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        with self.zoom():
            for state in (f"{forged_payload}.{signature}", f"{payload}.{'0' * 64}", "garbage"):
                self.assertEqual(self.url_open(f"/herp_zoom/oauth/callback?code=abc&state={state}").status_code, 403)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "disconnected")

    def test_state_of_another_user_is_refused(self):
        """A state started by one user is refused for another, even in the same browser session
        (so the session binding alone does not refuse it) and for a user who may connect."""
        query = self.start_account_consent()
        # The same session (and its nonce) now belongs to another Zoom administrator.
        session = odoo.http.root.session_store.get(self.session.sid)
        self.assertTrue(session.get(SESSION_NONCE_KEY))
        session.uid = self.zoom_admin.id
        session.login = self.zoom_admin.login
        session.session_token = security.compute_session_token(session, self.env(user=self.zoom_admin))
        odoo.http.root.session_store.save(session)
        with self.zoom() as fake:
            self.fake_token_exchange(fake, zoom_user("zu_owner", "owner@zoom.example", role_name="Owner"),
                                     query["code_challenge"])
            response = self.url_open(f"/herp_zoom/oauth/callback?code=abc&state={query['state']}")
            self.assertEqual(len(fake.rsps.calls), 0, "nothing was sent to Zoom")
        self.assertEqual(response.status_code, 403)
        self.assertIn("could not be verified", response.text)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "disconnected")

    def test_member_consent_is_refused_with_the_reason(self):
        query = self.start_account_consent()
        with self.zoom() as fake:
            self.fake_token_exchange(fake, zoom_user("zu_member", "member@zoom.example"), query["code_challenge"])
            page = self.url_open(f"/herp_zoom/oauth/callback?code=abc&state={query['state']}")
            revoked = [call for call in fake.rsps.calls if call.request.url.endswith("/oauth/revoke")]
        self.assertIn("alert-danger", page.text)
        self.assertIn("not an owner or administrator", page.text)
        self.assertEqual(len(revoked), 1)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "disconnected")
        self.assertFalse(self.account.access_token)

    def test_cancelled_consent_says_so(self):
        query = self.start_account_consent()
        with self.zoom():
            page = self.url_open(f"/herp_zoom/oauth/callback?error=access_denied&state={query['state']}")
        self.assertIn("cancelled", page.text)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "disconnected")

    def test_user_link_refuses_another_account_and_keeps_no_token(self):
        self.account.write({"state": "connected", "access_token": "ACCESS-TOKEN-VALUE"})
        self.authenticate("zoom_assistant", "zoom_assistant")
        action = self.call("res.users", "action_zoom_connect_user", [[self.assistant.id]])
        query = {key: values[0] for key, values in parse_qs(urlsplit(action["url"]).query).items()}
        foreign = zoom_user("zu_foreign", "someone@other.example", role_name="Owner", account_id="acct_other")
        with self.zoom() as fake:
            self.fake_token_exchange(fake, foreign, query["code_challenge"])
            page = self.url_open(f"/herp_zoom/oauth/callback?code=abc&state={query['state']}")
        self.assertIn("personal account or belongs to another Zoom account", page.text)
        self.assistant.invalidate_recordset()
        self.assertFalse(self.assistant.zoom_user_id)
        self.env.cr.execute("SELECT count(*) FROM res_users WHERE zoom_user_id = 'zu_foreign'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute("SELECT count(*) FROM zoom_account WHERE access_token = 'CONSENT-ACCESS'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
