from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N_DIR = Path(__file__).resolve().parents[1] / "i18n"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.terms = {
            source for _module, _type, _name, _res_id, source, _value, _comments
            in TranslationModuleReader(cls.env.cr, modules=["herp_zoom"])
        }

    def test_template_lists_every_term_of_the_code(self):
        template = {entry.msgid for entry in polib.pofile(str(I18N_DIR / "herp_zoom.pot"))}
        self.assertFalse(sorted(self.terms - template), "run scripts/update_translations")

    def test_every_term_has_a_japanese_translation(self):
        japanese = {
            entry.msgid for entry in polib.pofile(str(I18N_DIR / "ja.po"))
            if entry.msgstr.strip() and not entry.obsolete and "fuzzy" not in entry.flags
        }
        self.assertFalse(sorted(self.terms - japanese), "terms without a Japanese translation in i18n/ja.po")

    def test_japanese_interface(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom")])._update_translations(["ja_JP"])
        field = self.env["calendar.event"].with_context(lang="ja_JP").fields_get(["zoom_state"])["zoom_state"]
        # What a Japanese recruiter reads on the interview form: the label and the status.
        self.assertEqual(field["string"], "Zoom 状況")
        self.assertEqual(dict(field["selection"])["issued"], "Zoom ミーティング発行済み")
