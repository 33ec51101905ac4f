"""The screenshot tool's browser (scripts/screenshots.py): closing it ends every process it started,
and the next one starts fresh, without the last one's cookies (an "anonymous" page is never taken
with a recruiter's session)."""

import importlib.util
import os
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "screenshots.py"


def _screenshots():
    spec = importlib.util.spec_from_file_location("herp_zoom_screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _processes_using(profile):
    """Live processes (not zombies) started with ``profile`` on their command line."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if profile in command and state != "Z":
            found.append(int(entry.name))
    return found


def test_closing_the_browser_ends_it_and_the_next_one_has_no_cookies():
    screenshots = _screenshots()
    first = screenshots.Browser()
    try:
        first.send("Network.enable")
        first.send("Network.setCookie", name="session_id", value="recruiters-session", domain="localhost", path="/")
        profile = first.profile
        assert _processes_using(profile), "the browser runs with its profile"
    finally:
        first.close()
    assert _processes_using(profile) == [], "a process of the closed browser is still running"
    assert not os.path.exists(profile)

    second = screenshots.Browser()
    try:
        assert second.profile != profile
        assert second.send("Network.getAllCookies")["cookies"] == []
    finally:
        second.close()
    assert _processes_using(second.profile) == []
