"""Where an issued interview's save spends its time: run by scripts/profile.

Workload 2 of benchmarks/calendar_create.py (an interviewer linked to Zoom and a candidate), one
save per transaction through its commit, as a recruiter, against the Zoom sandbox. Each round
saves the events with herp_zoom issuing and the same events with issuing switched off
(context herp_zoom_no_issue), one right after the other in the same process and database, and
prints:

- the wall time of each step of herp_zoom per event (means over the saves that issued), and
  the save with and without issuing;
- ``EXPLAIN ANALYZE`` of herp_zoom's statements as one save sent them (linked attendees, the
  hosts' meetings and daily limits, the host lock), medians of repeated runs;
- the environments Odoo compared on the saves' environment look-ups (each ``with_user``,
  ``with_context``, ``sudo``, ... scans the transaction's live environments until it finds the
  same one), per event, with and without issuing;
- with --cprofile FILE, cProfile's statistics of one more round of issuing saves, untimed
  (pstats file), and the functions of herp_zoom with their call counts and cumulative times.
"""

import argparse
import cProfile
import json
import os
import platform
import pstats
import statistics
import time
from unittest.mock import patch

import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

from benchmarks.calendar_create import HttpCounter, prepare, sandbox_config, shifted, workloads

WARM_UP_EVENTS = 5
EXPLAIN_RUNS = 20


class StepTimers:
    """Wall time and calls of wrapped functions, while ``active``."""

    def __init__(self):
        self.seconds, self.calls = {}, {}
        self.active = False
        self.statements = {}

    def wrap(self, label, function, capture=False):
        timers = self

        def timed(*args, **kwargs):
            if not timers.active:
                return function(*args, **kwargs)
            started = time.perf_counter()
            try:
                if capture and label not in timers.statements:
                    with capture_sql() as seen:
                        result = function(*args, **kwargs)
                    timers.statements[label] = seen
                    return result
                return function(*args, **kwargs)
            finally:
                timers.seconds[label] = timers.seconds.get(label, 0.0) + time.perf_counter() - started
                timers.calls[label] = timers.calls.get(label, 0) + 1

        return timed


class capture_sql:  # noqa: N801 - used as a context manager, like a function
    """The statements (mogrified) the process's cursors execute inside the block."""

    def __enter__(self):
        self.seen = []
        execute = odoo.sql_db.Cursor.execute
        seen = self.seen

        def spy(cr, query, params=None, log_exceptions=True):
            seen.append(cr.mogrify(query, params).decode())
            return execute(cr, query, params, log_exceptions)

        self.patcher = patch.object(odoo.sql_db.Cursor, "execute", spy)
        self.patcher.start()
        return self.seen

    def __exit__(self, *exc):
        self.patcher.stop()


class EnvironmentScans:
    """The environments Odoo compares when looking one up: for each Environment(...) call, the
    live environments of the transaction scanned until the same one (or all of them)."""

    def __init__(self):
        self.lookups = 0
        self.compared = 0
        original = api.Environment.__new__
        scans = self

        def counting_new(cls, cr, uid, context, su=False, uid_origin=None):
            transaction = cr.transaction
            if transaction is not None:
                key_su = su or uid == SUPERUSER_ID
                origin = uid_origin or (uid if isinstance(uid, int) else None)
                origin = None if origin == SUPERUSER_ID else origin
                compared = 0
                for env in transaction.envs:
                    compared += 1
                    if (env.cr, env.uid, env.su, env.uid_origin, env.context) == (cr, uid, key_su, origin, context):
                        break
                scans.lookups += 1
                scans.compared += compared
            return original(cls, cr, uid, context, su, uid_origin)

        self.patcher = patch.object(api.Environment, "__new__", counting_new)

    def take(self):
        return self.lookups, self.compared


def install_timers(env, timers):
    from odoo.addons.herp_zoom.utils.zoom_client import ZoomClient  # pylint: disable=import-outside-toplevel

    targets = [
        ("linked attendees (query)", type(env["res.users"]), "_zoom_linked_users", True),
        ("hosts' meetings and daily limits (query)", type(env["calendar.event"]), "_zoom_hosts_busy", True),
        ("host lock (round trip)", type(env["zoom.host"]), "_lock_rows", True),
        ("plan: values to plans (with the linked attendees)", type(env["calendar.event"]), "_zoom_plans_from_vals", False),
        ("issuing: host choice, lock, Zoom request", type(env["calendar.event"]), "_zoom_issue", False),
        ("Zoom request, client and wait", ZoomClient, "create_meeting", False),
        ("Zoom wait (HTTP send to answer)", requests.Session, "send", False),
        ("notes and retry schedule after issuing", type(env["calendar.event"]), "_zoom_after_issue", False),
        (".ics file of the invitation", type(env["calendar.event"]), "_get_ics_file", False),
    ]
    patchers = []
    for label, owner, name, capture in targets:
        patcher = patch.object(owner, name, timers.wrap(label, getattr(owner, name), capture))
        patcher.start()
        patchers.append(patcher)
    return patchers


def save_each(env, recruiter, values, issuing, timers=None):
    """Save each of ``values`` in a transaction of its own; the seconds of each."""
    Event = env["calendar.event"].with_user(recruiter).with_context(tracking_disable=False)
    if not issuing:
        Event = Event.with_context(herp_zoom_no_issue=True)
    seconds = []
    for vals in values:
        if timers:
            timers.active = True
        started = time.perf_counter()
        Event.create(vals)
        env.cr.commit()
        seconds.append(time.perf_counter() - started)
        if timers:
            timers.active = False
    return seconds


