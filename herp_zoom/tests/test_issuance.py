import re
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from . import common
from .common import ZOOM_HOST, ZoomCommon
from .dates import YEAR


@tagged("post_install", "-at_install")
class TestIssuance(ZoomCommon):
    def test_recruiter_event_with_linked_interviewer_issues_one_meeting(self):
        with self.zoom() as fake:
            event = self.create_interview(start=datetime(YEAR, 3, 4, 1, 0), hours=1)
        self.assertEqual(len(fake.create_requests), 1)
        host, body = fake.create_requests[0]
        self.assertEqual(host, "zu_interviewer")
        self.assertEqual(body["topic"], "Interview: Chika")
        # The recruiter (organizer) is in Tokyo: 01:00 UTC is 10:00 there.
        self.assertEqual(body["start_time"], f"{YEAR}-03-04T01:00:00Z")
        self.assertEqual(body["timezone"], "Asia/Tokyo")
        self.assertEqual(body["duration"], 60)
        self.assertEqual(body["type"], 2)
        meeting = self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertNotIn("SECRET-HOST-ZAK", str(event.sudo().read()[0]))
        self.assertEqual(event.zoom_meeting_id, str(meeting["id"]))

    def test_event_without_linked_attendee_issues_nothing(self):
        with self.zoom() as fake:
            event = self.create_interview(partners=self.candidate | self.employee.partner_id)
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")
        self.assertFalse(event.videocall_location)

    def test_event_created_by_user_without_issuing_role_issues_nothing(self):
        for user in (self.employee, self.interviewer):
            with self.zoom() as fake:
                event = self.create_interview(user=user)
            self.assertFalse(fake.create_requests, user.login)
            self.assertEqual(event.zoom_state, "none")

    def test_assistant_and_admin_issue(self):
        for user in (self.assistant, self.zoom_admin):
            with self.zoom() as fake:
                event = self.create_interview(user=user)
            self.assertIssued(event, fake, self.zoom_interviewer)

    def test_all_day_event_gets_no_meeting(self):
        with self.zoom() as fake:
            event = self.env["calendar.event"].with_user(self.recruiter).create({
                "name": "Interview day",
                "allday": True,
                "start_date": f"{YEAR}-03-04",
                "stop_date": f"{YEAR}-03-04",
                "partner_ids": [(6, 0, self.interviewer.partner_id.ids)],
            })
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")

    def test_edits_neither_issue_nor_delete(self):
        """With the company's default settings, only creating an interview talks to Zoom."""
        self.assertFalse(self.account.delete_meetings or self.account.update_meetings)
        with self.zoom() as fake:
            plain = self.create_interview(partners=self.candidate)
            plain.with_user(self.recruiter).write({"partner_ids": [(4, self.interviewer.partner_id.id)]})
            event = self.create_interview()
            meeting_id = int(event.zoom_meeting_id)
            event.with_user(self.recruiter).write({"partner_ids": [(3, self.interviewer.partner_id.id)]})
            event.with_user(self.recruiter).write({"partner_ids": [(4, self.interviewer2.partner_id.id)]})
            event.with_user(self.recruiter).unlink()
            # What runs once the deletion is committed.
            self.env.flush_all()
            self.env.cr.postcommit.run()
            sent = [(call.request.method, call.request.url) for call in fake.rsps.calls]
        self.assertEqual(len(sent), 1, sent)
        self.assertEqual(sent[0][0], "POST")
        self.assertIn(meeting_id, fake.meetings)
        self.assertFalse(self.env["zoom.meeting.deletion"].sudo().search([("meeting_id", "=", str(meeting_id))]))

    def test_batch_create_issues_one_meeting_per_event(self):
        with self.zoom() as fake:
            events = self.env["calendar.event"].with_user(self.recruiter).create([
                {
                    "name": f"Interview {index}",
                    "start": datetime(YEAR, 3, 4, 1, 0) + timedelta(days=index),
                    "stop": datetime(YEAR, 3, 4, 2, 0) + timedelta(days=index),
                    "partner_ids": [(6, 0, (self.interviewer.partner_id | self.candidate).ids)],
                }
                for index in range(3)
            ] + [{"name": "Lunch", "start": datetime(YEAR, 3, 4, 3, 0), "stop": datetime(YEAR, 3, 4, 4, 0),
                  "partner_ids": [(6, 0, self.candidate.ids)]}])
        self.assertEqual(len(fake.create_requests), 3)
        self.assertEqual(events.mapped("zoom_state"), ["issued", "issued", "issued", "none"])
        self.assertEqual(len(set(events[:3].mapped("zoom_meeting_id"))), 3)

    def test_organizer_hosts_when_linked_and_others_become_alternative_hosts(self):
        self.recruiter._zoom_link(self.zoom_recruiting)
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.recruiter.partner_id)
        host, body = fake.create_requests[0]
        self.assertEqual(host, "zu_recruiting")
        self.assertEqual(body["settings"]["alternative_hosts"], "interviewer@zoom.example")
        self.assertIssued(event, fake, self.zoom_recruiting)

    def test_busy_host_is_skipped(self):
        with self.zoom() as fake:
            first = self.create_interview(partners=self.interviewer.partner_id)
            second = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id,
                                           start=datetime(YEAR, 3, 4, 1, 30))
        self.assertIssued(first, fake, self.zoom_interviewer)
        self.assertIssued(second, fake, self.zoom_interviewer2)
        self.assertFalse(second.zoom_host_busy)

    def test_every_host_busy_still_issues_and_says_so(self):
        with self.zoom() as fake:
            self.create_interview(partners=self.interviewer.partner_id)
            second = self.create_interview(start=datetime(YEAR, 3, 4, 1, 30))
        self.assertIssued(second, fake, self.zoom_interviewer)
        self.assertTrue(second.zoom_host_busy)
        self.assertIn("overlapping", second.zoom_state_reason)
        self.assertIn("overlapping", second.message_ids[:1].body)

    def test_copy_does_not_reuse_meeting(self):
        with self.zoom() as fake:
            event = self.create_interview()
            copy = event.with_user(self.recruiter).copy({"start": datetime(YEAR, 4, 1, 1, 0), "stop": datetime(YEAR, 4, 1, 2, 0)})
        self.assertEqual(len(fake.create_requests), 2)
        self.assertNotEqual(copy.zoom_meeting_id, event.zoom_meeting_id)
        self.assertNotEqual(copy.videocall_location, event.videocall_location)


