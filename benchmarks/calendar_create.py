"""What herp_zoom adds to a save of calendar events, through its commit, side by side with plain Odoo.

Run by scripts/benchmark on two fresh databases with the same modules but herp_zoom, with the
Zoom sandbox answering on loopback. Prints time, SQL queries and Zoom HTTP requests per event
for each workload, and the ratios herp_zoom / plain Odoo. With --instructions (run under
callgrind by scripts/benchmark), the instructions this process executes for each run instead of
its time: the same run counts the same, however busy the machine.
"""

import argparse
import ctypes
import json
import os
import platform
import statistics
import sys
import time
import urllib.request
from datetime import datetime, timedelta

import requests

import odoo
from odoo import SUPERUSER_ID, api, sql_db
from odoo.modules.registry import Registry

from benchmarks.odoo_series import user_groups

N_EVENTS = 500
ROUNDS = 3
# Events per workload, mode and side created before the measured rounds: the first creates of a
# process fill Odoo's caches and compile its templates.
WARM_UP_EVENTS = 5
SANDBOX_ACCOUNT = "sbxAcct000000000000001"
INTERVIEWERS = ["interviewer1@herp-demo.example", "interviewer2@herp-demo.example", "interviewer3@herp-demo.example"]


class HttpCounter:
    """Counts the HTTP requests this process sends (the Zoom round trips) and the time spent
    waiting for their answers."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self._send = requests.Session.send
        counter = self

        def send(session, request, **kwargs):
            counter.count += 1
            started = time.perf_counter()
            try:
                return counter._send(session, request, **kwargs)
            finally:
                counter.seconds += time.perf_counter() - started

        requests.Session.send = send


class InstructionCounter:
    """The instructions callgrind counts in this process between zero() and count(): the marks
    of benchmarks/callgrind_marks.c, and the totals of the file each count dumps."""

    def __init__(self, library):
        self.marks = ctypes.CDLL(library)
        self.out_file = os.path.join(os.path.dirname(library), "out")
        self.dumps = 0

    def start(self):
        self.marks.marks_start()

    def zero(self):
        self.marks.marks_zero()

    def count(self, label):
        self.marks.marks_dump(label.encode())
        self.dumps += 1
        with open(f"{self.out_file}.{self.dumps}") as dump:
            for line in dump:
                if line.startswith(("summary:", "totals:")):
                    return int(line.split()[1])
        raise RuntimeError(f"No totals in {self.out_file}.{self.dumps}")


def sandbox_config(sandbox_url, **config):
    request = urllib.request.Request(
        sandbox_url + "/_sandbox/config", data=json.dumps(config).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).read()


def prepare(env, with_zoom, sandbox_url):
    """Users of the workloads; with herp_zoom, the company connected to the sandbox."""
    users = env["res.users"].with_context(no_reset_password=True)
    groups = [env.ref("base.group_user").id]
    if with_zoom:
        groups.append(env.ref("herp_zoom.group_zoom_recruiter").id)
    recruiter = users.create({"name": "Bench Recruiter", "login": "bench_recruiter", "tz": "Asia/Tokyo",
                              **user_groups(env, groups)})
    interviewers = users.browse()
    for index, email in enumerate(INTERVIEWERS):
        interviewers |= users.create({"name": f"Bench Interviewer {index}", "login": email, "email": email,
                                      **user_groups(env, [env.ref("base.group_user").id])})
    candidate = env["res.partner"].create({"name": "Bench Candidate", "email": "candidate@bench.example"})
    if with_zoom:
        params = env["ir.config_parameter"].sudo()
        params.set_param("herp_zoom.api_url", sandbox_url + "/v2")
        params.set_param("herp_zoom.oauth_url", sandbox_url)
        account = env["zoom.account"]._get_for_company(env.company, create=True)
        account.write({"auth_mode": "s2s", "client_id": "sandbox-s2s-client", "client_secret": "sandbox-s2s-secret",
                       "zoom_account_id": SANDBOX_ACCOUNT})
        account._connect_s2s()
        for interviewer in interviewers:
            interviewer._zoom_link_by_email(interviewer.email)
    env.cr.commit()
    return recruiter, interviewers, candidate


def workloads(interviewers, candidate, n_events):
    base = datetime(2031, 1, 6, 0, 0)

    def slots(attendees, overlap=False):
        values = []
        for index in range(n_events):
            # Overlapping workload: three interviews share each hour, so host choice has work to do.
            start = base + timedelta(hours=(index // 3) if overlap else index)
            values.append({"name": f"Interview {index}", "start": start, "stop": start + timedelta(hours=1),
                           "partner_ids": [(6, 0, attendees.ids)]})
        return values

    linked = interviewers[:1].partner_id | candidate
    return [
        ("1. no linked attendee", slots(candidate)),
        ("2. linked interviewer", slots(linked)),
        ("3. overlapping hosts", slots(interviewers.partner_id | candidate, overlap=True)),
        ("4. as 2, Zoom +200 ms", slots(linked)),
    ]


def measure(env, recruiter, values, batch, counter, instructions=None):
    """Save ``values`` as the recruiter, through the commit and the hooks that run after it, as
    Odoo's request runner does: single, each event in a transaction of its own (one save of the
    form each); batch, all of them in one create call and one transaction. Queries: those of every
    cursor of the process, the hooks' own included."""
    Event = env["calendar.event"].with_user(recruiter).with_context(tracking_disable=False)
    cr = env.cr
    env.flush_all()
    queries, http, http_seconds = sql_db.sql_counter, counter.count, counter.seconds
    after_commit = {"seconds": 0.0, "sql": 0}

    def commit():
        saved, started = sql_db.sql_counter, time.perf_counter()
        cr.commit()
        after_commit["seconds"] += time.perf_counter() - started
        after_commit["sql"] += sql_db.sql_counter - saved

    if instructions:
        instructions.zero()
    started = time.perf_counter()
    if batch:
        Event.create(values)
        commit()
    else:
        for vals in values:
            Event.create(vals)
            commit()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "instructions": instructions.count(env.cr.dbname) if instructions else 0,
        "sql": sql_db.sql_counter - queries,
        "http": counter.count - http,
        "http_seconds": counter.seconds - http_seconds,
        "commit_seconds": after_commit["seconds"],
        "commit_sql": after_commit["sql"],
    }


