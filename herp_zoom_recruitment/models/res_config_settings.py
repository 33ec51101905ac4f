from odoo import api, fields, models

# Days a link works; hours before the interview until which the candidate may change it (30 days).
OFFER_NUMBER_RANGES = {"zoom_offer_expiry_days": (1, 90), "zoom_offer_change_hours": (0, 720)}

# Settings field -> field of the company's zoom.account.
CONSENT_TEXT_FIELDS = {
    "zoom_consent_text_en": "consent_text_en",
    "zoom_consent_text_ja": "consent_text_ja",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    zoom_offer_expiry_days = fields.Integer(
        "Interview Offer Link Valid For (days)", default=7,
        config_parameter="herp_zoom_recruitment.offer_expiry_days")
    zoom_offer_change_hours = fields.Integer(
        "Candidates May Change Until (hours before)", default=24,
        config_parameter="herp_zoom_recruitment.offer_change_hours")
    zoom_consent_text_en = fields.Text("Zoom Consent Text (English)")

    @api.constrains(*OFFER_NUMBER_RANGES)
    def _check_zoom_offer_number_ranges(self):
        self._zoom_check_ranges(OFFER_NUMBER_RANGES)
    zoom_consent_text_ja = fields.Text("Zoom Consent Text (Japanese)")

    def get_values(self):
        values = super().get_values()
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            return values
        account = self.env["zoom.account"]._get_for_company()
        if account:
            values.update({name: account[field] or False for name, field in CONSENT_TEXT_FIELDS.items()})
        return values

    def set_values(self):
        # herp_zoom's set_values checks the company and the caller's right on the connection first.
        super().set_values()
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            return
        account = self.env["zoom.account"]._get_for_company(self.company_id, create=True)
        account.with_user(self.env.user).check_access("write")
        changed = {field: self[name] or False for name, field in CONSENT_TEXT_FIELDS.items()
                   if (account[field] or False) != (self[name] or False)}
        if changed:
            account.write(changed)
