"""The API address Zoom gives with a token (regional data centres, Zoom for Government) is
used for that connection's calls, only within Zoom's own domains."""

import unittest

import responses

from odoo.tests import tagged

from odoo.addons.herp_zoom.services.api_url import regional_api_url

from .common import API_URL, OAUTH_URL, ZoomCommon


class TestRegionalApiUrl(unittest.TestCase):
    def test_zoom_domains_are_taken(self):
        self.assertEqual(regional_api_url("https://api-eu.zoom.us"), "https://api-eu.zoom.us/v2")
        self.assertEqual(regional_api_url("https://api.zoomgov.com/"), "https://api.zoomgov.com/v2")
        self.assertEqual(regional_api_url("https://api.zoom.us/v2"), "https://api.zoom.us/v2")

    def test_anything_else_is_refused(self):
        for url in ("https://evil.example", "http://api.zoom.us", "https://api.zoom.us.evil.example",
                    "https://evilzoom.us", "https://user@api.zoom.us", "https://api.zoom.us:8443", "", None, 42):
            with self.subTest(url=url):
                self.assertIsNone(regional_api_url(url))


@tagged("post_install", "-at_install")
class TestTokenApiUrl(ZoomCommon):
    def renew(self, api_url, configured_api_url="https://api.zoom.us/v2"):
        self.env["ir.config_parameter"].sudo().set_param("herp_zoom.api_url", configured_api_url)
        self.account.write({"auth_mode": "s2s", "refresh_token": False, "token_expires_at": "2020-01-01 00:00:00"})
        self.env.cr.cache.pop("herp_zoom_tokens", None)
        with responses.RequestsMock() as rsps:
            rsps.add(responses.POST, OAUTH_URL + "/oauth/token",
                     json={"access_token": "S2S-NEW", "expires_in": 3599, "api_url": api_url})
            self.account._get_access_token()
        self.account.invalidate_recordset()

    def test_calls_go_to_the_data_centre_of_the_token(self):
        self.renew("https://api-eu.zoom.us")
        self.assertEqual(self.account._client().api_url, "https://api-eu.zoom.us/v2")

    def test_an_address_outside_zoom_is_ignored(self):
        self.renew("https://evil.example")
        self.assertEqual(self.account._client().api_url, "https://api.zoom.us/v2")

    def test_a_configured_sandbox_or_proxy_keeps_the_calls(self):
        self.renew("https://api.zoom.us", configured_api_url=API_URL)
        self.assertEqual(self.account._client().api_url, API_URL)
