"""The shared set-up of the end-to-end tests: Odoo served over HTTP, the Zoom sandbox on
loopback as its Zoom (API and OAuth), and no company connected yet."""

import requests

from odoo.tests import HttpCase

from odoo.addons.herp_zoom import compat

from zoom_sandbox import SandboxServer


class SandboxHttpCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = SandboxServer(port=0).start()
        cls.addClassCleanup(cls.sandbox.stop)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("herp_zoom.api_url", cls.sandbox.api_url)
        params.set_param("herp_zoom.oauth_url", cls.sandbox.oauth_url)
        params.set_param("web.base.url", cls.base_url())
        cls.env["zoom.account"].sudo().search([]).unlink()

    def setUp(self):
        super().setUp()
        # Every answer the sandbox gives in a test is one Zoom's descriptions allow.
        self.addCleanup(lambda: self.assertEqual(self.sandbox.state.contract_violations, []))

    def sandbox_calls_odoo(self, path, payload, timeout=30):
        """Ask the sandbox to call Odoo as Zoom does (its webhooks), and wait for its answer. Odoo
        serves them meanwhile: on Odoo 19 a test's server takes only the requests the test allows
        (the sandbox's carry no test cookie, as Zoom's don't) and while the test lets go of its lock."""
        self.env.flush_all()
        with compat.allow_all_requests(self):
            answer = requests.post(self.sandbox.url + path, timeout=timeout, json=payload)
        self.env.invalidate_all()
        return answer

    def call(self, model, method, args, kwargs=None):
        """A JSON-RPC call as the browser makes it, in the session of ``authenticate()``."""
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": model, "method": method, "args": args, "kwargs": kwargs or {}})

    @classmethod
    def connect_sandbox_s2s(cls, admin=None, **values):
        """The company connected to the sandbox's Server-to-Server app (as ``admin`` when given)."""
        account = cls.env["zoom.account"]._get_for_company(cls.env.company, create=True)
        account.write({"auth_mode": "s2s", "client_id": "sandbox-s2s-client", "client_secret": "sandbox-s2s-secret",
                       "zoom_account_id": "sbxAcct000000000000001", **values})
        (account.with_user(admin) if admin else account)._connect_s2s()
        return account
