from odoo import _, api, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def get_zoom_linked_partner_ids(self, partner_ids):
        """Which of these partners are users with a linked Zoom user (the Zoom mark on attendees).

        Internal users only, and only about partners they may read themselves.
        """
        if not self.env.user._is_internal():
            raise AccessError(_("Only internal users can see who has linked a Zoom user."))
        partners = self.browse([pid for pid in partner_ids or [] if isinstance(pid, int)]).exists()
        partners = partners._filtered_access("read")
        users = self.env["res.users"].sudo().search([
            ("partner_id", "in", partners.ids), ("zoom_user_id", "!=", False),
        ])
        return users.partner_id.ids
