"""Two candidates confirm the same interviewer's slot at the same moment: one interview.

Committed data and two real database cursors, one per thread, as two Odoo workers have; a
serialization failure is retried as Odoo's request runner does."""

import re
import time as time_
import uuid
from unittest.mock import patch
from datetime import datetime, time, timedelta

import psycopg2.errors
import requests

from odoo.tests import new_test_user, tagged
from odoo.tests.common import HOST as ODOO_HOST
from odoo.tools import config

from odoo.addons.herp_zoom.tests.committed import CommittedDataCase
from odoo.addons.herp_zoom.tests.common import fake_zoom, zoom_user
from odoo.addons.herp_zoom.tests.workers import HeldAtZoom, run_overlapping

from ..models.interview_offer_booking import InterviewOfferBooking, SlotTaken

HOST = "zu_offer_race"


@tagged("post_install", "-at_install")
class TestConcurrentBooking(CommittedDataCase):
    def setUp(self):
        super().setUp()
        run = uuid.uuid4().hex[:8]
        day = datetime.now().date() + timedelta(days=3)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        self.slot_start = datetime.combine(day, time(9, 0))
        with self.registry.cursor() as cr:
            env = self.env(cr=cr, context={"no_reset_password": True, "tracking_disable": True})
            company = env["res.company"].create({"name": f"Booking race {run}"})
            company.resource_calendar_id = env["resource.calendar"].create({
                "name": f"Race hours {run}", "tz": "UTC", "company_id": company.id,
                "attendance_ids": [(5, 0, 0)] + [(0, 0, {"name": f"Day {weekday}", "dayofweek": str(weekday),
                                                         "hour_from": 8, "hour_to": 17, "day_period": "morning"})
                                                 for weekday in range(5)],
            })
            params = env["ir.config_parameter"].sudo()
            params.set_param("herp_zoom.api_url", "http://localhost:8999/v2")
            params.set_param("herp_zoom.oauth_url", "http://localhost:8999")
            # Two simultaneous meetings per host: only the interviewer's own time is contended.
            env["zoom.account"].sudo().create({
                "company_id": company.id, "client_id": "cid", "client_secret": "csecret",
                "zoom_account_id": "acct_race", "state": "connected", "access_token": "RACE-ACCESS",
                "refresh_token": "RACE-REFRESH", "token_expires_at": datetime.now() + timedelta(hours=1),
                "max_concurrent_meetings": 2,
            })
            common = {"company_id": company.id, "company_ids": [(6, 0, company.ids)], "tz": "UTC"}
            recruiter = new_test_user(env, f"race_recruiter_{run}", email="race-recruiter@example.com",
                                      groups="base.group_user,hr_recruitment.group_hr_recruitment_user", **common)
            interviewer = new_test_user(env, f"race_interviewer_{run}", email="race-interviewer@example.com",
                                        groups="base.group_user,herp_zoom.group_zoom_guest", **common)
            interviewer._zoom_link(zoom_user(HOST, "race@zoom.example", account_id="acct_race"))
            self.tokens, self.slot_ids, self.applicant_ids = [], [], []
            for name in ("Ayumi", "Botan"):
                applicant = env["hr.applicant"].with_company(company).create({
                    "partner_name": f"{name} {run}", "email_from": f"{name.lower()}-{run}@candidate.example",
                    "user_id": recruiter.id, "company_id": company.id})
                offer = env["herp_zoom.interview.offer"].with_user(recruiter).with_company(company).create({
                    "name": "Interview", "applicant_id": applicant.id, "interviewer_ids": [(6, 0, interviewer.ids)],
                    "slot_ids": [(0, 0, {"start": self.slot_start})],
                })
                offer.action_send()
                self.tokens.append(offer.sudo().access_token)
                self.slot_ids.append(offer.slot_ids.id)
                self.applicant_ids.append(applicant.id)
            self.company_id, self.user_ids = company.id, [recruiter.id, interviewer.id]

    def wait_until_answering(self, base, timeout=30):
        deadline = time_.monotonic() + timeout
        while True:
            try:
                answered = requests.get(f"{base}/web/health", timeout=2).status_code == 200
            except requests.ConnectionError:
                answered = False
            if answered:
                return
            self.assertLess(time_.monotonic(), deadline, f"Odoo's HTTP server at {base} does not answer")
            time_.sleep(0.1)

    def candidate(self, index, outcomes, retries):
        """A worker confirming candidate ``index``'s slot, retried on serialization failures."""
        def confirm():
            for _attempt in range(5):
                try:
                    with self.registry.cursor() as cr:
                        # What the public route does: the public user finds the offer by its link.
                        env = self.env(cr=cr, user=self.env.ref("base.public_user").id)
                        offer = env["herp_zoom.interview.offer"]._from_token(self.tokens[index])
                        try:
                            offer._book_slot(offer.slot_ids.browse(self.slot_ids[index]))
                            outcomes[index] = "booked"
                        except SlotTaken:
                            outcomes[index] = "taken"
                    return
                except psycopg2.errors.SerializationFailure:
                    retries.append(index)
        return confirm

    def assert_one_interview(self, outcomes, retries, waited, errors, threads):  # noqa: PLR0913
        self.assertFalse(any(thread.is_alive() for thread in threads), "a worker is stuck")
        self.assertFalse(errors)
        with self.registry.cursor() as cr:
            events = self.env(cr=cr)["calendar.event"].search([("applicant_id", "in", self.applicant_ids)])
            self.assertEqual(len(events), 1, "one interview for the interviewer's slot")
            self.assertEqual(events.applicant_id.id, self.applicant_ids[0])
            offers = self.env(cr=cr)["herp_zoom.interview.offer"].search([("applicant_id", "in", self.applicant_ids)])
            self.assertEqual(sorted(offers.mapped("state")), ["booked", "sent"])
        self.assertTrue(waited, "the second booking waited for the first one's lock")
        if outcomes is not None:
            self.assertEqual(outcomes, {0: "booked", 1: "taken"})
            self.assertEqual(retries, [1])

    def test_without_zoom_the_interviewer_lock_alone_gives_one_winner(self):
        """Nobody hosts a Zoom meeting here: only the lock on the interviewer serializes the two."""
        with self.registry.cursor() as cr:
            cr.execute("UPDATE res_users SET zoom_user_id = NULL WHERE id = ANY(%s)", [self.user_ids])
        outcomes, retries = {}, []
        held = HeldAtZoom()
        confirm = InterviewOfferBooking._send_confirmation_if_ready

        def held_confirmation(offer):
            # The first booking created its event and waits here, before its commit.
            held.arrive()
            return confirm(offer)

        with patch.object(InterviewOfferBooking, "_send_confirmation_if_ready", held_confirmation):
            waited, errors, threads = run_overlapping(
                self.registry, self.candidate(0, outcomes, retries), self.candidate(1, outcomes, retries), held,
                "herp_zoom_interviewer_booking_lock")
        self.assert_one_interview(outcomes, retries, waited, errors, threads)

    def test_two_real_http_requests_one_interview(self):
        """Two browsers post their confirmation to Odoo's HTTP server at once; each request runs in
        its own worker thread with its own committed transaction, and Odoo's own retry on a
        serialization failure."""
        with self.registry.cursor() as cr:
            cr.execute("UPDATE res_users SET zoom_user_id = NULL WHERE id = ANY(%s)", [self.user_ids])
        # The tests' HTTP server, on the free port pytest-odoo gave it, once it answers.
        base = f"http://{ODOO_HOST}:{config['http_port']}"
        self.wait_until_answering(base)
        browsers, forms, responses = [], [], {}
        for index in (0, 1):
            browser = requests.Session()
            page = browser.get(f"{base}/interview/offer/{self.tokens[index]}", params={"tz": "UTC"}, timeout=30)
            self.assertEqual(page.status_code, 200)
            self.assertIn(f'id="slot_{self.slot_ids[index]}"', page.text)
            browsers.append(browser)
            forms.append({"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1),
                          "revision": "0", "slot": str(self.slot_ids[index]), "tz": "UTC"})
        held = HeldAtZoom()
        confirm = InterviewOfferBooking._send_confirmation_if_ready

        def held_confirmation(offer):
            held.arrive()
            return confirm(offer)

        def post(index):
            def run():
                responses[index] = browsers[index].post(
                    f"{base}/interview/offer/{self.tokens[index]}/book", data=forms[index], timeout=60)
            return run

        with patch.object(InterviewOfferBooking, "_send_confirmation_if_ready", held_confirmation):
            waited, errors, threads = run_overlapping(self.registry, post(0), post(1), held,
                                                      "herp_zoom_interviewer_booking_lock")
        self.assertFalse(errors)
        self.assertEqual(responses[0].status_code, 200)
        self.assertIn("Your interview is booked", responses[0].text)
        self.assertEqual(responses[1].status_code, 409)
        self.assertIn("this time was just taken", responses[1].text)
        self.assertNotIn(f'id="slot_{self.slot_ids[1]}"', responses[1].text, "the page again, without that slot")
        self.assert_one_interview(None, None, waited, errors, threads)

    def test_two_candidates_one_slot_one_interview_and_one_meeting(self):
        outcomes, retries = {}, []

        held = HeldAtZoom()
        with fake_zoom(zoom_user(HOST, "race@zoom.example", account_id="acct_race")) as fake:
            fake.on_create = held.arrive
            waited, errors, threads = run_overlapping(
                self.registry, self.candidate(0, outcomes, retries), self.candidate(1, outcomes, retries), held,
                "herp_zoom_interviewer_booking_lock")
        self.assert_one_interview(outcomes, retries, waited, errors, threads)
        self.assertEqual(len(fake.create_requests), 1, "one Zoom meeting")
