import re

from odoo import api, models
from odoo.tools import email_normalize

from odoo.addons.herp_zoom.utils.zoom_client import ZoomRequestRejected

# Users without a usable e-mail get a Zoom user at this address, made from their login.
FALLBACK_EMAIL_DOMAIN = "odoo-tests.herp-demo.example"
ZOOM_EMAIL_TAKEN = 1005


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._switched_on_link_zoom_users()
        return users

    def _switched_on_link_zoom_users(self):
        """Give each active internal user a Zoom user of the connected account and link it.

        The Zoom user is created in the account (Zoom's "Create users"), or found when its
        address is already used there, then linked with herp_zoom's own lookup and link.
        """
        account = self.env["zoom.account"].sudo().search([("state", "=", "connected")], limit=1)
        if not account:
            return
        for user in self.sudo().filtered(lambda user: user.active and not user.share):
            email = _zoom_email(user)
            try:
                account._client()._api("POST", "/users", json_body={
                    "action": "custCreate",
                    "user_info": {"email": email, "type": 2, "first_name": (user.name or user.login)[:64]},
                })
            except ZoomRequestRejected as error:
                if error.zoom_code != ZOOM_EMAIL_TAKEN:
                    raise
            user._zoom_link(account._lookup_member(email))

    @api.model
    def _switched_on_connect(self, api_url, oauth_url, client_id, client_secret, zoom_account_id):
        """Connect the main company to the Zoom sandbox (Server-to-Server app) and link its users."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("herp_zoom.api_url", api_url)
        params.set_param("herp_zoom.oauth_url", oauth_url)
        account = self.env["zoom.account"]._get_for_company(self.env.ref("base.main_company"), create=True)
        account.write({
            "auth_mode": "s2s", "client_id": client_id, "client_secret": client_secret,
            "zoom_account_id": zoom_account_id, "update_meetings": True, "delete_meetings": True,
        })
        account._connect_s2s()
        self.with_context(active_test=True).search([("share", "=", False)])._switched_on_link_zoom_users()
        return account


def _zoom_email(user):
    email = email_normalize(user.email or "") or email_normalize(user.login or "")
    if email:
        return email
    local = re.sub(r"[^a-z0-9._-]+", ".", (user.login or "").lower()).strip(".") or f"user{user.id}"
    return f"{local}@{FALLBACK_EMAIL_DOMAIN}"
