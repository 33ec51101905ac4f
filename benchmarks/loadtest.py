"""Many recruiters at once on two Odoo servers with workers, against the Zoom sandbox.

Run by scripts/loadtest on two fresh databases (calendar + herp_zoom, and calendar alone for
comparison). For each database it starts two ``odoo-bin`` servers with workers and a cron
worker each, lets N recruiters save interviews over JSON-RPC (spread over both servers, single
creates and batches mixed, slots that overlap on purpose, interviewers from a small pool), waits
until the scheduled action has issued every pending meeting, then checks the outcome against the
sandbox's own record of what Zoom holds. Exits 1 when a guarantee is broken.
"""

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import psycopg2
import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

from benchmarks.cpu_usage import BackendSampler, CpuWindow
from benchmarks.odoo_series import user_groups
from benchmarks.server_logs import read_log_files

SANDBOX_ACCOUNT = "sbxAcct000000000000001"
S2S_APP = {"client_id": "sandbox-s2s-client", "client_secret": "sandbox-s2s-secret"}
PASSWORD = "load-test-password"
NAME_PREFIX = "Load interview"
BASE_DAY = datetime(2032, 3, 1, 0, 0)
# Log lines of the servers that are expected: Zoom's injected failures, told as warnings.
LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


# ---------------------------------------------------------------------- set-up
def sandbox_seed(pool):
    users = [{"id": "sbxUserLoadOwner00001", "email": "owner@load.example", "first_name": "Load", "last_name": "Owner",
              "role_name": "Owner", "type": 2, "timezone": "Asia/Tokyo"}]
    for index in range(pool):
        users.append({"id": f"sbxUserLoadIntv{index:06d}", "email": f"interviewer{index}@load.example",
                      "first_name": "Interviewer", "last_name": str(index), "role_name": "Member", "type": 2,
                      "timezone": "Asia/Tokyo"})
    return {
        "accounts": [{"id": SANDBOX_ACCOUNT, "name": "Load Test Inc.", "account_number": 100001,
                      "require_passcode": True, "users": users}],
        "apps": [dict(S2S_APP, type="s2s", account_id=SANDBOX_ACCOUNT, webhook_secret="sandbox-webhook-secret")],
    }


def start_sandbox(args):
    """The sandbox in its own process, with the load's Zoom users, on a free port: it prints its
    address once it listens."""
    seed = os.path.join(args.log_dir, "sandbox-seed.json")
    with open(seed, "w", encoding="utf-8") as file:
        json.dump(sandbox_seed(args.pool), file)
    log = open(os.path.join(args.log_dir, "sandbox.log"), "w", encoding="utf-8")  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "zoom_sandbox", "--port", str(args.sandbox_port or 0),
                                "--seed", seed], stdout=subprocess.PIPE, stderr=log, text=True,
                               cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    listening = re.match(r"Zoom sandbox on (http://\S+) ", process.stdout.readline())
    if not listening:
        process.kill()
        raise SystemExit(f"The Zoom sandbox did not start: see {log.name}")
    args.sandbox = listening.group(1)
    sandbox_call(args.sandbox, "/_sandbox/config", {"fault_rate": 0.0})
    return process


