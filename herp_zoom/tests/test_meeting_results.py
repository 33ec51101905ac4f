"""Interview results from Zoom's webhooks: attendance, no-shows, summary and recording."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.herp_zoom.utils.retry import MAX_ATTEMPTS

from .common import ZOOM_ACCOUNT_ID, ZoomCommon
from .dates import YEAR

START = datetime(YEAR, 3, 4, 1, 0)
UUID = "4444AAAiAAAAAiAiAiiAii=="


def zoom_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class ResultsCommon(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Interviews are summarized and recorded, for every interview (see test_recording_consent).
        cls.account.write({"fetch_meeting_results": True, "meeting_summary": "on", "meeting_summary_consent": "always",
                           "meeting_auto_recording": "cloud", "meeting_recording_consent": "always"})
        cls.event_ts = 1700000000000

    def setUp(self):
        super().setUp()
        with self.zoom():
            self.event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id
                                               | self.candidate).sudo()
        self.assertEqual(self.event.zoom_state, "issued")
        # The invitation the interview's creation sent is no result.
        self.last_mail_id = max(self.env["mail.mail"].sudo().search([]).ids or [0])

    def mails_to_candidate(self):
        return self.env["mail.mail"].sudo().search([("id", ">", self.last_mail_id),
                                                    ("recipient_ids", "in", self.candidate.ids)])

    def deliver(self, event, meeting, event_ts=None, **extra):
        """One verified delivery, as the webhook controller hands it on."""
        if event_ts is None:
            type(self).event_ts += 1
            event_ts = self.event_ts
        data = {"event": event, "event_ts": event_ts,
                "payload": {"account_id": ZOOM_ACCOUNT_ID, "object": meeting}, **extra}
        self.account._handle_webhook(data)
        self.env.invalidate_all()
        return data

    def meeting(self, event=None, uuid=UUID, start=START, **values):
        event = event or self.event
        return {"id": event.zoom_meeting_id, "uuid": uuid, "host_id": "zu_interviewer",
                "host_email": "interviewer@zoom.example", "topic": event.name, "type": 2,
                "start_time": zoom_time(start), "timezone": "Asia/Tokyo", "duration": 60, **values}

    def started(self, event=None, uuid=UUID, start=START, **kwargs):
        return self.deliver("meeting.started", self.meeting(event, uuid, start), **kwargs)

    def ended(self, event=None, uuid=UUID, start=START, end=START + timedelta(minutes=50), **kwargs):
        return self.deliver("meeting.ended", self.meeting(event, uuid, start, end_time=zoom_time(end)), **kwargs)

    def participant(self, event_name, name, email, moment, user_id, event=None, uuid=UUID, **kwargs):
        meeting = self.meeting(event, uuid)
        meeting.pop("host_email")
        person = {"user_id": user_id, "user_name": name, "email": email, "participant_uuid": f"pu-{user_id}"}
        person["join_time" if event_name == "meeting.participant_joined" else "leave_time"] = zoom_time(moment)
        if event_name == "meeting.participant_left":
            person["leave_reason"] = f"{name} left the meeting."
        meeting["participant"] = person
        return self.deliver(event_name, meeting, **kwargs)

    def joined(self, name, email, minutes, user_id, **kwargs):
        return self.participant("meeting.participant_joined", name, email, START + timedelta(minutes=minutes),
                                user_id, **kwargs)

    def left(self, name, email, minutes, user_id, **kwargs):
        return self.participant("meeting.participant_left", name, email, START + timedelta(minutes=minutes),
                                user_id, **kwargs)

    def summary_completed(self, event=None, uuid=UUID, **kwargs):
        event = event or self.event
        return self.deliver("meeting.summary_completed", {
            "meeting_host_id": "zu_interviewer", "meeting_host_email": "interviewer@zoom.example",
            "meeting_uuid": uuid, "meeting_id": int(event.zoom_meeting_id), "meeting_topic": event.name,
            "meeting_start_time": zoom_time(START), "meeting_end_time": zoom_time(START + timedelta(minutes=50)),
            "summary_start_time": zoom_time(START), "summary_end_time": zoom_time(START + timedelta(minutes=50)),
            "summary_created_time": zoom_time(START + timedelta(minutes=55)),
            "summary_last_modified_time": zoom_time(START + timedelta(minutes=55)),
            "summary_title": "Interview summary", "summary_details": [], "next_steps": [],
        }, **kwargs)

    def recording_completed(self, event=None, uuid=UUID, **kwargs):
        event = event or self.event
        meeting = self.meeting(event, uuid, id=int(event.zoom_meeting_id), account_id=ZOOM_ACCOUNT_ID,
                               password="", share_url="https://zoom.example/rec/share/abc123", total_size=1024,
                               recording_count=1, duration=48, recording_files=[])
        return self.deliver("recording.completed", meeting, download_token="DOWNLOAD-TOKEN", **kwargs)

    def fetch_summaries(self):
        """What the scheduled action does once it runs, right after the webhook's transaction."""
        self.env["zoom.meeting.result"]._cron_fetch_pending_summaries()
        self.env.invalidate_all()

    def result(self, event=None):
        return self.env["zoom.meeting.result"].sudo().search([("event_id", "=", (event or self.event).id)])

    def result_notes(self, record):
        subtype = self.env.ref("herp_zoom.mt_zoom_interview_result")
        return self.env["mail.message"].sudo().search([
            ("model", "=", record._name), ("res_id", "=", record.id), ("subtype_id", "=", subtype.id)], order="id")

    def interview_with_candidate_joining(self):
        self.started()
        self.joined("Interviewer", "interviewer@zoom.example", 0, "zu_interviewer")
        self.joined("Candidate Chika", "", 2, "16778240")
        self.joined("Someone Else", "", 3, "16778241")
        self.left("Candidate Chika", "", 45, "16778240")
        self.ended()


