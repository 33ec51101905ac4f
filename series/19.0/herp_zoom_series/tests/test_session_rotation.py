"""Odoo 19 rotates the browser session's id during the session (a soft rotation keeps its first
42 characters): a Zoom consent started before a rotation is still accepted after it."""

import odoo.http
from odoo.tests import tagged

from odoo.addons.herp_zoom.tests.test_oauth_flows import OAuthFlowCase


@tagged("post_install", "-at_install")
class TestSessionRotation(OAuthFlowCase):
    def test_consent_started_before_a_soft_rotation_connects(self):
        query = self.start_account_consent()
        store = odoo.http.root.session_store
        session = store.get(self.session.sid)
        old_sid = session.sid
        store.rotate(session, self.env(user=self.admin_user), soft=True)
        self.assertNotEqual(session.sid, old_sid)
        self.assertEqual(session.sid[:42], old_sid[:42])
        self.opener.cookies.set("session_id", session.sid)
        page = self.owner_consents(query)
        self.assertIn("alert-success", page.text)
        self.account.invalidate_recordset()
        self.assertEqual(self.account.state, "connected")
