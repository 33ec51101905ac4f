from odoo import fields, models


class ZoomAccount(models.Model):
    """The company's own words asking candidates to consent to recording and summary."""

    _inherit = "zoom.account"

    consent_text_en = fields.Text(
        "Consent Text (English)",
        help="What the candidate's interview page says next to the consent box, in English and every language "
        "but Japanese. Empty: the standard text.",
    )
    consent_text_ja = fields.Text(
        "Consent Text (Japanese)",
        help="What the candidate's interview page says next to the consent box, in Japanese. Empty: the standard "
        "text.",
    )

    def _consent_text(self, lang):
        """The text of the consent box in ``lang`` (a language code such as ja_JP)."""
        account = self.sudo()
        own = account.consent_text_ja if (lang or "").startswith("ja") else account.consent_text_en
        if own and own.strip():
            return own.strip()
        return self.with_context(lang=lang).env._(
            "I agree that my interview may be recorded and summarized by Zoom's AI Companion, for the hiring "
            "decision only. I can withdraw my consent at any time on this page or by telling the recruiter.")