def explain(cr, statements):
    """Median planning and execution times (ms) of each statement, under EXPLAIN ANALYZE, each
    run in a savepoint rolled back (the host lock writes)."""
    results = []
    for statement in statements:
        for part in (part.strip() for part in statement.split(";")):
            if not part.upper().startswith(("SELECT", "INSERT", "WITH", "UPDATE")):
                continue
            planning, execution = [], []
            for _run in range(EXPLAIN_RUNS):
                cr.execute("SAVEPOINT herp_zoom_profile")
                cr.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {part}")
                plan = cr.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                cr.execute("ROLLBACK TO SAVEPOINT herp_zoom_profile")
                planning.append(plan["Planning Time"])
                execution.append(plan["Execution Time"])
            results.append((part, statistics.median(planning), statistics.median(execution)))
    return results


def main():  # noqa: PLR0915 - one report, printed in order
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--sandbox", required=True)
    parser.add_argument("--events", type=int, default=200, help="saves per round and side (default 200)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cprofile", help="write cProfile's statistics of the issuing saves to this file")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    HttpCounter()
    registry = Registry(args.db)
    cr = registry.cursor()
    env = api.Environment(cr, SUPERUSER_ID, {})
    recruiter, interviewers, candidate = prepare(env, True, args.sandbox)
    name, values = workloads(interviewers, candidate, args.events)[1]
    sandbox_config(args.sandbox, latency=0.0, daily_limit=10**6)
    timers = StepTimers()
    patchers = install_timers(env, timers)
    scans = EnvironmentScans()
    scans.patcher.start()
    profiler = cProfile.Profile() if args.cprofile else None
    saves = {True: [], False: []}
    environments = {True: [0, 0], False: [0, 0]}
    try:
        for issuing in (True, False):
            save_each(env, recruiter, shifted(values[:WARM_UP_EVENTS], 4000 + 400 * issuing), issuing)
        for round_ in range(args.rounds):
            for issuing in (True, False) if round_ % 2 == 0 else (False, True):
                days = 400 * (2 * round_ + issuing + 1)
                before = scans.take()
                seconds = save_each(env, recruiter, shifted(values, days), issuing, timers if issuing else None)
                after = scans.take()
                saves[issuing].extend(seconds)
                environments[issuing][0] += after[0] - before[0]
                environments[issuing][1] += after[1] - before[1]
        if profiler:
            # A round of its own, after the timed ones: cProfile slows what it profiles.
            profiler.enable()
            save_each(env, recruiter, shifted(values, 400 * (2 * args.rounds + 2)), True)
            profiler.disable()
        statements = [statement for label in ("linked attendees (query)", "hosts' meetings and daily limits (query)",
                                              "host lock (round trip)")
                      for statement in timers.statements.get(label, [])]
        explained = explain(cr, statements)
    finally:
        scans.patcher.stop()
        for patcher in patchers:
            patcher.stop()
        cr.rollback()
        cr.close()

    issued = len(saves[True])
    print(f"\nOne save per transaction through its commit, workload {name!r}, {args.events} events x {args.rounds} rounds "
          f"per side; {platform.node()}: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, Odoo {odoo.release.version}\n")
    with_ms = statistics.mean(saves[True]) * 1000
    without_ms = statistics.mean(saves[False]) * 1000
    print(f"{'save (mean ms per event)':<58}{'ms/ev':>8}{'calls/ev':>10}")
    print("-" * 76)
    print(f"{'with herp_zoom issuing':<58}{with_ms:>8.2f}")
    print(f"{'issuing off (herp_zoom_no_issue), same process and database':<58}{without_ms:>8.2f}")
    print(f"{'difference':<58}{with_ms - without_ms:>8.2f}")
    print(f"\n{'step of herp_zoom in the issuing saves (inclusive)':<58}{'ms/ev':>8}{'calls/ev':>10}")
    print("-" * 76)
    for label, seconds in timers.seconds.items():
        print(f"{label:<58}{seconds * 1000 / issued:>8.3f}{timers.calls[label] / issued:>10.2f}")
    request = timers.seconds.get("Zoom request, client and wait", 0.0) - timers.seconds.get(
        "Zoom wait (HTTP send to answer)", 0.0)
    print(f"{'Zoom client around the request (request less the wait)':<58}{request * 1000 / issued:>8.3f}")
    print(f"\nEXPLAIN ANALYZE of the statements one save sent, medians of {EXPLAIN_RUNS} runs (ms):")
    for statement, planning, execution in explained:
        print(f"  planning {planning:6.3f}  execution {execution:6.3f}  {' '.join(statement.split())[:110]}")
    print("\nEnvironment look-ups of the saves (each scans the live environments of the transaction):")
    for issuing in (True, False):
        lookups, compared = environments[issuing]
        count = len(saves[issuing])
        print(f"  {'issuing' if issuing else 'issuing off'}: {lookups / count:.1f} look-ups and {compared / count:.1f} "
              f"environments compared per event ({compared} over {count} saves)")
    if profiler:
        profiler.dump_stats(args.cprofile)
        stats = pstats.Stats(args.cprofile)
        print(f"\ncProfile of a round of issuing saves of its own, {args.events} events ({args.cprofile}); "
              "herp_zoom's functions by cumulative time:")
        rows = [(key, value) for key, value in stats.stats.items() if "herp_zoom" in key[0]]
        rows.sort(key=lambda row: row[1][3], reverse=True)
        print(f"  {'calls':>8} {'cumulative s':>13}  function")
        for (filename, line, function), (_primitive, calls, _total, cumulative, _callers) in rows[:20]:
            print(f"  {calls:>8} {cumulative:>13.3f}  {filename.split('herp_zoom/', 1)[-1]}:{line} {function}")


if __name__ == "__main__":
    main()
