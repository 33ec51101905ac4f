"""The other ways Odoo people install the addons, as scripts/release builds them: a zip per addon
(the Apps way: unpacked into a folder of the addons_path) and a wheel per addon (pip, the OCA
way: installed into an Odoo environment, loadable without touching the addons_path), for the
series the tests run on (ODOO_SERIES), with that series' data addon."""

import ast
import os
import re
import subprocess
import sys
import sysconfig
import uuid
import zipfile
from pathlib import Path

import psycopg2
import pytest

REPO_DIR = Path(__file__).resolve().parents[1]
SERIES = os.environ.get("ODOO_SERIES", "19.0")
ODOO_PATH = Path(os.environ.get("ODOO_PATH", f"/opt/odoo{SERIES.split('.')[0]}"))
ADDONS = ("herp_zoom", "herp_zoom_recruitment")
SERIES_ADDON = "herp_zoom_series"


_DISTRIBUTIONS = [f"odoo-addon-{addon}" for addon in ADDONS]
# Prints each requirement of the given installed distributions that no installed one meets.
_UNMET_REQUIREMENTS = """
import sys
from importlib import metadata
from packaging.requirements import Requirement
for name in sys.argv[1:]:
    for requirement in map(Requirement, metadata.requires(name)):
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed is None or not requirement.specifier.contains(installed, prereleases=True):
            print(requirement, installed)
"""


def _source(addon):
    return REPO_DIR / addon if addon in ADDONS else REPO_DIR / "series" / SERIES / addon


def _version(addon):
    """The manifest's version as Odoo reads it on the series: x.y.z prefixed with the series."""
    version = ast.literal_eval((_source(addon) / "__manifest__.py").read_text())["version"]
    return version if version.startswith(SERIES + ".") else f"{SERIES}.{version}"


def _tracked_files(addon):
    listed = subprocess.run(["git", "ls-files", "--", addon], cwd=REPO_DIR, capture_output=True,
                            text=True, check=True).stdout.split()
    return {name for name in listed if (REPO_DIR / name).is_file()}


@pytest.fixture(scope="module")
def dist():
    result = subprocess.run([str(REPO_DIR / "scripts" / "release")], cwd=REPO_DIR, capture_output=True,
                            text=True, timeout=600, check=False, env=dict(os.environ, ODOO_SERIES=SERIES))
    assert result.returncode == 0, result.stderr[-3000:]
    for addon in (*ADDONS, SERIES_ADDON):
        assert f"dist/{SERIES}/{addon}-{_version(addon)}.zip" in result.stderr
    return REPO_DIR / "dist" / SERIES


@pytest.fixture
def database():
    name = f"herp_zoom_package_{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["dropdb", "--if-exists", name], check=False, capture_output=True)


