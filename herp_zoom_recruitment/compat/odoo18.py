"""Odoo 18.0 keeps an applicant's name, e-mail and partner on ``hr.candidate``; Odoo 19 on the
applicant. An applicant created the Odoo 19 way (``partner_name``, ``email_from``, ``partner_id``
and no candidate) gets its candidate here."""

from odoo import api, models

CANDIDATE_FIELDS = ("partner_name", "email_from", "partner_id", "partner_phone")


class HrApplicant(models.Model):
    _inherit = "hr.applicant"

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("candidate_id") or not any(vals.get(name) for name in CANDIDATE_FIELDS):
                continue
            candidate = {name: vals.pop(name) for name in CANDIDATE_FIELDS if name in vals}
            if vals.get("company_id"):
                candidate["company_id"] = vals["company_id"]
            vals["candidate_id"] = self.env["hr.candidate"].create(candidate).id
        return super().create(vals_list)
