from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class InterviewOfferWizard(models.TransientModel):
    """Offer interview slots: explicit slots, or free slots found in a period."""

    _name = "herp_zoom.interview.offer.wizard"
    _description = "Offer Interview Slots"

    applicant_id = fields.Many2one("hr.applicant", required=True)
    name = fields.Char("Interview", required=True, default=lambda self: self.env._("Interview"))
    interviewer_ids = fields.Many2many("res.users", string="Interviewers", required=True)
    duration = fields.Float(default=1.0, required=True)
    mode = fields.Selection([("period", "Propose free slots of a period"), ("explicit", "Enter the slots myself")],
                            default="period", required=True)
    date_from = fields.Date("From", default=lambda self: fields.Date.context_today(self) + timedelta(days=1))
    date_to = fields.Date("To", default=lambda self: fields.Date.context_today(self) + timedelta(days=7))

    @api.constrains("duration")
    def _check_duration(self):
        for wizard in self:
            if wizard.duration <= 0 or wizard.duration > 8:
                raise ValidationError(_("The interview lasts between a few minutes and 8 hours."))

    def action_create_offer(self):
        """Create the draft offer, with the free slots of the period, and open it for review."""
        self.ensure_one()
        self.applicant_id.check_access("write")
        if not self.env.user.has_group("herp_zoom.group_zoom_assistant"):
            raise UserError(_("Only Zoom recruiters and assistants can offer interview slots."))
        offer = self.env["herp_zoom.interview.offer"].create({
            "name": self.name, "applicant_id": self.applicant_id.id, "duration": self.duration,
            "company_id": (self.applicant_id.company_id or self.env.company).id,
            "interviewer_ids": [(6, 0, self.interviewer_ids.ids)],
        })
        if self.mode == "period":
            if not self.date_from or not self.date_to or self.date_to < self.date_from:
                raise UserError(_("Choose a period whose end comes after its start."))
            if (self.date_to - self.date_from).days > 31:
                raise UserError(_("Choose a period of at most 31 days."))
            tz = pytz.timezone(self.env.user.tz or "UTC")
            start = tz.localize(datetime.combine(self.date_from, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
            stop = tz.localize(datetime.combine(self.date_to + timedelta(days=1), time.min)).astimezone(
                pytz.utc).replace(tzinfo=None)
            slots = offer._find_free_slots(start, stop)
            if not slots:
                raise UserError(_("The interviewers have no free slot in this period."))
            offer.slot_ids = [(0, 0, {"start": slot_start}) for slot_start, _stop in slots]
        return {
            "type": "ir.actions.act_window", "res_model": offer._name, "res_id": offer.id, "view_mode": "form",
            "name": _("Interview Slot Offer"),
        }
