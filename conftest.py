"""A skipped test is a test that did not run: the suite fails when any is skipped
(pytest-odoo skips HttpCase tests without --odoo-http, Odoo skips tours without Chromium).

Skips are counted by a plugin registered for the whole session: hooks written in a conftest.py
only see the tests below its folder, and Odoo's own tests (ODOO_PATH/addons/*/tests) are not."""

import importlib.util
import os
from pathlib import Path

TESTS_DIR = Path(__file__).with_name("tests")


def odoo_series():
    """The Odoo series the tests run on (scripts/test sets ODOO_SERIES; else Odoo's own)."""
    series = os.environ.get("ODOO_SERIES")
    if not series:
        from odoo import release  # pylint: disable=import-outside-toplevel

        series = release.major_version
    return series


def series_file(stem):
    """tests/<stem>-<series>.txt: each series has its own lists of Odoo's tests."""
    return TESTS_DIR / f"{stem}-{odoo_series()}.txt"


def _baseline_failures():
    baseline = series_file("odoo_baseline_failures")
    lines = baseline.read_text().splitlines() if baseline.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def pytest_collection_modifyitems(config, items):
    """Odoo's own tests that fail the same way without herp_zoom are not run (see the series' file)."""
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


class SkippedTestsFailTheRun:
    """Every skip of the session, wherever the test lives, turns a passing run into a failure."""

    def __init__(self):
        self.skipped = []

    def pytest_runtest_logreport(self, report):
        if report.skipped:
            self.skipped.append(report.nodeid)

    def pytest_collectreport(self, report):
        # A whole module skipped while being collected (pytest.skip(allow_module_level=True)).
        if report.skipped:
            self.skipped.append(report.nodeid)

    def pytest_sessionfinish(self, session, exitstatus):
        if self.skipped and exitstatus == 0:
            session.exitstatus = 1

    def pytest_terminal_summary(self, terminalreporter):
        if self.skipped:
            terminalreporter.write_line(f"{len(self.skipped)} skipped test(s) count as failures here:", red=True)
            for nodeid in self.skipped:
                terminalreporter.write_line(f"  {nodeid}", red=True)


def pytest_configure(config):
    config.pluginmanager.register(SkippedTestsFailTheRun(), "herp_zoom_skipped_tests_fail_the_run")
    # Every failing cell of a sub-tested loop is reported and the loop goes on (tests/subtest_cells.py).
    subtest_cells = _load_plugin("subtest_cells.py")
    if subtest_cells.install():
        config.pluginmanager.register(subtest_cells.FailingCellsReportThemselves(), "herp_zoom_subtest_cells")
    if os.environ.get("HERP_ZOOM_SWITCHED_ON") != "1":
        config.pluginmanager.register(_load_plugin("left_as_found.py"), "herp_zoom_left_as_found")
    # Second pass of Odoo's own tests, with herp_zoom switched on (see tests/odoo_switched_on.py).
    if os.environ.get("HERP_ZOOM_SWITCHED_ON") == "1":
        plugin = _load_plugin("odoo_switched_on.py")
        config.pluginmanager.register(plugin, "herp_zoom_switched_on_pass")
        plugin.register(config)


def _load_plugin(name):
    """A module of tests/ as a pytest plugin (hooks and fixtures for the whole session)."""
    spec = importlib.util.spec_from_file_location(f"herp_zoom_{Path(name).stem}", Path(__file__).with_name("tests") / name)
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)
    return plugin
