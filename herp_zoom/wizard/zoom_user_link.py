from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..utils.zoom_client import ZoomError, ZoomUserNotInAccount


class ZoomUserLink(models.TransientModel):
    """A Zoom administrator links a user's Zoom user for them (any connection type)."""

    _name = "zoom.user.link"
    _description = "Link a User's Zoom User"

    user_id = fields.Many2one("res.users", required=True, ondelete="cascade",
                              domain=[("share", "=", False)])
    zoom_email = fields.Char(
        "E-mail of the Zoom User", required=True, compute="_compute_zoom_email", store=True, readonly=False,
        precompute=True,
        help="The e-mail of a user of the company's Zoom account, as Zoom's user list shows it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard.user_id._check_can_manage_link()
        return wizards

    @api.depends("user_id")
    def _compute_zoom_email(self):
        for wizard in self:
            user = wizard.user_id
            wizard.zoom_email = user.zoom_user_email or (user.login if "@" in (user.login or "") else user.email)

    def action_link(self):
        self.ensure_one()
        self.user_id._check_can_manage_link()
        account = self.env["zoom.account"]._get_for_company(self.env.company)
        if not account._is_connected():
            raise UserError(_("The company's Zoom account is not connected yet."))
        try:
            zoom_user = account._lookup_member(self.zoom_email.strip())
        except ZoomUserNotInAccount:
            raise UserError(_("There is no Zoom user with the e-mail %s in the company's Zoom account.",
                              self.zoom_email)) from None
        except ZoomError as error:
            raise UserError(error.message_for(self.env)) from None
        self.user_id._zoom_link(zoom_user)
        return account._notification(
            _("%(user)s is linked to the Zoom user %(zoom_user)s.",
              user=self.user_id.name, zoom_user=zoom_user.get("email") or zoom_user.get("id")),
        )
