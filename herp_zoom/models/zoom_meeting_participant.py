from odoo import fields, models
from ..compat import Constraint


class ZoomMeetingParticipant(models.Model):
    """One person in a held interview, as Zoom reported them joining and leaving."""

    _name = "zoom.meeting.participant"
    _description = "Zoom Meeting Participant"
    _order = "joined_at, id"

    result_id = fields.Many2one("zoom.meeting.result", required=True, ondelete="cascade", index=True)
    participant_key = fields.Char(required=True, readonly=True)
    name = fields.Char("Name in Zoom", readonly=True)
    email = fields.Char("E-mail in Zoom", readonly=True)
    partner_id = fields.Many2one("res.partner", "Attendee", readonly=True, ondelete="set null")
    joined_at = fields.Datetime("Joined", readonly=True)
    left_at = fields.Datetime("Left", readonly=True)
    attended = fields.Boolean(readonly=True, help="Joined the meeting (not only its waiting room).")

    _participant_uniq = Constraint("unique(result_id, participant_key)", "A participant is recorded once per meeting.")