def per_event(totals, n_events):
    return {
        "ms": totals["seconds"] * 1000 / n_events,
        "minstr": totals["instructions"] / 1e6 / n_events,
        "sql": totals["sql"] / n_events,
        "http": totals["http"] / n_events,
        "http_ms": totals["http_seconds"] * 1000 / n_events,
        "commit_ms": totals["commit_seconds"] * 1000 / n_events,
        "commit_sql": totals["commit_sql"] / n_events,
    }


def measure_round(sides, values, batch, counter, round_, instructions=None):
    """One round of a workload: the same events on plain Odoo and on herp_zoom, one side right
    after the other, the side that goes first alternating by round. Each side's run stays whole,
    as in production, where each Odoo process serves one database. Each save is measured through
    its commit (see measure)."""
    result = {}
    for side in ("plain", "zoom") if round_ % 2 == 0 else ("zoom", "plain"):
        _cr, env, recruiter, _loads = sides[side]
        totals = measure(env, recruiter, values[side], batch, counter, instructions)
        result[side] = per_event(totals, len(values[side]))
    return result


def progress(done, total, started, label):
    """One line per run on stderr (the table stays on stdout): which run, and what remains."""
    elapsed = time.perf_counter() - started
    left = f", about {elapsed / done * (total - done):.0f} s left" if done else ""
    print(f"[{done + 1}/{total}] {label} ({elapsed:.0f} s elapsed{left})", file=sys.stderr, flush=True)


def shifted(values, days):
    return [dict(vals, start=vals["start"] + timedelta(days=days), stop=vals["stop"] + timedelta(days=days))
            for vals in values]


def warm_up(sides, counter, first_day):
    """A few events of every workload and mode on both sides, unmeasured, on days of their own."""
    for index, (_name, _values) in enumerate(sides["zoom"][3]):
        for batch in (False, True):
            for _cr, env, recruiter, loads in sides.values():
                days = first_day + 400 * (2 * index + batch)
                measure(env, recruiter, shifted(loads[index][1][:WARM_UP_EVENTS], days), batch, counter)


