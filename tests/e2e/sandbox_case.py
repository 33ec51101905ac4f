"""The shared set-up of the end-to-end tests: Odoo served over HTTP, the Zoom sandbox on
loopback as its Zoom (API and OAuth), and no company connected yet."""

from odoo.tests import HttpCase

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
