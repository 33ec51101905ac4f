"""The candidate's public page against hostile or stale input, and the candidate's change of plans."""

import logging
import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .offer_common import SLOT, OfferCase, next_weekday


@tagged("post_install", "-at_install")
class TestOfferPublicPage(OfferCase):
    def setUp(self):
        super().setUp()
        self.day = next_weekday(3)
        self.offer = self.make_offer([self.day + timedelta(hours=hour) for hour in (1, 2, 3)])
        self.other_offer = self.make_offer([self.day + timedelta(hours=5)], applicant=self.other_applicant)

    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def assert_nothing_booked(self, fake=None):
        self.assertFalse(self.offer_events())
        self.assertEqual(self.offer.state, "sent")
        if fake is not None:
            self.assertFalse(fake.create_requests)

    def post_slot(self, slot_value, **data):
        page = self.open_page(self.offer)
        values = dict(self.form_values(page.text), slot=slot_value, **data)
        with self.zoom() as fake:
            response = self.post(self.offer, "book", values)
        return response, fake

    # ------------------------------------------------------------------ bad input
    def test_tampered_slot_or_another_offers_slot_creates_nothing_and_reveals_nothing(self):
        for value in ("abc", "999999999", str(self.other_offer.slot_ids.id), "", "1 OR 1=1"):
            response, fake = self.post_slot(value)
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("Please pick one of the times offered", response.text)
            self.assertNotIn("Olivia", response.text, "nothing about the other candidate")
            self.assert_nothing_booked(fake)

    def test_a_slot_the_recruiter_unticked_cannot_be_booked(self):
        self.offer.slot_ids[0].offered = False
        response, fake = self.post_slot(str(self.offer.slot_ids[0].id))
        self.assertEqual(response.status_code, 400)
        self.assert_nothing_booked(fake)

    def test_missing_or_wrong_csrf_token_gives_a_clear_page_and_creates_nothing(self):
        for token in (None, "0" * 40 + "o9999999999"):
            page = self.open_page(self.offer)
            values = dict(self.form_values(page.text), slot=str(self.offer.slot_ids[0].id))
            if token is None:
                del values["csrf_token"]
            else:
                values["csrf_token"] = token
            with self.zoom() as fake:
                response = self.post(self.offer, "book", values)
            self.assertEqual(response.status_code, 400)
            self.assertIn("This form has expired", response.text)
            self.assert_nothing_booked(fake)

    def test_unknown_link_says_so_and_nothing_else(self):
        real = self.offer.sudo().access_token
        for wrong in ("x" * 43, real[:-1] + ("B" if real.endswith("A") else "A"), "short"):
            response = self.opener.get(f"{self.base_url()}/interview/offer/{wrong}", timeout=60)
            self.assertEqual(response.status_code, 404)
            self.assertIn("This link is not valid", response.text)
            self.assertNotIn("First interview", response.text)
            self.assertNotIn("Chika", response.text)

    def test_expired_link_shows_a_clear_page_and_books_nothing(self):
        page = self.open_page(self.offer)
        self.offer.sudo().expires_at = fields.Datetime.now() - timedelta(minutes=1)
        response = self.open_page(self.offer)
        self.assertEqual(response.status_code, 410)
        self.assertIn("This link has expired", response.text)
        self.assertFalse(SLOT.findall(response.text))
        values = dict(self.form_values(page.text), slot=str(self.offer.slot_ids[0].id))
        with self.zoom() as fake:
            response = self.post(self.offer, "book", values)
        self.assertEqual(response.status_code, 410)
        self.assertFalse(self.offer_events())
        self.assertFalse(fake.create_requests)

    def test_scheduled_action_expires_offers_past_their_date(self):
        self.offer.sudo().expires_at = fields.Datetime.now() - timedelta(minutes=1)
        self.env["herp_zoom.interview.offer"]._cron_expire_offers()
        self.assertEqual(self.offer.state, "expired")
        self.assertEqual(self.other_offer.state, "sent")

    def test_cancelled_offer_link_stops_working(self):
        self.offer.with_user(self.officer).action_cancel()
        response = self.open_page(self.offer)
        self.assertEqual(response.status_code, 410)
        self.assertIn("This offer was cancelled", response.text)
        self.assertFalse(SLOT.findall(response.text))

    def test_replayed_post_books_once(self):
        page = self.open_page(self.offer)
        values = dict(self.form_values(page.text), slot=str(self.offer.slot_ids[0].id))
        with self.zoom() as fake:
            first = self.post(self.offer, "book", values)
            replay = self.post(self.offer, "book", values)
            other_slot = self.post(self.offer, "book", dict(values, slot=str(self.offer.slot_ids[1].id)))
        self.assertEqual(first.status_code, 200)
        for response in (replay, other_slot):
            self.assertEqual(response.status_code, 409)
            self.assertIn("This form was already sent. Nothing was changed.", response.text)
        event = self.offer_events()
        self.assertEqual(len(event), 1)
        self.assertEqual(event.start, self.offer.slot_ids[0].start, "the replay moved nothing")
        self.assertEqual(len(fake.create_requests), 1)

    def test_too_many_requests_get_a_429_page(self):
        with patch("odoo.addons.herp_zoom_recruitment.controllers.offer.MAX_PER_TOKEN", 3):
            statuses = [self.open_page(self.offer).status_code for _attempt in range(4)]
            self.assertEqual(statuses, [200, 200, 200, 429])
            blocked = self.open_page(self.offer)
            self.assertIn("Too many requests", blocked.text)
            self.assertNotIn("slot_", blocked.text)
            # Another candidate's link is counted on its own.
            self.assertEqual(self.open_page(self.other_offer).status_code, 200)
        with patch("odoo.addons.herp_zoom_recruitment.controllers.offer.MAX_PER_ADDRESS", 1):
            self.assertEqual(self.open_page(self.other_offer).status_code, 429, "counted per address too")

    def test_time_zone_and_language_are_the_candidates(self):
        response = self.open_page(self.offer, tz="Europe/Paris")
        # 10:00 UTC+9 on the slot's day is 02:00 in Paris (winter) or 03:00 (summer).
        paris = fields.Datetime.context_timestamp(self.env["res.users"].with_context(tz="Europe/Paris"),
                                                  self.offer.slot_ids[0].start)
        self.assertIn(f"{paris:%H:%M} - ", response.text)
        self.assertIn('value="Europe/Paris" selected', response.text)
        response = self.open_page(self.offer, tz="Not/AZone<script>")
        self.assertNotIn("AZone", response.text.split("<select")[0], "an unknown zone falls back")
        self.assertIn("10:00 - 11:00", response.text, "the candidate's own time zone (Tokyo)")
        # Browsers may give an older name of a zone, one the list of common zones lacks.
        response = self.open_page(self.offer, tz="Asia/Calcutta")
        self.assertIn("06:30 - 07:30", response.text, "10:00 in Tokyo is 06:30 in India")
        self.assertIn('value="Asia/Calcutta" selected', response.text)

    # ------------------------------------------------------------------ change of plans
    def test_candidate_moves_the_interview_and_its_meeting_follows_without_the_update_option(self):
        self.assertFalse(self.account.update_meetings)
        with self.zoom() as fake:
            self.book(self.offer, self.offer.slot_ids[0])
            event = self.offer_events().sudo()
            meeting_id = int(event.zoom_meeting_id)
            page = self.open_page(self.offer)
            self.assertEqual({int(slot) for slot in SLOT.findall(page.text)}, set(self.offer.slot_ids[1:].ids),
                             "the other times are offered to move to, not the booked one")
            response = self.book(self.offer, self.offer.slot_ids[2])
            self.run_postcommit()
        self.assertIn("notice=moved", response.url)
        self.assertEqual(event.start, self.offer.slot_ids[2].start)
        patches = [call for call in fake.sent if call.request.method == "PATCH"]
        self.assertEqual(len(patches), 1, "the meeting follows the interview")
        self.assertIn("T03:00:00", fake.meetings[meeting_id]["start_time"])
        self.assertEqual(len(fake.create_requests), 1)
        note = self.applicant.message_ids[0]
        self.assertIn("moved First interview", str(note.body))
        self.assertEqual(note.partner_ids, self.officer.partner_id | self.interviewer.partner_id)
        self.assertEqual(len(self.env["mail.mail"].sudo().search([
            ("model", "=", self.offer._name), ("res_id", "=", self.offer.id), ("subject", "ilike", "confirmed")])), 2)

    def test_candidate_cancels_and_the_meeting_is_deleted_with_the_delete_option(self):
        self.account.delete_meetings = True
        with self.zoom() as fake:
            self.book(self.offer, self.offer.slot_ids[0])
            event = self.offer_events().sudo()
            meeting_id = int(event.zoom_meeting_id)
            page = self.open_page(self.offer)
            response = self.post(self.offer, "cancel", self.form_values(page.text))
            self.run_postcommit()
            self.env["zoom.meeting.deletion"].sudo()._process_due()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your interview was cancelled", response.text)
        self.assertFalse(event.active)
        self.assertEqual(self.offer.state, "cancelled")
        self.assertNotIn(meeting_id, fake.meetings)
        self.assertIn("cancelled First interview", str(self.applicant.message_ids[0].body))
        self.assertEqual(self.open_page(self.offer).status_code, 410)

    def test_no_change_after_the_deadline(self):
        with self.zoom():
            self.book(self.offer, self.offer.slot_ids[0])
        self.env["ir.config_parameter"].sudo().set_param("herp_zoom_recruitment.offer_change_hours", 24 * 30)
        page = self.open_page(self.offer)
        self.assertEqual(page.status_code, 200)
        self.assertFalse(SLOT.findall(page.text))
        self.assertNotIn("Cancel my interview", page.text)
        event = self.offer_events()
        values = {"csrf_token": self.form_values_or_token(page.text), "revision": str(self.offer.revision),
                  "slot": str(self.offer.slot_ids[1].id)}
        with self.zoom():
            moved = self.post(self.offer, "book", values)
            cancelled = self.post(self.offer, "cancel", values)
        self.assertEqual((moved.status_code, cancelled.status_code), (409, 409))
        self.assertIn("can no longer be changed", moved.text)
        self.assertTrue(event.active)
        self.assertEqual(event.start, self.offer.slot_ids[0].start)

    def form_values_or_token(self, html):
        """The session's CSRF token on a page without forms (web.layout gives it to scripts)."""
        self.assertNotIn('name="csrf_token"', html)
        return re.search(r'csrf_token: "([^"]+)"', html).group(1)

    # ------------------------------------------------------------------ language and secrecy
    def test_japanese_candidate_gets_japanese_mail_and_page_and_can_switch(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom_recruitment")])._update_translations(["ja_JP"])
        self.other_applicant.partner_id.lang = "ja_JP"
        self.other_offer.with_user(self.officer).action_cancel()  # one open offer per applicant
        offer = self.make_offer([self.day + timedelta(hours=6)], applicant=self.other_applicant)
        mail = self.env["mail.mail"].sudo().search([("model", "=", offer._name), ("res_id", "=", offer.id)])
        self.assertIn("面接日時をお選びください", mail.subject)
        self.assertIn("日時を選ぶ", str(mail.body_html))
        page = self.open_page(offer)
        self.assertIn("ご都合のよい日時を選んでください", page.text)
        english = self.open_page(offer, lang="en_US")
        self.assertIn("Please pick the time that suits you", english.text)
        self.assertEqual(self.open_page(offer, lang="xx_XX<b>").status_code, 200, "an unknown language falls back")

    def test_request_log_never_shows_the_link(self):
        """The request line werkzeug logs for the candidate's page goes through the filter of its logger."""
        token = self.offer.sudo().access_token
        record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '127.0.0.1 - - [date] "%s" %s %s',
                                   (f"GET /interview/offer/{token}?tz=Asia/Tokyo HTTP/1.1", "200", "-"), None)
        self.assertTrue(logging.getLogger("werkzeug").filter(record))
        line = record.getMessage()
        self.assertNotIn(token, line)
        self.assertIn("/interview/offer/***?tz=Asia/Tokyo", line)
