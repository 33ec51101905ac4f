from datetime import timedelta

from odoo import api, fields, models
from ..compat import Constraint


class ZoomWebhookDelivery(models.Model):
    """Webhook events already handled, so that a delivery Zoom repeats is handled once."""

    _name = "zoom.webhook.delivery"
    _description = "Zoom Webhook Delivery"
    _log_access = False

    account_id = fields.Many2one("zoom.account", required=True, ondelete="cascade")
    event = fields.Char(required=True)
    event_ts = fields.Char(required=True)
    object_id = fields.Char()
    received_at = fields.Datetime(required=True, default=fields.Datetime.now)

    _delivery_uniq = Constraint("unique(account_id, event, event_ts, object_id)", "A webhook event is handled once.")

    @api.model
    def _record_once(self, account, event, event_ts, object_id):
        """True the first time this event is seen, False for a repeated delivery."""
        self.env.cr.execute(
            """INSERT INTO zoom_webhook_delivery (account_id, event, event_ts, object_id, received_at)
                    VALUES (%s, %s, %s, %s, now() at time zone 'UTC')
               ON CONFLICT DO NOTHING RETURNING id""",
            [account.id, event, str(event_ts), str(object_id or "")],
        )
        return bool(self.env.cr.fetchone())

    @api.autovacuum
    def _gc_deliveries(self):
        # Zoom retries a delivery for a few hours at most.
        self.search([("received_at", "<", fields.Datetime.now() - timedelta(days=7))]).unlink()
