"""Token renewal never waits on the transaction that asks for it.

Runs with real, separate transactions (no test cursor): the connection is committed first, then
a request changes it (Settings: a Zoom option saved) and needs a token near expiry ("Test
connection"). The renewal's own transaction would wait for the request's lock on the row.
"""

import time
from datetime import datetime, timedelta

import responses

from odoo import api
from odoo.tests import tagged

from .. import compat
from .committed import CommittedDataCase
from .common import API_URL, OAUTH_URL, ZOOM_ACCOUNT_ID


@tagged("post_install", "-at_install")
class TestRenewalInOwnTransaction(CommittedDataCase):
    def setUp(self):
        super().setUp()
        self.assertFalse(compat.registry_in_test_mode(self.registry), "needs real transactions")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            env["zoom.account"].search([("company_id", "=", company.id)]).unlink()
            self.account_id = env["zoom.account"].create({
                "company_id": company.id, "auth_mode": "s2s", "client_id": "renewal-client",
                "client_secret": "renewal-secret", "zoom_account_id": ZOOM_ACCOUNT_ID, "state": "connected",
                "access_token": "OLD-ACCESS", "token_expires_at": datetime.now() - timedelta(minutes=1),
            }).id

    def test_renewal_after_a_change_of_the_connection_in_the_same_request(self):
        with responses.RequestsMock() as rsps:
            rsps.add(responses.POST, OAUTH_URL + "/oauth/token",
                     json={"access_token": "NEW-ACCESS", "expires_in": 3599, "token_type": "bearer"})
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                params = env["ir.config_parameter"]
                params.set_param("herp_zoom.api_url", API_URL)
                params.set_param("herp_zoom.oauth_url", OAUTH_URL)
                account = env["zoom.account"].browse(self.account_id)
                account.write({"update_meetings": True})
                account.flush_recordset()
                started = time.monotonic()
                token = account._get_access_token()
                waited = time.monotonic() - started
                cr.rollback()
        self.assertEqual(token, "NEW-ACCESS")
        self.assertLess(waited, 5)
        # Zoom replaced the previous grant: the new token outlives the request's rollback.
        with self.registry.cursor() as cr:
            cr.execute("SELECT access_token FROM zoom_account WHERE id = %s", [self.account_id])
            self.assertEqual(cr.fetchone()[0], "NEW-ACCESS")
