from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def get_zoom_linked_partner_ids(self, partner_ids):
        """Which of these partners are users with a linked Zoom user (the Zoom mark on attendees)."""
        users = self.env["res.users"].sudo().search([
            ("partner_id", "in", [pid for pid in partner_ids or [] if isinstance(pid, int)]),
            ("zoom_user_id", "!=", False),
        ])
        return users.partner_id.ids
