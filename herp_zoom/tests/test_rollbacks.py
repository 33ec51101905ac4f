"""Meetings of interviews whose creation is rolled back, also to a savepoint, are deleted at
Zoom; imports never issue meetings."""

from datetime import datetime, timedelta
from unittest.mock import patch

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

    def test_one_cursor_and_one_query_check_every_meeting_of_a_transaction(self):
        """After the commit, the meetings a transaction issued are looked for together: one cursor
        and one query, however many interviews the transaction saved."""
        start = datetime.now().replace(microsecond=0) + timedelta(days=30)
        opened = []
        # The registry's cursor as the tests have it (Odoo 19's test mode sets it on the registry itself).
        open_cursor = self.registry.cursor

        def counting_cursor(*args, **kwargs):
            opened.append(args)
            return open_cursor(*args, **kwargs)

        with self.zoom() as fake:
            kept = self.env["calendar.event"].with_user(self.recruiter).create([{
                "name": f"Interview {index}", "start": start + timedelta(hours=index),
                "stop": start + timedelta(hours=index + 1),
                "partner_ids": [(6, 0, (self.interviewer.partner_id | self.candidate).ids)],
            } for index in range(3)])
            with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
                rolled_back = self.create_interview(start=start + timedelta(hours=5))
                rolled_back_meeting = rolled_back.zoom_meeting_id
                _ = 1 / 0
            self.assertEqual(len(fake.meetings), 4)
            self.env.flush_all()
            # herp_zoom's hooks only: Odoo's Google and Outlook sync add theirs to every save.
            postcommit = self.env.cr.postcommit
            hooks = [hook for hook in postcommit._funcs
                     if getattr(hook, "func", hook).__module__.startswith("odoo.addons.herp_zoom.")]
            postcommit._funcs.clear()
            queries = self.env.cr.sql_log_count
            with patch.object(self.registry, "cursor", counting_cursor):
                for hook in hooks:
                    hook()
            queries = self.env.cr.sql_log_count - queries
            postcommit.clear()
            self.env.invalidate_all()
            deleted = [call.request.url.rsplit("/", 1)[-1] for call in self.deletes(fake)]
        self.assertEqual(len(opened), 1, "one cursor for the four meetings")
        self.assertEqual(queries, 1, "one query for the four meetings")
        self.assertEqual(deleted, [rolled_back_meeting])
        self.assertEqual(sorted(fake.meetings), sorted(int(event.zoom_meeting_id) for event in kept))

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
