"""Two Odoo workers at once: overlapping interviews never share a host, and the scheduled
action and the "Issue Zoom meeting" button never both issue one event's meeting."""

import threading
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import psycopg2.errors

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from .committed import CommittedDataCase
from .common import fake_zoom, zoom_user
from .dates import YEAR
from .workers import HeldAtZoom, run_overlapping

CANDIDATE_HOSTS = ("zu_conc_a", "zu_conc_b")


class ConcurrentWorkersCase(CommittedDataCase):
    """Committed data and two real database cursors, one per thread, as two workers have; the
    database is restored after each test (CommittedDataCase)."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self.env(cr=cr, context={"no_reset_password": True, "tracking_disable": True})
            # Committed for real: names of their own so that runs never collide.
            run = uuid.uuid4().hex[:8]
            company = env["res.company"].create({"name": f"Concurrency Co {run}"})
            env["ir.config_parameter"].sudo().set_param("herp_zoom.api_url", "http://localhost:8999/v2")
            env["ir.config_parameter"].sudo().set_param("herp_zoom.oauth_url", "http://localhost:8999")
            env["zoom.account"].sudo().create({
                "company_id": company.id, "client_id": "cid", "client_secret": "csecret", "zoom_account_id": "acct_conc",
                "state": "connected", "access_token": "CONC-ACCESS", "refresh_token": "CONC-REFRESH",
                "token_expires_at": datetime.now() + timedelta(hours=1),
            })
            users = {}
            for login, groups in (("conc_recruiter", "herp_zoom.group_zoom_recruiter"),
                                  ("conc_a", "herp_zoom.group_zoom_guest"), ("conc_b", "herp_zoom.group_zoom_guest")):
                users[login] = new_test_user(env, f"{login}_{run}", groups=f"base.group_user,{groups}", email=f"{login}@example.com",
                                             company_id=company.id, company_ids=[(6, 0, company.ids)], tz="UTC")
            users["conc_a"]._zoom_link(zoom_user("zu_conc_a", "a@conc.example", account_id="acct_conc"))
            users["conc_b"]._zoom_link(zoom_user("zu_conc_b", "b@conc.example", account_id="acct_conc"))
            self.company_id = company.id
            self.user_ids = {login: user.id for login, user in users.items()}
            self.partner_ids = [users["conc_a"].partner_id.id, users["conc_b"].partner_id.id]
        self.race_event_ids = []

    def hosts(self):
        return [zoom_user(host, f"{host[-1]}@conc.example", account_id="acct_conc") for host in CANDIDATE_HOSTS]


@tagged("post_install", "-at_install")
class TestConcurrentHostChoice(ConcurrentWorkersCase):

    def test_two_workers_one_host_per_time_slot_no_deadlock(self):
        """The second worker waits for the first one's host choice before asking Zoom anything; it
        cannot see the first one's meeting then, so it takes the other host, without failing to
        serialize."""
        results, retries = {}, []
        start = datetime(YEAR + 1, 5, 1, 1, 0)

        def worker(name):
            def run():
                for _attempt in range(5):
                    try:
                        with self.registry.cursor() as cr:
                            env = self.env(cr=cr, user=self.user_ids["conc_recruiter"],
                                           context={"allowed_company_ids": [self.company_id]})
                            event = env["calendar.event"].create({
                                "name": f"Interview {name}", "start": start, "stop": start + timedelta(hours=1),
                                "partner_ids": [(6, 0, self.partner_ids)],
                            })
                            self.race_event_ids.append(event.id)
                            results[name] = (event.sudo().zoom_host_zoom_user_id, event.sudo().zoom_host_busy)
                        return
                    except psycopg2.errors.SerializationFailure:
                        # What Odoo's request and cron runners do: retry the whole transaction.
                        retries.append(name)
            return run

        held = HeldAtZoom()
        with fake_zoom(*self.hosts()) as fake:
            fake.on_create = held.arrive
            waited, errors, threads = run_overlapping(
                self.registry, worker("first"), worker("second"), held, "zoom_host")
            create_requests = [urlsplit(call.request.url).path.split("/")[-2]
                               for call in fake.rsps.calls if call.request.method == "POST"]
        self.assertFalse(any(thread.is_alive() for thread in threads), "a worker is stuck")
        self.assertFalse(errors)
        self.assertEqual(create_requests, ["zu_conc_a", "zu_conc_b"],
                         "one create request per interview, each to its own host")
        self.assertEqual(results, {"first": ("zu_conc_a", False), "second": ("zu_conc_b", False)})
        self.assertTrue(waited, "the second worker waited on the host lock while Zoom held the first request")
        self.assertEqual(retries, [], "no save failed to serialize")

    def create_pending_interview(self):
        """A committed interview whose meeting Zoom did not create, due for a retry now."""
        with fake_zoom(*self.hosts()) as fake, self.registry.cursor() as cr:
            fake.fail_next("POST", 503)
            env = self.env(cr=cr, user=self.user_ids["conc_recruiter"], context={"allowed_company_ids": [self.company_id]})
            start = datetime(YEAR + 1, 6, 1, 1, 0)
            event = env["calendar.event"].create({
                "name": "Interview racing", "start": start, "stop": start + timedelta(hours=1),
                "partner_ids": [(6, 0, self.partner_ids)],
            })
            self.assertEqual(event.sudo().zoom_state, "pending")
            event.sudo().zoom_retry_at = fields.Datetime.now() - timedelta(minutes=1)
            self.race_event_ids.append(event.id)
            return event.id

    def run_while_zoom_holds_a_create(self, first, second):
        """``first`` runs in a worker until Zoom receives its create request, which Zoom holds
        while ``second`` runs in another worker; then Zoom answers."""
        received, answer = threading.Event(), threading.Event()
        errors = []

        def hold():
            received.set()
            answer.wait(timeout=30)

        def worker():
            try:
                with self.registry.cursor() as cr:
                    first(cr)
            except Exception as error:  # noqa: BLE001 - reported by the assertions below
                errors.append(error)
                received.set()

        with fake_zoom(*self.hosts()) as fake:
            fake.on_create = hold
            thread = threading.Thread(target=worker)
            thread.start()
            try:
                self.assertTrue(received.wait(timeout=30), "the first worker never reached Zoom")
                fake.on_create = None
                with self.registry.cursor() as cr:
                    second(cr)
                    cr.rollback()
            finally:
                answer.set()
                thread.join(timeout=60)
        self.assertFalse(thread.is_alive(), "a worker is stuck")
        self.assertFalse(errors)
        return fake

    def assert_issued_once(self, event_id, fake):
        with self.registry.cursor() as cr:
            event = self.env(cr=cr)["calendar.event"].browse(event_id)
            self.assertEqual(event.zoom_state, "issued")
            self.assertEqual(list(fake.meetings), [int(event.zoom_meeting_id)])
        self.assertEqual(len(fake.create_requests), 1)

    def test_button_during_the_scheduled_retry_says_it_is_being_issued(self):
        event_id = self.create_pending_interview()

        def cron(cr):
            self.env(cr=cr)["calendar.event"]._cron_issue_pending_meetings()

        def click(cr):
            env = self.env(cr=cr, user=self.user_ids["conc_recruiter"], context={"allowed_company_ids": [self.company_id]})
            with self.assertRaisesRegex(UserError, "being issued right now"):
                env["calendar.event"].browse(event_id).action_zoom_issue_meeting()

        fake = self.run_while_zoom_holds_a_create(cron, click)
        self.assert_issued_once(event_id, fake)

    def test_scheduled_retry_during_a_click_leaves_the_event_to_the_click(self):
        event_id = self.create_pending_interview()

        def click(cr):
            env = self.env(cr=cr, user=self.user_ids["conc_recruiter"], context={"allowed_company_ids": [self.company_id]})
            env["calendar.event"].browse(event_id).action_zoom_issue_meeting()

        def cron(cr):
            self.env(cr=cr)["calendar.event"]._cron_issue_pending_meetings()
            self.assertEqual(self.env(cr=cr)["calendar.event"].browse(event_id).zoom_state, "pending",
                             "the scheduled action skipped the event the click holds")

        fake = self.run_while_zoom_holds_a_create(click, cron)
        self.assert_issued_once(event_id, fake)

    def test_try_again_on_a_deletion_another_worker_holds_says_so(self):
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            account = env["zoom.account"].sudo().search([("company_id", "=", self.company_id)])
            deletion_id = env["zoom.meeting.deletion"].sudo().create({
                "account_id": account.id, "meeting_id": "81234567890", "event_name": "Interview racing",
                "state": "failed", "attempts": 8,
            }).id
        with self.registry.cursor() as worker_cr, self.registry.cursor() as admin_cr:
            # The scheduled action of another worker holds the row.
            worker_cr.execute("SELECT id FROM zoom_meeting_deletion WHERE id = %s FOR NO KEY UPDATE", [deletion_id])
            deletion = self.env(cr=admin_cr)["zoom.meeting.deletion"].browse(deletion_id)
            with fake_zoom(*self.hosts()) as fake:
                with self.assertRaisesRegex(UserError, "being deleted right now"):
                    deletion.action_retry()
                self.assertFalse(fake.rsps.calls, "nothing was sent to Zoom")
            self.assertEqual(deletion.state, "failed")
            admin_cr.rollback()
            worker_cr.rollback()
