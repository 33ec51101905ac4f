from odoo import fields, models
from ..compat import Constraint


class ZoomAccount(models.Model):
    _inherit = "zoom.account"

    fetch_meeting_results = fields.Boolean(
        "Bring Interview Results Back from Zoom", tracking=True,
        help="Record from Zoom's webhooks when interviews start and end and who joined, mark candidates who "
        "never joined as no-shows, and post Zoom's meeting summary and cloud recording link on the interview "
        "and its applicant as internal notes.",
    )
    summary_retention_days = fields.Integer(
        "Delete Zoom Summaries After (Days)", default=90,
        help="Zoom meeting summaries stored in Odoo, and the notes that show them, are deleted this many days "
        "after they were fetched; 0 keeps them.",
    )

    _summary_retention_days_positive = Constraint("CHECK(summary_retention_days >= 0)", "The number of days Zoom summaries are kept cannot be negative.")