@tagged("post_install", "-at_install")
class TestMeetingContent(ZoomCommon):
    """What Zoom receives and what Odoo keeps of its answer (B3, S10, B10)."""

    def test_start_time_is_utc_with_the_organizers_time_zone_on_both_sides_of_dst(self):
        paris = new_test_user(self.env, "paris_recruiter", groups="base.group_user,herp_zoom.group_zoom_recruiter",
                              email="paris@example.com", tz="Europe/Paris")
        with self.zoom() as fake:
            # 10:00 in Paris: UTC+1 before the change of 31 March (a Sunday in YEAR), UTC+2 after it.
            winter = self.create_interview(user=paris, start=datetime(YEAR, 3, 29, 9, 0), hours=0.5)
            summer = self.create_interview(user=paris, start=datetime(YEAR, 4, 2, 8, 0), hours=1.5)
        [(_host, winter_body), (_host2, summer_body)] = fake.create_requests
        self.assertEqual(winter_body["start_time"], f"{YEAR}-03-29T09:00:00Z")
        self.assertEqual(summer_body["start_time"], f"{YEAR}-04-02T08:00:00Z")
        self.assertEqual(winter_body["timezone"], "Europe/Paris")
        self.assertEqual(summer_body["timezone"], "Europe/Paris")
        self.assertEqual(winter_body["duration"], 30)
        self.assertEqual(summer_body["duration"], 90)
        self.assertIssued(winter, fake, self.zoom_interviewer)
        self.assertIssued(summer, fake, self.zoom_interviewer)

    def test_meeting_follows_values_given_as_text_and_as_defaults(self):
        """JSON-RPC gives dates as text; a screen may give the subject, the description and the
        host as defaults of its context."""
        partners = self.interviewer.partner_id | self.interviewer2.partner_id | self.candidate
        calendar = self.env["calendar.event"].with_user(self.recruiter).with_context(
            default_name="Final round: Chika", default_description="<p>With the CTO</p>",
            default_zoom_chosen_host_id=self.interviewer2.id,
        )
        with self.zoom() as fake:
            event = calendar.create({"start": f"{YEAR}-03-04 01:00:00", "stop": f"{YEAR}-03-04 01:45:00",
                                     "partner_ids": [(6, 0, partners.ids)]})
        [(host, body)] = fake.create_requests
        self.assertEqual(host, "zu_interviewer2")
        self.assertEqual(body["topic"], "Final round: Chika")
        self.assertEqual(body["agenda"], f"With the CTO\n\nOdoo ref: {event.sudo().zoom_issue_key}")
        self.assertEqual((body["start_time"], body["duration"]), (f"{YEAR}-03-04T01:00:00Z", 45))
        self.assertIssued(event, fake, self.zoom_interviewer2)
        self.assertEqual(event.sudo().zoom_chosen_host_id, self.interviewer2)

    def test_agenda_is_the_plain_description_and_the_reference(self):
        with self.zoom() as fake:
            event = self.create_interview(
                description="<p>Second round with the team</p><p>Portfolio review<br>Questions</p>",
            )
        [(_host, body)] = fake.create_requests
        self.assertEqual(body["topic"], "Interview: Chika")
        self.assertEqual(
            body["agenda"],
            f"Second round with the team\nPortfolio review\nQuestions\n\nOdoo ref: {event.sudo().zoom_issue_key}",
        )
        # Without a description, the reference alone lets a lost answer be found again.
        with self.zoom() as fake:
            bare = self.create_interview(start=datetime(YEAR, 3, 5, 1, 0))
        self.assertEqual(fake.create_requests[0][1]["agenda"], f"Odoo ref: {bare.sudo().zoom_issue_key}")

    def test_agenda_leaves_out_the_contact_details_calendar_adds(self):
        """Odoo 19's calendar adds the organizer's and an attendee's contact details to a new
        event's description: they stay on the event, not in the Zoom meeting's agenda, also
        when the meeting is issued later (a retry)."""
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            event = self.create_interview(description="<p>Portfolio review</p>")
            self.assertEqual(event.zoom_state, "pending")
            event.sudo()._zoom_issue_existing()
        self.assertEqual(event.zoom_state, "issued")
        [(_host, body)] = fake.create_requests
        self.assertEqual(body["agenda"], f"Portfolio review\n\nOdoo ref: {event.sudo().zoom_issue_key}")

    def test_passcode_and_join_url_are_kept_exactly(self):
        passcode = "a1B2-c3"
        join_suffix = "?pwd=bTF2Qi1jMy5YeQ%3D%3D.1"

        def zoom_answer(meeting_id, body, host_id, host_email, passcode=passcode):
            meeting = original(meeting_id, body, host_id, host_email, passcode=passcode)
            meeting["join_url"] = f"{ZOOM_HOST}/j/{meeting_id}{join_suffix}"
            return meeting

        original = common.meeting_response
        with patch.object(common, "meeting_response", zoom_answer), self.zoom() as fake:
            event = self.create_interview()
        meeting = self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual(event.zoom_passcode, "a1B2-c3")
        self.assertEqual(event.zoom_join_url, f"{ZOOM_HOST}/j/{meeting['id']}{join_suffix}")
        self.assertEqual(event.videocall_location, event.zoom_join_url)

    def test_start_url_is_never_stored(self):
        with self.zoom() as fake:
            event = self.create_interview(description="<p>Second round</p>")
        meeting = self.assertIssued(event, fake, self.zoom_interviewer)
        zak = "SECRET-HOST-ZAK"
        self.assertIn(zak, meeting["start_url"])
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = 'calendar_event' AND data_type IN ('character varying', 'text', 'jsonb')""",
        )
        columns = [row[0] for row in self.env.cr.fetchall()]
        self.assertIn("zoom_join_url", columns)
        for column in columns:
            self.env.cr.execute(f'SELECT "{column}"::text FROM calendar_event WHERE id = %s', [event.id])
            self.assertNotIn(zak, self.env.cr.fetchone()[0] or "", column)
        self.env.cr.execute(
            "SELECT body::text FROM mail_message WHERE model = 'calendar.event' AND res_id = %s", [event.id],
        )
        bodies = [row[0] or "" for row in self.env.cr.fetchall()]
        self.assertTrue(bodies)
        self.assertFalse([body for body in bodies if zak in body or "/s/" in body])

    def test_meeting_id_is_shown_grouped(self):
        with self.zoom():
            event = self.create_interview()
        self.assertEqual(event.zoom_meeting_id, "81234567890")
        self.assertEqual(event.zoom_meeting_id_display, "812 3456 7890")
        self.assertIn("Zoom meeting 812 3456 7890 issued", event.message_ids[:1].body)


@tagged("post_install", "-at_install")
class TestHostChoice(ZoomCommon):
    """One host per meeting, chosen without overlap; the others become alternative hosts (S9, B1, B10)."""

    def test_first_linked_attendee_in_the_given_order_hosts(self):
        with self.zoom() as fake:
            first = self.create_interview(
                partners=self.candidate | self.interviewer2.partner_id | self.interviewer.partner_id,
            )
            second = self.create_interview(
                partners=self.interviewer.partner_id | self.candidate | self.interviewer2.partner_id,
                start=datetime(YEAR, 3, 5, 1, 0),
            )
        self.assertEqual(len(fake.create_requests), 2)
        self.assertIssued(first, fake, self.zoom_interviewer2)
        self.assertEqual(first.zoom_host_user_id, self.interviewer2)
        self.assertEqual(fake.create_requests[0][1]["settings"]["alternative_hosts"], "interviewer@zoom.example")
        self.assertIssued(second, fake, self.zoom_interviewer)
        self.assertEqual(fake.create_requests[1][1]["settings"]["alternative_hosts"], "interviewer2@zoom.example")

    def test_linked_organizer_hosts_even_when_set_by_an_assistant(self):
        self.recruiter._zoom_link(self.zoom_recruiting)
        with self.zoom() as fake:
            event = self.create_interview(
                user=self.assistant, user_id=self.recruiter.id,
                partners=self.interviewer.partner_id | self.recruiter.partner_id | self.interviewer2.partner_id,
            )
        [(host, body)] = fake.create_requests
        self.assertEqual(host, "zu_recruiting")
        self.assertIssued(event, fake, self.zoom_recruiting)
        self.assertEqual(body["settings"]["alternative_hosts"], "interviewer@zoom.example;interviewer2@zoom.example")

    def test_shared_zoom_user_is_one_host(self):
        shared_a, shared_b = (
            new_test_user(self.env, login, groups="base.group_user,herp_zoom.group_zoom_guest", email=f"{login}@example.com")
            for login in ("shared_a", "shared_b")
        )
        (shared_a | shared_b)._zoom_link(self.zoom_recruiting)
        with self.zoom() as fake:
            first = self.create_interview(partners=shared_a.partner_id | self.candidate)
            # The same Zoom user through another Odoo user is busy at that time.
            overlapping = self.create_interview(
                partners=shared_b.partner_id | self.interviewer.partner_id, start=datetime(YEAR, 3, 4, 1, 30),
            )
            both_shared = self.create_interview(
                partners=shared_a.partner_id | shared_b.partner_id, start=datetime(YEAR, 3, 6, 1, 0),
            )
        self.assertIssued(first, fake, self.zoom_recruiting)
        self.assertIssued(overlapping, fake, self.zoom_interviewer)
        self.assertFalse(overlapping.zoom_host_busy)
        self.assertEqual(fake.create_requests[1][1]["settings"]["alternative_hosts"], "recruiting@zoom.example")
        self.assertIssued(both_shared, fake, self.zoom_recruiting)
        self.assertNotIn("alternative_hosts", fake.create_requests[2][1]["settings"],
                         "a host is not its own alternative host")

    def test_two_simultaneous_meetings_per_host_when_allowed(self):
        self.env["res.config.settings"].create({"zoom_max_concurrent_meetings": 2}).execute()
        self.assertEqual(self.account.max_concurrent_meetings, 2)
        interviewers = self.interviewer.partner_id | self.interviewer2.partner_id
        with self.zoom() as fake:
            events = [
                self.create_interview(partners=interviewers, start=datetime(YEAR, 3, 4, 1, minute))
                for minute in (0, 10, 20)
            ]
            alone = self.create_interview(partners=self.interviewer.partner_id, start=datetime(YEAR, 3, 4, 1, 30))
        self.assertEqual([host for host, _body in fake.create_requests],
                         ["zu_interviewer", "zu_interviewer", "zu_interviewer2", "zu_interviewer"])
        self.assertEqual([event.zoom_host_busy for event in events], [False, False, False])
        # A third overlapping meeting for the same host is still issued, and says so.
        self.assertIssued(alone, fake, self.zoom_interviewer)
        self.assertTrue(alone.zoom_host_busy)

    def test_hosts_spread_within_one_batch(self):
        interviewers = self.interviewer.partner_id | self.interviewer2.partner_id
        with self.zoom() as fake:
            events = self.env["calendar.event"].with_user(self.recruiter).create([
                {
                    "name": f"Interview {index}",
                    "start": datetime(YEAR, 3, 4, 1, 0),
                    "stop": datetime(YEAR, 3, 4, 2, 0),
                    "partner_ids": [(6, 0, interviewers.ids)],
                }
                for index in range(3)
            ])
        self.assertEqual([host for host, _body in fake.create_requests],
                         ["zu_interviewer", "zu_interviewer2", "zu_interviewer"])
        self.assertEqual(events.mapped("zoom_host_busy"), [False, False, True])


@tagged("post_install", "-at_install")
class TestIssuanceEdges(ZoomCommon):
    """Imports, recurrences, unlinked people and a disconnected account (B9, S11)."""

    def test_events_imported_from_google_or_outlook_never_issue(self):
        with self.zoom() as fake:
            event = self.env["calendar.event"].with_user(self.recruiter).with_context(dont_notify=True).create({
                "name": "Interview from Google",
                "start": datetime(YEAR, 3, 4, 1, 0),
                "stop": datetime(YEAR, 3, 4, 2, 0),
                "partner_ids": [(6, 0, (self.interviewer.partner_id | self.candidate).ids)],
                "description": "<p>Hello</p><p>==== Zoom ====<br>Join Zoom meeting: http://x/j/1<br>==== /Zoom ====</p>",
            })
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")
        self.assertFalse(event.videocall_location)
        # The block is gone; the text stays (Odoo 19 adds the contact details after it).
        self.assertIn("<p>Hello</p>", str(event.description))
        self.assertNotIn("Zoom", str(event.description))

    def test_recurring_event_gets_one_meeting_for_all_occurrences(self):
        with self.zoom() as fake:
            event = self.create_interview(
                recurrency=True, rrule_type="weekly", interval=1, end_type="count", count=3, mon=True,
            )
        occurrences = event.recurrence_id.calendar_event_ids.sorted("start")
        self.assertEqual(len(occurrences), 3)
        self.assertEqual(occurrences.mapped("start"), [datetime(YEAR, 3, 4, 1, 0), datetime(YEAR, 3, 11, 1, 0),
                                                      datetime(YEAR, 3, 18, 1, 0)])
        self.assertEqual(len(fake.create_requests), 1)
        self.assertEqual(len(set(occurrences.mapped("zoom_meeting_id"))), 1)
        for occurrence in occurrences:
            meeting = self.assertIssued(occurrence, fake, self.zoom_interviewer)
        self.assertEqual(meeting["type"], 8)
        self.assertEqual(meeting["start_time"], f"{YEAR}-03-04T01:00:00Z")

    def test_nobody_linked_issues_nothing_and_raises_nothing(self):
        with self.zoom() as fake:
            event = self.create_interview(partners=self.candidate | self.employee.partner_id | self.recruiter.partner_id)
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")
        self.assertFalse(event.zoom_state_reason)
        self.assertFalse(event.message_ids.filtered(lambda message: "Zoom" in (message.body or "")))

    def test_disconnected_account_issues_nothing(self):
        with self.zoom() as fake:
            self.account.with_user(self.zoom_admin).action_disconnect()
            self.assertEqual(self.account.state, "disconnected")
            event = self.create_interview()
        self.assertFalse(fake.create_requests)
        self.assertEqual(event.zoom_state, "none")
        self.assertFalse(event.videocall_location)


@tagged("post_install", "-at_install")
class TestZoomLinkStatus(ZoomCommon):
    """Who has Zoom, in the event form (S6, C2)."""

    def test_linked_attendees_are_listed(self):
        with self.zoom():
            event = self.create_interview(
                partners=self.candidate | self.interviewer.partner_id | self.employee.partner_id
                | self.interviewer2.partner_id,
            )
        as_recruiter = event.with_user(self.recruiter)
        self.assertEqual(as_recruiter.zoom_linked_partner_ids,
                         self.interviewer.partner_id | self.interviewer2.partner_id)
        self.interviewer2.with_user(self.interviewer2).action_zoom_unlink_user()
        as_recruiter.invalidate_recordset()
        self.assertEqual(as_recruiter.zoom_linked_partner_ids, self.interviewer.partner_id)

    def test_form_shows_zoom_fields_to_every_role(self):
        with self.zoom():
            event = self.create_interview(partners=self.candidate | self.interviewer.partner_id
                                          | self.employee.partner_id)
        for user in (self.recruiter, self.interviewer, self.employee):
            views = self.env["calendar.event"].with_user(user).get_views([(False, "form")])
            arch = views["views"]["form"]["arch"]
            for name in ("videocall_location", "zoom_meeting_id_display", "zoom_passcode", "zoom_host_email",
                         "zoom_linked_partner_ids", "zoom_state"):
                self.assertIn(f'name="{name}"', arch, user.login)
            # The link is shown once: as Odoo's video call URL, with the Zoom details beside it.
            self.assertNotIn('name="zoom_join_url"', arch, user.login)
            self.assertEqual(arch.count('name="videocall_location"'), 1, user.login)
            fields = list(views["models"]["calendar.event"]["fields"])
            try:
                values = event.with_user(user).read(fields)[0]
            except AccessError as error:
                self.fail(f"{user.login} cannot read the event form: {error}")
            self.assertEqual(values["videocall_location"], event.zoom_join_url)
            self.assertEqual(values["zoom_state"], "issued")
            self.assertEqual(values["zoom_meeting_id_display"], "812 3456 7890")

    def test_public_fields(self):
        fields = self.env["calendar.event"]._fields
        self.assertEqual(fields["zoom_meeting_id"].type, "char")
        self.assertEqual(fields["zoom_join_url"].type, "char")
        self.assertEqual(fields["zoom_state"].type, "selection")
        states = dict(fields["zoom_state"]._description_selection(self.env))
        self.assertLessEqual({"none", "pending", "issued", "failed"}, set(states))
        with self.zoom() as fake:
            event = self.create_interview()
            unlinked = self.create_interview(partners=self.candidate)
        self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual(event.videocall_location, event.zoom_join_url)
        self.assertEqual(unlinked.zoom_state, "none")
        self.assertFalse(unlinked.zoom_meeting_id or unlinked.zoom_join_url)


@tagged("post_install", "-at_install")
class TestIssuanceQueries(ZoomCommon):
    """Issuance stays cheap: events without Zoom pay one query, batches pay a constant price."""

    def _count_queries(self, create):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        create()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_event_without_linked_attendee_costs_at_most_one_query(self):
        partners = self.candidate | self.employee.partner_id
        calendar = self.env["calendar.event"].with_user(self.recruiter)
        without_hook = calendar.with_context(herp_zoom_no_issue=True)
        with self.zoom() as fake:
            for model in (calendar, without_hook, calendar, without_hook):  # warm the caches
                model.create({"name": "Lunch", "start": datetime(YEAR, 3, 4, 3, 0), "stop": datetime(YEAR, 3, 4, 4, 0),
                              "partner_ids": [(6, 0, partners.ids)]})
            baseline = self._count_queries(lambda: without_hook.create({
                "name": "Lunch", "start": datetime(YEAR, 3, 4, 3, 0), "stop": datetime(YEAR, 3, 4, 4, 0),
                "partner_ids": [(6, 0, partners.ids)],
            }))
            with self.assertQueryCount(baseline + 1):
                calendar.create({"name": "Lunch", "start": datetime(YEAR, 3, 4, 3, 0),
                                 "stop": datetime(YEAR, 3, 4, 4, 0), "partner_ids": [(6, 0, partners.ids)]})
        self.assertFalse(fake.create_requests)

    @staticmethod
    def _interviews(partners, count, day):
        return [
            {
                "name": f"Interview {index}",
                "start": datetime(YEAR, 3, day, 1, 0) + timedelta(hours=index),
                "stop": datetime(YEAR, 3, day, 2, 0) + timedelta(hours=index),
                "partner_ids": [(6, 0, partners.ids)],
            }
            for index in range(count)
        ]

    def test_host_selection_queries_do_not_grow_with_the_batch(self):
        # Odoo's ORM quotes every identifier; the host selection's own SQL does not.
        host_sql = re.compile(r'(?<!")\b(zoom_host|zoom_host_zoom_user_id|zoom_user_id)\b(?!")')
        cursor_class = type(self.env.cr)
        execute = cursor_class.execute
        partners = self.interviewer.partner_id | self.interviewer2.partner_id | self.candidate

        def host_queries(count, day):
            seen = []

            def spy(cr, query, params=None, log_exceptions=True):
                if host_sql.search(str(query)):
                    seen.append(str(query))
                return execute(cr, query, params, log_exceptions)

            with patch.object(cursor_class, "execute", spy):
                events = self.env["calendar.event"].with_user(self.recruiter).create(
                    self._interviews(partners, count, day))
            self.assertEqual(events.mapped("zoom_state"), ["issued"] * count)
            return seen

        with self.zoom() as fake:
            host_queries(2, 4)  # warm the caches
            five = host_queries(5, 11)
            ten = host_queries(10, 18)
        self.assertEqual(len(fake.create_requests), 17)
        self.assertTrue(five)
        self.assertEqual(len(ten), len(five), "\n".join(ten))

    def test_issuing_a_batch_costs_the_same_queries_for_5_or_10_events(self):
        partners = self.interviewer.partner_id | self.interviewer2.partner_id | self.candidate
        calendar = self.env["calendar.event"].with_user(self.recruiter)
        without_hook = calendar.with_context(herp_zoom_no_issue=True)
        with self.zoom() as fake:
            calendar.create(self._interviews(partners, 2, 1))  # warm the caches
            without_hook.create(self._interviews(partners, 2, 1))
            overhead_5 = (self._count_queries(lambda: calendar.create(self._interviews(partners, 5, 4)))
                          - self._count_queries(lambda: without_hook.create(self._interviews(partners, 5, 5))))
            plain_10 = self._count_queries(lambda: without_hook.create(self._interviews(partners, 10, 11)))
            with self.assertQueryCount(plain_10 + overhead_5):
                calendar.create(self._interviews(partners, 10, 12))
        self.assertEqual(len(fake.create_requests), 2 + 5 + 10)



@tagged("post_install", "-at_install")
class TestLateIssuance(ZoomCommon):
    def test_meeting_issued_later_reaches_the_candidate_by_mail(self):
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            event = self.create_interview()
            self.assertEqual(event.zoom_state, "pending")
            event.with_user(self.recruiter).action_zoom_issue_meeting()
        self.assertEqual(event.zoom_state, "issued")
        mails = self.env["mail.mail"].sudo().search([
            ("recipient_ids", "in", self.candidate.ids), ("model", "=", "calendar.event"), ("res_id", "=", event.id),
        ]) or self.env["mail.message"].sudo().search([
            ("partner_ids", "in", self.candidate.ids), ("model", "=", "calendar.event"), ("res_id", "=", event.id),
        ])
        self.assertTrue(any(event.zoom_join_url in str(mail.body_html if "body_html" in mail else mail.body)
                            for mail in mails))
