"""What only herp_zoom's code may set on an interview: its meeting's fields, and who hosts it."""

from datetime import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ZoomCommon
from .dates import YEAR
from .test_meeting_options import patch_bodies

FORGED = {
    "zoom_join_url": "https://attacker.example/j/1",
    "zoom_passcode": "000000",
    "zoom_meeting_id": "80000000000",
    "zoom_state": "failed",
}


@tagged("post_install", "-at_install")
class TestCodeOnlyZoomFields(ZoomCommon):
    def setUp(self):
        super().setUp()
        with self.zoom():
            self.event = self.create_interview()
        self.assertEqual(self.event.zoom_state, "issued")
        self.original = {name: self.event[name] for name in FORGED}

    def assert_unchanged(self, event=None):
        event = (event or self.event).sudo()
        event.invalidate_recordset()
        self.assertEqual({name: event[name] for name in FORGED}, self.original)

    def test_every_stored_zoom_field_but_the_chosen_host_is_the_codes(self):
        from ..models.calendar_event import CODE_ONLY_FIELDS, USER_ZOOM_FIELDS  # noqa: PLC0415

        stored = {name for name, field in self.env["calendar.event"]._fields.items()
                  if name.startswith("zoom_") and field.store}
        self.assertEqual(stored - CODE_ONLY_FIELDS, USER_ZOOM_FIELDS)

    def test_an_interviewer_cannot_forge_the_link_or_passcode_the_invitations_carry(self):
        for values in ({"zoom_join_url": FORGED["zoom_join_url"]}, {"zoom_passcode": "000000"},
                       {"zoom_join_url": FORGED["zoom_join_url"], "zoom_passcode": "000000"}):
            with self.subTest(values=values), self.assertRaises(AccessError) as refusal, self.env.cr.savepoint():
                self.event.with_user(self.interviewer).write(values)
            self.assertIn("set by herp_zoom from the meeting Zoom holds", str(refusal.exception))
        self.assert_unchanged()
        ics = self.event._get_ics_file()[self.event.id].decode()
        self.assertIn(self.original["zoom_passcode"], ics)
        self.assertNotIn("attacker.example", ics)
        self.assertNotIn("attacker.example", self.event._get_customer_description())

    def test_an_employee_cannot_write_them_on_an_interview_they_are_not_on(self):
        for name, value in FORGED.items():
            for user in (self.employee, self.interviewer2, self.recruiter, self.zoom_admin):
                with self.subTest(user=user.login, field=name), self.assertRaises(AccessError) as refusal, \
                        self.env.cr.savepoint():
                    self.event.with_user(user).write({name: value})
                self.assertIn(name, str(refusal.exception))
        self.assert_unchanged()

    def test_failed_state_cannot_be_forged_to_offer_issuing_again(self):
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.event.with_user(self.employee).write({"zoom_state": "failed"})
        self.assertFalse(self.event.with_user(self.recruiter).zoom_can_issue)
        self.assert_unchanged()

    def test_host_fields_cannot_be_written(self):
        for values in ({"zoom_host_user_id": self.interviewer2.id}, {"zoom_host_email": "x@attacker.example"},
                       {"zoom_host_zoom_user_id": "zu_interviewer2"}, {"zoom_account_id": False}):
            with self.subTest(values=values), self.assertRaises(AccessError), self.env.cr.savepoint():
                self.event.with_user(self.recruiter).write(values)
        self.assertEqual(self.event.zoom_host_user_id, self.interviewer)

    def test_a_new_interview_cannot_be_created_with_a_forged_meeting(self):
        with self.zoom() as fake:
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.create_interview(user=self.interviewer, zoom_join_url=FORGED["zoom_join_url"],
                                      zoom_state="issued")
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.env["calendar.event"].with_user(self.recruiter).with_context(
                    default_zoom_join_url=FORGED["zoom_join_url"]).create({
                        "name": "Interview", "start": datetime(YEAR, 3, 6, 1), "stop": datetime(YEAR, 3, 6, 2),
                        "partner_ids": [(6, 0, self.interviewer.partner_id.ids)]})
        self.assertEqual(fake.create_requests, [])

    def test_herp_zoom_itself_still_writes_them(self):
        with self.zoom() as fake:
            event = self.create_interview(start=datetime(YEAR, 3, 7, 1))
            self.assertEqual(event.zoom_state, "issued")
            event.copy()
        self.assertEqual(len(fake.create_requests), 2)


@tagged("post_install", "-at_install")
class TestHostChosenAfterIssue(ZoomCommon):
    def test_an_issued_meeting_goes_only_to_someone_on_the_interview(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.candidate)
            self.env.flush_all()
            self.env.cr.postcommit.run()
            # interviewer2 is linked to the company's Zoom account but neither organizer nor attendee.
            with self.assertRaises(ValidationError) as refusal, self.env.cr.savepoint():
                event.with_user(self.recruiter).write({"zoom_chosen_host_id": self.interviewer2.id})
            self.env.flush_all()
            self.env.cr.postcommit.run()
        self.assertIn("is neither the organizer nor an attendee", str(refusal.exception))
        self.assertEqual(patch_bodies(fake), [])
        self.assertEqual(event.zoom_host_user_id, self.interviewer)
        self.assertFalse(event.sudo().zoom_chosen_host_id)

    def test_the_form_warns_before_saving(self):
        with self.zoom():
            event = self.create_interview(partners=self.interviewer.partner_id | self.candidate)
        draft = event.with_user(self.recruiter).new({"zoom_chosen_host_id": self.interviewer2.id}, origin=event)
        warning = draft._onchange_zoom_chosen_host_id()
        self.assertIn("is neither the organizer nor an attendee", warning["warning"]["message"])
        draft.zoom_chosen_host_id = self.interviewer
        self.assertIsNone(draft._onchange_zoom_chosen_host_id())

    def test_an_attendee_still_takes_the_meeting(self):
        self.account.update_meetings = True
        with self.zoom() as fake:
            event = self.create_interview(partners=self.interviewer.partner_id | self.interviewer2.partner_id)
            self.env.flush_all()
            self.env.cr.postcommit.run()
            event.with_user(self.recruiter).write({"zoom_chosen_host_id": self.interviewer2.id})
            self.env.flush_all()
            self.env.cr.postcommit.run()
        self.assertEqual([body["schedule_for"] for body in patch_bodies(fake)], ["interviewer2@zoom.example"])
