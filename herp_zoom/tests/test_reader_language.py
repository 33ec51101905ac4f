"""What the interview form says of its meeting is in the reader's language, whoever wrote it; the
issuing policy holds no Odoo environment, cursor or registry."""

import ast
import os
import pkgutil
import subprocess
import sys
import tempfile
import unittest
from datetime import datetime, timedelta
from pathlib import Path

import odoo
from odoo.tests import new_test_user, tagged

from .. import services
from ..services import reasons
from ..services.issue_plan import PlannedEvent, ZoomIssuePlan

from .common import ZoomCommon
from .dates import YEAR

SERVICES = Path(services.__file__).parent


@tagged("post_install", "-at_install")
class TestStatusInTheReadersLanguage(ZoomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ja_JP")
        cls.env["ir.module.module"].search([("name", "=", "herp_zoom")])._update_translations(["ja_JP"])
        cls.japanese_recruiter = new_test_user(cls.env, "ja_recruiter", lang="ja_JP", tz="Asia/Tokyo",
                                               email="ja-recruiter@example.com",
                                               groups="base.group_user,herp_zoom.group_zoom_recruiter")
        cls.english_reader = new_test_user(cls.env, "en_reader", lang="en_US", tz="Asia/Tokyo",
                                           email="en-reader@example.com",
                                           groups="base.group_user,herp_zoom.group_zoom_recruiter")

    def read_as(self, event, user):
        """The field as the web client reads it for ``user``: their rights, their language."""
        event.invalidate_recordset()
        return event.with_user(user).with_context(lang=user.lang).zoom_state_reason

    def test_the_host_overlap_notice_saved_by_a_japanese_recruiter_reads_in_each_readers_language(self):
        with self.zoom():
            self.create_interview(user=self.japanese_recruiter, name="Interview: Aki")
            # The only linked interviewer already hosts at that time.
            event = self.create_interview(user=self.japanese_recruiter, name="Interview: Chika",
                                          start=datetime(YEAR, 3, 4, 1, 30))
        self.assertTrue(event.sudo().zoom_host_busy)
        english = self.read_as(event, self.english_reader)
        japanese = self.read_as(event, self.japanese_recruiter)
        self.assertIn("already hosts an overlapping Zoom meeting", english)
        self.assertNotIn("already hosts", japanese)
        self.assertIn("interviewer@zoom.example", japanese)
        self.assertNotEqual(english, japanese)

    def test_zoms_failure_saved_by_an_english_recruiter_reads_in_japanese_for_a_japanese_reader(self):
        with self.zoom() as fake:
            fake.fail_next("POST", 503)
            event = self.create_interview(user=self.english_reader, start=datetime(YEAR, 3, 8, 1))
        self.assertEqual(event.sudo().zoom_state, "pending")
        english = self.read_as(event, self.english_reader)
        japanese = self.read_as(event, self.japanese_recruiter)
        self.assertIn("Zoom is temporarily unavailable", english)
        self.assertNotIn("temporarily unavailable", japanese)
        self.assertIn("503", japanese)

    def test_a_detail_written_before_the_codes_stays_readable(self):
        with self.zoom():
            event = self.create_interview(start=datetime(YEAR, 3, 9, 1))
        self.env.cr.execute("ALTER TABLE calendar_event ADD COLUMN IF NOT EXISTS zoom_state_reason varchar")
        self.env.cr.execute("UPDATE calendar_event SET zoom_state_reason = 'Written as text.', "
                            "zoom_state_reason_codes = NULL WHERE id = %s", [event.id])
        self.env["calendar.event"].init()
        self.assertEqual(self.read_as(event, self.english_reader), "Written as text.")


class TestIssuingPolicyIsPlainPython(unittest.TestCase):
    """services/ holds values in and values out: no environment, cursor or registry, and it imports
    without one."""

    ODOO_OBJECTS = {"env", "cr", "registry", "sudo", "browse", "with_context", "with_user", "postcommit"}

    def test_services_use_no_environment_cursor_or_registry(self):
        for path in sorted(SERVICES.glob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
            names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
            with self.subTest(module=path.name):
                self.assertFalse((used | names) & self.ODOO_OBJECTS, "Odoo's environment in the policy")
                imports = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
                imports += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
                self.assertFalse([name for name in imports if name == "odoo" or name.startswith("odoo.")
                                  and name != "odoo.fields"], "only Odoo's field commands may be imported")

    def test_services_import_without_a_registry(self):
        """In a Python of its own, with Odoo's code on the path but no database, configuration or
        registry: every policy module imports and its plan runs."""
        names = [module.name for module in pkgutil.iter_modules([str(SERVICES)])]
        code = "\n".join([
            "import sys, odoo.addons",
            f"odoo.addons.__path__.append({str(SERVICES.parents[1])!r})",
            *[f"import odoo.addons.herp_zoom.services.{name}" for name in names],
            "from odoo.modules.registry import Registry",
            "assert not Registry.registries, 'no registry was opened'",
            "print('imported', len(sys.modules) > 0)",
        ])
        # Only Odoo's own source on the path: the test run's sys.path also holds addons folders,
        # whose `calendar` would shadow the standard library's in a fresh interpreter.
        odoo_root = os.path.dirname(list(odoo.__path__)[0])
        with tempfile.TemporaryDirectory() as cwd:
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                                    cwd=cwd, env=dict(os.environ, PYTHONPATH=odoo_root), check=False)
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        self.assertIn("imported True", result.stdout)

    def test_the_plan_decides_from_values_alone(self):
        start = datetime(YEAR, 3, 4, 1)
        alice = {"id": 1, "zoom_user_id": "zu_a", "zoom_user_email": "a@zoom.example"}
        plan = ZoomIssuePlan(7, {}, PlannedEvent(None, "Interview", None, start, start + timedelta(hours=1), False,
                                                 None, None), [alice], "Asia/Tokyo", organizer_id=1)
        plan.choose_host({"zu_a": [(start, start + timedelta(hours=1), 99)]}, 1, set(), start)
        plan.issued({"id": 8123, "join_url": "https://zoom.example/j/8123"})
        self.assertEqual(plan.reasons, [reasons.Reason(reasons.ORGANIZER_BUSY, {"email": "a@zoom.example",
                                                                                "dates": f"{YEAR}-03-04"})])
        values = plan.result_values("Interview")
        self.assertEqual(reasons.decode(values["zoom_state_reason_codes"]), plan.reasons)


@tagged("post_install", "-at_install")
class TestOrganizerBusyNotice(ZoomCommon):
    def test_a_busy_organizer_who_hosts_is_named_as_the_organizer(self):
        # The recruiter organizes and has linked the recruiting Zoom user; they already host at 10:00.
        self.recruiter._zoom_link(self.zoom_recruiting)
        with self.zoom():
            self.create_interview(partners=self.recruiter.partner_id | self.candidate, name="Interview: Aki")
            event = self.create_interview(partners=self.recruiter.partner_id | self.candidate,
                                          start=datetime(YEAR, 3, 4, 1, 30))
        event = event.sudo()
        self.assertEqual((event.zoom_host_user_id, event.zoom_host_busy), (self.recruiter, True))
        self.assertIn("The organizer recruiting@zoom.example already hosts", event.zoom_state_reason)
        self.assertNotIn("Every linked interviewer", event.zoom_state_reason)
