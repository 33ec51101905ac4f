"""The candidate's flow in Chromium, in English and Japanese: pick, confirm, see the link."""

from datetime import timedelta

from odoo.tests import tagged

from .offer_common import OfferCase, next_weekday


@tagged("post_install", "-at_install")
class TestOfferTour(OfferCase):
    def test_candidate_books_in_the_browser_in_english_and_japanese(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom_recruitment")])._update_translations(["ja_JP"])
        day = next_weekday(3)
        for index, (lang, applicant) in enumerate((("en_US", self.applicant), ("ja_JP", self.other_applicant))):
            applicant.partner_id.write({"lang": lang, "tz": "Asia/Tokyo"})
            start = day + timedelta(days=index, hours=2)
            offer = self.make_offer([start, start + timedelta(hours=1)], applicant=applicant)
            with self.zoom() as fake:
                self.start_tour(self.url(offer) + "?tz=Asia/Tokyo", "herp_zoom_offer_tour")
            event = self.env["calendar.event"].search([("applicant_id", "=", applicant.id)])
            self.assertEqual(len(event), 1, lang)
            self.assertEqual(event.start, start)
            self.assertEqual(len(fake.create_requests), 1)
            self.assertIssued(event, fake, self.zoom_interviewer)
            self.assertEqual(offer.state, "booked")
