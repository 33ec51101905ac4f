"""A save that meets another save's hold on an interviewer is saved at once, its meeting
pending, and the scheduled action issues it: no serialization failure reaches the recruiter
(nor Odoo's log), and no save waits on another one's Zoom request for more than a moment."""

import threading
from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import fake_zoom
from .dates import YEAR
from .test_concurrency import ConcurrentWorkersCase

START = datetime(YEAR + 1, 7, 1, 1, 0)


@tagged("post_install", "-at_install")
class TestHostLockConflicts(ConcurrentWorkersCase):

    def recruiter_env(self, cr):
        return self.env(cr=cr, user=self.user_ids["conc_recruiter"], context={"allowed_company_ids": [self.company_id]})

    def interview(self, env, name, partner_ids=None):
        event = env["calendar.event"].create({
            "name": name, "start": START, "stop": START + timedelta(hours=1),
            "partner_ids": [(6, 0, partner_ids or self.partner_ids)],
        })
        self.race_event_ids.append(event.id)
        return event

    def run_cron(self):
        """The scheduled action, once the moment it waits for has passed."""
        with self.registry.cursor() as cr:
            cr.execute("UPDATE calendar_event SET zoom_retry_at = zoom_retry_at - interval '1 minute' "
                       "WHERE id = ANY(%s) AND zoom_state = 'pending'", [self.race_event_ids])
            self.env(cr=cr)["calendar.event"]._cron_issue_pending_meetings()

    def stored_state(self, event_id):
        with self.registry.cursor() as cr:
            event = self.env(cr=cr)["calendar.event"].browse(event_id)
            return event.zoom_state, event.zoom_host_zoom_user_id, event.zoom_state_reason

    def test_save_after_a_committed_assignment_takes_the_other_free_interviewer(self):
        """The second save's snapshot predates the first one's meeting, so it cannot see it: it
        does not fail to serialize, it leaves that interviewer to the other free one."""
        with fake_zoom(*self.hosts()) as fake:
            with self.registry.cursor() as second_cr:
                second_cr.execute("SELECT 1 FROM calendar_event LIMIT 1")  # the second save's snapshot
                with self.registry.cursor() as first_cr:
                    first = self.interview(self.recruiter_env(first_cr), "Interview first")
                    self.assertEqual(first.sudo().zoom_host_zoom_user_id, "zu_conc_a")
                second = self.interview(self.recruiter_env(second_cr), "Interview second")
                self.assertEqual((second.sudo().zoom_state, second.sudo().zoom_host_zoom_user_id, second.sudo().zoom_host_busy),
                                 ("issued", "zu_conc_b", False))
            self.assertEqual([host for host, _body in fake.create_requests], ["zu_conc_a", "zu_conc_b"])

    def test_save_after_a_committed_assignment_of_its_only_interviewer_is_saved_pending(self):
        """No other interviewer: the interview is saved with its meeting pending, and the
        scheduled action issues it with the first meeting in view (the host is busy then)."""
        with fake_zoom(*self.hosts()) as fake:
            with self.registry.cursor() as second_cr:
                second_cr.execute("SELECT 1 FROM calendar_event LIMIT 1")
                with self.registry.cursor() as first_cr:
                    self.interview(self.recruiter_env(first_cr), "Interview first", self.partner_ids[:1])
                second = self.interview(self.recruiter_env(second_cr), "Interview second", self.partner_ids[:1])
                self.assertEqual(second.sudo().zoom_state, "pending")
                self.assertIn("Another save", second.sudo().zoom_state_reason)
            self.assertEqual([host for host, _body in fake.create_requests], ["zu_conc_a"])
            self.run_cron()
            with self.registry.cursor() as cr:
                event = self.env(cr=cr)["calendar.event"].browse(second.id)
                self.assertEqual((event.zoom_state, event.zoom_host_zoom_user_id, event.zoom_host_busy),
                                 ("issued", "zu_conc_a", True), "issued knowing its host hosts the first one")
            self.assertEqual(len(fake.create_requests), 2)

    def test_save_waiting_on_a_held_host_gets_its_answer_while_the_hold_lasts(self):
        """Another save holds both interviewers (its Zoom request hangs): this save does not wait
        for it; its interview is saved with the meeting pending and issued once the hold ends."""
        outcome, errors = {}, []

        def second_save():
            try:
                with self.registry.cursor() as cr:
                    event = self.interview(self.recruiter_env(cr), "Interview waiting")
                    outcome.update(id=event.id, state=event.sudo().zoom_state, reason=event.sudo().zoom_state_reason)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        with fake_zoom(*self.hosts()) as fake:
            holder = self.registry.cursor()
            try:
                self.env(cr=holder)["zoom.host"].sudo()._lock_for_assignment(["zu_conc_a", "zu_conc_b"])
                thread = threading.Thread(target=second_save)
                thread.start()
                thread.join(timeout=30)
                finished_during_hold = not thread.is_alive()
            finally:
                holder.rollback()
                holder.close()
                thread.join(timeout=60)
            self.assertFalse(errors)
            self.assertTrue(finished_during_hold, "the save waited for the other save's hold to end")
            self.assertEqual(outcome["state"], "pending")
            self.assertIn("Another save", outcome["reason"])
            self.assertEqual(fake.create_requests, [])
            self.run_cron()
            self.assertEqual(self.stored_state(outcome["id"])[:2], ("issued", "zu_conc_a"))
            self.assertEqual(len(fake.create_requests), 1)
