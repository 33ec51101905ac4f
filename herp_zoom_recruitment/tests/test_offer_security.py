"""An offer is a way to one interview only: its own booking's, for the candidate who holds its link."""

import secrets
from datetime import datetime, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .offer_common import OfferCase, next_weekday
from odoo.addons.herp_zoom.tests.dates import YEAR

CODE_ONLY = ("state", "event_id", "access_token", "expires_at", "revision", "confirmation_sent")


@tagged("post_install", "-at_install")
class TestOfferFields(OfferCase):
    def setUp(self):
        super().setUp()
        self.day = next_weekday(3)
        self.offer = self.make_offer([self.day + timedelta(hours=1)])
        # The officer's own private interview, to which the assistant is not invited.
        with self.zoom():
            self.private_event = self.create_interview(
                user=self.officer, partners=self.interviewer.partner_id | self.candidate, privacy="private",
                start=datetime(YEAR, 5, 6, 1))
        self.assertEqual(self.private_event.sudo().zoom_state, "issued")

    def forged_values(self):
        return {"state": "booked", "event_id": self.private_event.id, "access_token": secrets.token_urlsafe(32),
                "expires_at": f"{YEAR + 1}-01-01 00:00:00", "revision": 7, "confirmation_sent": True}

    def test_the_codes_fields_are_refused_to_recruiters_and_assistants(self):
        before = self.offer.sudo().read(list(CODE_ONLY))
        for user in (self.assistant, self.officer, self.recruiter):
            for name, value in self.forged_values().items():
                with self.subTest(user=user.login, field=name), self.assertRaises(AccessError) as refusal, \
                        self.env.cr.savepoint():
                    self.offer.with_user(user).write({name: value})
                self.assertIn("set by herp_zoom", str(refusal.exception))
        self.offer.invalidate_recordset()
        self.assertEqual(self.offer.sudo().read(list(CODE_ONLY)), before)

    def test_an_offer_is_not_created_with_them(self):
        for name, value in self.forged_values().items():
            with self.subTest(field=name), self.assertRaises(AccessError), self.env.cr.savepoint():
                self.env["herp_zoom.interview.offer"].with_user(self.assistant).create({
                    "name": "Forged", "applicant_id": self.applicant.id, "interviewer_ids": [(6, 0, self.interviewer.ids)],
                    name: value})

    def test_the_attack_over_json_rpc_reaches_no_private_interview(self):
        """Seen: event_id = someone's private interview, state = booked and a chosen token, then the
        anonymous page showed that interview's Zoom link."""
        token = secrets.token_urlsafe(32)
        self.authenticate(self.assistant.login, self.assistant.login)
        with self.assertRaises(JsonRpcException) as refusal, self.assertLogs("odoo.http", level="WARNING"):
            self.make_jsonrpc_request("/web/dataset/call_kw/herp_zoom.interview.offer/write", {
                "model": "herp_zoom.interview.offer", "method": "write",
                "args": [[self.offer.id], dict(self.forged_values(), access_token=token)], "kwargs": {},
            })
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        self.offer.invalidate_recordset()
        self.assertEqual((self.offer.state, self.offer.event_id), ("sent", self.env["calendar.event"]))
        self.logout()
        page = self.opener.get(f"{self.base_url()}/interview/offer/{token}", timeout=60)
        self.assertEqual(page.status_code, 404)
        self.assertNotIn(self.private_event.sudo().zoom_join_url, page.text)

    def test_the_recruiter_is_a_user_of_the_offers_company_who_may_issue_meetings(self):
        company_b = self.env["res.company"].create({"name": "Offer Company B"})
        assistant_b = new_test_user(self.env, "offer_assistant_b", email="assistant-b@example.com",
                                    company_id=company_b.id, company_ids=[(6, 0, company_b.ids)],
                                    groups="base.group_user,herp_zoom.group_zoom_assistant")
        for user in (self.employee, self.interviewer, assistant_b):
            with self.subTest(user=user.login), self.assertRaises(ValidationError) as refusal, \
                    self.env.cr.savepoint():
                self.offer.with_user(self.officer).write({"user_id": user.id})
            self.assertIn(user.name, str(refusal.exception))
        self.offer.with_user(self.officer).write({"user_id": self.assistant.id})
        self.assertEqual(self.offer.user_id, self.assistant)

    def test_a_settings_administrator_reads_the_booking_locks_of_their_companies_only(self):
        company_b = self.env["res.company"].create({"name": "Lock Company B"})
        interviewer_b = new_test_user(self.env, "lock_interviewer_b", email="lock-b@example.com",
                                      company_id=company_b.id, company_ids=[(6, 0, company_b.ids)],
                                      groups="base.group_user")
        sysadmin_a = new_test_user(self.env, "lock_sysadmin_a", groups="base.group_user,base.group_system",
                                   company_id=self.env.company.id, company_ids=[(6, 0, self.env.company.ids)])
        # Bookings of an interviewer of each company took their lock rows.
        for user in (self.interviewer, interviewer_b):
            offer = self.env["herp_zoom.interview.offer"].sudo().new({"interviewer_ids": [(6, 0, user.ids)]})
            offer._lock_interviewers()
        locks = self.env["herp_zoom.interviewer.booking.lock"].with_user(sysadmin_a)
        self.assertEqual(locks.search([]).user_id, self.interviewer)
        lock_b = locks.sudo().search([("user_id", "=", interviewer_b.id)])
        with self.assertRaises(AccessError):
            lock_b.with_user(sysadmin_a).read(["locked_at"])

    def test_an_offers_event_is_its_own_bookings(self):
        with self.zoom():
            response = self.book(self.offer, self.offer.slot_ids)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.offer.state, "booked")
        self.assertEqual(self.offer.event_id, self.offer_events())
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.offer.with_user(self.officer).write({"event_id": self.private_event.id})
        self.assertEqual(self.offer.event_id, self.offer_events())


