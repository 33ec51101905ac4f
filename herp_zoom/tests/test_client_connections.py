"""The client's connections to Zoom, against a small HTTP/1.1 server on loopback that keeps
connections alive as Zoom does (no database)."""

import json
import threading
import unittest
from unittest.mock import patch
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.addons.herp_zoom.utils.zoom_client import ZoomClient


class _KeepAliveZoom(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.request_lines.append(self.requestline)
        self.server.connections.append(self.client_address)
        self.server.cookies.append(self.headers.get("Cookie"))
        body = json.dumps({"id": 81234567890 + len(self.server.connections),
                           "join_url": "https://zoom.example/j/1"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", f"zm_session=company-{len(self.server.connections)}; Path=/")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class TestClientConnections(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _KeepAliveZoom)
        self.server.daemon_threads = True
        self.server.connections = []
        self.server.cookies = []
        self.server.request_lines = []
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.api_url = f"http://127.0.0.1:{self.server.server_port}/v2"

    def create_meeting(self):
        # A client per save, as zoom.account._client() gives.
        client = ZoomClient(self.api_url, self.api_url, token_getter=lambda force_refresh=False: "token")
        return client.create_meeting("zu_interviewer", {"topic": "Interview", "type": 2})

    def test_saves_one_after_another_reuse_one_connection(self):
        """A new connection costs a TCP and TLS handshake with Zoom per interview."""
        for _save in range(3):
            self.create_meeting()
        self.assertEqual(len(self.server.connections), 3)
        self.assertEqual(len(set(self.server.connections)), 1, self.server.connections)

    def test_each_thread_has_its_own_connection(self):
        """Odoo serves requests in threads: one save's connection is never another's."""
        self.create_meeting()
        other = threading.Thread(target=self.create_meeting)
        other.start()
        other.join()
        self.create_meeting()
        first, in_thread, again = self.server.connections
        self.assertNotEqual(first, in_thread)
        self.assertEqual(first, again)

    def test_no_cookie_travels_from_one_save_to_the_next(self):
        """The connection is shared by every company of the database: what Zoom set for one
        company's request is never sent with another's."""
        for _save in range(2):
            self.create_meeting()
        self.assertEqual(self.server.cookies, [None, None])

    def test_the_proxy_of_the_servers_environment_is_used_for_every_request(self):
        """Companies that reach the Internet through a proxy set it in Odoo's environment."""
        proxy = f"http://127.0.0.1:{self.server.server_port}"
        with patch.dict("os.environ", {"HTTP_PROXY": proxy, "http_proxy": proxy, "NO_PROXY": "", "no_proxy": ""}):
            for _save in range(2):
                client = ZoomClient("http://api.zoom-through-proxy.example/v2", "http://zoom-through-proxy.example",
                                    token_getter=lambda force_refresh=False: "token")
                client.create_meeting("zu_interviewer", {"topic": "Interview", "type": 2})
        self.assertEqual(self.server.request_lines, [
            "POST http://api.zoom-through-proxy.example/v2/users/zu_interviewer/meetings HTTP/1.1"] * 2)
