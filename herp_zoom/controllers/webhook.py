import hashlib
import hmac
import json
import logging
import re
import time

from werkzeug.exceptions import BadRequest, Unauthorized

from odoo import http
from odoo.http import request
from odoo.tools import consteq

_logger = logging.getLogger(__name__)

# Zoom's deliveries older than this are refused, so a captured call cannot be replayed later.
MAX_TIMESTAMP_AGE = 5 * 60
# What Zoom sends, to the letter: anything else is refused before it is parsed or compared.
TIMESTAMP_RE = re.compile(r"[0-9]{1,15}", re.ASCII)
SIGNATURE_RE = re.compile(r"v0=[0-9a-f]{64}", re.ASCII)


def zoom_signature(secret, timestamp, body):
    message = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class ZoomWebhookController(http.Controller):
    @http.route("/herp_zoom/webhook", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def zoom_webhook(self, **kwargs):
        """Zoom's event notifications for the companies' Zoom apps (signed with their secret token)."""
        timestamp, signature = self._signature_headers()
        if abs(time.time() - int(timestamp)) > MAX_TIMESTAMP_AGE:
            raise Unauthorized()
        body = request.httprequest.get_data()
        accounts = self._accounts_for_signature(timestamp, body, signature)
        if not accounts:
            _logger.info("Refused a Zoom webhook call with a signature that matches no connection")
            raise Unauthorized()
        try:
            data = json.loads(body)
        except ValueError:
            raise BadRequest() from None
        if not isinstance(data, dict) or not isinstance(data.get("payload"), dict):
            raise BadRequest()
        if data.get("event") == "endpoint.url_validation":
            # Every matching connection holds the same secret token: any of them answers.
            plain = str(data["payload"].get("plainToken") or "")
            encrypted = hmac.new(accounts[0].webhook_secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
            return request.make_json_response({"plainToken": plain, "encryptedToken": encrypted})
        # Companies may share one Zoom app, so one secret: the payload's Zoom account decides.
        zoom_account_id = data["payload"].get("account_id")
        account = accounts.filtered(lambda acc: acc.zoom_account_id and acc.zoom_account_id == zoom_account_id)[:1]
        if not account:
            _logger.info("Ignored a Zoom webhook event for a Zoom account that no company is connected to")
            return request.make_json_response({"status": "ignored"})
        account._handle_webhook(data)
        return request.make_json_response({"status": "ok"})

    def _signature_headers(self):
        """The timestamp and signature headers, each present once and well formed; 401 otherwise."""
        headers = request.httprequest.headers
        timestamps = headers.getlist("x-zm-request-timestamp")
        signatures = headers.getlist("x-zm-signature")
        if len(timestamps) != 1 or len(signatures) != 1:
            raise Unauthorized()
        if not TIMESTAMP_RE.fullmatch(timestamps[0]) or not SIGNATURE_RE.fullmatch(signatures[0]):
            raise Unauthorized()
        return timestamps[0], signatures[0]

    def _accounts_for_signature(self, timestamp, body, signature):
        """The connections whose webhook secret signed this call."""
        accounts = request.env["zoom.account"].sudo().search([("webhook_secret", "!=", False)])
        return accounts.filtered(
            lambda account: consteq(zoom_signature(account.webhook_secret, timestamp, body), signature)
        )
