"""Second pass of Odoo's own tests: herp_zoom switched on.

``scripts/test`` runs Odoo's tests of calendar, google_calendar, microsoft_calendar and
hr_recruitment twice. The first pass shows that an installed but unconnected herp_zoom changes
nothing. The second one runs them on a copy of the test database that also has the test-only
addon ``tests/addons/herp_zoom_switched_on``, with this plugin (registered by the root
conftest.py when HERP_ZOOM_SWITCHED_ON=1: hooks of a conftest.py only see the tests below its
folder, and Odoo's tests are outside the repository), so that herp_zoom issues a Zoom meeting
for the events these tests create:

- the Zoom sandbox is started on loopback and the main company is connected to it
  (Server-to-Server app, meeting updates and deletions on);
- every active internal user, and the superuser (OdooBot, inactive) that Odoo's tests run as,
  is linked to a Zoom user of that account; the addon does the same for every internal user the
  tests create (and lets internal users issue meetings);
- the tests listed in ``odoo_switched_on_differences-<series>.txt`` are left out: herp_zoom changes their
  exact expectation on purpose (the file gives the measured difference and why).

The pass prints, per suite, how many tests issued at least one Zoom meeting and what became of
the events they created, and fails when

- a suite run whole issues in fewer tests, or creates fewer meetings, than
  ``switched_on_counts-<series>.txt`` records (or none at all);
- the sandbox saw a contract violation: a request Zoom's OpenAPI descriptions refuse, or an
  answer they do not describe; or Zoom refused any other request of herp_zoom (herp_zoom turns
  Zoom's refusals into a failed meeting that Odoo's tests would not notice);
- the company's Zoom connection was gone while a test created an event or a user.

``HERP_ZOOM_SWITCHED_ON_RECORD=1`` writes the counts of the suites run whole into the counts file
instead of comparing them (after a change that makes a suite issue more, or less on purpose).
"""

import os
import re
from collections import Counter
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent


def _differences_file():
    series = os.environ.get("ODOO_SERIES")
    if not series:
        from odoo import release  # pylint: disable=import-outside-toplevel

        series = release.major_version
    return Path(__file__).with_name(f"odoo_switched_on_differences-{series}.txt")
S2S_APP = ("sandbox-s2s-client", "sandbox-s2s-secret")
SANDBOX_ACCOUNT = "sbxAcct000000000000001"
# Odoo's tests create far more meetings per user in minutes than Zoom's 100 a day.
SANDBOX_CONFIG = {"token_ttl": 24 * 3600, "daily_limit": 1_000_000}
MEETING_CREATION = re.compile(r"^/v2/users/[^/]+/meetings$")
# Why an event a test created has no meeting (tests/addons/herp_zoom_switched_on/models/calendar_event.py).
OUTCOMES = {
    "meeting": "with a Zoom meeting",
    "external": "without an internal organizer or attendee",
    "imported": "imported from Google / Outlook (never issued)",
    "allday": "all-day (never issued)",
    "organizer_only": "internal organizer, no internal attendee (SPEC S1: not issued)",
    "no_zoom_role": "created by a user without a Zoom role",
    "other_company": "in a company without a Zoom connection",
    "pending": "pending",
    "failed": "failed",
    "other": "without a meeting for another reason",
}


def counts_file(series):
    return TESTS_DIR / f"switched_on_counts-{series}.txt"


def listed_differences():
    differences = _differences_file()
    lines = differences.read_text().splitlines() if differences.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def odoo_test_key(item):
    """``addons/<addon>/tests/<file>::<class>::<test>`` for a test of an Odoo addon, else None."""
    parts = Path(str(item.path)).parts
    if "addons" not in parts:
        return None
    relative = "/".join(parts[len(parts) - 1 - parts[::-1].index("addons"):])
    return f"{relative}::{item.cls.__name__ if item.cls else ''}::{item.name}"


def suite_of(path):
    """The addon whose tests folder holds ``path`` (``.../addons/<addon>/tests/...``), or None."""
    parts = Path(str(path)).parts
    for index in range(len(parts) - 2, 0, -1):
        if parts[index + 1] == "tests" and parts[index - 1] == "addons":
            return parts[index]
    return None


def read_counts(path):
    """{suite: {"tests": n, "meetings": n}} recorded in ``path`` ({} without the file)."""
    recorded = {}
    if not path.exists():
        return recorded
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        suite, *fields = line.split()
        recorded[suite] = {key: int(value) for key, value in (field.split("=") for field in fields)}
    return recorded


