from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    zoom_offer_expiry_days = fields.Integer(
        "Interview Offer Link Valid For (days)", default=7,
        config_parameter="herp_zoom_recruitment.offer_expiry_days")
    zoom_offer_change_hours = fields.Integer(
        "Candidates May Change Until (hours before)", default=24,
        config_parameter="herp_zoom_recruitment.offer_change_hours")
