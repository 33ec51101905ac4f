"""Interview results reach the applicant: no-show, follow-up activity, summary and recording notes."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.herp_zoom.tests.test_meeting_results import UUID, ResultsCommon


@tagged("post_install", "-at_install")
class TestApplicantResults(ResultsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(cls.env, "results_officer", email="results-officer@example.com",
                                    groups="base.group_user,hr_recruitment.group_hr_recruitment_user")
        cls.hr_interviewer = new_test_user(cls.env, "results_hr_interviewer", email="results-hri@example.com",
                                           groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer")
        cls.job = cls.env["hr.job"].create({"name": "Engineer", "interviewer_ids": [(4, cls.hr_interviewer.id)]})
        cls.applicant = cls.env["hr.applicant"].create({
            "partner_id": cls.candidate.id, "partner_name": cls.candidate.name, "job_id": cls.job.id, "user_id": cls.officer.id,
            "interviewer_ids": [(4, cls.hr_interviewer.id)],
        })

    def setUp(self):
        super().setUp()
        self.event.applicant_id = self.applicant

    def test_candidate_absent_marks_the_applicant_and_asks_its_recruiter_to_follow_up(self):
        self.started()
        self.joined("Interviewer", "interviewer@zoom.example", 0, "zu_interviewer")
        self.ended()
        self.assertTrue(self.applicant.zoom_no_show)
        activity = self.applicant.activity_ids
        self.assertEqual(activity.user_id, self.officer)
        self.assertIn("Candidate Chika", activity.summary)
        self.assertIn("marked as a no-show", self.result_notes(self.applicant)[-1].body)
        self.assertFalse(self.mails_to_candidate())

        self.joined("Candidate Chika", "chika@candidate.example", 4, "16778240")
        self.assertFalse(self.applicant.zoom_no_show)
        self.assertFalse(self.applicant.activity_ids)

    def test_the_no_show_mark_is_zooms_not_a_users(self):
        self.started()
        self.joined("Candidate Chika", "chika@candidate.example", 1, "16778240")
        self.ended()
        self.assertFalse(self.applicant.zoom_no_show)
        with self.assertRaisesRegex(AccessError, "zoom_no_show"), self.env.cr.savepoint():
            self.applicant.with_user(self.officer).write({"zoom_no_show": True})
        self.applicant.invalidate_recordset()
        self.assertFalse(self.applicant.zoom_no_show)

    def test_summary_and_recording_on_the_applicant_for_recruiters_only(self):
        with self.zoom() as fake:
            fake.summaries[UUID] = {"summary_content": "Solid answers on SQL."}
            self.interview_with_candidate_joining()
            self.summary_completed()
            self.fetch_summaries()
            self.recording_completed()
        self.assertEqual(len([call for call in fake.sent if "meeting_summary" in call.request.url]), 1)
        self.assertFalse(self.applicant.zoom_no_show)
        notes = self.result_notes(self.applicant)
        self.assertEqual(len(notes), 3)
        self.assertIn("Solid answers on SQL.", notes[1].body)
        self.assertIn("https://zoom.example/rec/share/abc123", notes[2].body)
        self.assertFalse(self.mails_to_candidate())
        domain = [("model", "=", "hr.applicant"), ("res_id", "=", self.applicant.id)]
        seen = self.env["mail.message"].with_user(self.officer).search(domain)
        self.assertLessEqual(set(notes.ids), set(seen.ids))
        # The applicant's interviewer reads the applicant, not the results.
        self.assertTrue(self.applicant.with_user(self.hr_interviewer).read(["partner_name"]))
        seen = self.env["mail.message"].with_user(self.hr_interviewer).search(domain)
        self.assertFalse(set(notes.ids) & set(seen.ids))
        with self.assertRaises(AccessError):
            notes.with_user(self.hr_interviewer).read(["body"])
