"""Proof that the tests bite: each fault below breaks one guard of herp_zoom on purpose, the tests
that guard it run against the broken code, and the fault must make them fail.

Run through scripts/mutation, which prepares the database; not part of the test run.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
T = "herp_zoom/tests/"


@dataclass
class Fault:
    name: str
    guard: str
    path: str
    find: str
    replace: str
    tests: tuple
    # Further (find, replace) pairs in the same file, where a second check guards the same thing.
    also: tuple = ()

    def apply(self):
        file = REPO / self.path
        text = broken = file.read_text()
        for find, replace in ((self.find, self.replace), *self.also):
            count = broken.count(find)
            if count != 1:
                raise SystemExit(f"fault {self.name}: the code to break occurs {count} times in {self.path}, not once")
            broken = broken.replace(find, replace)
        file.write_text(broken)
        return text


FAULTS = [
    Fault("issuing-role", "only Zoom administrators, recruiters and assistants issue",
          "herp_zoom/models/calendar_event.py",
          "return not self.env.user.has_group(ISSUING_GROUP)", "return False",
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("issue-button-role", "the issue button checks the role",
          "herp_zoom/models/calendar_event.py",
          'raise AccessError(_("Only Zoom administrators, recruiters and assistants can issue Zoom meetings."))',
          "pass",
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("private-event", "the issue button checks write access to private events first",
          "herp_zoom/models/calendar_event.py",
          '        self.check_access("write")\n        self._check_calendar_privacy_write_permissions()\n',
          "",
          (T + "test_security.py::TestPrivateInterviews",)),
    Fault("issue-company", "the issue button uses only the caller's companies' connections",
          "herp_zoom/models/calendar_event.py",
          "if account and account.company_id not in self.env.companies:", "if False:",
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("link-role", "only users with a Zoom role link a Zoom user",
          "herp_zoom/models/res_users.py",
          'if not self.env.user.has_group("herp_zoom.group_zoom_guest"):', "if False:",
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("admin-company", "administrators act only on their companies' connections",
          "herp_zoom/models/zoom_account.py",
          '        # The company record rule applies to the caller; superuser rights come only after it.\n'
          '        self.check_access("write")\n', "",
          (T + "test_security.py::TestOtherCompanies",)),
    Fault("settings-company", "settings change only the caller's companies' connections",
          "herp_zoom/models/res_config_settings.py",
          "and self.company_id not in self.env.companies:", "and False:",
          (T + "test_security.py::TestOtherCompanies",),
          also=(('        account.with_user(self.env.user).check_access("write")\n', ""),)),
    Fault("deletion-company", "deletions are retried only in the caller's companies",
          "herp_zoom/models/zoom_meeting_deletion.py",
          '        self.check_access("read")\n', "",
          (T + "test_security.py::TestOtherCompanies",)),
    Fault("unlink-others-role", "only Zoom administrators unlink other users",
          "herp_zoom/models/res_users.py",
          'if not self.env.user.has_group("herp_zoom.group_zoom_admin"):\n            raise AccessError(_("Only Zoom administrators can link or unlink',
          'if False:\n            raise AccessError(_("Only Zoom administrators can link or unlink',
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("unlink-others-company", "administrators unlink only users of their companies",
          "herp_zoom/models/res_users.py",
          "if not self.company_ids & self.env.companies:", "if False:",
          (T + "test_security.py::TestOtherCompanies",)),
    Fault("s2s-login", "Server-to-Server links by the login, not the editable e-mail",
          "herp_zoom/models/res_users.py",
          "self.sudo()._zoom_link_by_email(self.login)", "self.sudo()._zoom_link_by_email(self.email)",
          (T + "test_security.py::TestServerToServerLink",)),
    Fault("membership-internal", "only internal users learn who has linked Zoom",
          "herp_zoom/models/res_partner.py",
          "if not self.env.user._is_internal():", "if False:",
          (T + "test_security.py::TestMembershipLookup",)),
    Fault("settings-secret-groups", "only administrators see the client secret in Settings",
          "herp_zoom/models/res_config_settings.py",
          'zoom_client_secret = fields.Char(groups="herp_zoom.group_zoom_admin")',
          "zoom_client_secret = fields.Char()",
          (T + "test_roles.py::TestRoles",)),
    Fault("token-groups", "nobody reads the tokens",
          "herp_zoom/models/zoom_account.py",
          "access_token = fields.Char(copy=False, groups=fields.NO_ACCESS)",
          'access_token = fields.Char(copy=False, groups="herp_zoom.group_zoom_admin")',
          (T + "test_roles.py",)),
    Fault("webhook-signature", "webhooks must be signed with a connection's secret",
          "herp_zoom/controllers/webhook.py",
          "lambda account: consteq(zoom_signature(account.webhook_secret, timestamp, body), signature)",
          "lambda account: True",
          (T + "test_webhook.py",)),
    Fault("webhook-timestamp", "stale webhook deliveries are refused",
          "herp_zoom/controllers/webhook.py",
          "if abs(time.time() - int(timestamp)) > MAX_TIMESTAMP_AGE:", "if False:",
          (T + "test_webhook.py", T + "test_security.py::TestWebhookInput")),
    Fault("webhook-header-format", "malformed webhook headers are refused before use",
          "herp_zoom/controllers/webhook.py",
          'TIMESTAMP_RE = re.compile(r"[0-9]{1,15}", re.ASCII)', 'TIMESTAMP_RE = re.compile(r"\\d+")',
          (T + "test_security.py::TestWebhookInput",)),
    Fault("webhook-account", "a delivery goes to the company of the payload's Zoom account",
          "herp_zoom/controllers/webhook.py",
          "account = accounts.filtered(lambda acc: acc.zoom_account_id and acc.zoom_account_id == zoom_account_id)[:1]",
          "account = accounts[:1]",
          (T + "test_security.py::TestDeauthorization",)),
    Fault("deauthorization-scope", "an interviewer removing the app does not disconnect the company",
          "herp_zoom/models/zoom_account.py",
          "account_level = zoom_user_id == account.connected_zoom_user_id", "account_level = True",
          (T + "test_security.py::TestDeauthorization",)),
    Fault("oauth-state-user", "a consent state is bound to the user who started it",
          "herp_zoom/models/zoom_account.py",
          'or data.get("u") != self.env.uid', "",
          (T + "test_oauth_flows.py",)),
    Fault("oauth-state-nonce", "a consent state is used once",
          "herp_zoom/models/zoom_account.py",
          'if not session_nonce or not consteq(session_nonce, data.get("n", "")):', "if False:",
          (T + "test_oauth_flows.py",)),
    Fault("connection-cache", "a refused grant stops issuing in the same worker",
          "herp_zoom/models/zoom_account.py",
          "            # in the other workers through the registry's cache signal.\n            self.env.registry.clear_cache()\n",
          "            # in the other workers through the registry's cache signal.\n",
          (T + "test_security.py::TestConnectionStateCache",)),
    Fault("host-lock", "two workers never give one host overlapping meetings",
          "herp_zoom/models/zoom_host.py",
          "        if self._lock_rows(wanted):\n            return set()\n",
          "        if True:\n            return set()\n",
          (T + "test_concurrency.py",)),
    Fault("token-lock", "two workers renew the token once",
          "herp_zoom/models/zoom_account.py",
          "FROM zoom_account WHERE id = %s FOR NO KEY UPDATE", "FROM zoom_account WHERE id = %s",
          (T + "test_account.py::TestConcurrentRefresh",)),
    Fault("retry-limit", "retries stop after a bounded number of attempts",
          "herp_zoom/utils/retry.py",
          "MAX_ATTEMPTS = 8", "MAX_ATTEMPTS = 10 ** 6",
          (T + "test_faults.py", T + "test_lifecycle.py")),
    Fault("no-issue-on-import", "imports never issue meetings",
          "herp_zoom/models/calendar_event.py",
          ' or context.get("install_mode")\n                or context.get("import_file")):', "):",
          (T + "test_rollbacks.py",)),
    Fault("no-issue-from-google", "events imported from Google or Outlook never issue",
          "herp_zoom/models/calendar_event.py",
          'if (context.get("dont_notify") or', "if (",
          (T + "test_issuance.py",)),
    Fault("rollback-undo", "a meeting of a rolled-back transaction is deleted at Zoom",
          "herp_zoom/models/zoom_issuing.py",
          '        cr.postrollback.add(partial(delete_orphan, undo_client, meeting.get("id")))\n', "",
          (T + "test_faults.py", T + "test_rollbacks.py")),
    Fault("update-only-on-change", "an update is sent only when what Zoom holds changed",
          "herp_zoom/models/zoom_meeting_sync.py",
          "lambda owner: owner.active and schedule_changed(owner._zoom_current_schedule(), owner.zoom_synced_schedule)",
          "lambda owner: owner.active",
          (T + "test_updates.py",),
          also=(("        if not schedule_changed(schedule, record.zoom_synced_schedule):\n",
                 "        if False:\n"),)),
    Fault("update-own-echo", "Zoom's notice of our own change posts no note",
          "herp_zoom/models/zoom_meeting_sync.py",
          "if change_is_ours(meeting, record.zoom_synced_schedule):", "if False:",
          (T + "test_updates.py",)),
    Fault("strip-zoom-block", "a Google/Outlook round trip never doubles the Zoom block",
          "herp_zoom/utils/meeting_text.py",
          "    if not text or not any(start in text for start, _end in ((BLOCK_START, BLOCK_END), *LEGACY_MARKS)):\n"
          "        return text\n",
          "    return text\n",
          (T + "test_propagation.py",)),
    Fault("webhook-replay", "a delivery Zoom repeats is handled once",
          "herp_zoom/models/zoom_webhook_delivery.py",
          "return bool(self.env.cr.fetchone())", "self.env.cr.fetchone()\n        return True",
          (T + "test_webhook.py",)),
    Fault("chosen-host-kept", "a chosen host is never replaced by another interviewer",
          "herp_zoom/services/issue_plan.py",
          "            self._take_chosen_host(busy, capacity, limited, now)\n            return\n", "            pass\n",
          (T + "test_meeting_options.py::TestChosenHost",),
          also=(("            return [self.host]\n", "            pass\n"),)),
    Fault("chosen-host-role", "only Zoom administrators, recruiters and assistants pick hosts",
          "herp_zoom/models/zoom_host_choice.py",
          '"res.users", "Chosen Zoom Host", groups=ISSUING_GROUP,', '"res.users", "Chosen Zoom Host",',
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("meeting-settings-admin", "only Zoom administrators load the account's templates",
          "herp_zoom/models/zoom_meeting_settings.py",
          "        self._check_admin()\n", "",
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("refused-setting-left-out", "a setting Zoom refused is left out of later meetings",
          "herp_zoom/models/zoom_meeting_settings.py",
          "return None, settings_body(choices, left_out=refused)", "return None, settings_body(choices)",
          (T + "test_meeting_options.py::TestRefusedSetting",)),
    Fault("check-setup-role", "only Zoom administrators check the setup",
          "herp_zoom/wizard/zoom_setup_check.py",
          '    if not env.user.has_group("herp_zoom.group_zoom_admin"):\n'
          '        raise AccessError(env._("Only Zoom administrators can check the Zoom setup."))\n',
          "    return\n",
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("check-setup-company", "the setup is checked only in the caller's companies",
          "herp_zoom/wizard/zoom_setup_check.py",
          "        if company not in self.env.user.company_ids:\n", "        if False:\n",
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",
           T + "test_setup_check.py::TestCheckSetup::test_only_zoom_administrators_check_the_setup")),
    Fault("invite-role", "only Zoom administrators invite users to link",
          "herp_zoom/models/res_users.py",
          '        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):\n'
          '            raise AccessError(_("Only Zoom administrators can invite users to link their Zoom user."))\n',
          "",
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("invite-company", "administrators invite only users of their companies",
          "herp_zoom/models/res_users.py",
          "        if foreign:\n", "        if False:\n",
          (T + "test_roles.py::TestPermissionMatrix::test_every_cell",)),
    Fault("env-per-save", "an issued interview leaves no environment alive until the commit",
          "herp_zoom/models/calendar_event.py",
          "            events = super().create(vals_list)\n",
          "            events = super(CalendarEvent, self.with_context(herp_zoom_notes=dict(notes))).create(\n"
          "                vals_list).with_env(self.env)\n",
          (T + "test_issuance_cost.py",)),
    Fault("connection-per-meeting", "requests to Zoom reuse their thread's connection",
          "herp_zoom/utils/zoom_client.py",
          "        self.session = session or shared_session()\n",
          "        self.session = session or requests.Session()\n",
          (T + "test_client_connections.py",)),
    Fault("shared-cookies", "the shared connection keeps no cookie between requests",
          "herp_zoom/utils/zoom_client.py",
          "        session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))\n",
          "",
          (T + "test_client_connections.py",)),
    Fault("planned-defaults", "an interview's meeting follows the defaults of the screen that saves it",
          "herp_zoom/models/calendar_event.py",
          "        values = dict(vals, **defaults[tuple(missing)]) if missing else vals\n",
          "        values = vals\n",
          (T + "test_issuance.py::TestMeetingContent::test_meeting_follows_values_given_as_text_and_as_defaults",)),
    Fault("join-lines-language", "each attendee reads the meeting's join details in their own language",
          "herp_zoom/models/mail_template.py",
          "        lang = set_lang or self.env.lang\n",
          "        lang = self.env.user.lang\n",
          (T + "test_propagation.py::TestInvitationPropagation::test_each_attendee_reads_the_join_details_in_their_language",)),
    Fault("zoom-code-fields", "an interview's Zoom fields are written by herp_zoom only",
          "herp_zoom/models/calendar_event.py",
          "        self._zoom_refuse_code_fields([vals])\n", "",
          (T + "test_code_fields.py::TestCodeOnlyZoomFields",)),
    Fault("host-on-interview", "only someone on the interview hosts its meeting, after issuing too",
          "herp_zoom/models/zoom_host_choice.py",
          "                if record.sudo().zoom_chosen_host_id not in record._zoom_people_on_it():",
          "                if False:",
          (T + "test_code_fields.py::TestHostChosenAfterIssue",),
          also=(("        if chosen not in self._zoom_people_on_it():", "        if False:"),)),
    Fault("private-by-default", "a private interview's summary stays off its chatter, private by default too",
          "herp_zoom/models/zoom_meeting_result.py",
          "if content and self.event_id._zoom_is_private():", 'if content and self.event_id.privacy == "private":',
          (T + "test_meeting_results.py::TestResultsAccess",)),
    Fault("offer-code-fields", "an offer's state, link and event are written by herp_zoom only",
          "herp_zoom_recruitment/models/interview_offer.py",
          "    def write(self, vals):\n        self._zoom_refuse_code_fields([vals])\n",
          "    def write(self, vals):\n",
          ("herp_zoom_recruitment/tests/test_offer_security.py::TestOfferFields",)),
]


def run_tests(args, tests):
    command = [sys.executable, "-m", "pytest", f"--odoo-config={args.config}", f"--odoo-database={args.db}",
               "--odoo-http", "-p", "no:cacheprovider", "-x", "-q", "--no-header", *tests]
    started = time.monotonic()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    summary = next((line for line in reversed(result.stdout.splitlines()) if re.search(r"\d+ (passed|failed|error)", line)), "")
    return result.returncode, summary.strip("= "), time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("faults", nargs="*", help="names of the faults to apply (all by default)")
    args = parser.parse_args()
    faults = [fault for fault in FAULTS if not args.faults or fault.name in args.faults]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    print(f"Checking that the tests pass on the unbroken code ({len(faults)} faults to try)", flush=True)
    tests = sorted({test for fault in faults for test in fault.tests})
    code, summary, baseline_seconds = run_tests(args, tests)
    print(f"    {summary} ({baseline_seconds:.0f} s)", flush=True)
    if code != 0:
        print(f"The tests do not pass on the unbroken code: {summary}")
        return 2
    rows = []
    for index, fault in enumerate(faults, 1):
        spent = sum(row[3] for row in rows)
        left = f", about {spent / len(rows) * (len(faults) - len(rows)) / 60:.0f} min left" if rows else ""
        print(f"[{index}/{len(faults)}] {fault.name}: {fault.guard} ({spent / 60:.0f} min so far{left})", flush=True)
        original = fault.apply()
        try:
            code, summary, seconds = run_tests(args, fault.tests)
        finally:
            (REPO / fault.path).write_text(original)
        caught = code == 1 and "failed" in summary
        rows.append((fault, caught, summary, seconds))
        print(f"    {'caught' if caught else 'NOT CAUGHT'} ({summary}, {seconds:.0f} s)", flush=True)

    print()
    print(f"{'fault':24} {'guard':66} {'tests run':58} result")
    print("-" * 160)
    for fault, caught, _summary, _seconds in rows:
        tests = ", ".join(test.replace(T, "") for test in fault.tests)
        print(f"{fault.name:24} {fault.guard[:66]:66} {tests[:58]:58} {'caught' if caught else 'NOT CAUGHT'}")
    missed = [fault.name for fault, caught, *_ in rows if not caught]
    print()
    print(f"{len(rows) - len(missed)} of {len(rows)} faults caught" + (f"; not caught: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
