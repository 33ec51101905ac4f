"""herp_zoom installs with and without demo data, upgrades, and uninstalls leaving events, on the
series the tests run on (ODOO_SERIES), with that series' data addon."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

REPO_DIR = Path(__file__).resolve().parents[1]
SERIES = os.environ.get("ODOO_SERIES", "19.0")
ODOO_PATH = Path(os.environ.get("ODOO_PATH", f"/opt/odoo{SERIES.split('.')[0]}"))
# The constraints behind herp_zoom's INSERT ... ON CONFLICT (Odoo 19 ignores _sql_constraints).
CONFLICT_CONSTRAINTS = [("zoom_host_zoom_user_id_uniq",), ("zoom_webhook_delivery_delivery_uniq",)]
STATE_DIR = REPO_DIR / ".state"


def _odoo(db, *args, stdin=None, command=()):
    conf = STATE_DIR / f"{db}.conf"
    conf.write_text(
        "[options]\n"
        f"addons_path = {ODOO_PATH}/odoo/addons,{ODOO_PATH}/addons,{REPO_DIR},{REPO_DIR}/series/{SERIES}\n"
        f"data_dir = {STATE_DIR}/data\n"
        # Demo data unless --without-demo: Odoo 19 loads none by default.
        "without_demo = False\n"
        "log_level = warn\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ODOO_PATH))
    result = subprocess.run(
        [sys.executable, str(ODOO_PATH / "odoo-bin"), *command, "-c", str(conf), "-d", db, *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    errors = [line for line in result.stderr.splitlines() if " ERROR " in line or " CRITICAL " in line]
    assert result.returncode == 0 and not errors, result.stderr[-3000:]
    return result.stdout


def _query(db, sql):
    with psycopg2.connect(dbname=db) as cnx, cnx.cursor() as cr:
        cr.execute(sql)
        return cr.fetchall()


def _conflict_constraints(db):
    return _query(db, """SELECT conname FROM pg_constraint WHERE contype = 'u'
                          AND conname IN ('zoom_host_zoom_user_id_uniq', 'zoom_webhook_delivery_delivery_uniq')
                        ORDER BY 1""")


@pytest.fixture
def database():
    name = f"herp_zoom_install_{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["dropdb", "--if-exists", name], check=False, capture_output=True)


def test_installs_without_demo_data(database):
    _odoo(database, "-i", "herp_zoom", "--without-demo=all", "--stop-after-init")
    assert _query(database, """SELECT name, state FROM ir_module_module
                                WHERE name IN ('herp_zoom', 'herp_zoom_series') ORDER BY 1""") == [
        ("herp_zoom", "installed"), ("herp_zoom_series", "installed")]
    assert _conflict_constraints(database) == CONFLICT_CONSTRAINTS
    # No demo user, but the four roles exist, each implying the one before.
    assert _query(database, "SELECT count(*) FROM res_users WHERE login = 'recruiter'") == [(0,)]
    implied = _query(database, """
        SELECT g.name->>'en_US', h.name->>'en_US' FROM res_groups_implied_rel r
          JOIN res_groups g ON g.id = r.gid JOIN res_groups h ON h.id = r.hid
          JOIN ir_model_data d ON d.res_id = g.id AND d.model = 'res.groups' AND d.module = 'herp_zoom'
         WHERE d.name LIKE 'group_zoom_%' ORDER BY 1""")
    assert implied == [("Administrator", "Recruiter"), ("Assistant", "Guest"), ("Recruiter", "Assistant")]


def test_install_with_demo_upgrade_and_uninstall_keep_events(database):
    _odoo(database, "-i", "herp_zoom", "--stop-after-init")
    assert _query(database, "SELECT count(*) FROM res_users WHERE login IN ('recruiter', 'assistant', 'interviewer1')") == [(3,)]
    _odoo(database, "--no-http", command=["shell"], stdin=(
        "event = env['calendar.event'].create({'name': 'Kept interview', 'start': '2030-01-01 10:00:00',"
        " 'stop': '2030-01-01 11:00:00'})\n"
        # A note with Zoom's summary of an interview, for Recruiters only while herp_zoom is installed.
        "env['mail.message'].create({'model': 'calendar.event', 'res_id': event.id, 'body': 'Zoom summary: private',"
        " 'message_type': 'notification', 'subtype_id': env.ref('herp_zoom.mt_zoom_interview_result').id})\n"
        "env.cr.commit()\n"
    ))
    _odoo(database, "-u", "herp_zoom", "--stop-after-init")
    assert _query(database, "SELECT state FROM ir_module_module WHERE name = 'herp_zoom'") == [("installed",)]
    assert _conflict_constraints(database) == CONFLICT_CONSTRAINTS
    _odoo(database, "--no-http", command=["shell"], stdin=(
        "env['ir.module.module'].search([('name', '=', 'herp_zoom')]).button_immediate_uninstall()\n"
        "env.cr.commit()\n"
    ))
    assert _query(database, "SELECT state FROM ir_module_module WHERE name = 'herp_zoom'") == [("uninstalled",)]
    assert _query(database, "SELECT count(*) FROM calendar_event WHERE name = 'Kept interview'") == [(1,)]
    # Without herp_zoom nothing would keep the interview's results from every employee: they go with it.
    assert _query(database, "SELECT count(*) FROM mail_message WHERE body::text LIKE '%%Zoom summary: private%%'") == [(0,)]
    columns = _query(database, """SELECT column_name FROM information_schema.columns
                                    WHERE table_name = 'calendar_event' AND column_name LIKE 'zoom_%'""")
    assert columns == []
    assert _query(database, "SELECT to_regclass('zoom_account')") == [(None,)]


def test_update_from_the_previous_series_keeps_connection_links_meetings_and_constraints(database):
    """A database whose herp_zoom was installed on the previous series (its base migrated by Odoo's
    upgrade, herp_zoom's tables as that series left them; tests/series compares those tables
    between the series) keeps everything through herp_zoom's update on this series."""
    _odoo(database, "-i", "herp_zoom", "--without-demo=all", "--stop-after-init")
    _odoo(database, "--no-http", command=["shell"], stdin=(
        "account = env['zoom.account'].sudo()._get_for_company(env.company, create=True)\n"
        "account.write({'auth_mode': 's2s', 'client_id': 'kept-client', 'client_secret': 'kept-secret',"
        " 'zoom_account_id': 'acct_kept', 'state': 'connected', 'access_token': 'kept-token'})\n"
        "env.ref('base.user_admin')._zoom_link({'id': 'zu_kept', 'email': 'kept@zoom.example', 'account_id': 'acct_kept'})\n"
        "event = env['calendar.event'].create({'name': 'Kept interview', 'start': '2030-01-01 10:00:00',"
        " 'stop': '2030-01-01 11:00:00'})\n"
        "env.cr.execute(\"UPDATE calendar_event SET zoom_meeting_id = '81200000001', zoom_state = 'issued',"
        " zoom_join_url = 'https://zoom.us/j/81200000001', zoom_host_zoom_user_id = 'zu_kept' WHERE id = %s\", [event.id])\n"
        "env['zoom.host'].sudo()._lock_for_assignment(['zu_kept'], env.company.id)\n"
        "env.cr.commit()\n"
    ))
    major, _minor = SERIES.split(".")
    current = _query(database, "SELECT latest_version FROM ir_module_module WHERE name = 'herp_zoom'")[0][0]
    previous = f"{int(major) - 1}.0.{current.split('.', 2)[2]}"
    _query(database, f"UPDATE ir_module_module SET latest_version = '{previous}' "
                     "WHERE name IN ('herp_zoom', 'herp_zoom_series') RETURNING name")
    _odoo(database, "-u", "herp_zoom", "--stop-after-init")
    assert _query(database, "SELECT latest_version FROM ir_module_module WHERE name = 'herp_zoom'") == [(current,)]
    assert _query(database, """SELECT client_id, zoom_account_id, state, access_token FROM zoom_account""") == [
        ("kept-client", "acct_kept", "connected", "kept-token")]
    assert _query(database, "SELECT login FROM res_users WHERE zoom_user_id = 'zu_kept'") == [("admin",)]
    assert _query(database, """SELECT zoom_meeting_id, zoom_state, zoom_join_url FROM calendar_event
                                WHERE name = 'Kept interview'""") == [
        ("81200000001", "issued", "https://zoom.us/j/81200000001")]
    assert _query(database, "SELECT zoom_user_id FROM zoom_host") == [("zu_kept",)]
    assert _conflict_constraints(database) == CONFLICT_CONSTRAINTS