def _install(python, odoo_bin, workdir, db, addons_path, modules):
    """odoo-bin -i in a fresh database; the module paths Odoo then uses for the addons."""
    conf = workdir / f"{db}.conf"
    conf.write_text(f"[options]\naddons_path = {addons_path}\ndata_dir = {workdir}/data\nlog_level = warn\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = [str(python), str(odoo_bin), "-c", str(conf), "-d", db]
    result = subprocess.run([*run, "-i", modules, "--stop-after-init", "--without-demo=all"], cwd=workdir,
                            env=env, capture_output=True, text=True, timeout=900, check=False)
    errors = [line for line in result.stderr.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert result.returncode == 0 and not errors, result.stderr[-3000:]
    shell = subprocess.run(
        [run[0], run[1], "shell", *run[2:], "--no-http"], cwd=workdir, env=env, capture_output=True, text=True, timeout=300,
        input="from odoo.modules.module import get_module_path\n"
              f"for name in {ADDONS!r}: print('module path', name, get_module_path(name))\n",
        check=False,
    )
    assert shell.returncode == 0, shell.stderr[-3000:]
    with psycopg2.connect(dbname=db) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT name, state FROM ir_module_module WHERE name IN %s ORDER BY name", [(*ADDONS, SERIES_ADDON)])
        states = dict(cr.fetchall())
    paths = dict(re.findall(r"^module path (\S+) (\S+)$", shell.stdout, re.MULTILINE))
    return states, paths


def archive_manifest(dist, addon):
    with zipfile.ZipFile(dist / f"{addon}-{_version(addon)}.zip") as archive:
        return archive.read(f"{addon}/__manifest__.py").decode()


def test_zips_hold_one_folder_named_after_the_addon_with_its_page_and_icon(dist):
    for addon in ADDONS:
        with zipfile.ZipFile(dist / f"{addon}-{_version(addon)}.zip") as archive:
            names = set(archive.namelist())
            page = archive.read(f"{addon}/static/description/index.html").decode()
            icon = archive.read(f"{addon}/static/description/icon.png")
        assert names == _tracked_files(addon)
        assert {name.split("/")[0] for name in names} == {addon}
        manifest = ast.literal_eval(archive_manifest(dist, addon))
        # The zip of a series says its series, as Odoo reads the version there.
        assert manifest["version"] == _version(addon)
        for data_file in manifest.get("data", []) + manifest.get("demo", []):
            assert f"{addon}/{data_file}" in names
        assert icon.startswith(b"\x89PNG\r\n\x1a\n")
        images = re.findall(r'<img src="([^"]+)"', page)
        assert images
        for image in images:
            assert f"{addon}/static/description/{image}" in names
    page = " ".join((REPO_DIR / "herp_zoom" / "static" / "description" / "index.html").read_text().split())
    for setting in ("Settings &gt; Calendar &gt; Zoom", "Simultaneous Meetings per Zoom User",
                    "Update Zoom Meetings with Interviews", "Delete Zoom Meetings with Interviews"):
        assert setting in page


def test_zip_unpacked_into_an_addons_folder_installs(dist, database, tmp_path):
    addons = tmp_path / "addons"
    with zipfile.ZipFile(dist / f"herp_zoom-{_version('herp_zoom')}.zip") as archive:
        archive.extractall(addons)
    states, paths = _install(sys.executable, ODOO_PATH / "odoo-bin", tmp_path, database,
                             f"{ODOO_PATH}/odoo/addons,{ODOO_PATH}/addons,{addons}", "herp_zoom")
    assert states == {"herp_zoom": "installed"}
    assert paths["herp_zoom"] == str(addons / "herp_zoom")


def test_wheels_install_the_addons_into_an_odoo_environment(dist, database, tmp_path):
    wheels = {addon: dist / f"odoo_addon_{addon}-{_version(addon)}-py3-none-any.whl" for addon in (*ADDONS, SERIES_ADDON)}
    with zipfile.ZipFile(wheels["herp_zoom"]) as archive:
        metadata = archive.read(f"odoo_addon_herp_zoom-{_version('herp_zoom')}.dist-info/METADATA").decode()
        assert "odoo/addons/herp_zoom/__manifest__.py" in archive.namelist()
    assert set(re.findall(r"^Requires-Dist: (.+)$", metadata, re.MULTILINE)) == {
        "authlib<1.4", f"odoo=={SERIES}.*", "requests"}

    # An Odoo 18 environment: Odoo installed with pip (editable, from a folder that links to the
    # source tree, so the tree itself is not written to), its dependencies those of this venv.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    site_packages = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    (site_packages / "odoo-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    odoo_source = tmp_path / "odoo"
    odoo_source.mkdir()
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    commands = [[*pip, "--no-index", "--no-deps", *map(str, wheels.values())]]
    if (ODOO_PATH / "setup.py").exists():
        for name in ("setup.py", "setup.cfg", "MANIFEST.in", "README.md", "LICENSE", "setup", "odoo", "odoo-bin"):
            (odoo_source / name).symlink_to(ODOO_PATH / name)
        commands.insert(0, [*pip, "--no-deps", "--no-build-isolation", "--config-settings", "editable_mode=compat",
                            "-e", str(odoo_source)])
    else:
        # A source tree without its packaging files (as /opt/odoo19 here): Odoo on the path, and
        # the distribution the wheels require recorded as installed, at the tree's version.
        for name in ("odoo", "odoo-bin"):
            (odoo_source / name).symlink_to(ODOO_PATH / name)
        (site_packages / "odoo-source.pth").write_text(f"{odoo_source}\n")
        release = {}
        exec((ODOO_PATH / "odoo" / "release.py").read_text(), release)  # pylint: disable=exec-used
        info = site_packages / f"odoo-{release['version']}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: odoo\nVersion: {release['version']}\n")
        (info / "RECORD").write_text("")
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    # The addons' requirements are met by the Odoo environment (pip would not resolve them here
    # without an index: Odoo's own list includes the gevent this environment leaves out).
    unmet = subprocess.run([str(venv / "bin" / "python"), "-c", _UNMET_REQUIREMENTS, *_DISTRIBUTIONS],
                           capture_output=True, text=True, check=True).stdout.split("\n")
    assert unmet == [""]

    states, paths = _install(venv / "bin" / "python", odoo_source / "odoo-bin", tmp_path, database,
                             f"{ODOO_PATH}/odoo/addons,{ODOO_PATH}/addons", "herp_zoom_recruitment")
    assert states == {"herp_zoom": "installed", "herp_zoom_recruitment": "installed", SERIES_ADDON: "installed"}
    for addon in ADDONS:
        assert paths[addon] == str(site_packages / "odoo" / "addons" / addon)