def run(plain_db, zoom_db, sandbox_url, counter, n_events, rounds, instructions=None):
    """Every workload on both databases, plain Odoo and herp_zoom side by side (see
    measure_round), ``rounds`` times: {side: {(workload, batch): [per-event figures by round]}}."""
    sides = {}
    for side, db, with_zoom in (("plain", plain_db, False), ("zoom", zoom_db, True)):
        cr = Registry(db).cursor()
        env = api.Environment(cr, SUPERUSER_ID, {})
        recruiter, interviewers, candidate = prepare(env, with_zoom, sandbox_url)
        sides[side] = (cr, env, recruiter, workloads(interviewers, candidate, n_events))
    runs = {"plain": {}, "zoom": {}}
    total, done, started = len(sides["zoom"][3]) * 2 * rounds, 0, time.perf_counter()
    try:
        sandbox_config(sandbox_url, latency=0.0, daily_limit=10**6)
        warm_up(sides, counter, first_day=400 * (total + 1))
        if instructions:
            instructions.start()
        for index, name in enumerate(name for name, _values in sides["zoom"][3]):
            sandbox_config(sandbox_url, latency=0.2 if name.startswith("4.") else 0.0, daily_limit=10**6)
            for batch in (False, True):
                for round_ in range(rounds):
                    progress(done, total, started, f"{name}, {'batch' if batch else 'single'}, round {round_ + 1}/{rounds}: "
                             f"{n_events} events on plain Odoo and on herp_zoom")
                    # Each run gets its own days so that runs do not overlap one another.
                    days = 400 * ((2 * index + batch) * rounds + round_ + 1)
                    values = {side: shifted(sides[side][3][index][1], days) for side in sides}
                    measured = measure_round(sides, values, batch, counter, round_, instructions)
                    for side, result in measured.items():
                        runs[side].setdefault((name, batch), []).append(result)
                    done += 1
    finally:
        sandbox_config(sandbox_url, latency=0.0)
        for cr, *_rest in sides.values():
            cr.close()
    return runs


