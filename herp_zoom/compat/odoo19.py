"""Odoo 19.0: herp_zoom's code is written for it; these are its ways."""

from odoo.modules import module as odoo_module
from odoo.models import Constraint

__all__ = [
    "Constraint", "cron_progress", "is_test_cursor", "registry_in_test_mode",
]


def registry_in_test_mode(registry):
    """Whether new cursors of the registry share the test's connection (Odoo's HTTP tests)."""
    test = odoo_module.current_test
    return bool(test and getattr(type(test), "_registry_patched", False))


def is_test_cursor(cr):
    """Whether ``cr`` is a test's cursor standing for a new one (a savepoint of the test's)."""
    return type(cr).__name__ == "TestCursor"


def cron_progress(env, *, done, remaining):
    """Tell the scheduled action running now how far it is (``remaining`` > 0: run again at
    once), without committing: the caller commits its own work. Odoo 19's ``_commit_progress``
    commits, and is not called under tests."""
    progress_id = env.context.get("ir_cron_progress_id")
    if progress_id:
        progress = env["ir.cron.progress"].sudo().browse(progress_id)
        progress.write({"done": progress.done + done, "remaining": remaining})
