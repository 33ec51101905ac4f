"""Two Odoo workers creating overlapping interviews at once never give one host both."""

import threading
import uuid
from datetime import datetime, timedelta

import psycopg2.errors

from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from .common import fake_zoom, zoom_user

CANDIDATE_HOSTS = ("zu_conc_a", "zu_conc_b")


@tagged("post_install", "-at_install")
class TestConcurrentHostChoice(TransactionCase):
    """Committed data and two real database cursors, one per thread, as two workers have."""

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
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM calendar_event WHERE zoom_host_zoom_user_id = ANY(%s)", [list(CANDIDATE_HOSTS)])
            cr.execute("DELETE FROM zoom_host WHERE zoom_user_id = ANY(%s)", [list(CANDIDATE_HOSTS)])
            cr.execute("UPDATE res_users SET active = false, zoom_user_id = NULL WHERE id = ANY(%s)",
                       [list(self.user_ids.values())])
            cr.execute("DELETE FROM zoom_account WHERE company_id = %s", [self.company_id])

    def test_two_workers_one_host_per_time_slot_no_deadlock(self):
        barrier = threading.Barrier(2)
        results, errors, retries = {}, [], []
        start = datetime(2031, 5, 1, 1, 0)

        def worker(name):
            for attempt in range(5):
                try:
                    with self.registry.cursor() as cr:
                        env = self.env(cr=cr, user=self.user_ids["conc_recruiter"],
                                       context={"allowed_company_ids": [self.company_id]})
                        if attempt == 0:
                            barrier.wait(timeout=20)
                        event = env["calendar.event"].create({
                            "name": f"Interview {name}", "start": start, "stop": start + timedelta(hours=1),
                            "partner_ids": [(6, 0, self.partner_ids)],
                        })
                        results[name] = (event.id, event.sudo().zoom_host_zoom_user_id, event.sudo().zoom_host_busy)
                    return
                except psycopg2.errors.SerializationFailure:
                    # What Odoo's request and cron runners do: retry the whole transaction.
                    retries.append(name)
                except Exception as error:  # noqa: BLE001 - reported by the assertions below
                    errors.append(error)
                    return

        hosts = [zoom_user(host, f"{host[-1]}@conc.example", account_id="acct_conc") for host in CANDIDATE_HOSTS]
        with fake_zoom(*hosts) as fake:
            threads = [threading.Thread(target=worker, args=(name,)) for name in ("first", "second")]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a worker is stuck")
        self.assertFalse(errors)
        hosts = sorted(host for _event_id, host, _busy in results.values())
        self.assertEqual(hosts, sorted(CANDIDATE_HOSTS), "each time slot gets its own host")
        self.assertFalse(any(busy for _event_id, _host, busy in results.values()))
        self.assertEqual(len(fake.meetings), 2)
        self.assertEqual(len(retries), 1, "the second worker waited, failed to serialize, and was retried")
