"""The switched-on pass (tests/odoo_switched_on.py) fails when a suite issues fewer meetings than its
counts file records, or none, when the Zoom sandbox saw a contract violation, and when the
company's connection was gone; it passes otherwise.

Each case runs pytest in a folder outside the repository shaped as Odoo's (``addons/calendar/tests``)
with the pass's plugin, the real Zoom sandbox, and tests that create meetings through Zoom's API
as herp_zoom would (the events they count stand in for those herp_zoom's test-only addon counts).
"""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("odoo_switched_on", REPO_DIR / "tests" / "odoo_switched_on.py")
SWITCHED_ON = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(SWITCHED_ON)

PLUGIN = '''
import importlib.util
import json
import os
from collections import Counter
from pathlib import Path

import requests

from zoom_sandbox import SandboxServer

spec = importlib.util.spec_from_file_location("switched_on", os.environ["SWITCHED_ON_PLUGIN"])
switched_on = importlib.util.module_from_spec(spec)
spec.loader.exec_module(switched_on)

EVENTS = Counter()
LOST = json.loads(os.environ.get("LOST", "[]"))


def take():
    counts = dict(EVENTS)
    EVENTS.clear()
    return counts


def take_lost():
    lost = list(LOST)
    LOST.clear()
    return lost


PASS = switched_on.SwitchedOnPass(take, take_lost, "18.0", counts_path=Path(os.environ["COUNTS"]))


def pytest_configure(config):
    config.pluginmanager.register(PASS, "switched_on_counts")
    PASS.sandbox = SandboxServer(port=0).start()


def pytest_unconfigure(config):
    PASS.sandbox.stop()


def create_meeting(body):
    """What herp_zoom does for an event: one create request; the event is counted with its outcome."""
    sandbox = PASS.sandbox
    token = requests.post(sandbox.url + "/oauth/token", auth=switched_on.S2S_APP, timeout=5, data={
        "grant_type": "account_credentials", "account_id": switched_on.SANDBOX_ACCOUNT}).json()["access_token"]
    response = requests.post(sandbox.api_url + "/users/interviewer1@herp-demo.example/meetings", json=body,
                             headers={"Authorization": f"Bearer {token}"}, timeout=5)
    EVENTS["events"] += 1
    EVENTS["meeting" if response.status_code == 201 else "failed"] += 1
    return response
'''

SUITE = '''
import fake_pass_plugin as plugin

MEETING = {"topic": "Interview", "type": 2, "start_time": "2031-01-06T10:00:00Z", "duration": 30}


def test_issues_one():
    assert plugin.create_meeting(MEETING).status_code == 201


def test_issues_two():
    assert plugin.create_meeting(MEETING).status_code == 201
    assert plugin.create_meeting(MEETING).status_code == 201


def test_creates_no_event():
    assert True
'''


def run_pass(counts, suite=SUITE, lost=()):
    with tempfile.TemporaryDirectory(prefix="herp_zoom_switched_on_") as folder:
        tests = Path(folder, "odoo", "addons", "calendar", "tests")
        tests.mkdir(parents=True)
        Path(tests, "test_fake.py").write_text(suite)
        Path(folder, "fake_pass_plugin.py").write_text(PLUGIN)
        counts_path = Path(folder, "switched_on_counts-18.0.txt")
        if counts is not None:
            counts_path.write_text(counts)
        env = dict(os.environ, PYTHONPATH=f"{folder}{os.pathsep}{REPO_DIR}", COUNTS=str(counts_path), LOST=json.dumps(list(lost)),
                   SWITCHED_ON_PLUGIN=str(REPO_DIR / "tests" / "odoo_switched_on.py"))
        env.pop("HERP_ZOOM_SWITCHED_ON", None)
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:odoo", "-p", "fake_pass_plugin",
             str(tests)], cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False,
        )