def sandbox_call(sandbox_url, path, payload=None):
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(sandbox_url + path, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def prepare(db, with_zoom, sandbox_url, args):
    """Recruiters, interviewers and candidates; with herp_zoom the company connected to the sandbox,
    every interviewer linked and the retry action every minute."""
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        users = env["res.users"].with_context(no_reset_password=True)
        internal = env.ref("base.group_user").id
        recruiter_groups = [internal]
        if with_zoom:
            recruiter_groups.append(env.ref("herp_zoom.group_zoom_recruiter").id)
            params = env["ir.config_parameter"].sudo()
            params.set_param("herp_zoom.api_url", sandbox_url + "/v2")
            params.set_param("herp_zoom.oauth_url", sandbox_url)
            account = env["zoom.account"]._get_for_company(env.company, create=True)
            account.write(dict(auth_mode="s2s", zoom_account_id=SANDBOX_ACCOUNT, max_concurrent_meetings=1, **S2S_APP))
            account._connect_s2s()
        recruiters = [users.create({"name": f"Load Recruiter {index}", "login": f"load_recruiter{index}",
                                    "password": PASSWORD, "tz": "Asia/Tokyo",
                                    **user_groups(env, recruiter_groups)}).id
                      for index in range(args.recruiters)]
        interviewers = []
        for index in range(args.pool):
            email = f"interviewer{index}@load.example"
            user = users.create({"name": f"Load Interviewer {index}", "login": email, "email": email,
                                 **user_groups(env, [internal])})
            if with_zoom:
                user._zoom_link_by_email(email)
            interviewers.append(user.partner_id.id)
        candidates = env["res.partner"].create([{"name": f"Load Candidate {index}",
                                                 "email": f"candidate{index}@load.example"}
                                                for index in range(args.recruiters * args.interviews)]).ids
        cron_id = env.ref("herp_zoom.ir_cron_issue_pending_meetings").id if with_zoom else None
        if cron_id:
            env["ir.cron"].browse(cron_id).write({"interval_number": 1, "interval_type": "minutes"})
        cr.commit()
    return recruiters, interviewers, candidates, cron_id


def plan_load(args, recruiters, interviewers, candidates, day_offset):
    """For each recruiter, its saves: lists of interview values (one = single create)."""
    rng = random.Random(args.seed)
    # Slots on few hours: interviews of different recruiters overlap, and their interviewers too.
    hours = max(1, (args.recruiters * args.interviews) // args.per_hour)
    candidate_ids = iter(candidates)
    plans = []
    for recruiter_index, recruiter in enumerate(recruiters):
        values = []
        for number in range(args.interviews):
            slot = rng.randrange(hours)
            # Ten slot hours a day (09:00-18:00 in Tokyo).
            start = BASE_DAY + timedelta(days=day_offset + slot // 10, hours=slot % 10)
            panel = rng.sample(interviewers, min(args.panel, len(interviewers)))
            values.append({
                "name": f"{NAME_PREFIX} {recruiter_index}-{number}",
                "start": start.strftime("%Y-%m-%d %H:%M:%S"),
                "stop": (start + timedelta(minutes=rng.choice((30, 45, 60)))).strftime("%Y-%m-%d %H:%M:%S"),
                "partner_ids": [(6, 0, panel + [next(candidate_ids)])],
                "description": f"<p>Interview {number} of recruiter {recruiter_index}</p>",
            })
        saves, index = [], 0
        while index < len(values):
            size = 1 if rng.random() >= args.batch_share else rng.randint(2, 4)
            saves.append(values[index:index + size])
            index += size
        plans.append((recruiter, saves))
    return plans


# ---------------------------------------------------------------------- servers
def free_ports(count):
    """Ports nothing listens on now (the kernel's choice), all different."""
    sockets = []
    try:
        for _index in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class OdooServers:
    def __init__(self, args, db, log_dir):
        self.args, self.db, self.log_dir = args, db, log_dir
        self.processes, self.logs, self.ports = [], [], []

    def start(self):
        for index in range(2):
            self.processes.append(self._start_one(index))
        self.warm_up()

    def _start_one(self, index, attempts=3):
        """One server on free ports (given ones with --ports), once it answers /web/health."""
        log = os.path.join(self.log_dir, f"{self.db}-server{index + 1}.log")
        for _attempt in range(attempts):
            http_port, gevent_port = self.args.ports[index] if self.args.ports else free_ports(2)
            open(log, "w").close()
            command = [sys.executable, os.path.join(self.args.odoo_path, "odoo-bin"), "-c", self.args.config,
                       "-d", self.db, "--db-filter", f"^{self.db}$", "--http-interface", "127.0.0.1",
                       "--http-port", str(http_port), "--gevent-port", str(gevent_port),
                       "--workers", str(self.args.workers), "--max-cron-threads", "1", "--log-level", "info",
                       # Every wait for a host lock, with its time (benchmarks/server_logs.py).
                       "--log-handler", "odoo.addons.herp_zoom.models.zoom_host:DEBUG", "--logfile", log,
                       "--limit-time-real", "300", "--limit-time-cpu", "240", "--db_maxconn", "32"]
            process = subprocess.Popen(command, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            if self._answers(process, http_port):
                self.logs.append(log)
                self.ports.append(http_port)
                return process
            if process.poll() is None:
                process.kill()
            process.wait()
            if self.args.ports:
                break
            # Another program took the port between its choice and Odoo's bind: new ports.
        raise SystemExit(f"The Odoo server {index + 1} of {self.db} did not start: see {log}")

    @staticmethod
    def _answers(process, http_port, timeout=180):
        """Whether the server answers its health check before it ends or ``timeout`` passes
        (asked again every tenth of a second while it is starting)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{http_port}/web/health", timeout=5).ok:
                    return True
            except requests.RequestException:
                pass
            try:
                process.wait(timeout=0.1)
                return False  # it ended
            except subprocess.TimeoutExpired:
                pass
        return False

    def warm_up(self):
        """Every worker loads the registry before the load is timed (a few requests per worker)."""
        def login(port):
            requests.post(f"http://127.0.0.1:{port}/jsonrpc", timeout=300, json={
                "jsonrpc": "2.0", "method": "call", "id": 1,
                "params": {"service": "common", "method": "login", "args": [self.db, "load_recruiter0", PASSWORD]},
            })
        for _round in range(2):
            threads = [threading.Thread(target=login, args=(port,))
                       for port in self.ports for _worker in range(2 * self.args.workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def pids(self):
        return [process.pid for process in self.processes]

    def problems(self):
        """ERROR/CRITICAL lines (with their traceback's last line) in both servers' logs."""
        found = []
        for log in self.logs:
            with open(log, encoding="utf-8", errors="replace") as lines:
                for line in lines:
                    if LOG_PROBLEM.match(line):
                        found.append(f"{os.path.basename(log)}: {line.strip()[:300]}")
        return found

    def counts(self):
        return read_log_files(self.logs)


# ---------------------------------------------------------------------- the load
def drive(args, db, plans, ports):
    """Every recruiter in its own thread; its saves go to both servers in turn."""
    results, lock = [], threading.Lock()
    uids = {}

    def rpc(port, service, method, *call_args):
        answer = requests.post(f"http://127.0.0.1:{port}/jsonrpc", timeout=600, json={
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"service": service, "method": method, "args": list(call_args)},
        }).json()
        if "error" in answer:
            data = answer["error"].get("data") or {}
            raise RuntimeError(f"{data.get('name', 'error')}: {data.get('message') or answer['error']['message']}")
        return answer["result"]

    def recruiter_thread(index, recruiter, saves):
        login = f"load_recruiter{index}"
        uid = rpc(ports[index % 2], "common", "login", db, login, PASSWORD)
        uids[recruiter] = uid
        for number, values in enumerate(saves):
            port = ports[(index + number) % len(ports)]
            started = time.perf_counter()
            try:
                if len(values) == 1:
                    ids = [rpc(port, "object", "execute_kw", db, uid, PASSWORD, "calendar.event", "create", [values[0]])]
                else:
                    ids = rpc(port, "object", "execute_kw", db, uid, PASSWORD, "calendar.event", "create", [values])
                error = None
            except (RuntimeError, requests.RequestException) as failure:
                ids, error = [], str(failure)
            elapsed = time.perf_counter() - started
            with lock:
                results.append({"size": len(values), "seconds": elapsed, "ids": ids, "error": error, "port": port,
                                "names": [vals["name"] for vals in values]})

    threads = [threading.Thread(target=recruiter_thread, args=(index, recruiter, saves))
               for index, (recruiter, saves) in enumerate(plans)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def wait_until_issued(db, cron_id, timeout):
    """Let the scheduled action issue what is pending. Time is moved on: a retry that Zoom's
    answer put minutes away is made due at once, as the clock would after that wait."""
    registry = Registry(db)
    started = time.monotonic()
    while True:
        with registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM calendar_event WHERE zoom_state = 'pending' AND name LIKE %s",
                       [NAME_PREFIX + "%"])
            pending = cr.fetchone()[0]
            if not pending:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                return None
            cr.execute("""UPDATE calendar_event SET zoom_retry_at = now() at time zone 'UTC'
                           WHERE zoom_state = 'pending' AND zoom_retry_at > now() at time zone 'UTC'""")
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["ir.cron"].browse(cron_id)._trigger()
            cr.commit()
        time.sleep(3)


# ---------------------------------------------------------------------- checks
def read_outcome(db):
    registry = Registry(db)
    with registry.cursor() as cr:
        cr.execute("""SELECT e.id, e.name, e.start, e.stop, e.zoom_state, e.zoom_meeting_id, e.zoom_host_zoom_user_id,
                             e.zoom_host_busy, e.zoom_issue_key, e.active,
                             ARRAY(SELECT u.zoom_user_id FROM calendar_event_res_partner_rel r
                                     JOIN res_users u ON u.partner_id = r.res_partner_id
                                    WHERE r.calendar_event_id = e.id AND u.zoom_user_id IS NOT NULL),
                             (SELECT count(*) FROM mail_message m WHERE m.model = 'calendar.event' AND m.res_id = e.id
                                 AND m.body::text ~ 'Zoom meeting [0-9][0-9 ]* issued')
                        FROM calendar_event e WHERE e.name LIKE %s""", [NAME_PREFIX + "%"])
        keys = ("id", "name", "start", "stop", "state", "meeting_id", "host", "busy", "issue_key", "active",
                "candidates", "issued_notes")
        return [dict(zip(keys, row)) for row in cr.fetchall()]


def zoom_time(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def check(results, events, sandbox_state, servers):
    """What must hold after the load; each broken guarantee is one line."""
    broken = []
    failed_saves = [result for result in results if result["error"]]
    for result in failed_saves[:10]:
        broken.append(f"a save failed ({result['size']} interviews on port {result['port']}): {result['error'][:300]}")
    if len(failed_saves) > 10:
        broken.append(f"... and {len(failed_saves) - 10} more failed saves")
    saved_ids = [event_id for result in results for event_id in result["ids"]]
    by_id = {event["id"]: event for event in events}
    if sorted(saved_ids) != sorted(by_id):
        broken.append(f"{len(saved_ids)} interviews saved but {len(by_id)} in the database")
    for event in events:
        if event["state"] != "issued" or not event["meeting_id"]:
            broken.append(f"interview {event['name']} is {event['state']}, not issued")
        if event["issued_notes"] != 1:
            broken.append(f"interview {event['name']} has {event['issued_notes']} notes of its meeting's issuing")
    held = Counter(event["meeting_id"] for event in events if event["meeting_id"])
    broken += [f"meeting {meeting} is held by {count} interviews" for meeting, count in held.items() if count > 1]
    meetings = {str(meeting["id"]): meeting for meeting in sandbox_state["meetings"]}
    for meeting_id, meeting in meetings.items():
        if meeting_id not in held:
            broken.append(f"Zoom holds meeting {meeting_id} ({meeting.get('topic')}) that no interview holds")
    for event in events:
        meeting = meetings.get(event["meeting_id"] or "")
        if event["meeting_id"] and not meeting:
            broken.append(f"interview {event['name']} holds meeting {event['meeting_id']} that Zoom does not have")
            continue
        if not meeting:
            continue
        if meeting["host_id"] != event["host"]:
            broken.append(f"interview {event['name']}: Zoom's host {meeting['host_id']} is not Odoo's {event['host']}")
        if event["issue_key"] not in (meeting.get("agenda") or ""):
            broken.append(f"interview {event['name']}: meeting {event['meeting_id']} was made for another interview")
        if zoom_time(meeting["start_time"]) != event["start"]:
            broken.append(f"interview {event['name']}: meeting starts at {meeting['start_time']}, not {event['start']}")
    broken += capacity_breaks(events)
    violations = sandbox_state.get("contract_violations") or []
    broken += [f"the sandbox answered outside Zoom's contract: {violation}" for violation in violations[:5]]
    broken += [f"server log: {line}" for line in servers.problems()[:20]]
    return broken


def capacity_breaks(events):
    """No Zoom user hosts two meetings at one instant, unless Odoo said so on the interview
    (every one of its linked interviewers was already busy then), and that was true."""
    broken = []
    by_host = defaultdict(list)
    for event in events:
        if event["state"] == "issued":
            by_host[event["host"]].append(event)

    def overlapping(event, host):
        return [other for other in by_host[host]
                if other["id"] != event["id"] and other["start"] < event["stop"] and other["stop"] > event["start"]]

    for host, hosted in by_host.items():
        for event in hosted:
            for other in overlapping(event, host):
                if other["id"] > event["id"] and not (event["busy"] or other["busy"]):
                    broken.append(f"{host} hosts {event['name']} and {other['name']} at once")
    for event in events:
        if event["busy"]:
            free = [host for host in event["candidates"] if not overlapping(event, host)]
            if free:
                broken.append(f"{event['name']} was given a busy host while {free[0]} was free")
    return broken


# ---------------------------------------------------------------------- one side
def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def backend_connection(args):
    """A connection to PostgreSQL's own database (not one of the load's), as Odoo connects."""
    options = {key: odoo.tools.config[f"db_{key}"] for key in ("host", "port", "user", "password")
               if odoo.tools.config.get(f"db_{key}")}
    return lambda: psycopg2.connect(dbname="postgres", **options)


def run_side(args, db, with_zoom, day_offset, log_dir, sandbox):
    sandbox_url = args.sandbox
    recruiters, interviewers, candidates, cron_id = prepare(db, with_zoom, sandbox_url, args)
    plans = plan_load(args, recruiters, interviewers, candidates, day_offset)
    servers = OdooServers(args, db, log_dir)
    before = sandbox_call(sandbox_url, "/_sandbox/state")
    sandbox_call(sandbox_url, "/_sandbox/config", {"latency": args.latency / 1000.0,
                                                   "fault_rate": args.faults if with_zoom else 0.0,
                                                   "fault_kinds": args.fault_kinds.split(","),
                                                   "daily_limit": 10**6, "token_ttl": 24 * 3600})
    try:
        servers.start()
        cpu = CpuWindow(servers.pids(), sandbox.pid, BackendSampler(backend_connection(args), db)).start()
        results, seconds = drive(args, db, plans, servers.ports)
        cpu_seconds = cpu.stop()
        sandbox_call(sandbox_url, "/_sandbox/config", {"fault_rate": 0.0})
        settle = wait_until_issued(db, cron_id, args.settle_timeout) if with_zoom else 0.0
    finally:
        sandbox_call(sandbox_url, "/_sandbox/config", {"fault_rate": 0.0, "latency": 0.0})
        # Stopped gracefully: each worker ends its request first (the deletions of meetings whose
        # transaction was rolled back run right after it), the cron worker its job.
        servers.stop()
    state = sandbox_call(sandbox_url, "/_sandbox/state")
    interviews = sum(result["size"] for result in results)
    api_requests = [request for request in state["requests"][len(before["requests"]):]
                    if request["path"].startswith("/v2/")]
    singles = [result["seconds"] * 1000 for result in results if result["size"] == 1]
    batches = [result["seconds"] * 1000 for result in results if result["size"] > 1]
    figures = {
        "interviews": interviews, "saves": len(results), "seconds": seconds,
        "throughput": interviews / seconds if seconds else 0.0,
        "single": (percentile(singles, 0.5), percentile(singles, 0.95), max(singles, default=0.0)),
        "batch": (percentile(batches, 0.5), percentile(batches, 0.95), max(batches, default=0.0)),
        "per_interview_ms": statistics.mean(result["seconds"] * 1000 / result["size"] for result in results),
        "zoom_requests": len(api_requests) / interviews if interviews else 0.0,
        "faults": Counter(fault["kind"] for fault in state.get("injected_faults", [])[
            len(before.get("injected_faults", [])):]),
        "settle": settle,
        "logs": servers.counts(),
        "cpu": cpu_seconds,
    }
    broken = []
    if with_zoom:
        if settle is None:
            broken.append(f"interviews still pending {args.settle_timeout} s after the load")
        events = read_outcome(db)
        broken += check(results, events, state, servers)
    else:
        broken += [f"a save failed: {result['error'][:300]}" for result in results if result["error"]][:10]
        broken += [f"server log: {line}" for line in servers.problems()[:20]]
    return figures, broken


def kinds(counter):
    return ", ".join(f"{kind} {count}" for kind, count in sorted(counter.items())) or "0"


def per_interview(figures, value, decimals):
    return f"{value / figures['interviews']:.{decimals}f}" if figures["interviews"] else "-"


def print_table(args, plain, zoom):
    print(f"\nLoad test: {args.recruiters} recruiters x {args.interviews} interviews, pool of {args.pool} "
          f"interviewers (capacity 1), 2 Odoo servers x {args.workers} workers + 1 cron worker, Zoom +{args.latency} ms, "
          f"{args.faults:.0%} faults ({args.fault_kinds}); {os.cpu_count()} CPUs\n")
    rows = [
        ("interviews saved", lambda f: f"{f['interviews']} in {f['saves']} saves"),
        ("wall time of the load (s)", lambda f: f"{f['seconds']:.1f}"),
        ("throughput (interviews/s)", lambda f: f"{f['throughput']:.2f}"),
        ("single save p50/p95/max (ms)", lambda f: "/".join(f"{v:.0f}" for v in f["single"])),
        ("batch save p50/p95/max (ms)", lambda f: "/".join(f"{v:.0f}" for v in f["batch"])),
        ("mean save time per interview (ms)", lambda f: f"{f['per_interview_ms']:.0f}"),
        ("Zoom API requests per interview", lambda f: f"{f['zoom_requests']:.2f}"),
        ("faults injected", lambda f: ", ".join(f"{k} {v}" for k, v in sorted(f["faults"].items())) or "-"),
        ("concurrency retries (server logs)", lambda f: kinds(f["logs"]["retries"])),
        ("requests out of retries (server logs)", lambda f: kinds(f["logs"]["retries_exhausted"])),
        ("host locks taken / waited / given up", lambda f: "{takes} / {waits} / {gave_up}".format(
            **f["logs"]["host_lock"]) if f["logs"]["host_lock"]["takes"] + f["logs"]["host_lock"]["gave_up"] else "-"),
        ("host lock wait per interview (ms)", lambda f: per_interview(f, f["logs"]["host_lock"]["seconds"] * 1000, 0)),
        ("pending cleared by the cron in (s)", lambda f: "-" if f["settle"] is None else f"{f['settle']:.0f}"),
        ("CPU s per interview, during the load:", lambda f: ""),
        *[(f"  {group}", lambda f, group=group: per_interview(f, f["cpu"][group], 3))
          for group in ("odoo", "postgresql", "sandbox", "load driver", "everything else on the machine",
                        "machine")],
        ("  machine busy (share of its CPUs)", lambda f: f"{f['cpu']['machine'] / f['seconds'] / os.cpu_count():.0%}"),
    ]
    print(f"{'':<38}{'plain Odoo':>22}  {'herp_zoom':>50}")
    for label, value in rows:
        print(f"{label:<38}{value(plain):>22}  {value(zoom):>50}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--odoo-path", required=True)
    parser.add_argument("--plain-db", required=True)
    parser.add_argument("--zoom-db", required=True)
    parser.add_argument("--sandbox-port", type=int, default=0, help="default: a free port")
    parser.add_argument("--ports", help="http:gevent,http:gevent of the two servers (default: free ports)")
    parser.add_argument("--recruiters", type=int, default=16)
    parser.add_argument("--interviews", type=int, default=10, help="per recruiter")
    parser.add_argument("--pool", type=int, default=6, help="linked interviewers")
    parser.add_argument("--panel", type=int, default=2, help="interviewers per interview")
    parser.add_argument("--per-hour", type=int, default=3, help="interviews per slot hour, on average")
    parser.add_argument("--batch-share", type=float, default=0.3, help="share of saves that are batches of 2-4")
    parser.add_argument("--latency", type=int, default=150, help="ms added by Zoom to each request")
    parser.add_argument("--faults", type=float, default=0.05, help="share of Zoom requests that fail")
    parser.add_argument("--fault-kinds", default="unavailable,timeout,rate_limited,lost_answer",
                        help="the kinds of faults, comma-separated (a timeout answers after 21 s)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--settle-timeout", type=int, default=600)
    parser.add_argument("--log-dir", default=tempfile.gettempdir())
    args = parser.parse_args()
    args.ports = [tuple(int(port) for port in pair.split(":")) for pair in args.ports.split(",")] if args.ports else None
    odoo.tools.config.parse_config(["-c", args.config])
    sandbox = start_sandbox(args)
    try:
        plain, plain_broken = run_side(args, args.plain_db, False, 0, args.log_dir, sandbox)
        zoom, broken = run_side(args, args.zoom_db, True, 0, args.log_dir, sandbox)
    finally:
        sandbox.terminate()
        sandbox.wait()
    print_table(args, plain, zoom)
    broken = [f"plain Odoo: {line}" for line in plain_broken] + broken
    print()
    if broken:
        print(f"FAILED: {len(broken)} broken guarantee(s)")
        for line in broken:
            print("  - " + line)
        return 1
    print("Every check passed: each interview issued exactly once, no meeting without an interview, no host over "
          "capacity, no duplicate, nothing lost or pending, no error in either server's log.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