@tagged("post_install", "-at_install")
class TestAttendance(ResultsCommon):
    def test_held_interview_records_times_and_who_joined(self):
        self.interview_with_candidate_joining()
        self.assertEqual(self.event.zoom_meeting_started_at, START)
        self.assertEqual(self.event.zoom_meeting_ended_at, START + timedelta(minutes=50))
        self.assertEqual(self.event.zoom_attendance, "held")
        result = self.result()
        by_name = {row.name: row for row in result.participant_ids}
        self.assertEqual(by_name["Interviewer"].partner_id, self.interviewer.partner_id)  # by e-mail
        self.assertEqual(by_name["Candidate Chika"].partner_id, self.candidate)  # by name
        self.assertEqual(by_name["Candidate Chika"].joined_at, START + timedelta(minutes=2))
        self.assertEqual(by_name["Candidate Chika"].left_at, START + timedelta(minutes=45))
        self.assertFalse(by_name["Someone Else"].partner_id)
        self.assertEqual(result.unmatched_count, 1)
        self.assertFalse(result.no_show)
        self.assertEqual(result.absent_interviewer_ids, self.interviewer2.partner_id)
        [note] = self.result_notes(self.event)
        self.assertIn("zoom_interviewer2", note.body)
        self.assertIn("Participants who are not attendees of the interview: 1", note.body)
        self.assertFalse(self.env["mail.activity"].search([("res_model", "=", "calendar.event"),
                                                           ("res_id", "=", self.event.id)]))

    def test_repeated_deliveries_count_once(self):
        self.started()
        joined = self.joined("Candidate Chika", "chika@candidate.example", 2, "16778240")
        self.account._handle_webhook(joined)  # the same delivery again
        # Zoom sends the same join again as a new delivery.
        self.joined("Candidate Chika", "chika@candidate.example", 2, "16778240")
        ended = self.ended()
        self.account._handle_webhook(ended)
        self.env.invalidate_all()
        self.assertEqual(len(self.result().participant_ids), 1)
        self.assertEqual(len(self.result_notes(self.event)), 1)
        self.assertEqual(self.event.zoom_attendance, "held")

    def test_deliveries_in_any_order(self):
        self.ended()
        self.left("Candidate Chika", "chika@candidate.example", 40, "16778240")
        self.started()
        self.joined("Candidate Chika", "chika@candidate.example", 2, "16778240")
        row = self.result().participant_ids
        self.assertEqual((row.joined_at, row.left_at), (START + timedelta(minutes=2), START + timedelta(minutes=40)))
        self.assertEqual(self.event.zoom_meeting_started_at, START)
        self.assertEqual(self.event.zoom_attendance, "held")

    def test_candidate_who_never_joined_is_a_no_show_with_a_follow_up_activity(self):
        self.started()
        self.joined("Interviewer", "interviewer@zoom.example", 0, "zu_interviewer")
        # Leaving the waiting room is not joining.
        meeting = self.meeting()
        meeting.pop("host_email")
        meeting["participant"] = {"user_id": "16778240", "user_name": "Candidate Chika",
                                  "email": "chika@candidate.example", "participant_uuid": "pu-16778240",
                                  "leave_time": zoom_time(START), "leave_reason": "Leave waiting room."}
        self.deliver("meeting.participant_left", meeting)
        self.ended()
        result = self.result()
        self.assertTrue(result.no_show)
        self.assertEqual(self.event.zoom_attendance, "no_show")
        activity = self.env["mail.activity"].search([("res_model", "=", "calendar.event"), ("res_id", "=", self.event.id)])
        self.assertEqual(activity.user_id, self.recruiter)
        self.assertIn("Candidate Chika", activity.summary)
        [note] = self.result_notes(self.event)
        self.assertIn("marked as a no-show", note.body)
        self.assertIn("zoom_interviewer2", note.body)
        # Nothing of it is mailed to the candidate.
        self.assertFalse(self.mails_to_candidate())

        # Zoom retries: the candidate's join arrives after the end.
        self.joined("Candidate Chika", "chika@candidate.example", 5, "16778240")
        self.assertFalse(self.result().no_show)
        self.assertEqual(self.event.zoom_attendance, "held")
        self.assertFalse(activity.exists())
        self.assertIn("joined the interview after all", self.result_notes(self.event)[-1].body)

    def test_unknown_meeting_is_ignored(self):
        with self.zoom() as fake:
            meeting = self.meeting(id="99999999999")
            self.deliver("meeting.started", meeting)
            self.deliver("meeting.ended", dict(meeting, end_time=zoom_time(START)))
            self.deliver("meeting.summary_completed", {"meeting_id": 99999999999, "meeting_uuid": "other==",
                                                       "meeting_start_time": zoom_time(START)})
        self.assertFalse(self.env["zoom.meeting.result"].sudo().search([]))
        self.assertEqual(fake.sent, [])

    def test_setting_off_ignores_every_result_event_and_asks_zoom_nothing(self):
        self.account.fetch_meeting_results = False
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Good."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.recording_completed()
            self.env["zoom.meeting.result"]._cron_fetch_pending_summaries()
        self.assertEqual(fake.sent, [])
        self.assertFalse(self.result())
        self.assertFalse(self.event.zoom_meeting_started_at)
        self.assertFalse(self.event.zoom_attendance)

    def test_occurrence_of_a_series_that_matches_the_instance_start(self):
        with self.zoom():
            series = self.create_interview(start=START, recurrency=True, rrule_type="weekly", interval=1,
                                           end_type="count", count=3, mon=True, event_tz="Asia/Tokyo", name="Series")
        occurrences = series.recurrence_id.calendar_event_ids.sorted("start").sudo()
        self.assertEqual(len(set(occurrences.mapped("zoom_meeting_id"))), 1)
        second = START + timedelta(days=7)
        self.started(event=occurrences[1], uuid="second==", start=second + timedelta(minutes=3))
        self.ended(event=occurrences[1], uuid="second==", start=second, end=second + timedelta(minutes=40))
        self.assertEqual(self.result(occurrences[1]).meeting_uuid, "second==")
        self.assertEqual(occurrences[1].zoom_meeting_started_at, second + timedelta(minutes=3))
        self.assertFalse(occurrences[0].zoom_meeting_started_at or occurrences[2].zoom_meeting_started_at)
        # An instance far from every occurrence belongs to none of them.
        self.started(event=occurrences[1], uuid="stray==", start=START + timedelta(days=3))
        self.assertFalse(self.env["zoom.meeting.result"].sudo().search([("meeting_uuid", "=", "stray==")]))


