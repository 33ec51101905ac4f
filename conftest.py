"""A skipped test is a test that did not run: the suite fails when any is skipped
(pytest-odoo skips HttpCase tests without --odoo-http, Odoo skips tours without Chromium)."""

_skipped = []


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
