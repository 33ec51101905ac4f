"""A candidate books, moves and cancels an offered interview slot over HTTP, against the Zoom sandbox."""

import json
import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from html import escape
from unittest.mock import patch

from odoo.tests import new_test_user


from odoo.addons.herp_zoom import compat
from odoo.addons.herp_zoom_recruitment.tests.offer_common import CSRF, REVISION, SLOT, next_weekday

from .sandbox_case import SandboxHttpCase


SYNCED_AFTER_COMMIT = ("odoo.addons.google_calendar", "odoo.addons.microsoft_calendar", "odoo.addons.herp_zoom")


class TestOfferEndToEnd(SandboxHttpCase):
    # Odoo gives these to test classes inside addons; this one spans the bridge and the sandbox.
    test_tags = {"standard", "post_install"}
    test_module = "herp_zoom_recruitment"
    test_class = "TestOfferEndToEnd"
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recruiter = new_test_user(
            cls.env, "e2e_offer_recruiter", email="e2e-offer-recruiter@example.com", tz="Asia/Tokyo",
            groups="base.group_user,herp_zoom.group_zoom_recruiter,hr_recruitment.group_hr_recruitment_user")
        cls.interviewer = new_test_user(cls.env, "e2e_offer_interviewer", name="Ichiro Interviewer",
                                        groups="base.group_user,herp_zoom.group_zoom_guest",
                                        email="e2e-offer-interviewer@example.com", tz="Asia/Tokyo")
        cls.applicant = cls.env["hr.applicant"].create({"partner_name": "Chika Candidate",
                                                        "email_from": "chika@candidate.example", "user_id": cls.recruiter.id})
        cls.applicant.partner_id.write({"tz": "Asia/Tokyo", "lang": "en_US"})

    def setUp(self):
        super().setUp()
        self.sandbox.state.reset()
        self.account = self.connect_sandbox_s2s(update_meetings=False, delete_meetings=True)
        self.interviewer._zoom_link_by_email("interviewer1@herp-demo.example")
        self.sync_with_google_and_outlook(self.recruiter)

    # ------------------------------------------------------------------ Google / Outlook
    def sync_with_google_and_outlook(self, user):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("google_calendar_sync_paused", False)
        params.set_param("microsoft_calendar_sync_paused", False)
        self.env["res.users.settings"].sudo()._find_or_create_for_user(user).write({
            "google_calendar_rtoken": "google-refresh-token", "google_calendar_token": "google-access-token",
            "google_calendar_token_validity": datetime.now() + timedelta(days=1),
            "google_synchronization_stopped": False,
        })
        user.sudo().write({
            "microsoft_calendar_rtoken": "outlook-refresh-token", "microsoft_calendar_token": "outlook-access-token",
            "microsoft_calendar_token_validity": datetime.now() + timedelta(days=1),
            "microsoft_synchronization_stopped": False,
        })

    @contextmanager
    def calendar_apis(self):
        """What google_calendar and microsoft_calendar send: {"google": [...], "outlook": [...]}
        of (method, uri, body)."""
        sent = {"google": [], "outlook": []}

        def fake(name, answer):
            def do_request(service, uri, params=None, headers=None, method="POST", preuri=None, timeout=None):
                if method == "GET":
                    return 200, {"items": [], "value": [], "nextSyncToken": "next"}, datetime.now()
                sent[name].append((method, uri, json.loads(params) if isinstance(params, str) else params))
                return (answer(params) if method == "POST" else (200, {})) + (datetime.now(),)
            return do_request

        google = fake("google", lambda params: (200, {"id": json.loads(params).get("id")}))
        outlook = fake("outlook", lambda params: (201, {"id": "outlook-event-1", "iCalUId": "outlook-uid-1"}))
        with patch.object(type(self.env["google.service"]), "_do_request", autospec=True, side_effect=google), \
                patch.object(type(self.env["microsoft.service"]), "_do_request", autospec=True, side_effect=outlook):
            yield sent

    @contextmanager
    def commits_run_their_hooks(self):
        """The post-commit hooks of the server's commits (a test cursor drops them) run when the
        block ends, as they run after a real commit: the Google/Outlook inserts, Zoom deletions."""
        hooks = []
        original = compat.test_cursor_class().commit

        def commit(cursor):
            cursor.flush()
            # The bus's notifications read data the cursor drops: nobody listens here anyway.
            hooks.extend(hook for hook in cursor.postcommit._funcs
                         if hook.__module__.startswith(SYNCED_AFTER_COMMIT))
            cursor.postcommit._funcs.clear()
            return original(cursor)

        with patch.object(compat.test_cursor_class(), "commit", commit):
            yield
            self.env.flush_all()
            while hooks:
                hooks.pop(0)()
        self.env.invalidate_all()

    # ------------------------------------------------------------------ the candidate's browser
    def offer(self, starts):
        offer = self.env["herp_zoom.interview.offer"].with_user(self.recruiter).create({
            "name": "First interview", "applicant_id": self.applicant.id, "duration": 1.0,
            "interviewer_ids": [(6, 0, self.interviewer.ids)],
            "slot_ids": [(0, 0, {"start": start}) for start in starts],
        })
        offer.action_send()
        return offer

    def submit(self, page, url, **data):
        """Post the page's form as the browser does: with the page's CSRF token and revision."""
        values = dict(csrf_token=CSRF.search(page.text).group(1), revision=REVISION.search(page.text).group(1),
                      tz="Asia/Tokyo", **data)
        return self.opener.post(self.base_url() + url, data=values, timeout=60)

    def meetings_created(self):
        return [request for request in self.sandbox.state.requests
                if request["method"] == "POST" and re.search(r"/users/[^/]+/meetings$", request["path"])]

    def test_candidate_books_moves_and_cancels_over_http_with_one_meeting_at_zoom(self):
        day = next_weekday(3)
        first, second = day + timedelta(hours=1), day + timedelta(hours=3)
        offer = self.offer([first, second])
        link = f"/interview/offer/{offer.sudo().access_token}"
        page = self.opener.get(self.base_url() + link, params={"tz": "Asia/Tokyo"}, timeout=60)
        self.assertEqual(page.status_code, 200)
        slot_ids = [int(slot_id) for slot_id in SLOT.findall(page.text)]
        self.assertEqual(slot_ids, offer.slot_ids.ids)

        # Booked: one interview, one meeting created at Zoom, its link wherever the candidate looks.
        with self.calendar_apis() as sent, self.commits_run_their_hooks():
            booked = self.submit(page, link + "/book", slot=str(offer.slot_ids[0].id))
        self.assertEqual(booked.status_code, 200)
        self.assertIn("notice=booked", booked.url)
        events = self.env["calendar.event"].with_context(active_test=False).search(
            [("applicant_id", "=", self.applicant.id)])
        self.assertEqual(len(events), 1)
        event = events.sudo()
        self.assertEqual(event.partner_ids, self.interviewer.partner_id | self.applicant.partner_id)
        self.assertEqual((event.start, event.zoom_state), (first, "issued"))
        self.assertEqual(len(self.meetings_created()), 1)
        [meeting] = self.sandbox.state.snapshot()["meetings"]
        self.assertEqual(str(meeting["id"]), event.zoom_meeting_id)
        self.assertEqual(meeting["host_email"], "interviewer1@herp-demo.example")
        self.assertEqual(meeting["start_time"], first.strftime("%Y-%m-%dT%H:%M:%SZ"))
        join_url = meeting["join_url"]
        self.assertEqual(event.zoom_join_url, join_url)
        self.assertIn(f'href="{escape(join_url)}"', booked.text, "on the confirmation page")
        mail = self.env["mail.mail"].sudo().search([("model", "=", offer._name), ("res_id", "=", offer.id),
                                                   ("subject", "ilike", "confirmed")])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.applicant.partner_id)
        self.assertIn(escape(join_url), str(mail.body_html))
        [ics] = mail.attachment_ids.filtered(lambda attachment: attachment.name.endswith(".ics"))
        self.assertIn(join_url, ics.raw.decode().replace("\r\n ", ""))
        [(google_uri, google_insert)] = [(uri, body) for method, uri, body in sent["google"] if method == "POST"]
        self.assertIn(join_url, google_insert["description"])
        self.assertNotIn("conferenceData", google_insert)
        self.assertIn("conferenceDataVersion=0", google_uri)
        [outlook_insert] = [body for method, _uri, body in sent["outlook"] if method == "POST"]
        self.assertIn(join_url, outlook_insert["body"]["content"])
        self.assertIs(outlook_insert["isOnlineMeeting"], False)

        # Moved: the same meeting at Zoom follows, though the company does not send edits to Zoom.
        self.assertEqual([int(slot_id) for slot_id in SLOT.findall(booked.text)], [offer.slot_ids[1].id])
        with self.calendar_apis() as sent, self.commits_run_their_hooks():
            moved = self.submit(booked, link + "/book", slot=str(offer.slot_ids[1].id))
        self.assertEqual(moved.status_code, 200)
        self.assertIn("notice=moved", moved.url)
        event.invalidate_recordset()
        self.assertEqual(event.start, second)
        self.assertEqual(len(self.meetings_created()), 1, "moved, not created again")
        [meeting] = self.sandbox.state.snapshot()["meetings"]
        self.assertEqual(str(meeting["id"]), event.zoom_meeting_id)
        self.assertEqual(meeting["start_time"], second.strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.assertIn(f'href="{escape(join_url)}"', moved.text)
        confirmations = self.env["mail.mail"].sudo().search([
            ("model", "=", offer._name), ("res_id", "=", offer.id), ("subject", "ilike", "confirmed")])
        self.assertEqual(len(confirmations), 2, "a new confirmation for the new time")
        self.assertIn(escape(join_url), str((confirmations - mail).body_html))
        google_updates = [body for method, _uri, body in sent["google"] if method == "PATCH"]
        self.assertTrue(google_updates)
        for body in google_updates:
            self.assertIn(join_url, body["description"])
            self.assertEqual(body["start"]["dateTime"], second.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
        # Odoo 19's Outlook sync may send the move in more than one update: those with a start move it.
        outlook_updates = [body for method, _uri, body in sent["outlook"] if method == "PATCH"]
        self.assertEqual({body["start"]["dateTime"] for body in outlook_updates if "start" in body},
                         {second.strftime("%Y-%m-%dT%H:%M:%S+00:00")})
        self.assertFalse([body for method, _uri, body in sent["google"] + sent["outlook"] if method == "POST"],
                         "moved in Google and Outlook, not inserted again")

        # Cancelled: the company deletes meetings with interviews, so Zoom no longer holds it.
        with self.calendar_apis(), self.commits_run_their_hooks():
            cancelled = self.submit(moved, link + "/cancel")
        self.assertEqual(cancelled.status_code, 200)
        self.assertIn("Your interview was cancelled", cancelled.text)
        self.assertFalse(event.with_context(active_test=False).active)
        self.assertEqual(self.sandbox.state.snapshot()["meetings"], [])
        self.assertEqual([(request["method"], request["status"]) for request in self.sandbox.state.requests
                          if request["path"] == f"/v2/meetings/{meeting['id']}" and request["method"] == "DELETE"],
                         [("DELETE", 204)])
        self.assertEqual(offer.state, "cancelled")
