from odoo import fields, models

from ..services.setup_guide import parse_scopes


class ZoomAccountSetup(models.AbstractModel):
    """What "Check setup" reads from the connection (on zoom.account)."""

    _name = "zoom.account.setup"
    _description = "Zoom Connection Setup"

    # The scopes Zoom says it granted with the last token: "Check setup" compares them with the
    # features in use. Not a secret, but of use to administrators only.
    token_scopes = fields.Char("Granted Scopes", readonly=True, copy=False, groups="herp_zoom.group_zoom_admin")

    def _remember_granted_scopes(self, tokens):
        # A renewal commits in a transaction of its own, which this one's snapshot does not see.
        if tokens.get("scope"):
            self.env.cr.cache.setdefault("herp_zoom_scopes", {})[self.id] = tokens["scope"]

    def _granted_scopes(self):
        """The scopes of the last token, as Zoom returned them (None when it did not say)."""
        self.ensure_one()
        scopes = self.env.cr.cache.get("herp_zoom_scopes", {}).get(self.id) or self.sudo().token_scopes
        return parse_scopes(scopes) if scopes else None

    def _enabled_feature_settings(self):
        self.ensure_one()
        account = self.sudo()
        return {"update_meetings": account.update_meetings, "delete_meetings": account.delete_meetings,
                "fetch_meeting_results": account.fetch_meeting_results}
