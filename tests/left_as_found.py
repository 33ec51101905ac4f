"""The test session leaves its database as it found it (loaded by the root conftest.py).

Odoo's own tests run in the same database as herp_zoom's, after them: anything a test commits
and leaves (companies, users, working hours, messages, interviews, system parameters such as
``herp_zoom.api_url`` pointing at a local port) would change what they run against. The rows of
the tables below and every system parameter are noted before the first test; the session fails
when they differ after the last one. Tests that commit restore the database themselves
(herp_zoom/tests/committed.py); this is the net under them, whoever commits.

Not in the second pass of scripts/test (HERP_ZOOM_SWITCHED_ON=1), whose copy of the database is
connected to the sandbox on purpose for the session.
"""

import pytest

WATCHED_TABLES = {
    "res_company", "res_users", "res_partner", "res_groups_users_rel", "resource_calendar",
    "resource_calendar_attendance", "ir_config_parameter", "ir_sequence", "mail_message", "mail_followers",
    "mail_mail", "calendar_event", "calendar_attendee", "hr_applicant", "hr_candidate", "zoom_account",
    "zoom_host", "zoom_meeting_result", "herp_zoom_interview_offer", "herp_zoom_interview_offer_slot",
    "herp_zoom_interviewer_booking_lock",
}


def _state(database):
    import odoo  # pylint: disable=import-outside-toplevel

    from odoo.addons.herp_zoom.tests.committed import DatabaseState  # pylint: disable=import-outside-toplevel

    with odoo.sql_db.db_connect(database).cursor() as cr:
        return DatabaseState(cr, WATCHED_TABLES)


@pytest.fixture(scope="session", autouse=True)
def database_left_as_found(request):
    try:
        request.getfixturevalue("load_registry")  # pytest-odoo's: the database, loaded
    except pytest.FixtureLookupError:
        yield  # no Odoo in this session (pytest -p no:odoo)
        return
    import odoo.tests.common  # pylint: disable=import-outside-toplevel

    # Odoo 19's configuration holds a list of databases; the test database's name on both series.
    database = odoo.tests.common.get_db_name()
    before = _state(database)
    yield
    left = before.differences(_state(database))
    if left:
        pytest.fail(f"The tests left changes in the database {database}:\n  " + "\n  ".join(left), pytrace=False)
