import re

from odoo import SUPERUSER_ID, api, models
from odoo.tools import email_normalize

from odoo.addons.herp_zoom.utils.zoom_client import ZoomRequestRejected

from .. import tally

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
        """Give each active internal user, and the superuser (OdooBot, inactive), a Zoom user of the
        connected account and link it.

        The Zoom user is created in the account (Zoom's "Create users"), or found when its
        address is already used there, then linked with herp_zoom's own lookup and link.
        """
        users = self.sudo().filtered(lambda user: (user.active or user.id == SUPERUSER_ID) and not user.share)
        if not users:
            return
        account = self.env["zoom.account"].sudo().search([("state", "=", "connected")], limit=1)
        if not account:
            # The pass fails: from here on herp_zoom would issue nothing, and no test would notice.
            tally.connection_lost(f"linking the new user(s) {', '.join(users.mapped('login'))}")
            return
        for user in users:
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
    def _zoom_linked_users(self, account, partner_ids, user_ids):
        """The superuser (OdooBot) counts as a linked user although it is inactive: Odoo's tests run
        as it, so it is the default organizer and its partner the default attendee of their events."""
        linked = super()._zoom_linked_users(account, partner_ids, user_ids)
        root = self.sudo().browse(SUPERUSER_ID)
        if (root.zoom_user_id and root.zoom_user_account_id == account.zoom_account_id
                and (root.partner_id.id in partner_ids or SUPERUSER_ID in user_ids)
                and not any(row["id"] == SUPERUSER_ID for row in linked)):
            linked = sorted([*linked, {"id": root.id, "partner_id": root.partner_id.id, "zoom_user_id": root.zoom_user_id,
                                       "zoom_user_email": root.zoom_user_email}], key=lambda row: row["id"])
        return linked

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
        users = self.with_context(active_test=True).search([("share", "=", False)])
        (users | self.browse(SUPERUSER_ID))._switched_on_link_zoom_users()
        return account


def _zoom_email(user):
    email = email_normalize(user.email or "") or email_normalize(user.login or "")
    if email:
        return email
    local = re.sub(r"[^a-z0-9._-]+", ".", (user.login or "").lower()).strip(".") or f"user{user.id}"
    return f"{local}@{FALLBACK_EMAIL_DOMAIN}"
