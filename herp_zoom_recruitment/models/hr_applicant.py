from odoo import api, fields, models


class HrApplicant(models.Model):
    _inherit = "hr.applicant"

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
