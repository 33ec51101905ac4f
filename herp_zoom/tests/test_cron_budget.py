"""The scheduled action issues pending meetings one per transaction and within a time budget per
run: a cron worker stopped at Odoo's time limit (limit_time_real) in the middle of a long batch
rolled back every meeting of the batch without deleting them at Zoom."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .. import compat
from .common import ZoomCommon


@tagged("post_install", "-at_install")
class TestCronBudget(ZoomCommon):

    def pending_interviews(self, fake, count):
        events = self.env["calendar.event"]
        for index in range(count):
            fake.fail_next("POST", 503)
            events |= self.create_interview(start=self.env.cr.now().replace(microsecond=0) + timedelta(days=30, hours=index))
        self.assertEqual(set(events.mapped("zoom_state")), {"pending"})
        return events

    def test_run_past_its_budget_leaves_the_rest_to_the_next_run_at_once(self):
        with self.zoom() as fake:
            events = self.pending_interviews(fake, 3)
            progress = []
            notify = compat.cron_progress

            def spy(env, *, done, remaining):
                progress.append((done, remaining))
                return notify(env, done=done, remaining=remaining)

            with freeze_time(max(events.mapped("zoom_retry_at")) + timedelta(seconds=1)), \
                    patch.object(compat, "cron_progress", spy):
                self.env["calendar.event"]._cron_issue_pending_meetings(time_budget=-1)  # spent at once (time is frozen)
            self.assertEqual(events.mapped("zoom_state"), ["pending"] * 3)
            self.assertEqual(progress, [(0, 1)], "partially done: Odoo runs the job again at once")
            with freeze_time(max(events.mapped("zoom_retry_at")) + timedelta(seconds=1)), \
                    patch.object(compat, "cron_progress", spy):
                progress.clear()
                self.env["calendar.event"]._cron_issue_pending_meetings()
        self.assertEqual(events.mapped("zoom_state"), ["issued"] * 3)
        self.assertEqual(progress, [(1, 0)] * 3, "one interview per transaction")
        self.assertEqual(len(fake.meetings), 3)
