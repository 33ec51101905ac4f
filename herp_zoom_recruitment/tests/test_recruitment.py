from datetime import datetime, timedelta
from pathlib import Path

import polib

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.herp_zoom.tests.common import ZoomCommon


@tagged("post_install", "-at_install")
class TestRecruitment(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(cls.env, "rec_officer", email="officer@example.com", tz="Asia/Tokyo",
                                    groups="base.group_user,hr_recruitment.group_hr_recruitment_user")
        cls.hr_interviewer = new_test_user(cls.env, "rec_interviewer", email="rec-interviewer@example.com",
                                           groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer")
        cls.manager = new_test_user(cls.env, "rec_manager", email="manager@example.com",
                                    groups="base.group_user,hr_recruitment.group_hr_recruitment_manager")
        cls.job = cls.env["hr.job"].create({"name": "Product Engineer", "interviewer_ids": [(4, cls.interviewer.id)]})
        cls.applicant = cls.env["hr.applicant"].create({
            "partner_name": "Chika Candidate", "email_from": "chika@candidate.example",
            "job_id": cls.job.id, "user_id": cls.officer.id,
        })

    def schedule_from_applicant(self, user, start=None):
        """What the applicant's Meetings button and the calendar form do."""
        action = self.applicant.with_user(user).action_create_meeting()
        start = start or datetime.now() + timedelta(days=3)
        context = dict(action["context"], default_partner_ids=action["context"]["default_partner_ids"]
                       + [self.interviewer.partner_id.id])
        return self.env["calendar.event"].with_user(user).with_context(**context).create({
            "name": "First interview", "start": start, "stop": start + timedelta(hours=1)})

    def test_roles_follow_recruitment_roles(self):
        self.assertTrue(self.hr_interviewer.has_group("herp_zoom.group_zoom_guest"))
        self.assertFalse(self.hr_interviewer.has_group("herp_zoom.group_zoom_assistant"))
        self.assertTrue(self.officer.has_group("herp_zoom.group_zoom_recruiter"))
        self.assertTrue(self.manager.has_group("herp_zoom.group_zoom_recruiter"))

    def test_bridge_installs_with_herp_zoom_and_recruitment(self):
        module = self.env["ir.module.module"].search([("name", "=", "herp_zoom_recruitment")])
        self.assertEqual(module.state, "installed")
        self.assertTrue(module.auto_install)
        self.assertEqual(set(module.dependencies_id.mapped("name")), {"herp_zoom", "hr_recruitment"})

    def test_interview_from_applicant_issues_meeting_and_reaches_candidate_and_applicant(self):
        with self.zoom() as fake:
            event = self.schedule_from_applicant(self.officer)
        self.assertIssued(event, fake, self.zoom_interviewer)
        self.assertEqual(event.applicant_id, self.applicant)
        self.assertIn(self.applicant.partner_id, event.partner_ids)
        # The applicant shows the next Zoom interview and its chatter records it.
        self.applicant.invalidate_recordset()
        self.assertEqual(self.applicant.zoom_next_event_id, event)
        self.assertEqual(self.applicant.zoom_next_join_url, event.zoom_join_url)
        self.assertIn(event.zoom_join_url, str(self.applicant.message_ids[0].body))
        # The candidate's invitation carries the link.
        mails = self.env["mail.mail"].sudo().search([("recipient_ids", "in", self.applicant.partner_id.ids)])
        self.assertTrue(any(event.zoom_join_url in str(mail.body_html) for mail in mails))

    def test_applicant_shows_the_upcoming_zoom_interview_not_a_past_one(self):
        self.assertFalse(self.applicant.zoom_next_join_url)
        with self.zoom() as fake:
            past = self.schedule_from_applicant(self.officer, start=datetime.now() - timedelta(days=2))
            # The past interview has its meeting: only its date keeps it off the applicant.
            self.assertIssued(past, fake, self.zoom_interviewer)
            self.applicant.invalidate_recordset()
            self.assertFalse(self.applicant.zoom_next_event_id)
            self.assertFalse(self.applicant.zoom_next_join_url)
            upcoming = self.schedule_from_applicant(self.officer, start=datetime.now() + timedelta(days=5))
            self.assertIssued(upcoming, fake, self.zoom_interviewer)
        self.applicant.invalidate_recordset()
        self.assertEqual(self.applicant.zoom_next_event_id, upcoming)
        self.assertEqual(self.applicant.zoom_next_join_url, upcoming.zoom_join_url)


@tagged("post_install", "-at_install")
class TestRecruitmentTranslations(TransactionCase):
    def test_every_term_has_a_japanese_translation(self):
        terms = {row[4] for row in TranslationModuleReader(self.env.cr, modules=["herp_zoom_recruitment"])}
        po = polib.pofile(str(Path(__file__).resolve().parents[1] / "i18n" / "ja.po"))
        self.assertFalse(sorted(terms - {entry.msgid for entry in po if entry.msgstr.strip()}))
