"""A skipped test is a test that did not run: the suite fails when any is skipped
(pytest-odoo skips HttpCase tests without --odoo-http, Odoo skips tours without Chromium)."""

import importlib.util
import os
from pathlib import Path

_skipped = []
_BASELINE = Path(__file__).with_name("tests") / "odoo_baseline_failures.txt"


def _baseline_failures():
    lines = _BASELINE.read_text().splitlines() if _BASELINE.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def pytest_collection_modifyitems(config, items):
    """Odoo's own tests that fail the same way without herp_zoom are not run (see the file)."""
    baseline = _baseline_failures()
    kept, deselected = [], []
    for item in items:
        parts = Path(str(item.path)).parts
        key = None
        if "addons" in parts:
            relative = "/".join(parts[len(parts) - 1 - parts[::-1].index("addons"):])
            key = f"{relative}::{item.cls.__name__ if item.cls else ''}::{item.name}"
        (deselected if key in baseline else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_line(f"{len(_skipped)} skipped test(s) count as failures here:", red=True)
        for nodeid in _skipped:
            terminalreporter.write_line(f"  {nodeid}", red=True)


# Second pass of Odoo's own tests, with herp_zoom switched on (see tests/odoo_switched_on.py).
def pytest_configure(config):
    if os.environ.get("HERP_ZOOM_SWITCHED_ON") == "1":
        path = Path(__file__).with_name("tests") / "odoo_switched_on.py"
        spec = importlib.util.spec_from_file_location("herp_zoom_switched_on_pass", path)
        plugin = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(plugin)
        config.pluginmanager.register(plugin, "herp_zoom_switched_on_pass")
