from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .interview_offer import OFFER_GROUPS


class HrApplicant(models.Model):
    _name = "hr.applicant"
    _inherit = ["hr.applicant", "zoom.code.fields"]
    # Set from Zoom's report of the applicant's interviews.
    _zoom_code_fields = frozenset({"zoom_no_show"})

    zoom_next_event_id = fields.Many2one(
        "calendar.event", string="Next Zoom Interview", compute="_compute_zoom_next_event",
    )
    zoom_next_join_url = fields.Char("Next Zoom Interview Link", compute="_compute_zoom_next_event")
    zoom_next_start = fields.Datetime("Next Zoom Interview On", compute="_compute_zoom_next_event")
    zoom_no_show = fields.Boolean(
        "No-show in a Zoom Interview", readonly=True, copy=False, tracking=True,
        help="The applicant did not join one of their Zoom interviews.",
    )

    @api.depends("meeting_ids.zoom_state", "meeting_ids.start", "meeting_ids.zoom_join_url")
    def _compute_zoom_next_event(self):
        now = fields.Datetime.now()
        for applicant in self:
            upcoming = applicant.meeting_ids.filtered(
                lambda event: event.zoom_state == "issued" and event.zoom_join_url and event.start >= now
            ).sorted("start")[:1]
            applicant.zoom_next_event_id = upcoming
            applicant.zoom_next_join_url = upcoming.zoom_join_url
            applicant.zoom_next_start = upcoming.start

    @api.model_create_multi
    def create(self, vals_list):
        self._zoom_refuse_code_fields(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._zoom_refuse_code_fields([vals])
        return super().write(vals)

    # Interviewers see applicants but not the offers (nor their links).
    zoom_offer_ids = fields.One2many("herp_zoom.interview.offer", "applicant_id", string="Interview Slot Offers",
                                     groups=OFFER_GROUPS)
    zoom_offer_count = fields.Integer("Slot Offers", compute="_compute_zoom_offer_count", groups=OFFER_GROUPS)

    @api.depends("zoom_offer_ids")
    def _compute_zoom_offer_count(self):
        for applicant in self:
            applicant.zoom_offer_count = len(applicant.zoom_offer_ids)

    def action_zoom_offer_slots(self):
        """Open "Offer interview slots" for this applicant."""
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("herp_zoom.group_zoom_assistant"):
            raise AccessError(_("Only Zoom recruiters and assistants can offer interview slots."))
        return {
            "type": "ir.actions.act_window", "res_model": "herp_zoom.interview.offer.wizard", "view_mode": "form",
            "target": "new", "name": _("Offer interview slots"),
            "context": {"default_applicant_id": self.id, "default_interviewer_ids": self.interviewer_ids.ids},
        }

    def action_zoom_view_offers(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window", "res_model": "herp_zoom.interview.offer", "view_mode": "list,form",
            "name": _("Interview Slot Offers"), "domain": [("applicant_id", "=", self.id)],
            "context": {"default_applicant_id": self.id},
        }
