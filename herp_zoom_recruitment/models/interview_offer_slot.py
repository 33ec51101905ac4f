from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_datetime


class InterviewOfferSlot(models.Model):
    """One time a candidate may pick for an offered interview."""

    _name = "herp_zoom.interview.offer.slot"
    _description = "Offered Interview Slot"
    _order = "start, id"

    offer_id = fields.Many2one("herp_zoom.interview.offer", required=True, ondelete="cascade", index=True)
    start = fields.Datetime(required=True)
    stop = fields.Datetime(compute="_compute_stop", store=True)
    offered = fields.Boolean(default=True, help="Untick to leave this slot out of the offer.")

    @api.depends("start", "offer_id.duration")
    def _compute_stop(self):
        for slot in self:
            slot.stop = slot.start and fields.Datetime.add(slot.start, minutes=round(slot.offer_id.duration * 60))

    @api.constrains("start")
    def _check_start(self):
        """A time already past cannot be offered: the candidate could never book it."""
        now = fields.Datetime.now()
        for slot in self:
            if slot.start and slot.start < now:
                raise ValidationError(_(
                    "The slot of %(date)s is in the past: offer times that are still to come.",
                    date=format_datetime(self.env, slot.start, tz=self.env.user.tz or "UTC", dt_format="medium")))
