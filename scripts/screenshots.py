"""Screenshots of the running demo (scripts/run) for the README, in English and Japanese.

    .venv/bin/python scripts/screenshots.py [--base http://localhost:8069] [--out docs/screenshots]
        [--db herp_zoom_demo] [--sandbox http://127.0.0.1:8071] [--debug-port 0] [--only offer]

Drives Debian's headless Chromium over the DevTools protocol with the demo users' sessions; the
Japanese screenshots need a Japanese font (Debian: fonts-ipafont-gothic).
"""

import argparse
import base64
import json
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import requests
import websocket

DB = "herp_zoom_demo"


class Browser:
    """A headless Chromium of its own: a fresh profile (no cookie of an earlier run), a debugging
    port Chromium picks itself (never another browser's), and a process group of its own, which
    close() ends whole: Debian's ``chromium`` is a wrapper script, the browser its child."""

    def __init__(self, port=0, timeout=30):
        self.profile = tempfile.mkdtemp(prefix="herp-zoom-shots-")
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        self.process = subprocess.Popen([
            binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--remote-debugging-port={port}", f"--user-data-dir={self.profile}", "--window-size=1400,1000",
            "about:blank",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            preexec_fn=_whole_address_space)  # noqa: PLW1509 - no thread runs between fork and exec here
        self.ws = None
        try:
            self.port = self._debugging_port(timeout)
            targets = self._targets(timeout)
            page = next(target for target in targets if target["type"] == "page")
            self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        except BaseException:
            self.close()
            raise
        self.next_id = 0

    def _debugging_port(self, timeout):
        """The port this browser listens on, as it writes it in its profile once it does."""
        active = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Chromium exited with status {self.process.returncode} on start")
            lines = active.read_text().splitlines() if active.exists() else []
            if lines and lines[0].isdigit():
                return int(lines[0])
            time.sleep(0.1)
        raise TimeoutError(f"Chromium did not open its debugging port within {timeout} s")

    def _targets(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                return requests.get(f"http://127.0.0.1:{self.port}/json", timeout=1).json()
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def run(self, expression):
        return self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.run(f"!!document.querySelector({json.dumps(selector)})")
            if found.get("result", {}).get("value"):
                return
            time.sleep(0.3)
        raise TimeoutError(selector)

    def shot(self, path):
        time.sleep(1.0)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))
        print("wrote", path)

    def close(self, timeout=10):
        """End every process of the browser's group (the wrapper script, the browser and its
        helpers), then remove its profile."""
        if self.ws is not None:
            self.ws.close()
        group = self.process.pid
        for signal_ in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(group, signal_)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + timeout
            while _group_alive(group) and time.monotonic() < deadline:
                self.process.poll()
                time.sleep(0.1)
            if not _group_alive(group):
                break
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def _whole_address_space():
    """Chromium reserves far more address space than it uses: a limit on it (Odoo's
    limit_memory_hard, when run from Odoo's process) makes it abort on start, as Odoo's own
    browser tests know."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _group_alive(group):
    """Whether a process of the group ``group`` runs yet (zombies, ended but not reaped, do not)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command's name: state, parent, process group.
        if fields[0] != "Z" and int(fields[2]) == group:
            return True
    return False


def set_database(name):
    global DB  # noqa: PLW0603 - one database per run, chosen on the command line
    DB = name


def session_for(base, login):
    session = requests.Session()
    answer = session.post(f"{base}/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": login}}, timeout=30).json()
    if "result" not in answer:
        raise RuntimeError(f"Cannot sign in as {login} on {DB}: {answer.get('error', {}).get('message')}")
    return session, answer["result"]["uid"]


def rpc(session, base, model, method, args, kwargs=None):
    answer = session.post(f"{base}/web/dataset/call_kw", json={"jsonrpc": "2.0", "params": {
        "model": model, "method": method, "args": args, "kwargs": kwargs or {}}}, timeout=60).json()
    if "error" in answer:
        raise RuntimeError(answer["error"]["data"]["message"])
    return answer["result"]


def login(browser, base, user):
    session, uid = session_for(base, user)
    # The demo users' time zone, so that the form's times and the notes' agree.
    browser.send("Emulation.setTimezoneOverride", timezoneId="Asia/Tokyo")
    browser.send("Network.enable")
    browser.send("Network.setCookie", name="session_id", value=session.cookies["session_id"],
                 domain=base.split("//")[1].split(":")[0], path="/")
    return session, uid


