"""The commands' set-up (scripts/common.sh) on a machine without Odoo: a shallow clone of
Odoo's branch of the series asked for (ODOO_SERIES=18.0|19.0) from ODOO_GIT_URL, refused when it
is not that series, explained when it fails; and the system packages a source build of a Python
dependency is missing."""

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["18.0", "19.0"])
def series(request):
    return request.param


@pytest.fixture
def project(tmp_path):
    """A copy of the commands' set-up, so clones and logs land in a throwaway project."""
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO_DIR / "scripts" / "common.sh", root / "scripts" / "common.sh")
    shutil.copytree(REPO_DIR / "requirements", root / "requirements")
    return root


def _git(cwd, *args):
    subprocess.run(
        ["git", "-c", "user.name=Odoo", "-c", "user.email=odoo@example.com", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    )


def _odoo_repository(path, version_info, branch):
    """A git repository whose branch ``branch`` holds the files the set-up looks at in an Odoo tree."""
    (path / "odoo").mkdir(parents=True)
    (path / "odoo" / "release.py").write_text(f"version_info = {version_info}\nserie = 'x'\n")
    (path / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (path / "odoo-bin").chmod(0o755)
    (path / "addons" / "calendar").mkdir(parents=True)
    (path / "addons" / "calendar" / "__manifest__.py").write_text("{'name': 'Calendar'}\n")
    _git(path, "init", "-q", "-b", branch)
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "Odoo")
    return f"file://{path}"


def _check_odoo(project, tmp_path, url, series):
    """scripts/common.sh's check_odoo with ODOO_PATH unset and no Odoo at the default path."""
    env = {k: v for k, v in os.environ.items() if k not in ("ODOO_PATH", "ODOO_GIT_URL")}
    env.update(ODOO_DEFAULT_PATH=str(tmp_path / "no-odoo-here"), ODOO_GIT_URL=url, ODOO_SERIES=series)
    return subprocess.run(
        ["bash", "-c", 'source scripts/common.sh; check_odoo; echo "$ODOO_PATH"'],
        cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def _unused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _version_info(series):
    return f"({series.split('.')[0]}, 0, 0, FINAL, 0, '')"


def test_odoo_of_the_series_is_cloned_shallow_into_the_project_once(project, tmp_path, series):
    url = _odoo_repository(tmp_path / "odoo-mirror", _version_info(series), series)
    result = _check_odoo(project, tmp_path, url, series)
    assert result.returncode == 0, result.stderr
    clone = project / ".odoo" / series
    assert result.stdout.strip() == str(clone)
    assert f"git clone --depth 1 --branch {series} {url}" in result.stderr
    assert (clone / "odoo" / "release.py").read_text().startswith(f"version_info = {_version_info(series)[:-1]}")
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=clone,
                             capture_output=True, text=True, check=True)
    assert shallow.stdout.strip() == "true"
    # The next run uses the clone: the repository need not be reachable any more.
    again = _check_odoo(project, tmp_path, f"http://127.0.0.1:{_unused_port()}/odoo.git", series)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == str(clone)
    assert "Getting Odoo" not in again.stderr


def test_odoo_at_the_default_path_is_used_without_cloning(project, tmp_path, series):
    default = tmp_path / "no-odoo-here"
    _odoo_repository(default, _version_info(series), series)
    result = _check_odoo(project, tmp_path, f"http://127.0.0.1:{_unused_port()}/odoo.git", series)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(default)
    assert not (project / ".odoo").exists()


def test_a_branch_that_is_not_of_the_series_is_refused_and_not_kept(project, tmp_path, series):
    url = _odoo_repository(tmp_path / "odoo-mirror", "(17, 0, 0, FINAL, 0, '')", series)
    result = _check_odoo(project, tmp_path, url, series)
    assert result.returncode == 1
    assert (f"The branch {series} of {url} holds Odoo 17.0 (odoo/release.py), not {series}; "
            "it was not kept.") in result.stderr
    assert not list((project / ".odoo").iterdir())


def test_an_unreachable_repository_is_named_with_what_to_do(project, tmp_path, series):
    url = f"http://127.0.0.1:{_unused_port()}/odoo.git"
    result = _check_odoo(project, tmp_path, url, series)
    assert result.returncode == 1
    assert f"Could not get Odoo {series} from {url}: that repository cannot be reached." in result.stderr
    assert "Failed to connect to 127.0.0.1" in result.stderr
    assert "Set ODOO_GIT_URL to a reachable mirror or local copy of Odoo's repository" in result.stderr
    assert not list((project / ".odoo").iterdir())


def test_gitignore_keeps_the_clone_out_of_the_repository():
    for series in ("18.0", "19.0"):
        ignored = subprocess.run(["git", "check-ignore", "-q", f".odoo/{series}/odoo-bin"], cwd=REPO_DIR, check=False)
        assert ignored.returncode == 0


# A pip whose build of psycopg2 fails the way it does without libpq's headers, and works once
# apt-get has installed libpq-dev; apt-get and id as on a Debian machine, recording their use.
_PIP = """#!/bin/sh
echo "pip $*" >>"$CALLS"
if grep -q libpq-dev "$CALLS"; then exit 0; fi
echo "      Error: pg_config executable not found."
echo "error: metadata-generation-failed"
exit 1
"""
_APT_GET = '#!/bin/sh\necho "apt-get $*" >>"$CALLS"\n'


def _ensure_venv(project, tmp_path, uid, pip_needs_headers=True):
    venv_bin = tmp_path / "venv" / "bin"
    tools = tmp_path / "tools"
    venv_bin.mkdir(parents=True)
    tools.mkdir()
    (venv_bin / "python").symlink_to(shutil.which("python3"))
    (venv_bin / "pip").write_text(_PIP if pip_needs_headers else '#!/bin/sh\necho "pip $*" >>"$CALLS"\n')
    (tools / "apt-get").write_text(_APT_GET)
    (tools / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    for script in [venv_bin / "pip", tools / "apt-get", tools / "id"]:
        script.chmod(0o755)
    calls = tmp_path / "calls"
    calls.touch()
    # The throwaway virtualenv, whichever series the tests run on: a series' own variable
    # (HERP_ZOOM_VENV_19_0...) would win over HERP_ZOOM_VENV.
    env = {name: value for name, value in os.environ.items() if not name.startswith("HERP_ZOOM_VENV_")}
    env.update(HERP_ZOOM_VENV=str(tmp_path / "venv"), CALLS=str(calls), PATH=f"{tools}:{os.environ['PATH']}")
    result = subprocess.run(["bash", "-c", "source scripts/common.sh; ensure_venv"], cwd=project,
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    return result, calls.read_text().splitlines()


def test_missing_build_packages_are_installed_with_apt_get_as_root(project, tmp_path):
    result, calls = _ensure_venv(project, tmp_path, uid=0)
    assert result.returncode == 0, result.stderr
    assert [call.split()[0:2] for call in calls] == [
        ["pip", "install"], ["apt-get", "update"], ["apt-get", "install"], ["pip", "install"]]
    assert calls[2] == "apt-get install -y -q libpq-dev"
    assert "needs libpq-dev: installing them with apt-get" in result.stderr
    assert (tmp_path / "venv" / ".requirements.sha").exists()


def test_missing_build_packages_are_named_when_not_root(project, tmp_path):
    result, calls = _ensure_venv(project, tmp_path, uid=1000)
    assert result.returncode == 1
    assert ("Building Odoo's Python dependencies from source needs the system package(s) libpq-dev: "
            "install them (e.g. sudo apt-get install libpq-dev)") in result.stderr
    assert [call.split()[0] for call in calls] == ["pip"]


def test_no_system_package_is_installed_when_pip_succeeds(project, tmp_path):
    result, calls = _ensure_venv(project, tmp_path, uid=0, pip_needs_headers=False)
    assert result.returncode == 0, result.stderr
    assert [call.split()[0] for call in calls] == ["pip"]
