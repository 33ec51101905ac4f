"""Meetings of interviews whose creation is rolled back, also to a savepoint, are deleted at
Zoom; imports never issue meetings."""

from odoo.tests import tagged

from .common import ZoomCommon
from .dates import YEAR


@tagged("post_install", "-at_install")
class TestRollbacks(ZoomCommon):
    def run_postcommit(self):
        self.env.flush_all()
        self.env.cr.postcommit.run()
        self.env.invalidate_all()

    def deletes(self, fake):
        return [call for call in fake.rsps.calls if call.request.method == "DELETE"]

    def test_meeting_of_an_interview_rolled_back_to_a_savepoint_is_deleted(self):
        with self.zoom() as fake:
            with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
                self.create_interview()
                _ = 1 / 0
            self.assertEqual(len(fake.meetings), 1)
            self.run_postcommit()
            self.assertEqual(len(self.deletes(fake)), 1)
        self.assertEqual(fake.meetings, {})

    def test_meeting_of_an_interview_kept_by_its_savepoint_stays(self):
        with self.zoom() as fake:
            with self.env.cr.savepoint():
                event = self.create_interview()
            self.run_postcommit()
            self.assertEqual(self.deletes(fake), [])
        self.assertIn(int(event.zoom_meeting_id), fake.meetings)

    def import_interviews(self, dryrun):
        csv = f"name,start,stop\nImported interview,{YEAR}-03-04 01:00:00,{YEAR}-03-04 02:00:00\n"
        wizard = self.env["base_import.import"].with_user(self.recruiter).create({
            "res_model": "calendar.event", "file": csv.encode(),
            "file_type": "text/csv", "file_name": "interviews.csv",
        })
        return wizard.execute_import(["name", "start", "stop"], ["name", "start", "stop"],
                                     {"quoting": '"', "separator": ",", "has_headers": True,
                                      "date_format": "%Y-%m-%d", "datetime_format": "%Y-%m-%d %H:%M:%S"},
                                     dryrun=dryrun)

    def test_import_test_and_import_issue_no_meeting(self):
        # The recruiter, attendee of what they create, can host: a plain create would issue.
        self.recruiter._zoom_link(self.zoom_recruiting)
        with self.zoom() as fake:
            result = self.import_interviews(dryrun=True)
            self.assertFalse(result["messages"], result["messages"])
            result = self.import_interviews(dryrun=False)
            self.assertFalse(result["messages"], result["messages"])
            self.assertEqual(len(result["ids"]), 1)
            self.assertEqual(fake.create_requests, [])
        event = self.env["calendar.event"].browse(result["ids"])
        self.assertEqual(event.zoom_state, "none")
