"""What a candidate and a recruiter met on their first try: the page's language, the notes'
language, the mails of a booking, a link opened from the address bar, past slots and two open
offers for one applicant."""

import base64
from datetime import timedelta

import vobject

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .offer_common import SLOT, OfferCase, next_weekday


class NewcomerCase(OfferCase):
    def setUp(self):
        super().setUp()
        self.day = next_weekday(3)
        self.offer = self.make_offer([self.day + timedelta(hours=hour) for hour in (1, 2, 3)])

    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def speak_japanese(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom_recruitment")])._update_translations(["ja_JP"])

    def browser_language(self, accept_language):
        # The first request makes the session, whose language comes from the browser's.
        self.opener.headers["Accept-Language"] = accept_language


@tagged("post_install", "-at_install")
class TestCandidatePageLanguage(NewcomerCase):
    def test_errors_follow_the_language_chosen_on_the_page_not_the_browser(self):
        self.speak_japanese()
        self.browser_language("en-US,en;q=0.9")
        page = self.open_page(self.offer, lang="ja_JP")
        values = dict(self.form_values(page.text), slot=str(self.offer.slot_ids[0].id), lang="ja_JP",
                      tz="Asia/Tokyo")
        with self.zoom():
            first = self.post(self.offer, "book", values)
            replay = self.post(self.offer, "book", values)
            tampered = self.post(self.offer, "book", dict(values, slot="abc", revision=str(self.offer.revision)))
        self.assertEqual((first.status_code, replay.status_code, tampered.status_code), (200, 409, 400))
        self.assertIn("このフォームは送信済みです。何も変更されていません。", replay.text)
        self.assertNotIn("This form was already sent", replay.text)
        self.assertIn("下に表示されている日時から選んでください。", tampered.text)

    def test_an_english_page_in_a_japanese_browser_answers_in_english(self):
        self.speak_japanese()
        self.browser_language("ja-JP,ja;q=0.9")
        page = self.open_page(self.offer, lang="en_US")
        values = dict(self.form_values(page.text), slot="abc", lang="en_US", tz="Asia/Tokyo")
        response = self.post(self.offer, "book", values)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please pick one of the times offered below.", response.text)

    def test_notes_for_the_team_are_in_the_recruiter_s_language(self):
        self.speak_japanese()
        self.assertEqual(self.officer.lang, "en_US")
        self.browser_language("ja-JP,ja;q=0.9")
        with self.zoom():
            page = self.open_page(self.offer, lang="ja_JP")
            values = dict(self.form_values(page.text), slot=str(self.offer.slot_ids[0].id), lang="ja_JP",
                          tz="Asia/Tokyo")
            self.post(self.offer, "book", values)
            page = self.open_page(self.offer, lang="ja_JP")
            self.post(self.offer, "book", dict(self.form_values(page.text), slot=str(self.offer.slot_ids[1].id),
                                               lang="ja_JP", tz="Asia/Tokyo"))
            page = self.open_page(self.offer, lang="ja_JP")
            cancelled = self.post(self.offer, "cancel", dict(self.form_values(page.text), lang="ja_JP"))
            self.run_postcommit()
        self.assertIn("キャンセルしました", cancelled.text, "the candidate reads their page's language")
        notes = [str(message.body) for message in self.applicant.message_ids]
        self.assertTrue(any("Chika Candidate booked First interview on" in note for note in notes), notes)
        self.assertTrue(any("Chika Candidate moved First interview to" in note for note in notes), notes)
        self.assertTrue(any("Chika Candidate cancelled First interview." in note for note in notes), notes)
        self.assertFalse([note for note in notes if "さん" in note], "no Japanese for an English team")

    def test_a_japanese_team_reads_japanese_notes_whatever_the_candidate_s_browser(self):
        self.speak_japanese()
        self.officer.lang = "ja_JP"
        self.browser_language("en-US,en;q=0.9")
        with self.zoom():
            self.book(self.offer, self.offer.slot_ids[0])
        note = str(self.applicant.message_ids[0].body)
        self.assertIn("Chika Candidate さんが First interview を", note)


@tagged("post_install", "-at_install")
class TestOneMailForTheCandidate(NewcomerCase):
    def candidate_mails(self):
        partner = self.applicant.partner_id
        return self.env["mail.mail"].sudo().search([
            "|", ("recipient_ids", "in", partner.ids), ("email_to", "ilike", "chika@candidate.example")])

    def test_booking_sends_the_candidate_one_mail_by_name_with_one_invitation(self):
        before = self.candidate_mails()
        with self.zoom():
            self.book(self.offer, self.offer.slot_ids[0])
            self.run_postcommit()
        mails = self.candidate_mails() - before
        self.assertEqual(len(mails), 1, mails.mapped("subject"))
        self.assertIn("your interview is confirmed", mails.subject)
        self.assertIn("Hello Chika Candidate,", str(mails.body_html))
        self.assertNotIn("chika@candidate.example", str(mails.body_html).split(",")[0])
        [ics] = mails.attachment_ids
        self.assertEqual(ics.name, "invitation.ics")
        vevent = vobject.readOne(base64.b64decode(ics.datas).decode()).vevent
        self.assertIn(self.offer.event_id.sudo().zoom_join_url, vevent.description.value)
        # The interviewer still gets calendar's invitation.
        event = self.offer.event_id.sudo()
        self.assertTrue(self.env["mail.mail"].sudo().search([
            ("model", "=", "calendar.event"), ("res_id", "=", event.id),
            ("recipient_ids", "in", self.interviewer.partner_id.ids)]))

    def test_moving_sends_the_candidate_one_new_confirmation_only(self):
        with self.zoom():
            self.book(self.offer, self.offer.slot_ids[0])
            self.run_postcommit()
            before = self.candidate_mails()
            self.book(self.offer, self.offer.slot_ids[2])
            self.run_postcommit()
        mails = self.candidate_mails() - before
        self.assertEqual(len(mails), 1, mails.mapped("subject"))
        self.assertIn("your interview is confirmed", mails.subject)


@tagged("post_install", "-at_install")
class TestOfferMistakes(NewcomerCase):
    def test_opening_the_booking_address_directly_shows_the_page(self):
        for action in ("book", "cancel", "consent"):
            response = self.opener.get(self.base_url() + self.url(self.offer, "/" + action), timeout=60)
            self.assertEqual(response.status_code, 200, action)
            self.assertIn("Please pick the time that suits you", response.text)
            self.assertTrue(response.url.split("?")[0].endswith(self.url(self.offer)), response.url)
            self.assertEqual(len(SLOT.findall(response.text)), 3)
        self.assertEqual(self.offer.state, "sent", "nothing was booked")

    def test_a_slot_in_the_past_is_refused_with_a_clear_message(self):
        past = fields.Datetime.now().replace(microsecond=0) - timedelta(hours=2)
        with self.assertRaises(ValidationError) as caught:
            self.make_offer([past, self.day + timedelta(hours=4)], send=False)
        self.assertIn("is in the past", str(caught.exception))
        offer = self.make_offer([self.day + timedelta(hours=4)], applicant=self.other_applicant, send=False)
        with self.assertRaises(ValidationError) as caught:
            offer.with_user(self.officer).slot_ids[0].start = past
        self.assertIn("is in the past", str(caught.exception))

    def test_a_second_open_offer_for_one_applicant_is_refused(self):
        second = self.make_offer([self.day + timedelta(hours=5)], send=False)
        with self.assertRaises(UserError) as caught:
            second.with_user(self.officer).action_send()
        self.assertEqual(str(caught.exception), (
            "Chika Candidate already has an open offer of interview slots (First interview): cancel it, or wait "
            "until it is booked or expires, before sending another one."))
        self.assertEqual(second.state, "draft")
        # Once the first is booked, the next interview may be offered.
        with self.zoom():
            self.book(self.offer, self.offer.slot_ids[0])
        second.with_user(self.officer).action_send()
        self.assertEqual(second.state, "sent")


@tagged("post_install", "-at_install")
class TestOfferNumberSettings(OfferCase):
    def test_link_validity_and_change_deadline_are_checked_with_their_range(self):
        admin = self.env.ref("base.user_admin")
        params = self.env["ir.config_parameter"].sudo()
        cases = {
            "zoom_offer_expiry_days": (1, 90, "Interview Offer Link Valid For (days)"),
            "zoom_offer_change_hours": (0, 720, "Candidates May Change Until (hours before)"),
        }
        for field, (low, high, label) in cases.items():
            for value in (low - 1, -5, high + 1):
                with self.subTest(field=field, value=value), self.assertRaises(ValidationError) as caught:
                    self.env["res.config.settings"].with_user(admin).create({field: value}).execute()
                self.assertEqual(str(caught.exception),
                                 f"{label}: enter a whole number from {low} to {high}; {value} is not allowed.")
        self.assertEqual(params.get_param("herp_zoom_recruitment.offer_expiry_days"), "7")
        self.env["res.config.settings"].with_user(admin).create(
            {"zoom_offer_expiry_days": 90, "zoom_offer_change_hours": 0}).execute()
        self.assertEqual(params.get_param("herp_zoom_recruitment.offer_expiry_days"), "90")
