"""The candidate's flow in Chromium, in English and Japanese: pick, confirm, see the link."""

from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

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

    def test_without_a_time_zone_the_page_shows_the_slots_in_the_browsers_one(self):
        """The link as sent carries no time zone: the page takes the browser's, not the candidate's."""
        day = next_weekday(3)
        # 02:00 UTC: 11:00 in Tokyo (the candidate's zone), 07:30 in the browser's Kolkata.
        offer = self.make_offer([day + timedelta(hours=2), day + timedelta(hours=5)])
        navigate_to = ChromeBrowser.navigate_to
        zones = []

        def navigate_in_kolkata(browser, url, wait_stop=False):
            zones.append(browser._websocket_request("Emulation.setTimezoneOverride",
                                                    params={"timezoneId": "Asia/Kolkata"}))
            return navigate_to(browser, url, wait_stop=wait_stop)

        with self.zoom() as fake, patch.object(ChromeBrowser, "navigate_to", navigate_in_kolkata):
            self.start_tour(self.url(offer), "herp_zoom_offer_browser_tz_tour")
        self.assertEqual(zones, [{}], "the browser runs in Kolkata")
        event = self.env["calendar.event"].search([("applicant_id", "=", self.applicant.id)])
        self.assertEqual(event.start, day + timedelta(hours=2), "the slot shown at 07:30 is the one booked")
        self.assertEqual(len(fake.create_requests), 1)
        self.assertEqual(offer.state, "booked")
