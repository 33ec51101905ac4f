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
from ..utils.zoom_client import ZoomUnavailable
from .committed import CommittedDataCase, commit_main_connection
from .common import OAUTH_URL


@tagged("post_install", "-at_install")
class TestRenewalInOwnTransaction(CommittedDataCase):
    def setUp(self):
        super().setUp()
        self.assertFalse(compat.registry_in_test_mode(self.registry), "needs real transactions")
        with self.registry.cursor() as cr:
            self.account_id = commit_main_connection(
                api.Environment(cr, api.SUPERUSER_ID, {}),
                access_token="OLD-ACCESS", token_expires_at=datetime.now() - timedelta(minutes=1)).id

    def test_renewal_after_a_change_of_the_connection_in_the_same_request(self):
        with responses.RequestsMock() as rsps:
            rsps.add(responses.POST, OAUTH_URL + "/oauth/token",
                     json={"access_token": "NEW-ACCESS", "expires_in": 3599, "token_type": "bearer"})
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
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

    def test_a_save_waits_for_another_workers_renewal_no_longer_than_its_own_wait(self):
        """Another worker renews the token and Zoom keeps it waiting (it holds the connection's row):
        a save waits for it as long as it waits for Zoom (its timeout, here 2 s), not the 20 s of the
        scheduled actions, then leaves its meeting pending instead of failing."""
        with self.registry.cursor() as holder, responses.RequestsMock() as rsps:
            holder.execute("SELECT 1 FROM zoom_account WHERE id = %s FOR NO KEY UPDATE", [self.account_id])
            with self.registry.cursor() as cr:
                account = api.Environment(cr, api.SUPERUSER_ID, {})["zoom.account"].browse(self.account_id)
                started = time.monotonic()
                with self.assertRaises(ZoomUnavailable):
                    account._get_access_token(timeout=2)
                waited = time.monotonic() - started
            self.assertEqual(len(rsps.calls), 0)
        self.assertLess(waited, 10)