def held_interview(base, sandbox, recruiter, partner_ids, day, applicant_id=None):
    """An interview created, then held: the sandbox plays it to Odoo as Zoom's webhooks. Its notes are
    written in the organizer's language of that moment. The summary and recording come back for an
    applicant who consented (the demo's condition)."""
    values = {
        "name": "First interview: Chika Candidate",
        "start": f"2030-05-{day:02d} 01:00:00", "stop": f"2030-05-{day:02d} 02:00:00",
        "description": "<p>Product engineer position, first interview.</p>",
        "partner_ids": [[6, 0, partner_ids]],
    }
    if applicant_id:
        values["applicant_id"] = applicant_id
    event_id = rpc(recruiter, base, "calendar.event", "create", [values])
    [meeting] = rpc(recruiter, base, "calendar.event", "read", [[event_id], ["zoom_meeting_id", "zoom_join_url"]])
    if not meeting["zoom_meeting_id"]:
        raise SystemExit(f"The recruiter's interview {event_id} got no Zoom meeting.")
    print(f"Recruiter's interview {event_id}: Zoom meeting {meeting['zoom_meeting_id']}, {meeting['zoom_join_url']}")
    requests.post(f"{sandbox}/_sandbox/interviews/play", timeout=120, json={
        "url": f"{base}/herp_zoom/webhook", "secret_token": "sandbox-webhook-secret",
        "meeting_id": int(meeting["zoom_meeting_id"]), "duration": 48, "recording": True,
        "participants": [{"name": "Ichiro Interviewer", "email": "interviewer1@herp-demo.example", "join": 0},
                         {"name": "Chika Candidate", "email": "chika@candidate.example", "join": 2, "leave": 46}],
        "summary": {"title": "First interview: Chika Candidate",
                    "content": "Chika walked through the billing migration she led.\nNext: technical test."}},
    ).raise_for_status()
    # The summary is fetched by the scheduled action the webhook started, a moment later.
    for _ in range(60):
        if rpc(recruiter, base, "zoom.meeting.result", "search_count",
               [[["event_id", "=", event_id], ["summary_state", "=", "done"]]]):
            break
        time.sleep(1)
    else:
        raise SystemExit("The interview's summary was not fetched within a minute: is Odoo's cron running?")
    return event_id


def check_japanese_font():
    """Chromium draws Japanese with the system's fonts: without one, the Japanese screenshots would
    show empty boxes."""
    fonts = subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True, check=False).stdout
    if not fonts.strip():
        raise SystemExit("No Japanese font is installed: the Japanese screenshots would show empty boxes. "
                         "Install one first (Debian: apt-get install fonts-ipafont-gothic).")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://localhost:8069")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
    parser.add_argument("--db", default=DB, help="the demo database (HERP_ZOOM_DEMO_DB of scripts/run)")
    parser.add_argument("--sandbox", default="http://127.0.0.1:8071", help="the demo's Zoom sandbox")
    parser.add_argument("--debug-port", type=int, default=0,
                        help="Chromium's remote debugging port (default: a free one Chromium picks)")
    parser.add_argument("--only", choices=["all", "offer"], default="all",
                        help="offer: only the candidate's page of the demo's offer of interview slots")
    args = parser.parse_args()
    check_japanese_font()
    set_database(args.db)
    if args.only == "offer":
        browser = Browser(args.debug_port)
        try:
            offer_shots(browser, args.base, Path(args.out))
        finally:
            browser.close()
        return
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = args.base

    recruiter, _ = session_for(base, "recruiter")
    partner = rpc(recruiter, base, "res.users", "search_read", [[["login", "=", "interviewer1"]]], {"fields": ["partner_id"]})
    # The demo applicant (with Recruitment), who consents to recording and Zoom's summary.
    applicants = rpc(recruiter, base, "hr.applicant", "search_read", [[["email_from", "=", "chika@candidate.example"]]],
                     {"fields": ["partner_id"], "limit": 1}) if recruitment_installed(base) else []
    applicant_id = applicants[0]["id"] if applicants else None
    if applicant_id:
        rpc(recruiter, base, "hr.applicant", "action_zoom_record_consent", [[applicant_id]])
        candidate = rpc(recruiter, base, "hr.applicant", "read", [[applicant_id], ["partner_id"]])[0]["partner_id"][0]
    else:
        candidate = rpc(recruiter, base, "res.partner", "create", [{"name": "Chika Candidate",
                                                                    "email": "chika@candidate.example"}])
    partner_ids = [partner[0]["partner_id"][0], candidate]

    browser = Browser(args.debug_port)
    try:
        for lang, suffix in (("en_US", "en"), ("ja_JP", "ja")):
            for user in ("admin", "interviewer1", "recruiter"):
                session, uid = session_for(base, user)
                rpc(session, base, "res.users", "write", [[uid], {"lang": lang}])
            event_id = held_interview(base, args.sandbox, recruiter, partner_ids, day=1 if lang == "en_US" else 2,
                                      applicant_id=applicant_id)
            login(browser, base, "admin")
            browser.send("Page.navigate", url=f"{base}/odoo/action-calendar.calendar_settings_action")
            browser.wait_for("#herp_zoom_connection")
            browser.run("document.getElementById('herp_zoom_connection').scrollIntoView({block: 'start'})")
            browser.shot(out / f"settings-{suffix}.png")
            browser.wait_for("#herp_zoom_meeting_template")
            browser.run("document.getElementById('herp_zoom_meeting_template').scrollIntoView({block: 'start'})")
            browser.shot(out / f"meeting-settings-{suffix}.png")
            # The guide, opened, then "Check setup" (scripts/run's database answers on localhost over
            # http, so the check shows how a failing item reads).
            browser.run("document.querySelector('details.o_herp_zoom_guide').open = true")
            browser.run("document.querySelector('details.o_herp_zoom_guide').scrollIntoView({block: 'start'})")
            browser.shot(out / f"setup-guide-{suffix}.png")
            browser.run("document.querySelector('button[name=action_zoom_check_setup]').click()")
            browser.wait_for(".modal .o_herp_zoom_setup_check .o_data_row")
            browser.shot(out / f"setup-check-{suffix}.png")
            browser.run("document.querySelector('.modal-footer button[special=cancel]').click()")

            login(browser, base, "interviewer1")
            browser.send("Page.navigate", url=f"{base}/odoo")
            browser.wait_for(".o_user_menu button, .o_user_menu .dropdown-toggle")
            browser.run("document.querySelector('.o_user_menu button, .o_user_menu .dropdown-toggle').click()")
            # The user menu's Preferences entry: data-menu=preferences on Odoo 19, settings on 18.
            browser.wait_for("[data-menu=preferences], [data-menu=settings]")
            browser.run("document.querySelector('[data-menu=preferences], [data-menu=settings]').click()")
            browser.wait_for(".o_herp_zoom_preferences")
            browser.run("document.querySelector('.o_herp_zoom_preferences').scrollIntoView({block: 'center'})")
            browser.shot(out / f"preferences-{suffix}.png")

            login(browser, base, "recruiter")
            browser.send("Page.navigate", url=f"{base}/odoo/action-calendar.action_calendar_event/{event_id}")
            browser.wait_for(".o_herp_zoom_meeting")
            browser.shot(out / f"event-{suffix}.png")
            browser.run("document.querySelector('a[name=zoom_results]').click()")
            browser.wait_for(".o_herp_zoom_held")
            browser.run("document.querySelector('a[name=zoom_results]').scrollIntoView({block: 'start'})")
            browser.shot(out / f"results-{suffix}.png")
        offer_shots(browser, base, out)
    finally:
        browser.close()


