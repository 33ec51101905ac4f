from datetime import timedelta

from odoo import api, fields, models

# Requests allowed per window to the candidates' pages, per offer link and per address.
WINDOW = timedelta(minutes=10)
MAX_PER_TOKEN = 40
MAX_PER_ADDRESS = 120


class InterviewOfferRequest(models.Model):
    """A request to the candidates' public pages, counted for the rate limit.

    Kept in the database so that every worker counts the same requests. Links are recorded by
    a digest, never as they are.
    """

    _name = "herp_zoom.interview.offer.request"
    _description = "Interview Offer Page Request"
    _log_access = False

    key = fields.Char(required=True, index=True)
    at = fields.Datetime(required=True, index=True)

    @api.model
    def _allow(self, keys_and_limits):
        """Record one request under every key; False when one key is over its limit."""
        now = fields.Datetime.now()
        allowed = True
        for key, limit in keys_and_limits:
            self.env.cr.execute(
                "SELECT count(*) FROM herp_zoom_interview_offer_request WHERE key = %s AND at > %s",
                [key, now - WINDOW],
            )
            if self.env.cr.fetchone()[0] >= limit:
                allowed = False
        if allowed:
            self.env.cr.executemany(
                "INSERT INTO herp_zoom_interview_offer_request (key, at) VALUES (%s, %s)",
                [(key, now) for key, _limit in keys_and_limits],
            )
        return allowed

    @api.model
    def _gc_requests(self):
        self.env.cr.execute("DELETE FROM herp_zoom_interview_offer_request WHERE at < %s",
                            [fields.Datetime.now() - WINDOW])
