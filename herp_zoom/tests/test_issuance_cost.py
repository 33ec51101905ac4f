"""What issuing a meeting at save costs in SQL over the same save without herp_zoom: the lookup of
linked attendees, the hosts' meetings and daily limits in one query, the host lock in one round
trip, less the message it saves: the chatter note joins the creation message."""

import gc
from datetime import datetime, timedelta

from odoo.tests import tagged

from .. import compat
from .common import ZoomCommon
from .dates import YEAR

# herp_zoom's own statements, the same three on both series (linked attendees, the hosts' meetings,
# the host lock), less what the issued save spares of the plain one (Odoo 18: the re-read of
# videocall_location and an update of mail notifications cost one query less; Odoo 19: nothing).
EXTRA_QUERIES_PER_ISSUED_INTERVIEW = 3 - compat.ISSUED_SAVE_SPARES_QUERIES


@tagged("post_install", "-at_install")
class TestIssuanceCost(ZoomCommon):

    def _count_queries(self, create):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        events = create()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, events

    def interview(self, model, hour):
        start = datetime(YEAR, 3, 6, 0, 0) + timedelta(hours=hour)
        return model.with_context(tracking_disable=False).create({
            "name": "Interview", "start": start, "stop": start + timedelta(hours=1),
            "partner_ids": [(6, 0, (self.interviewer.partner_id | self.candidate).ids)],
        })

    def test_an_issued_interview_costs_two_queries_and_no_message_of_its_own(self):
        calendar = self.env["calendar.event"].with_user(self.recruiter)
        without_hook = calendar.with_context(herp_zoom_no_issue=True)
        with self.zoom() as fake:
            for hour, model in enumerate((calendar, without_hook, calendar, without_hook)):  # warm the caches
                self.interview(model, hour * 2)
            plain, plain_event = self._count_queries(lambda: self.interview(without_hook, 10))
            issued, event = self._count_queries(lambda: self.interview(calendar, 12))
        self.assertEqual(event.zoom_state, "issued")
        self.assertEqual(len(fake.create_requests), 3)
        self.assertEqual(issued - plain, EXTRA_QUERIES_PER_ISSUED_INTERVIEW)
        self.assertEqual(len(event.message_ids), len(plain_event.message_ids), "no message of its own")
        self.assertIn("Zoom meeting 812", event.message_ids[0].body)
        self.assertIn("created", event.message_ids[0].body)

    def test_each_interview_of_a_transaction_costs_the_same(self):
        """Odoo looks an environment up among those alive in the transaction on every
        ``with_context``: an issued interview may leave none of its own behind, or every later
        save of the same transaction (a batch, the scheduled action, an import) gets slower."""
        calendar = self.env["calendar.event"].with_user(self.recruiter)
        alive = []
        with self.zoom() as fake:
            for hour in range(6):
                self.interview(calendar, hour * 2)
                gc.collect()
                alive.append(len(self.env.transaction.envs))
        self.assertEqual(len(fake.create_requests), 6)
        self.assertEqual(alive[-1], alive[1], f"environments alive after each interview: {alive}")

    def test_a_hosts_past_meetings_do_not_slow_the_host_choice(self):
        """Every save that issues a meeting reads the chosen hosts' meetings around it: an index
        on host and end leaves an interviewer's past interviews out of that read."""
        self.env.cr.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'calendar_event'")
        definitions = [row[0] for row in self.env.cr.fetchall()]
        self.assertTrue(any("(zoom_host_zoom_user_id, stop)" in definition for definition in definitions),
                        definitions)
