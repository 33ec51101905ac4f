"""A skip fails the run wherever the skipped test lives, also in a folder outside this repository
(as Odoo's own tests under ODOO_PATH/addons are)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
# A test of this repository that needs neither Odoo nor a database: with it on the command line,
# pytest loads the repository's conftest.py as `scripts/test` does.
REPO_TEST = "tests/sandbox/test_api.py::test_server_listens_on_loopback_only"
OUTSIDE_TESTS = '''
import pytest

def test_runs():
    assert True

def test_skipped():
    pytest.skip("needs something this machine lacks")
'''


def run_pytest_with_outside_folder(source):
    with tempfile.TemporaryDirectory(prefix="herp_zoom_outside_") as folder:
        assert not Path(folder).resolve().is_relative_to(REPO_DIR)
        Path(folder, "test_outside.py").write_text(source)
        env = dict(os.environ, PYTHONPATH=str(REPO_DIR))
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:odoo", folder, REPO_TEST],
            cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=300, check=False,
        )


def test_a_skip_outside_the_repository_fails_the_run():
    result = run_pytest_with_outside_folder(OUTSIDE_TESTS)
    assert "2 passed, 1 skipped" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1, result.stdout
    assert "1 skipped test(s) count as failures here:" in result.stdout
    assert "test_outside.py::test_skipped" in result.stdout


def test_the_same_run_without_the_skip_passes():
    result = run_pytest_with_outside_folder(OUTSIDE_TESTS.replace('pytest.skip("needs something this machine lacks")',
                                                                  "assert True"))
    assert "3 passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout
