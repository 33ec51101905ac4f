"""Every failing cell of a sub-tested loop reports itself and the loop goes on, for Odoo's test
cases run by pytest as `scripts/test` runs them (pytest-odoo, the repository's conftest.py)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import odoo
import odoo.tests.common

REPO_DIR = Path(__file__).resolve().parents[1]
# A folder without tests: with it on the command line, pytest loads the repository's conftest.py.
REPO_FOLDER = REPO_DIR / "tests" / "addons"
MATRIX = '''
from odoo.tests import BaseCase


class TestMatrix(BaseCase):
    # What Odoo sets on the test classes of an addon (this module is none).
    test_tags = {"standard", "at_install"}
    test_module = "test_matrix"

    def test_cells(self):
        for cell in range(4):
            with self.subTest("permission", cell=cell):
                print(f"cell {cell} ran")
                self.assertNotIn(cell, BROKEN, f"cell {cell} is broken")
'''


def run_matrix(broken):
    with tempfile.TemporaryDirectory(prefix="herp_zoom_subtests_") as folder:
        Path(folder, "test_matrix.py").write_text(MATRIX.replace("BROKEN", repr(broken)))
        conf = os.environ.get("HERP_ZOOM_ODOO_CONF") or odoo.tools.config.rcfile
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-s", f"--odoo-config={conf}",
             f"--odoo-database={odoo.tests.common.get_db_name()}", folder, str(REPO_FOLDER)],
            # Odoo's source and the repository only, as scripts/test runs pytest: the session's sys.path
            # also holds addons folders, whose `calendar` would shadow the standard library's.
            cwd=REPO_DIR, env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                [os.path.dirname(next(iter(odoo.__path__))), str(REPO_DIR)])),
            capture_output=True, text=True, timeout=300, check=False,
        )
        return result.stdout + result.stderr, result.returncode


def test_each_failing_cell_is_named_and_the_loop_goes_on():
    output, returncode = run_matrix((1, 2))
    assert returncode == 1, output
    assert "1 failed" in output, output
    assert "AttributeError" not in output, output
    # The cells after the first broken one ran.
    for cell in range(4):
        assert f"cell {cell} ran" in output, output
    # Each failing cell is named with its own message, at the end of the run too.
    assert "AssertionError: 1 unexpectedly found in (1, 2) : cell 1 is broken" in output, output
    assert "AssertionError: 2 unexpectedly found in (1, 2) : cell 2 is broken" in output, output
    assert "FAILED test_matrix.py::TestMatrix::test_cells [permission] (cell=1) - AssertionError" in output, output
    assert "FAILED test_matrix.py::TestMatrix::test_cells [permission] (cell=2) - AssertionError" in output, output
    assert "(cell=0) -" not in output and "(cell=3) -" not in output, output


def test_a_loop_without_failing_cell_passes():
    output, returncode = run_matrix(())
    assert returncode == 0, output
    assert "1 passed" in output, output
    assert "failing sub-test" not in output, output
