"""The Zoom meeting reaches the interviewers' Google and Outlook calendars, the .ics file and
the invitation e-mails, and no second video link is added (S7, B9)."""

import base64
import importlib
import json
import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

import responses
import vobject

from odoo.tests import tagged

from ..utils.meeting_text import BLOCK_END, BLOCK_START
from .common import API_URL, ZoomCommon
from .dates import YEAR

DESCRIPTION = "<p>Second round with the team</p>"
JOIN_URL = "http://localhost:8999/j/81234567890?pwd=EncaB3xY9"
# The block is delimited by invisible marks (BLOCK_START, BLOCK_END): readers see the lines only.
ZOOM_BLOCK_HTML = (
    f"<p>{BLOCK_START}Join Zoom meeting: {JOIN_URL}<br>"
    "Meeting ID: 812 3456 7890<br>"
    f"Passcode: aB3xY9{BLOCK_END}</p>"
)


class SyncCommon(ZoomCommon):
    """Google / Outlook sync of the recruiter's calendar, faked where Odoo talks HTTP to them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        installed = set(cls.env["ir.module.module"].sudo().search([("state", "=", "installed")]).mapped("name"))
        cls.google_installed = "google_calendar" in installed
        cls.microsoft_installed = "microsoft_calendar" in installed

    def setUp(self):
        super().setUp()
        # Hooks left by the set-up must not run inside the assertions of a test.
        self.env.cr.postcommit.clear()

    def sync_with_google(self, user):
        if not self.google_installed:
            self.skipTest("google_calendar is not installed")
        self.env["ir.config_parameter"].sudo().set_param("google_calendar_sync_paused", False)
        settings = self.env["res.users.settings"].sudo()._find_or_create_for_user(user)
        settings.write({
            "google_calendar_rtoken": "google-refresh-token",
            "google_calendar_token": "google-access-token",
            "google_calendar_token_validity": datetime.now() + timedelta(days=1),
            "google_synchronization_stopped": False,
        })

    def sync_with_outlook(self, user):
        if not self.microsoft_installed:
            self.skipTest("microsoft_calendar is not installed")
        self.env["ir.config_parameter"].sudo().set_param("microsoft_calendar_sync_paused", False)
        user.sudo().write({
            "microsoft_calendar_rtoken": "outlook-refresh-token",
            "microsoft_calendar_token": "outlook-access-token",
            "microsoft_calendar_token_validity": datetime.now() + timedelta(days=1),
            "microsoft_synchronization_stopped": False,
        })

    @contextmanager
    def google_api(self, google_events=()):
        """Requests that google_calendar sends to Google: (method, uri, body); reading the
        calendar gives ``google_events``."""
        sent = []

        def do_request(service, uri, params=None, headers=None, method="POST", preuri=None, timeout=None):
            if method == "GET":
                return 200, {"items": list(google_events), "nextSyncToken": "next-sync-token"}, datetime.now()
            body = json.loads(params) if isinstance(params, str) else params
            sent.append((method, uri, body))
            if method == "POST":
                return 200, {"id": body.get("id")}, datetime.now()
            return 200, {}, datetime.now()

        with patch.object(type(self.env["google.service"]), "_do_request", autospec=True, side_effect=do_request):
            yield sent

    @contextmanager
    def outlook_api(self):
        """Requests that microsoft_calendar sends to Microsoft Graph: (method, uri, body)."""
        sent = []

        def do_request(service, uri, params=None, headers=None, method="POST", preuri=None, timeout=None):
            body = json.loads(params) if isinstance(params, str) else params
            sent.append((method, uri, body))
            if method == "POST":
                return 201, {"id": "outlook-event-1", "iCalUId": "outlook-uid-1"}, datetime.now()
            return 200, {}, datetime.now()

        with patch.object(type(self.env["microsoft.service"]), "_do_request", autospec=True, side_effect=do_request):
            yield sent

    def run_after_commit(self):
        """google_calendar and microsoft_calendar talk to their APIs after the commit."""
        self.env.flush_all()  # as the commit would
        funcs = self.env.cr.postcommit._funcs
        while funcs:
            funcs.popleft()()
        self.env.invalidate_all()

    @contextmanager
    def zoom_down(self):
        """Zoom answers every meeting creation with HTTP 503."""
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            rsps.add(responses.POST, re.compile(re.escape(API_URL) + r"/users/[^/]+/meetings$"), status=503,
                     json={"code": 503, "message": "Service unavailable"})
            yield rsps


@tagged("post_install", "-at_install")
class TestGooglePropagation(SyncCommon):
    def test_google_insert_carries_the_meeting_and_no_meet_link(self):
        self.sync_with_google(self.recruiter)
        with self.zoom() as fake, self.google_api() as google:
            event = self.create_interview(description=DESCRIPTION)
            self.assertIssued(event, fake, self.zoom_interviewer)
            self.assertFalse(google, "nothing reaches Google before the commit")
            self.run_after_commit()
        inserts = [(uri, body) for method, uri, body in google if method == "POST"]
        self.assertEqual(len(inserts), 1)
        uri, body = inserts[0]
        # Computed during create(), after the meeting was put on the event.
        self.assertEqual(body["description"], str(event.description) + ZOOM_BLOCK_HTML)
        self.assertNotIn("conferenceData", body)
        self.assertIn("conferenceDataVersion=0", uri)
        self.assertEqual(body["extendedProperties"]["shared"][f"{self.env.cr.dbname}_odoo_id"], event.id)
        self.assertEqual(event.google_id, body["id"])

    def test_google_round_trip_keeps_one_block(self):
        self.sync_with_google(self.recruiter)
        from_google = []
        with self.zoom(), self.google_api(from_google) as google:
            event = self.create_interview(description=DESCRIPTION)
            own_description = str(event.description)
            self.run_after_commit()
            [(_method, _uri, sent)] = google
            self.assertTrue(event.google_id)
            # Google gives the event back as it was sent, moved to another room, on the recruiter's next sync.
            from_google.append(dict(
                sent, status="confirmed", location="Room 5",
                updated=(datetime.now() + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            ))
            google.clear()
            service = importlib.import_module("odoo.addons.google_calendar.utils.google_calendar")
            self.recruiter.with_user(self.recruiter).sudo()._sync_google_calendar(
                service.GoogleCalendarService(self.env["google.service"]))
            self.run_after_commit()
            self.assertEqual(event.location, "Room 5")
            self.assertEqual(str(event.description), own_description, "the block is not kept in Odoo")
            self.assertEqual(event.zoom_join_url, JOIN_URL)
            self.assertFalse(event.need_sync)

            event.with_user(self.recruiter).write({"name": "Interview: Chika (final)"})
            self.run_after_commit()
        patches = [body for method, _uri, body in google if method == "PATCH"]
        self.assertEqual(len(patches), 1)
        self.assertEqual(patches[0]["summary"], "Interview: Chika (final)")
        self.assertEqual(patches[0]["location"], "Room 5")
        self.assertEqual(patches[0]["description"], str(event.description) + ZOOM_BLOCK_HTML)

    def test_meeting_issued_by_retry_reaches_google(self):
        self.sync_with_google(self.recruiter)
        with self.google_api() as google:
            with self.zoom_down():
                event = self.create_interview(description=DESCRIPTION)
            self.assertEqual(event.zoom_state, "pending")
            self.run_after_commit()
            [(method, uri, inserted)] = google
            self.assertEqual(method, "POST")
            self.assertEqual(inserted["description"], str(event.description))
            # The Zoom meeting is on its way: Google must not add a Meet link meanwhile.
            self.assertIn("conferenceDataVersion=0", uri)
            google.clear()
            with self.zoom() as fake:
                event.with_user(self.recruiter).action_zoom_issue_meeting()
            self.assertIssued(event, fake, self.zoom_interviewer)
            self.assertTrue(event.need_sync)
            self.run_after_commit()
        patches = [(uri, body) for method, uri, body in google if method == "PATCH"]
        self.assertEqual(len(patches), 1)
        uri, body = patches[0]
        self.assertIn(event.google_id, uri)
        self.assertEqual(body["description"], str(event.description) + ZOOM_BLOCK_HTML)
        self.assertFalse(event.need_sync)


@tagged("post_install", "-at_install")
class TestOutlookPropagation(SyncCommon):
    def test_outlook_insert_carries_the_meeting_and_no_teams_link(self):
        self.sync_with_outlook(self.recruiter)
        with self.zoom() as fake, self.outlook_api() as outlook:
            event = self.create_interview(description=DESCRIPTION)
            self.assertIssued(event, fake, self.zoom_interviewer)
            self.assertFalse(outlook, "nothing reaches Outlook before the commit")
            self.run_after_commit()
        inserts = [body for method, _uri, body in outlook if method == "POST"]
        self.assertEqual(len(inserts), 1)
        body = inserts[0]
        self.assertEqual(body["body"], {"content": str(event.description) + ZOOM_BLOCK_HTML, "contentType": "html"})
        self.assertIs(body["isOnlineMeeting"], False)
        self.assertNotIn("onlineMeetingProvider", body)
        self.assertEqual(event.microsoft_id, "outlook-event-1")

    def test_meeting_issued_by_retry_reaches_outlook(self):
        self.sync_with_outlook(self.recruiter)
        with self.outlook_api() as outlook:
            with self.zoom_down():
                event = self.create_interview(description=DESCRIPTION)
            self.assertEqual(event.zoom_state, "pending")
            self.run_after_commit()
            [(method, _uri, inserted)] = outlook
            self.assertEqual(method, "POST")
            self.assertEqual(inserted["body"]["content"], str(event.description))
            # The Zoom meeting is on its way: Outlook must not add a Teams meeting meanwhile.
            self.assertIs(inserted["isOnlineMeeting"], False)
            self.assertNotIn("onlineMeetingProvider", inserted)
            outlook.clear()
            with self.zoom() as fake:
                event.with_user(self.recruiter).action_zoom_issue_meeting()
            self.assertIssued(event, fake, self.zoom_interviewer)
            self.assertTrue(event.need_sync_m)
            self.run_after_commit()
        patches = [(uri, body) for method, uri, body in outlook if method == "PATCH"]
        self.assertEqual(len(patches), 1)
        uri, body = patches[0]
        self.assertTrue(uri.endswith("/outlook-event-1"))
        self.assertEqual(body["body"]["content"], str(event.description) + ZOOM_BLOCK_HTML)
        self.assertIs(body["isOnlineMeeting"], False)
        self.assertFalse(event.need_sync_m)


@tagged("post_install", "-at_install")
class TestInvitationPropagation(ZoomCommon):
    def test_ics_description_carries_the_meeting(self):
        with self.zoom():
            event = self.create_interview(description=DESCRIPTION)
        vevent = vobject.readOne(event._get_ics_file()[event.id].decode()).vevent
        # The interview's own text (with, on Odoo 19, the contact details calendar added) and the block.
        self.assertTrue(vevent.description.value.startswith("Second round with the team\n"))
        # The block on lines of its own (on Odoo 19 before the footnotes of the contact details).
        self.assertRegex(vevent.description.value, r"\n" + re.escape(
            f"{BLOCK_START}Join Zoom meeting: {JOIN_URL}\n"
            "Meeting ID: 812 3456 7890\n"
            f"Passcode: aB3xY9{BLOCK_END}"
        ) + r"(?:\n|$)")

    def test_invitation_mail_to_candidate_carries_the_meeting(self):
        with self.zoom():
            event = self.create_interview(description=DESCRIPTION)
        mail = self.env["mail.mail"].sudo().search([
            ("model", "=", "calendar.event"), ("res_id", "=", event.id),
            ("recipient_ids", "in", self.candidate.ids),
        ])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "Invitation to Interview: Chika")
        body = mail.body_html
        # The join link (its text is the link on Odoo 18, "Video meeting" on 19), then the ID and passcode.
        self.assertRegex(body, re.escape(f'href="{JOIN_URL}">') + r"[^<]*</a><br>Meeting ID: 812 3456 7890<br>Passcode: aB3xY9")
        self.assertNotIn("==== Zoom ====", body)
        [ics] = mail.attachment_ids.filtered(lambda attachment: attachment.name == "invitation.ics")
        vevent = vobject.readOne(base64.b64decode(ics.datas).decode()).vevent
        self.assertIn("Meeting ID: 812 3456 7890\nPasscode: aB3xY9", vevent.description.value)

    def test_zoom_link_wins_over_a_requested_discuss_link(self):
        # The form's "Odoo meeting" button puts a Discuss link in the values it saves.
        discuss_url = self.env["calendar.event"].with_user(self.recruiter).get_discuss_videocall_location()
        self.assertIn("/calendar/join_videocall/", discuss_url)
        with self.zoom() as fake:
            event = self.create_interview(
                description=DESCRIPTION, videocall_location=discuss_url, access_token=discuss_url.rsplit("/", 1)[-1],
            )
        self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual(event.videocall_location, JOIN_URL)
        self.assertEqual(event.videocall_source, "custom")
        self.assertFalse(event.videocall_channel_id)
        mail = self.env["mail.mail"].sudo().search([
            ("model", "=", "calendar.event"), ("res_id", "=", event.id),
            ("recipient_ids", "in", self.candidate.ids),
        ])
        self.assertIn(JOIN_URL, mail.body_html)
        self.assertNotIn("join_videocall", mail.body_html)
        self.assertNotIn("Odoo Discuss", mail.body_html)
        self.assertNotIn("join_videocall", event._get_ics_file()[event.id].decode())

    def test_each_attendee_reads_the_join_details_in_their_language(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.candidate.lang = "ja_JP"
        with self.zoom():
            event = self.create_interview()
        template = self.env.ref("calendar.calendar_template_meeting_invitation")
        bodies = template._render_field("body_html", event.attendee_ids.ids, compute_lang=True)
        by_partner = {attendee.partner_id: str(bodies[attendee.id]) for attendee in event.attendee_ids}
        self.assertIn("<br>ミーティング ID: 812 3456 7890<br>パスコード: aB3xY9", by_partner[self.candidate])
        self.assertIn("<br>Meeting ID: 812 3456 7890<br>Passcode: aB3xY9", by_partner[self.interviewer.partner_id])
        self.assertNotIn("ミーティング", by_partner[self.interviewer.partner_id])

    def test_attendee_template_without_the_link_gets_every_line(self):
        with self.zoom():
            event = self.create_interview()
        template = self.env["mail.template"].create({
            "name": "Interview reminder",
            "model_id": self.env["ir.model"]._get_id("calendar.attendee"),
            "body_html": "<p>See you soon, <t t-out=\"object.common_name\"/>.</p>",
        })
        attendee = event.attendee_ids.filtered(lambda attendee: attendee.partner_id == self.candidate)
        body = template._render_field("body_html", attendee.ids, compute_lang=True)[attendee.id]
        self.assertEqual(str(body), (
            "<p>See you soon, Candidate Chika.</p>"
            f"<p>Join Zoom meeting: {JOIN_URL}<br>Meeting ID: 812 3456 7890<br>Passcode: aB3xY9</p>"
        ))
        plain = self.create_interview(partners=self.candidate, start=datetime(YEAR, 3, 5, 1, 0))
        attendee = plain.attendee_ids.filtered(lambda attendee: attendee.partner_id == self.candidate)
        body = template._render_field("body_html", attendee.ids, compute_lang=True)[attendee.id]
        self.assertEqual(str(body), "<p>See you soon, Candidate Chika.</p>")
