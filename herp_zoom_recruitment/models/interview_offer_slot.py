from odoo import api, fields, models


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
