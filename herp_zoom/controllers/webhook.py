import hashlib
import hmac
import json
import logging
import time

from werkzeug.exceptions import BadRequest, Unauthorized

from odoo import http
from odoo.http import request
from odoo.tools import consteq

_logger = logging.getLogger(__name__)

# Zoom's deliveries older than this are refused, so a captured call cannot be replayed later.
MAX_TIMESTAMP_AGE = 5 * 60


def zoom_signature(secret, timestamp, body):
    message = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class ZoomWebhookController(http.Controller):
    @http.route("/herp_zoom/webhook", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def zoom_webhook(self, **kwargs):
        """Zoom's event notifications for the companies' Zoom apps (signed with their secret token)."""
        body = request.httprequest.get_data()
        timestamp = request.httprequest.headers.get("x-zm-request-timestamp", "")
        signature = request.httprequest.headers.get("x-zm-signature", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_TIMESTAMP_AGE or not signature:
            raise Unauthorized()
        account = self._account_for_signature(timestamp, body, signature)
        if not account:
            _logger.info("Refused a Zoom webhook call with a signature that matches no connection")
            raise Unauthorized()
        try:
            data = json.loads(body)
        except ValueError:
            raise BadRequest() from None
        if not isinstance(data, dict) or not isinstance(data.get("payload"), dict):
            raise BadRequest()
        if data.get("event") == "endpoint.url_validation":
            plain = str(data["payload"].get("plainToken") or "")
            encrypted = hmac.new(account.webhook_secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
            return request.make_json_response({"plainToken": plain, "encryptedToken": encrypted})
        account._handle_webhook(data)
        return request.make_json_response({"status": "ok"})

    def _account_for_signature(self, timestamp, body, signature):
        """The connection whose webhook secret signed this call (each company has its own app)."""
        accounts = request.env["zoom.account"].sudo().search([("webhook_secret", "!=", False)])
        for account in accounts:
            if consteq(zoom_signature(account.webhook_secret, timestamp, body), signature):
                return account
        return None