def recruitment_installed(base):
    admin, _ = session_for(base, "admin")
    return bool(rpc(admin, base, "ir.model", "search_count", [[["model", "=", "herp_zoom.interview.offer"]]]))


def offer_shots(browser, base, out):
    """The candidate's page of the demo offer: the times offered, then the booked interview."""
    recruiter, _ = session_for(base, "recruiter")
    offers = rpc(recruiter, base, "herp_zoom.interview.offer", "search_read", [[["state", "=", "sent"]]],
                 {"fields": ["access_url"], "limit": 1})
    if not offers:
        raise RuntimeError("The demo has no open offer of interview slots left (install the demo again).")
    page = base + "/interview/offer/" + offers[0]["access_url"].rsplit("/", 1)[1]
    browser.send("Network.enable")
    browser.send("Network.clearBrowserCookies")
    # Each wait names the page's language: the page before a navigation answers a bare selector too.
    for lang, suffix in (("en_US", "en"), ("ja_JP", "ja")):
        browser.send("Page.navigate", url=f"{page}?lang={lang}&tz=Asia/Tokyo")
        browser.wait_for(f".o_herp_zoom_offer[data-lang={lang}] .o_herp_zoom_offer_slot")
        browser.shot(out / f"offer-{suffix}.png")
    browser.send("Page.navigate", url=f"{page}?lang=en_US&tz=Asia/Tokyo")
    browser.wait_for(".o_herp_zoom_offer[data-lang=en_US] .o_herp_zoom_offer_slot")
    browser.run("document.querySelector('.o_herp_zoom_offer_slot').click()")
    browser.run("document.querySelector('.o_herp_zoom_offer_confirm').click()")
    browser.wait_for(".o_herp_zoom_offer_link")
    booked = rpc(recruiter, base, "herp_zoom.interview.offer", "read", [[offers[0]["id"]], ["event_id"]])[0]["event_id"]
    [event] = rpc(recruiter, base, "calendar.event", "read", [[booked[0]], ["zoom_meeting_id", "zoom_join_url"]])
    if not event["zoom_meeting_id"]:
        raise SystemExit(f"The candidate's booking {booked[0]} got no Zoom meeting.")
    print(f"Candidate's booking {booked[0]}: Zoom meeting {event['zoom_meeting_id']}, {event['zoom_join_url']}")
    browser.shot(out / "offer-booked-en.png")
    browser.send("Page.navigate", url=f"{page}?lang=ja_JP&tz=Asia/Tokyo")
    browser.wait_for(".o_herp_zoom_offer[data-lang=ja_JP] .o_herp_zoom_offer_link")
    browser.shot(out / "offer-booked-ja.png")


if __name__ == "__main__":
    main()