def write_counts(path, series, tallies):
    lines = [
        f"# Odoo {series}: per suite of Odoo's tests run whole in the switched-on pass (HERP_ZOOM_SWITCHED_ON=1",
        "# scripts/test), the least number of tests that issue at least one Zoom meeting, of events they create with",
        "# an internal organizer or attendee, and of Zoom meetings created. A suite recorded with events=0 may issue none.",
        "# The pass fails below these. Written by HERP_ZOOM_SWITCHED_ON_RECORD=1 HERP_ZOOM_SWITCHED_ON=1 scripts/test.",
    ]
    lines += [f"{suite} tests={tally['issuing']} events={internal_events(tally)} meetings={tally['meetings']}"
              for suite, tally in sorted(tallies.items())]
    path.write_text("\n".join(lines) + "\n")


def internal_events(tally):
    """The events created with an internal organizer or attendee: those herp_zoom may issue for."""
    return tally.get("events", 0) - tally.get("external", 0)


def verdict(tallies, whole_suites, recorded, violations, refused, lost):
    """The reasons the pass fails (empty: it holds).

    ``tallies``: {suite: Counter of tests, issuing, meetings, events...}; ``whole_suites``: the
    suites run whole (only those are compared); ``recorded``: read_counts(); ``violations``: the
    sandbox's contract violations; ``refused``: other requests Zoom refused; ``lost``: where the
    connection was gone.
    """
    failures = []
    for suite in sorted(whole_suites):
        tally = tallies.get(suite, Counter())
        minimum = recorded.get(suite)
        # Only a suite recorded as creating no event with an internal person may issue none.
        if not tally["issuing"] and (minimum is None or minimum.get("events") != 0 or internal_events(tally)):
            failures.append(f"{suite}: no test issued a Zoom meeting")
        if minimum is None:
            failures.append(f"{suite}: no counts recorded for it")
            continue
        measured = {"tests": tally["issuing"], "events": internal_events(tally), "meetings": tally["meetings"]}
        labels = {"tests": "tests issuing", "events": "events with an internal organizer or attendee",
                  "meetings": "meetings created"}
        for key, label in labels.items():
            if measured[key] < minimum.get(key, 0):
                failures.append(f"{suite}: {measured[key]} {label}, fewer than the {minimum[key]} recorded")
    if violations:
        failures.append(f"the Zoom sandbox saw {len(violations)} contract violation(s):")
        failures += [f"  {violation}" for violation in violations]
    if refused:
        failures.append(f"Zoom refused {len(refused)} request(s) of herp_zoom:")
        failures += [f"  {request['method']} {request['path']} -> {request['status']}" for request in refused]
    if lost:
        failures.append(f"the company's Zoom connection was gone {len(lost)} time(s):")
        failures += [f"  {where}" for where in lost]
    return failures