def summary(plain_runs, zoom_runs):
    """Medians over the rounds: each side's figures, and the ratios of the two sides' runs of the
    same round (measured side by side), so that the machine's changes between rounds cancel."""
    median = statistics.median
    result = {side: {key: median(run[key] for run in runs) for key in runs[0]}
              for side, runs in (("plain", plain_runs), ("zoom", zoom_runs))}
    pairs = list(zip(plain_runs, zoom_runs))
    result["ratio"] = median(zoom["ms"] / plain["ms"] for plain, zoom in pairs)
    result["ratio_without_wait"] = median((zoom["ms"] - zoom["http_ms"]) / plain["ms"] for plain, zoom in pairs)
    if plain_runs[0]["minstr"]:
        result["ratio_instructions"] = median(zoom["minstr"] / plain["minstr"] for plain, zoom in pairs)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--plain-db", required=True)
    parser.add_argument("--zoom-db", required=True)
    parser.add_argument("--sandbox", required=True)
    parser.add_argument("--events", type=int, default=N_EVENTS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions under callgrind (scripts/benchmark --instructions)")
    args = parser.parse_args()
    instructions = None
    if args.instructions:
        if not os.environ.get("HERP_ZOOM_BENCH_MARKS"):
            parser.error("--instructions runs under callgrind: use scripts/benchmark --instructions")
        instructions = InstructionCounter(os.environ["HERP_ZOOM_BENCH_MARKS"])
    odoo.tools.config.parse_config(["-c", args.config])
    counter = HttpCounter()
    runs = run(args.plain_db, args.zoom_db, args.sandbox, counter, args.events, args.rounds, instructions)
    results = {key: summary(runs["plain"][key], runs["zoom"][key]) for key in runs["zoom"]}
    if instructions:
        print_instructions(args, results)
        return

    print(f"\ncalendar.event saves through their commit, {args.events} events per run, medians of {args.rounds} rounds; "
          f"{platform.node()}: "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"Odoo {odoo.release.version}\n")
    print_table(results, [
        ("plain ms/ev", 12, ".2f", lambda result: result["plain"]["ms"]),
        ("zoom ms/ev", 11, ".2f", lambda result: result["zoom"]["ms"]),
        ("ratio", 7, ".2f", lambda result: result["ratio"]),
        ("Zoom wait ms/ev", 16, ".2f", lambda result: result["zoom"]["http_ms"]),
        ("ratio w/o wait", 15, ".2f", lambda result: result["ratio_without_wait"]),
        ("plain commit ms", 16, ".2f", lambda result: result["plain"]["commit_ms"]),
        ("zoom commit ms", 15, ".2f", lambda result: result["zoom"]["commit_ms"]),
        *COUNT_COLUMNS,
    ])
    print("\nZoom wait: time spent waiting for Zoom's answers; ratio w/o wait: herp_zoom without that "
          "time, against plain Odoo.\nRatios: the median of the rounds' ratios, each between the two sides' "
          "runs of one round, one right after the other.\nSingle: one transaction per event; batch: one create "
          "call and one transaction per run. Times and SQL include the commit and the hooks run after it\n"
          "(commit ms, extra SQL at commit: that part alone, per event; SQL: every cursor of the process).")
    for batch in (False, True):
        slow, fast = results[("4. as 2, Zoom +200 ms", batch)], results[("2. linked interviewer", batch)]
        added = (slow["zoom"]["ms"] - slow["plain"]["ms"]) - (fast["zoom"]["ms"] - fast["plain"]["ms"])
        waited = slow["zoom"]["http_ms"] - fast["zoom"]["http_ms"]
        print(f"Workload 4 against 2, {'batch' if batch else 'single'}: +{added:.1f} ms per event over plain Odoo "
              f"for 200 ms of added latency (Zoom wait +{waited:.1f} ms, the rest {added - waited:+.1f} ms).")


# Columns of both tables: (heading, width, format, value of a workload's summary()).
COUNT_COLUMNS = [
    ("plain SQL/ev", 13, ".1f", lambda result: result["plain"]["sql"]),
    ("zoom SQL/ev", 12, ".1f", lambda result: result["zoom"]["sql"]),
    ("extra SQL", 10, ".1f", lambda result: result["zoom"]["sql"] - result["plain"]["sql"]),
    ("extra SQL at commit", 20, ".2f", lambda result: result["zoom"]["commit_sql"] - result["plain"]["commit_sql"]),
    ("Zoom HTTP/ev", 13, ".2f", lambda result: result["zoom"]["http"]),
]


def print_table(results, columns):
    """One line per workload and mode; ``columns``: (heading, width, format, value)."""
    header = f"{'workload':<24}{'mode':<8}" + "".join(f"{heading:>{width}}" for heading, width, _format, _value in columns)
    print(header)
    print("-" * len(header))
    for (name, batch), result in results.items():
        cells = "".join(f"{value(result):>{width}{format_}}"
                        for _heading, width, format_, value in columns)
        print(f"{name:<24}{'batch' if batch else 'single':<8}{cells}")


def print_instructions(args, results):
    print(f"\ncalendar.event saves through their commit, {args.events} events per run, medians of {args.rounds} rounds, "
          f"instructions "
          f"of Odoo's process counted by callgrind; {platform.node()}: {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, Odoo {odoo.release.version}\n")
    print_table(results, [
        ("plain Minstr/ev", 16, ".2f", lambda result: result["plain"]["minstr"]),
        ("zoom Minstr/ev", 15, ".2f", lambda result: result["zoom"]["minstr"]),
        ("ratio", 7, ".3f", lambda result: result["ratio_instructions"]),
        *COUNT_COLUMNS,
    ])
    print("\nInstructions of this process only: PostgreSQL's and the Zoom sandbox's processes are not counted "
          "(extra SQL: the queries herp_zoom adds),\nnor is time spent waiting. Ratios: the median of the rounds' "
          "ratios, each between the two sides' runs of one round.")


if __name__ == "__main__":
    main()
