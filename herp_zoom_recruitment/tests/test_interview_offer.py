"""A recruiter offers slots, the candidate picks one from the link: one interview, one meeting."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .offer_common import SLOT, OfferCase, next_weekday


@tagged("post_install", "-at_install")
class TestInterviewOffer(OfferCase):
    def test_wizard_proposes_free_working_slots_and_the_recruiter_unticks_some(self):
        day = next_weekday()
        busy_start = day + timedelta(hours=1)  # 10:00 Tokyo
        self.env["calendar.event"].with_context(herp_zoom_no_issue=True).create({
            "name": "Private dentist", "start": busy_start, "stop": busy_start + timedelta(hours=1),
            "partner_ids": [(6, 0, self.interviewer.partner_id.ids)], "show_as": "busy",
        })
        declined = self.env["calendar.event"].with_context(herp_zoom_no_issue=True).create({
            "name": "Declined meeting", "start": day + timedelta(hours=3), "stop": day + timedelta(hours=4),
            "partner_ids": [(6, 0, self.interviewer.partner_id.ids)], "show_as": "busy",
        })
        declined.attendee_ids.filtered(lambda att: att.partner_id == self.interviewer.partner_id).state = "declined"
        wizard = self.env["herp_zoom.interview.offer.wizard"].with_user(self.officer).with_context(
            default_applicant_id=self.applicant.id).create({
                "name": "First interview", "interviewer_ids": [(6, 0, self.interviewer.ids)], "duration": 1.0,
                "mode": "period", "date_from": day.date(), "date_to": day.date(),
            })
        action = wizard.action_create_offer()
        offer = self.env["herp_zoom.interview.offer"].browse(action["res_id"])
        starts = offer.slot_ids.mapped("start")
        # 09:00-18:00 Tokyo, hour by hour, without the busy 10:00; the declined 12:00 stays free.
        self.assertEqual(starts, [day + timedelta(hours=hour) for hour in (0, 2, 3, 4, 5, 6, 7, 8)])
        self.assertEqual(offer.state, "draft")
        offer.slot_ids[0].offered = False
        with self.zoom():
            offer.with_user(self.officer).action_send()
        self.assertEqual(offer.state, "sent")
        self.assertGreaterEqual(len(offer.sudo().access_token), 43, "at least 256 bits of randomness")
        # Odoo's clock (PostgreSQL's, behind write_date, may be another one: HERP_ZOOM_FAKETIME moves Odoo's only).
        self.assertAlmostEqual(offer.expires_at, fields.Datetime.now() + timedelta(days=7), delta=timedelta(minutes=1))
        mail = self.env["mail.mail"].sudo().search([("model", "=", offer._name), ("res_id", "=", offer.id)])
        self.assertEqual(mail.recipient_ids, self.applicant.partner_id)
        self.assertIn(offer.sudo().access_url, str(mail.body_html))
        self.assertIn("Interview slots offered", str(self.applicant.message_ids[0].body))
        page = self.open_page(offer)
        self.assertEqual(page.status_code, 200)
        shown = {int(slot_id) for slot_id in SLOT.findall(page.text)}
        self.assertEqual(shown, set((offer.slot_ids - offer.slot_ids[0]).ids), "the unticked slot is not offered")
        self.assertNotIn("dentist", page.text)

    def test_booking_creates_one_event_with_one_meeting_everywhere(self):
        day = next_weekday()
        offer = self.make_offer([day + timedelta(hours=1), day + timedelta(hours=2)])
        slot = offer.slot_ids[1]
        with self.zoom() as fake:
            response = self.book(offer, slot)
        self.assertEqual(response.status_code, 200)
        self.assertIn("notice=booked", response.url, "POST then redirect to the page")
        events = self.offer_events()
        self.assertEqual(len(events), 1)
        event = events.sudo()
        self.assertEqual(len(fake.create_requests), 1, "exactly one Zoom meeting")
        self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual((event.start, event.stop), (slot.start, slot.stop))
        self.assertEqual(event.name, "First interview: Chika Candidate", "named after the applicant")
        self.assertEqual(event.user_id, self.officer)
        self.assertEqual(event.create_uid, self.officer, "created as the recruiter")
        self.assertEqual(event.partner_ids, self.interviewer.partner_id | self.applicant.partner_id)
        self.assertEqual(event.applicant_id, self.applicant)
        self.assertEqual(offer.state, "booked")
        # The confirmation page shows the time, the link, the meeting ID and the passcode.
        self.assertIn(event.zoom_join_url.replace("&", "&amp;"), response.text)
        self.assertIn(event.zoom_meeting_id_display, response.text)
        self.assertIn(event.zoom_passcode, response.text)
        self.assertIn("%02d:00 - %02d:00" % (11, 12), response.text, "11:00 Tokyo time")
        # The confirmation mail, with the .ics, carries them too.
        mail = self.env["mail.mail"].sudo().search([("model", "=", offer._name), ("res_id", "=", offer.id),
                                                   ("subject", "ilike", "confirmed")])
        self.assertEqual(len(mail), 1)
        self.assertIn("Hello Chika Candidate", str(mail.body_html))
        self.assertIn(event.zoom_join_url, str(mail.body_html))
        self.assertIn(event.zoom_passcode, str(mail.body_html))
        ics = mail.attachment_ids.filtered(lambda att: att.name.endswith(".ics"))
        self.assertIn(event.zoom_join_url, ics.raw.decode().replace("\r\n ", ""))
        # Google and Outlook receive the link.
        self.assertIn(event.zoom_join_url, event.with_user(self.officer)._google_values()["description"])
        self.assertIn(event.zoom_join_url,
                      str(event.with_user(self.officer)._microsoft_values(["description"])["body"]["content"]))
        # The applicant's chatter: offer sent, slot booked.
        bodies = " ".join(str(body) for body in self.applicant.message_ids.mapped("body"))
        self.assertIn("Interview slots offered", bodies)
        self.assertIn("booked First interview", bodies)

    def test_booking_while_zoom_is_down_succeeds_and_the_link_follows_by_mail(self):
        offer = self.make_offer([next_weekday() + timedelta(hours=1)])
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            response = self.book(offer, offer.slot_ids)
        self.assertEqual(response.status_code, 200)
        event = self.offer_events().sudo()
        self.assertEqual(event.zoom_state, "pending")
        self.assertIn("The Zoom link is being prepared", response.text)
        confirmations = [("model", "=", offer._name), ("res_id", "=", offer.id), ("subject", "ilike", "confirmed")]
        self.assertFalse(self.env["mail.mail"].sudo().search(confirmations))
        event.zoom_retry_at = False
        with self.zoom() as fake:
            self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertIssued(event, fake, self.zoom_interviewer)
        mail = self.env["mail.mail"].sudo().search(confirmations)
        self.assertEqual(len(mail), 1)
        self.assertIn(event.zoom_join_url, str(mail.body_html))

    def test_a_slot_that_became_busy_is_not_shown_and_cannot_be_booked(self):
        day = next_weekday()
        offer = self.make_offer([day + timedelta(hours=1), day + timedelta(hours=2)])
        page = self.open_page(offer)
        self.assertEqual({int(slot) for slot in SLOT.findall(page.text)}, set(offer.slot_ids.ids))
        self.env["calendar.event"].with_context(herp_zoom_no_issue=True).create({
            "name": "Board meeting (confidential)", "start": day + timedelta(hours=1, minutes=30),
            "stop": day + timedelta(hours=2, minutes=30), "partner_ids": [(6, 0, self.interviewer.partner_id.ids)],
        })
        again = self.open_page(offer)
        self.assertEqual({int(slot) for slot in SLOT.findall(again.text)}, set())
        self.assertNotIn("Board meeting", again.text, "why a time is busy is never shown")
        data = dict(self.form_values(page.text), slot=str(offer.slot_ids[0].id))
        with self.zoom() as fake:
            response = self.post(offer, "book", data)
        self.assertEqual(response.status_code, 409)
        self.assertIn("this time was just taken", response.text)
        self.assertFalse(fake.create_requests)
        self.assertEqual(len(self.offer_events()), 0)

    def test_only_recruiters_send_offers_and_the_link_is_hidden_from_others(self):
        offer = self.make_offer([next_weekday() + timedelta(hours=1)], send=False)
        with self.assertRaises(AccessError):
            offer.with_user(self.employee).action_send()
        with self.assertRaises(AccessError):
            self.applicant.with_user(self.interviewer).action_zoom_offer_slots()
        offer.with_user(self.officer).action_send()
        with self.assertRaisesRegex(UserError, "Only a draft offer can be sent"):
            offer.with_user(self.officer).action_send()
        fields = self.env["herp_zoom.interview.offer"].with_user(self.interviewer).fields_get()
        self.assertNotIn("access_token", fields)
        self.assertNotIn("access_url", fields)

    def test_explicit_slots_and_the_expiry_setting(self):
        settings = self.env["res.config.settings"].create({"zoom_offer_expiry_days": 3, "zoom_offer_change_hours": 48})
        settings.execute()
        wizard = self.env["herp_zoom.interview.offer.wizard"].with_user(self.officer).with_context(
            default_applicant_id=self.applicant.id).create({
                "name": "Second interview", "interviewer_ids": [(6, 0, self.interviewer.ids)], "duration": 0.5,
                "mode": "explicit",
            })
        offer = self.env["herp_zoom.interview.offer"].browse(wizard.action_create_offer()["res_id"])
        self.assertFalse(offer.slot_ids, "the recruiter enters the slots")
        with self.assertRaisesRegex(UserError, "Offer at least one slot in the future"):
            offer.with_user(self.officer).action_send()
        # A Saturday evening: the recruiter's own choice, outside the working hours, is offered as is.
        saturday = next_weekday(3)
        while saturday.weekday() != 5:
            saturday += timedelta(days=1)
        offer.with_user(self.officer).slot_ids = [(0, 0, {"start": saturday + timedelta(hours=11)})]
        self.assertEqual(offer.slot_ids.stop, saturday + timedelta(hours=11, minutes=30))
        offer.with_user(self.officer).action_send()
        self.assertAlmostEqual(offer.expires_at, fields.Datetime.now() + timedelta(days=3), delta=timedelta(minutes=1))
        self.assertEqual(offer._change_deadline(), timedelta(hours=48))
        self.assertEqual(SLOT.findall(self.open_page(offer).text), [str(offer.slot_ids.id)])
        # The applicant lists its offers.
        self.assertEqual(self.applicant.zoom_offer_count, 1)
        action = self.applicant.with_user(self.officer).action_zoom_view_offers()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), offer)

    def test_recruiter_archiving_the_booked_interview_closes_the_link(self):
        offer = self.make_offer([next_weekday() + timedelta(hours=1)])
        with self.zoom():
            self.book(offer, offer.slot_ids)
        self.offer_events().with_user(self.officer).write({"active": False})
        page = self.open_page(offer)
        self.assertEqual(page.status_code, 410)
        self.assertNotIn("/j/", page.text, "no link to a cancelled interview")

    def test_wizard_form_from_the_applicant_button(self):
        self.applicant.interviewer_ids = self.interviewer
        action = self.applicant.with_user(self.officer).action_zoom_offer_slots()
        day = next_weekday()
        with Form(self.env[action["res_model"]].with_user(self.officer).with_context(**action["context"])) as wizard:
            self.assertEqual(wizard.interviewer_ids[:], self.interviewer, "the applicant's interviewers")
            wizard.name = "Culture fit"
            wizard.date_from = day.date()
            wizard.date_to = day.date()
        result = wizard.record.action_create_offer()
        offer = self.env["herp_zoom.interview.offer"].browse(result["res_id"])
        self.assertEqual(offer.name, "Culture fit")
        self.assertEqual(len(offer.slot_ids), 9, "09:00 to 18:00, hour by hour")
        with Form(offer.with_user(self.officer)) as form:
            with form.slot_ids.edit(0) as line:
                line.offered = False
        self.assertFalse(offer.slot_ids[0].offered)