class SwitchedOnPass:
    """Counts, per suite, the tests that issue and what became of their events; judges the pass.

    ``take_tally()`` returns (and resets) the events counted since its last call,
    ``take_lost()`` where the connection was gone; ``sandbox`` is the running Zoom sandbox.
    """

    def __init__(self, take_tally, take_lost, series, counts_path=None, record=False):
        self.take_tally = take_tally
        self.take_lost = take_lost
        self.series = series
        self.counts_path = counts_path or counts_file(series)
        self.record = record
        self.sandbox = None
        self.tallies = {}
        self.whole_suites = set()
        self.lost = []
        self.failures = []

    # ------------------------------------------------------------------ collection
    def pytest_collection_modifyitems(self, config, items):
        differences = listed_differences()
        kept, deselected = [], []
        for item in items:
            (deselected if odoo_test_key(item) in differences else kept).append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = kept
        # Only a suite given whole (its tests folder), with no test picked out, is compared.
        if config.option.keyword or config.option.markexpr or config.getoption("deselect", None):
            return
        for arg in config.args:
            path = Path(arg.split("::")[0])
            if "::" not in arg and path.name == "tests" and suite_of(path / "x"):
                self.whole_suites.add(suite_of(path / "x"))

    # ------------------------------------------------------------------ each test
    def _meeting_creations(self):
        if not self.sandbox:
            return 0
        return sum(1 for request in list(self.sandbox.state.requests) if request["method"] == "POST"
                   and request["status"] == 201 and MEETING_CREATION.match(request["path"]))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.take_tally()
        before = self._meeting_creations()
        yield
        events = self.take_tally()
        meetings = self._meeting_creations() - before
        self.lost += [f"{item.nodeid}: {where}" for where in self.take_lost()]
        suite = suite_of(item.path)
        if not suite:
            return
        tally = self.tallies.setdefault(suite, Counter())
        tally["tests"] += 1
        tally["issuing"] += bool(meetings)
        tally["meetings"] += meetings
        tally["creating"] += bool(events.get("events"))
        tally.update(events)

    # ------------------------------------------------------------------ the verdict
    def _violations(self):
        if not self.sandbox:
            return [], []
        requests = list(self.sandbox.state.requests)
        # What the sandbox refuses before anything else: requests Zoom's descriptions do not allow.
        violations = [f"{request['method']} {request['path']}: refused by Zoom's OpenAPI description"
                      for request in requests if request.get("contract_violation")]
        violations += list(self.sandbox.state.contract_violations)
        refused = [request for request in requests if request["status"] >= 400
                   and not request.get("contract_violation")
                   # The creation of a Zoom user whose address is already used (the user is then looked up).
                   and not (request["method"] == "POST" and request["path"] == "/v2/users" and request["status"] == 409)]
        return violations, refused

    def pytest_sessionfinish(self, session, exitstatus):
        if self.sandbox is None and not self.tallies:
            return
        if self.record:
            write_counts(self.counts_path, self.series,
                         {suite: tally for suite, tally in self.tallies.items() if suite in self.whole_suites})
            recorded = read_counts(self.counts_path)
        else:
            recorded = read_counts(self.counts_path)
        self.lost += self.take_lost()
        violations, refused = self._violations()
        self.failures = verdict(self.tallies, self.whole_suites, recorded, violations, refused, self.lost)
        if self.failures and session.exitstatus == 0:
            session.exitstatus = 1

    def pytest_terminal_summary(self, terminalreporter):
        if self.sandbox is None and not self.tallies:
            return
        write = terminalreporter.write_line
        requests = len(self.sandbox.state.requests) if self.sandbox else 0
        write(f"herp_zoom switched on (Odoo {self.series}): the Zoom sandbox answered {requests} requests.")
        for suite, tally in sorted(self.tallies.items()):
            share = 100 * tally["issuing"] / tally["tests"] if tally["tests"] else 0
            whole = "" if suite in self.whole_suites else " (not run whole: not compared)"
            write(f"  {suite}: {tally['issuing']} of {tally['tests']} tests issued at least one Zoom meeting "
                  f"({share:.0f}%), {tally['meetings']} meetings created; {tally['creating']} tests created "
                  f"{tally['events']} events{whole}")
            for outcome, label in OUTCOMES.items():
                if tally[outcome]:
                    write(f"      {tally[outcome]:5d} {label}")
        if self.record:
            write(f"Counts written to {self.counts_path}.")
        for failure in self.failures:
            write(failure, red=True)


def register(config):
    """Registers the pass for Odoo's tests in this process (root conftest.py)."""
    from odoo import release  # pylint: disable=import-outside-toplevel

    plugin = SwitchedOnPass(lambda: _tally().take(), lambda: _tally().take_lost(), release.series,
                            record=os.environ.get("HERP_ZOOM_SWITCHED_ON_RECORD") == "1")
    config.pluginmanager.register(plugin, "herp_zoom_switched_on_counts")
    return plugin


def _tally():
    # Imported once Odoo has loaded the addon (the registry), from tests/addons.
    from odoo.addons.herp_zoom_switched_on import tally  # pylint: disable=import-outside-toplevel

    return tally


@pytest.fixture(scope="session", autouse=True)
def herp_zoom_switched_on(load_registry, pytestconfig):
    import odoo  # pylint: disable=import-outside-toplevel
    import odoo.tests.common  # pylint: disable=import-outside-toplevel

    from zoom_sandbox import SandboxServer  # pylint: disable=import-outside-toplevel

    # The sandbox refuses to start without Zoom's OpenAPI descriptions (ZOOM_OPENAPI_DIR).
    sandbox = SandboxServer(port=0).start()
    sandbox.state.config.update(SANDBOX_CONFIG)
    pytestconfig.pluginmanager.get_plugin("herp_zoom_switched_on_counts").sandbox = sandbox
    registry = odoo.modules.registry.Registry(odoo.tests.common.get_db_name())
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.api.SUPERUSER_ID, {})
        env["res.users"]._switched_on_connect(sandbox.api_url, sandbox.oauth_url, *S2S_APP, SANDBOX_ACCOUNT)
    yield sandbox
    sandbox.stop()