@tagged("post_install", "-at_install")
class TestSummaryAndRecording(ResultsCommon):
    def test_summary_is_fetched_and_noted_internally(self):
        with self.zoom() as fake:
            self.summary_completed()
        self.assertEqual(len(fake.sent), 0)
        self.assertEqual(self.result().summary_state, "pending")
        with self.zoom() as fake:
            fake.summaries[UUID] = {"meeting_uuid": UUID, "summary_title": "Interview summary",
                                    "summary_content": "Strong in Python.\nNext: tech test."}
            self.fetch_summaries()
        [call] = fake.sent
        self.assertEqual(call.request.method, "GET")
        result = self.result()
        self.assertEqual(result.summary_state, "done")
        self.assertEqual(result.summary, "Strong in Python.\nNext: tech test.")
        [note] = self.result_notes(self.event)
        self.assertIn("Strong in Python.", note.body)
        self.assertTrue(note.subtype_id.internal)
        self.assertFalse(note.notification_ids)
        self.assertFalse(self.mails_to_candidate())

    def test_uuid_with_slashes_is_encoded_twice(self):
        with self.zoom() as fake:
            fake.summaries["/ab//cd=="] = {"summary_content": "Fine."}
            self.summary_completed(uuid="/ab//cd==")
            self.fetch_summaries()
        [call] = [call for call in fake.sent if "meeting_summary" in call.request.url]
        self.assertIn("/meetings/%252Fab%252F%252Fcd%253D%253D/meeting_summary", call.request.url)
        self.assertEqual(self.result().summary, "Fine.")

    def test_failing_fetch_is_retried_by_the_cron_then_given_up(self):
        cron = self.env["zoom.meeting.result"]
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Late."}
            for _attempt in range(MAX_ATTEMPTS + 1):
                fake.fail_next("GET", 503, {"code": 503, "message": "Unavailable"})
            self.summary_completed()
            result = self.result()
            self.assertEqual((result.summary_state, result.summary_attempts), ("pending", 0))
            self.fetch_summaries()
            self.assertEqual((result.summary_state, result.summary_attempts), ("pending", 1))
            cron._cron_fetch_pending_summaries()  # not yet due
            for _attempt in range(MAX_ATTEMPTS + 2):
                result.summary_retry_at = fields.Datetime.now() - timedelta(seconds=1)
                cron._cron_fetch_pending_summaries()
        fetches = [call for call in fake.sent if "meeting_summary" in call.request.url]
        self.assertEqual(len(fetches), MAX_ATTEMPTS)
        self.assertEqual(result.summary_state, "failed")
        self.assertIn("could not be fetched", self.result_notes(self.event)[-1].body)

    def test_cron_fetches_after_one_failure(self):
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Arrived later."}
            fake.fail_next("GET", 429, {"code": 429, "message": "Too many requests"}, {"Retry-After": "1"})
            self.summary_completed()
            self.fetch_summaries()
            result = self.result()
            self.assertEqual((result.summary_state, result.summary_attempts), ("pending", 1))
            result.summary_retry_at = fields.Datetime.now() - timedelta(seconds=1)
            self.env["zoom.meeting.result"]._cron_fetch_pending_summaries()
        self.assertEqual(result.summary_state, "done")
        self.assertEqual(len([call for call in fake.sent if "meeting_summary" in call.request.url]), 2)

    def test_disabling_the_feature_stops_pending_fetches(self):
        with self.zoom() as fake:
            fake.fail_next("GET", 503)
            self.summary_completed()
            self.fetch_summaries()
            self.account.fetch_meeting_results = False
            result = self.result()
            result.summary_retry_at = fields.Datetime.now() - timedelta(seconds=1)
            self.env["zoom.meeting.result"]._cron_fetch_pending_summaries()
        self.assertEqual(len(fake.sent), 1)
        self.assertEqual(result.summary_state, "pending")

    def test_recording_link_and_duration_without_download(self):
        with self.zoom() as fake:
            self.recording_completed()
            self.recording_completed()
        self.assertEqual(fake.sent, [])
        [note] = self.result_notes(self.event)
        self.assertIn("https://zoom.example/rec/share/abc123", note.body)
        self.assertIn("0:48", note.body)
        self.assertNotIn("DOWNLOAD-TOKEN", note.body)

    def test_notes_in_the_organizers_language(self):
        self.env["res.lang"]._activate_lang("ja_JP")
        self.env["ir.module.module"].search([("name", "=", "herp_zoom")])._update_translations(["ja_JP"])
        self.recruiter.lang = "ja_JP"
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Good."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.fetch_summaries()
            self.recording_completed()
        attendance, summary, recording = self.result_notes(self.event)
        self.assertIn("参加者:", attendance.body)
        self.assertIn("Zoom による面接の要約", summary.body)
        self.assertIn("Zoom がこの面接を録画しました", recording.body)

    def test_old_summaries_are_deleted_with_their_notes(self):
        self.account.summary_retention_days = 30
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Private remarks."}
            self.summary_completed()
            self.fetch_summaries()
        result = self.result()
        cron = self.env["zoom.meeting.result"]
        cron._cron_delete_expired_summaries()
        self.assertEqual(result.summary, "Private remarks.")
        result.summary_fetched_at = fields.Datetime.now() - timedelta(days=31)
        cron._cron_delete_expired_summaries()
        self.assertFalse(result.summary)
        self.assertEqual(result.summary_state, "expired")
        [note] = self.result_notes(self.event)
        self.assertNotIn("Private remarks.", note.body)
        self.assertIn("deleted after 30 days", note.body)


