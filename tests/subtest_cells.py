"""Every failing cell of a sub-tested loop (``with self.subTest(...)``) reports itself, and the loop
goes on to the next cell.

Under pytest, pytest-odoo gives Odoo's test cases unittest's own ``subTest`` and ``run``; they hand
each cell's outcome to the result's ``addSubTest``, which pytest's unittest item (before pytest 9)
does not have: without it, unittest runs the cells as plain code and the first broken cell ends
the test, hiding every later one. This plugin gives the item ``addSubTest``: a failing cell is
kept, the loop continues, and the test fails with each failing cell named (its message and
parameters) and its own traceback, listed again at the end of the run.
"""

from _pytest._code import ExceptionInfo
from _pytest.unittest import TestCaseFunction

import pytest

_CELLS = "_herp_zoom_failed_cells"


def _add_sub_test(self, test_case, subtest, outcome):
    """unittest's result protocol: ``outcome`` is None for a passing cell, else its exc_info."""
    if outcome is None:
        return
    describe = getattr(subtest, "_subDescription", None)
    cell = describe() if describe else str(subtest)
    self.__dict__.setdefault(_CELLS, []).append((cell, ExceptionInfo.from_exc_info(outcome)))


def install():
    """Gives pytest's unittest item ``addSubTest`` when its pytest lacks one (pytest 9 has its own)."""
    if hasattr(TestCaseFunction, "addSubTest"):
        return False
    TestCaseFunction.addSubTest = _add_sub_test
    # unittest's subTest reads ``result.failfast`` after a failing cell: the loop goes on.
    TestCaseFunction.failfast = False
    return True


class FailingCellsReportThemselves:
    def __init__(self):
        self.failed_cells = []

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        cells = item.__dict__.pop(_CELLS, None)
        if call.when != "call" or not cells:
            return
        report = outcome.get_result()
        parts = []
        if report.failed and report.longrepr is not None:
            parts.append(str(report.longrepr))
        for cell, excinfo in cells:
            self.failed_cells.append((item.nodeid, cell, excinfo.exconly().splitlines()[0]))
            parts.append(f"{'_' * 20} sub-test {cell} failed {'_' * 20}\n\n{item.repr_failure(excinfo)}")
        report.outcome = "failed"
        report.longrepr = "\n\n".join(parts) + f"\n\n{len(cells)} failing sub-test(s) of {item.nodeid}: " + \
            ", ".join(cell for cell, _excinfo in cells)

    def pytest_terminal_summary(self, terminalreporter):
        if not self.failed_cells:
            return
        terminalreporter.write_sep("=", f"{len(self.failed_cells)} failing sub-test(s)", red=True)
        for nodeid, cell, message in self.failed_cells:
            terminalreporter.write_line(f"FAILED {nodeid} {cell} - {message}", red=True)
