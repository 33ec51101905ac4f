from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class ZoomLinkInvitation(models.TransientModel):
    """Mails the selected users a button to link their Zoom user (from the users list)."""

    _name = "zoom.link.invitation"
    _description = "Invitation to Link a Zoom User"

    user_ids = fields.Many2many("res.users", required=True)
    invited_ids = fields.Many2many("res.users", compute="_compute_invited_ids")
    skipped_ids = fields.Many2many("res.users", string="Not invited", compute="_compute_invited_ids")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.users" and "user_ids" in fields_list:
            values["user_ids"] = [fields.Command.set(self.env.context.get("active_ids") or [])]
        return values

    @api.depends("user_ids")
    def _compute_invited_ids(self):
        for invitation in self:
            # The dialog computes this before the record exists: read the users themselves.
            users = invitation.user_ids._origin
            invited = users._zoom_invitable()
            invitation.invited_ids = invited
            invitation.skipped_ids = users - invited

    def action_send(self):
        self.ensure_one()
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            raise AccessError(_("Only Zoom administrators can invite users to link their Zoom user."))
        return self.user_ids._zoom_invite_to_link()
