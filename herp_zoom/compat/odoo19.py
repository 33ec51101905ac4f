"""Odoo 19.0: herp_zoom's code is written for it; these are its ways."""

from odoo.modules import module as odoo_module
from odoo.models import Constraint
from odoo.tools import html_sanitize

__all__ = [
    "ISSUED_SAVE_SPARES_QUERIES", "Constraint", "allow_all_requests", "calendar_contact_details", "cron_progress",
    "enter_registry_test_mode", "is_test_cursor", "registry_in_test_mode", "test_cursor_class",
]

# Tests: queries of calendar's plain save that an issued save does not send (18: the re-read of
# videocall_location and an update of mail notifications; 19's save sends neither).
ISSUED_SAVE_SPARES_QUERIES = 0



def enter_registry_test_mode(test_class):
    """Tests: new cursors of the registry wrap the test class' cursor until the class ends."""
    if not test_class._registry_patched:
        test_class.registry_enter_test_mode_cls()

def registry_in_test_mode(registry):
    """Whether new cursors of the registry share the test's connection (Odoo's HTTP tests)."""
    test = odoo_module.current_test
    return bool(test and getattr(type(test), "_registry_patched", False))


def test_cursor_class():
    """Tests: the class of the cursors a test's server opens in place of new ones."""
    # Odoo 19 only (the linter may read Odoo 18).
    from odoo.tests.test_cursor import TestCursor  # pylint: disable=import-outside-toplevel,import-error

    return TestCursor


def allow_all_requests(case):
    """Tests (HttpCase): while the block runs, the test's server also takes requests without the
    test's cookie (those Zoom, or the sandbox playing it, sends)."""
    return case.allow_requests(all_requests=True)


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


def calendar_contact_details(event):
    """The contact details calendar may have added to the event's description when it was
    created (the organizer's, then those of the first other attendee), as sanitized HTML."""
    organizer = event.user_id
    partners = event.partner_ids - organizer.partner_id
    blocks = [event._get_contact_details_description(organizer, partner) for partner in partners]
    blocks.append(event._get_contact_details_description(organizer, partners.browse()))
    sanitized = [str(html_sanitize(block)) for block in blocks if block]
    # A fragment comes back from the sanitizer wrapped in a <span>; the description holds it bare.
    return [block[len("<span>"):-len("</span>")] if block.startswith("<span>") and block.endswith("</span>")
            else block for block in sanitized]