@tagged("post_install", "-at_install")
class TestResultsAccess(ResultsCommon):
    def test_only_recruiters_read_results_and_their_notes(self):
        portal = new_test_user(self.env, "results_portal", groups="base.group_portal")
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Confidential assessment."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.fetch_summaries()
        notes = self.result_notes(self.event)
        self.assertEqual(len(notes), 2)
        domain = [("model", "=", "calendar.event"), ("res_id", "=", self.event.id)]
        for user in (self.recruiter, self.zoom_admin):
            with self.subTest(user=user.login):
                self.assertEqual(len(self.env["zoom.meeting.result"].with_user(user).search([])), 1)
                found = self.env["mail.message"].with_user(user).search_read(domain, ["body"])
                self.assertEqual(len([m for m in found if "Confidential assessment." in m["body"]]), 1)
                self.assertLessEqual(set(notes.ids), set(self.event.with_user(user).message_ids.ids))
        for user in (self.assistant, self.interviewer, self.employee):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["zoom.meeting.result"].with_user(user).search([])
                found = self.env["mail.message"].with_user(user).search_read(domain, ["body"])
                self.assertFalse([m for m in found if m["id"] in notes.ids])
                self.assertFalse(set(notes.ids) & set(self.event.with_user(user).message_ids.ids))
                with self.assertRaises(AccessError):
                    notes.with_user(user).read(["body"])
                # The event itself says that it was held.
                self.assertEqual(self.event.with_user(user).zoom_attendance, "held")
        with self.assertRaises(AccessError):
            notes.with_user(portal).read(["body"])

    def test_private_interview_keeps_its_summary_off_its_chatter_and_from_other_recruiters(self):
        other_recruiter = new_test_user(self.env, "results_recruiter2", email="recruiter2@example.com",
                                        groups="base.group_user,herp_zoom.group_zoom_recruiter")
        self.event.privacy = "private"
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Private assessment."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.fetch_summaries()
            self.recording_completed()
        notes = self.result_notes(self.event)
        self.assertEqual(len(notes), 1)  # attendance only
        self.assertNotIn("Private assessment.", notes.body)
        result = self.result()
        self.assertEqual(result.summary, "Private assessment.")
        self.assertEqual(self.env["zoom.meeting.result"].with_user(self.recruiter).search([]), result)
        self.assertFalse(self.env["zoom.meeting.result"].with_user(other_recruiter).search([]))

    def make_private_by_default(self):
        """The organizer's calendar is private by default and the interview says nothing itself."""
        self.event.privacy = False
        self.env["res.users.settings"]._find_or_create_for_user(self.recruiter).calendar_default_privacy = "private"
        self.env.invalidate_all()
        self.assertEqual((self.event.privacy, self.event.user_id.res_users_settings_ids.calendar_default_privacy), (False, "private"))

    def test_private_by_default_interview_keeps_its_results_from_other_recruiters(self):
        other_recruiter = new_test_user(self.env, "results_recruiter3", email="recruiter3@example.com",
                                        groups="base.group_user,herp_zoom.group_zoom_recruiter")
        self.make_private_by_default()
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Private assessment."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.fetch_summaries()
            self.recording_completed()
        result = self.result()
        self.assertEqual(result.summary, "Private assessment.")
        notes = self.result_notes(self.event)
        self.assertEqual(len(notes), 1, "the attendance note only: summary and recording stay off its chatter")
        self.assertNotIn("Private assessment.", notes.body)
        self.assertEqual(self.env["zoom.meeting.result"].with_user(self.recruiter).search([]), result)
        self.assertFalse(self.env["zoom.meeting.result"].with_user(other_recruiter).search([]))
        with self.assertRaises(AccessError):
            result.with_user(other_recruiter).read(["started_at"])

    def test_participants_of_a_private_interview_are_for_its_organizer_and_attendees(self):
        other_recruiter = new_test_user(self.env, "results_recruiter4", email="recruiter4@example.com",
                                        groups="base.group_user,herp_zoom.group_zoom_recruiter")
        self.interview_with_candidate_joining()
        participants = self.result().participant_ids
        self.assertEqual(len(participants), 3)
        for privacy in ("private", "by default"):
            with self.subTest(privacy=privacy):
                if privacy == "private":
                    self.event.privacy = "private"
                else:
                    self.make_private_by_default()
                self.env.invalidate_all()
                self.assertEqual(self.env["zoom.meeting.participant"].with_user(self.recruiter).search([]),
                                 participants)
                self.assertFalse(self.env["zoom.meeting.participant"].with_user(other_recruiter).search([]))
                with self.assertRaises(AccessError):
                    participants.with_user(other_recruiter).read(["name", "email", "joined_at"])
        self.event.privacy = "public"
        self.env.invalidate_all()
        self.assertEqual(self.env["zoom.meeting.participant"].with_user(other_recruiter).search([]), participants)

    def test_results_and_participants_of_another_company_are_not_read(self):
        company_b = self.env["res.company"].create({"name": "Results Company B"})
        recruiter_b = new_test_user(self.env, "results_recruiter_b", email="recruiter-b@example.com",
                                    company_id=company_b.id, company_ids=[(6, 0, company_b.ids)],
                                    groups="base.group_user,herp_zoom.group_zoom_recruiter")
        self.interview_with_candidate_joining()
        self.assertTrue(self.result().participant_ids)
        self.assertFalse(self.env["zoom.meeting.result"].with_user(recruiter_b).search([]))
        self.assertFalse(self.env["zoom.meeting.participant"].with_user(recruiter_b).search([]))
        with self.assertRaises(AccessError):
            self.result().participant_ids.with_user(recruiter_b).read(["name"])