def test_a_suite_at_its_recorded_counts_passes():
    result = run_pass("calendar tests=2 events=3 meetings=3\n")
    assert "3 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout
    assert ("calendar: 2 of 3 tests issued at least one Zoom meeting (67%), 3 meetings created; "
            "2 tests created 3 events") in result.stdout


def test_a_suite_below_its_recorded_tests_fails():
    result = run_pass("calendar tests=3 events=3 meetings=3\n")
    assert "3 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1, result.stdout
    assert "calendar: 2 tests issuing, fewer than the 3 recorded" in result.stdout


def test_a_suite_below_its_recorded_meetings_fails():
    result = run_pass("calendar tests=2 events=3 meetings=4\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "calendar: 3 meetings created, fewer than the 4 recorded" in result.stdout


def test_a_suite_below_its_recorded_events_fails():
    result = run_pass("calendar tests=2 events=4 meetings=3\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "calendar: 3 events with an internal organizer or attendee, fewer than the 4 recorded" in result.stdout


def test_a_suite_that_issues_nothing_fails():
    # An event whose meeting herp_zoom left pending, without a request to Zoom.
    suite = "import fake_pass_plugin as plugin\n\ndef test_creates_an_event():\n    plugin.EVENTS.update(['events', 'pending'])\n"
    result = run_pass("calendar tests=0 events=0 meetings=0\n", suite=suite)
    assert "1 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1, result.stdout
    assert "calendar: no test issued a Zoom meeting" in result.stdout


def test_a_suite_recorded_as_creating_no_event_may_issue_none():
    result = run_pass("calendar tests=0 events=0 meetings=0\n", suite="def test_creates_no_event():\n    assert True\n")
    assert "1 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout
    assert ("calendar: 0 of 1 tests issued at least one Zoom meeting (0%), 0 meetings created; "
            "0 tests created 0 events") in result.stdout


def test_a_suite_without_recorded_counts_fails():
    result = run_pass(None)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "calendar: no counts recorded for it" in result.stdout


def test_a_contract_violation_seen_by_the_sandbox_fails():
    # Zoom's OpenAPI description has no meeting type "soon": the sandbox refuses the request, as Zoom would.
    suite = SUITE + '''

def test_sends_what_zoom_refuses():
    assert plugin.create_meeting(dict(MEETING, type="soon")).status_code == 400
'''
    result = run_pass("calendar tests=2 events=3 meetings=3\n", suite=suite)
    assert "4 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1, result.stdout
    assert "the Zoom sandbox saw 1 contract violation(s):" in result.stdout
    assert ("POST /v2/users/interviewer1@herp-demo.example/meetings: refused by Zoom's OpenAPI description"
            in result.stdout)


def test_an_answer_the_sandbox_should_not_have_given_fails():
    suite = SUITE + '''

def test_sandbox_answers_off_contract():
    # What the sandbox records when one of its answers is not one Zoom's description allows.
    plugin.PASS.sandbox.state.contract_violations.append("GET /v2/users/x: 'email' is a required property")
'''
    result = run_pass("calendar tests=2 events=3 meetings=3\n", suite=suite)
    assert "4 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1, result.stdout
    assert "the Zoom sandbox saw 1 contract violation(s):" in result.stdout
    assert "GET /v2/users/x: 'email' is a required property" in result.stdout


def test_a_lost_connection_fails():
    result = run_pass("calendar tests=2 events=3 meetings=3\n", lost=["creating the event 'Interview'"])
    assert "3 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1, result.stdout
    assert "the company's Zoom connection was gone 1 time(s):" in result.stdout
    assert "test_fake.py::test_issues_one: creating the event 'Interview'" in result.stdout


def test_recorded_counts_read_back():
    with tempfile.TemporaryDirectory() as folder:
        counts = Path(folder, "switched_on_counts-18.0.txt")
        SWITCHED_ON.write_counts(counts, "18.0", {"calendar": {"issuing": 2, "events": 4, "external": 1, "meetings": 3}})
        assert SWITCHED_ON.read_counts(counts) == {"calendar": {"tests": 2, "events": 3, "meetings": 3}}