@tagged("post_install", "-at_install")
class TestOfferSlotRules(OfferCase):
    def setUp(self):
        super().setUp()
        self.company_b = self.env["res.company"].create({"name": "Slot Company B"})
        assistant_b = new_test_user(self.env, "slot_assistant_b", email="slot-assistant-b@example.com",
                                    company_id=self.company_b.id, company_ids=[(6, 0, self.company_b.ids)],
                                    groups="base.group_user,herp_zoom.group_zoom_assistant")
        applicant_b = self.env["hr.applicant"].sudo().create({
            "partner_name": "Bea of B", "email_from": "bea@b.example", "company_id": self.company_b.id})
        self.offer_b = self.env["herp_zoom.interview.offer"].sudo().create({
            "name": "Interview at B", "applicant_id": applicant_b.id, "company_id": self.company_b.id,
            "user_id": assistant_b.id,
            "interviewer_ids": [(6, 0, self.interviewer.ids)],
            "slot_ids": [(0, 0, {"start": next_weekday(3) + timedelta(hours=2)})],
        })
        self.slot_b = self.offer_b.slot_ids

    def test_an_assistant_of_company_a_cannot_touch_company_bs_slots(self):
        slots = self.env["herp_zoom.interview.offer.slot"].with_user(self.assistant)
        self.assertNotIn(self.slot_b, slots.search([]))
        with self.assertRaises(AccessError):
            self.slot_b.with_user(self.assistant).read(["start"])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.slot_b.with_user(self.assistant).write({"start": self.slot_b.start + timedelta(hours=1)})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            slots.create({"offer_id": self.offer_b.id, "start": self.slot_b.start + timedelta(hours=3)})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.slot_b.with_user(self.assistant).unlink()
        self.assertEqual(len(self.offer_b.slot_ids), 1)
        self.assertTrue(self.slot_b.offered)

    def test_an_assistant_of_both_companies_works_on_both(self):
        self.assistant.company_ids |= self.company_b
        slots = self.env["herp_zoom.interview.offer.slot"].with_user(self.assistant).with_context(
            allowed_company_ids=[self.company.id, self.company_b.id])
        self.assertIn(self.slot_b, slots.search([]))


@tagged("post_install", "-at_install")
class TestOfferOfAPrivateInterview(OfferCase):
    def test_the_link_to_a_private_interview_is_for_who_may_see_that_interview(self):
        # The officer's calendar is private by default: the booked interview is private.
        self.env["res.users.settings"]._find_or_create_for_user(self.officer).calendar_default_privacy = "private"
        self.env.invalidate_all()
        offer = self.make_offer([next_weekday(3) + timedelta(hours=1)])
        with self.zoom():
            self.book(offer, offer.slot_ids)
        event = offer.event_id.sudo()
        self.assertEqual((offer.state, event.zoom_state), ("booked", "issued"))
        self.assertEqual((event.privacy, event.user_id.res_users_settings_ids.calendar_default_privacy), (False, "private"))
        self.assertFalse(self.env["herp_zoom.interview.offer"].with_user(self.assistant).search(
            [("id", "=", offer.id)]))
        with self.assertRaises(AccessError):
            offer.with_user(self.assistant).read(["access_token"])
        # Its recruiter still sees it, with the link.
        self.assertEqual(self.env["herp_zoom.interview.offer"].with_user(self.officer).search(
            [("id", "=", offer.id)]), offer)
        self.assertTrue(offer.with_user(self.officer).access_token)
