"""Second pass of Odoo's own tests: herp_zoom switched on.

``scripts/test`` runs Odoo's tests of calendar, google_calendar, microsoft_calendar and
hr_recruitment twice. The first pass shows that an installed but unconnected herp_zoom changes
nothing. The second one runs them on a copy of the test database that also has the test-only
addon ``tests/addons/herp_zoom_switched_on``, with this plugin (loaded by the root conftest.py
when HERP_ZOOM_SWITCHED_ON=1), so that herp_zoom's issuing, description, video-call and
mail-template code runs in every one of them:

- the Zoom sandbox is started on loopback and the main company is connected to it
  (Server-to-Server app, meeting updates and deletions on);
- every active internal user is linked to a Zoom user of that account, and the addon does the
  same for every internal user the tests create (and lets internal users issue meetings);
- the tests listed in ``odoo_switched_on_differences-<series>.txt`` are left out: herp_zoom changes their
  exact expectation on purpose (the file gives the measured difference and why);
- the pass fails when no Zoom meeting was created at all (it would prove nothing), and when
  Zoom refused any request of herp_zoom: herp_zoom turns Zoom's refusals into a failed meeting
  that Odoo's tests would not notice.
"""

import os
from pathlib import Path

import pytest

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

_sandbox = []


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


def pytest_collection_modifyitems(config, items):
    differences = listed_differences()
    kept, deselected = [], []
    for item in items:
        (deselected if odoo_test_key(item) in differences else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def herp_zoom_switched_on(load_registry):
    import odoo  # pylint: disable=import-outside-toplevel
    import odoo.tests.common  # pylint: disable=import-outside-toplevel

    from zoom_sandbox import SandboxServer  # pylint: disable=import-outside-toplevel

    # The sandbox refuses to start without Zoom's OpenAPI descriptions (ZOOM_OPENAPI_DIR).
    sandbox = SandboxServer(port=0).start()
    sandbox.state.config.update(SANDBOX_CONFIG)
    _sandbox.append(sandbox)
    registry = odoo.modules.registry.Registry(odoo.tests.common.get_db_name())
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.api.SUPERUSER_ID, {})
        env["res.users"]._switched_on_connect(sandbox.api_url, sandbox.oauth_url, *S2S_APP, SANDBOX_ACCOUNT)
    yield sandbox
    sandbox.stop()


def _meetings_created():
    if not _sandbox:
        return 0
    return sum(1 for request in _sandbox[0].state.requests
               if request["method"] == "POST" and request["path"].endswith("/meetings") and request["status"] == 201)


def _refused_requests():
    """Requests Zoom refused, but the creation of a Zoom user whose address is already used."""
    if not _sandbox:
        return []
    return [request for request in _sandbox[0].state.requests if request["status"] >= 400
            and not (request["method"] == "POST" and request["path"] == "/v2/users" and request["status"] == 409)]


def pytest_sessionfinish(session, exitstatus):
    if _sandbox and (not _meetings_created() or _refused_requests()) and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if not _sandbox:
        return
    requests = _sandbox[0].state.requests
    created = _meetings_created()
    terminalreporter.write_line(
        f"herp_zoom switched on: the Zoom sandbox answered {len(requests)} requests, "
        f"{created} meetings created.", red=not created)
    refused = _refused_requests()
    if refused:
        terminalreporter.write_line(f"Zoom refused {len(refused)} request(s) of herp_zoom:", red=True)
        for request in refused:
            terminalreporter.write_line(f"  {request['method']} {request['path']} -> {request['status']}", red=True)
