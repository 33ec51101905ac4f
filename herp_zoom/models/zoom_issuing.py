"""The Zoom round trip of an issuing plan (services.issue_plan): the create requests, what the
company's account refused, a meeting an unanswered request did create, and the undo of a
meeting whose transaction is rolled back. The plan decides; this module asks Zoom and keeps the
cursor's hooks."""

import json
import logging
from functools import partial

from odoo import fields

from ..services.issue_plan import RELEASED_MEETINGS, drop_setting
from ..services.meeting_schedule import ISSUE_KEY_LABEL
from ..utils.zoom_client import (
    ZoomClient,
    ZoomError,
    ZoomMeetingNotFound,
    ZoomRateLimited,
    ZoomRequestRejected,
    ZoomSettingRefused,
    ZoomUnavailable,
    ZoomUserNotInAccount,
)
from ..utils.meeting_text import format_meeting_id
from .zoom_reason_texts import error_reason, render

_logger = logging.getLogger(__name__)

# Key of the cursor's postcommit data: {meeting id: client} of the meetings the transaction issued.
ISSUED_MEETINGS = "herp_zoom.issued_meetings"
# Zoom lists meetings with their agenda cut to this many characters.
LISTED_AGENDA_MAX = 250


def run_plan(env, plan, account, client, limited):
    """Create the plan's meeting with its host, moving to the next host where Zoom says so."""
    now = fields.Datetime.now()
    for host in plan.hosts_to_try(limited):
        plan.host = host
        try:
            meeting = _adopt_lost_meeting(plan, client) if plan.uncertain_host else None
            if not meeting:
                meeting = _create(env, plan, account, client)
        except ZoomRateLimited as error:
            if error.daily:
                limited.add(host["zoom_user_id"])
                reset = env["zoom.host"].sudo()._mark_daily_limit(host["zoom_user_id"], account.company_id.id)
                plan.host_at_daily_limit(error_reason(error), reset, now)
                continue
            plan.pending(error_reason(error), error.retry_after, now)
            return
        except ZoomUserNotInAccount as error:
            plan.host_not_in_account(error_reason(error))
            continue
        except ZoomUnavailable as error:
            # The request may have reached Zoom: the retry looks for the meeting first.
            plan.uncertain_host = host["zoom_user_id"]
            plan.pending(error_reason(error), error.retry_after, now)
            return
        except ZoomError as error:
            plan.failed(error_reason(error))
            return
        plan.issued(meeting)
        return
    plan.after_every_host(limited, now)


def default_topic(env):
    return env._("Interview")


def chatter_body(env, plan):
    """The note telling the plan's outcome, in the language of ``env`` (the organizer's)."""
    outcome = render(env, plan.reasons)
    if plan.state == "issued":
        body = env._("Zoom meeting %(meeting)s issued, hosted by %(host)s.",
                     meeting=format_meeting_id(plan.meeting["id"]), host=plan.host["zoom_user_email"])
    elif plan.state == "pending":
        body = env._("The Zoom meeting is pending: %s It will be tried again automatically.", outcome)
    elif plan.state == "failed":
        body = env._("The Zoom meeting could not be issued: %s", outcome)
    else:
        return None
    extra = [outcome] if plan.state == "issued" and outcome else []
    return " ".join([body, *extra, *(render(env, note) for note in plan.notes)])


def _create(env, plan, account, client):
    consent = account._meeting_needs_consent() and bool(
        # Not as superuser: that would drop the defaults the interview is created with (its applicant).
        env["calendar.event"]._zoom_plan_consent(plan.vals, plan.event_id))
    agenda = env["calendar.event"]._zoom_agenda_text(plan.description, plan.event_id)
    template_id, settings = account._meeting_settings_body(consent=consent)
    body = plan.meeting_body(default_topic(env), agenda, template_id, settings)
    while True:
        settings = body.get("settings") or {}
        try:
            meeting = client.create_meeting(plan.host["zoom_user_id"], body)
        except ZoomSettingRefused as error:
            if error.setting not in settings:
                raise
            # Locked in the account or not on its plan: the meeting is created without it.
            plan.refuse_setting(body, error.setting)
            account._meeting_settings_refused([error.setting])
            continue
        except ZoomRequestRejected as error:
            if "template_id" in body and "template_id" in json.dumps(error.details):
                # The template was deleted in Zoom: the company's settings apply instead.
                body.pop("template_id")
                plan.refused_settings.append("template_id")
                account._meeting_settings_refused(["template_id"])
                body.pop("settings", None)
                _template, company_settings = account._meeting_settings_body(consent=consent)
                body.update(plan.with_alternative_hosts(company_settings))
                continue
            if "alternative_hosts" not in settings:
                raise
            # Zoom refuses alternative hosts that are not licensed users of the account.
            drop_setting(body, "alternative_hosts")
            plan.alternative_hosts_refused()
            continue
        break
    _undo_on_rollback(env, client, meeting)
    return meeting


def _adopt_lost_meeting(plan, client):
    """A meeting an earlier, unanswered request did create, if any."""
    reference = f"{ISSUE_KEY_LABEL} {plan.issue_key}"
    for meeting in client.list_upcoming_meetings(plan.uncertain_host):
        # Not the topic: the interview may have been renamed since. Zoom's list cuts agendas
        # at 250 characters, so only a cut one without the reference needs a closer look.
        listed_agenda = meeting.get("agenda") or ""
        if reference not in listed_agenda and len(listed_agenda) < LISTED_AGENDA_MAX:
            continue
        try:
            full = client.get_meeting(meeting["id"])
        except ZoomMeetingNotFound:
            continue
        if reference in (full.get("agenda") or ""):
            plan.host = next(
                (user for user in plan.candidates if user["zoom_user_id"] == plan.uncertain_host), plan.host,
            )
            return full
    return None


def _undo_on_rollback(env, client, meeting):
    """Delete the meeting at Zoom if the records that hold it are rolled back.

    A full rollback runs the cursor's postrollback hooks; a rollback to a savepoint runs
    none, so after the commit the meetings of the transaction are looked for in the database,
    all in one query of one cursor, and those no interview holds are deleted.
    """
    token = client.token_getter(force_refresh=False)
    undo_client = ZoomClient(client.api_url, client.oauth_url, token_getter=lambda force_refresh=False: token,
                             timeout=client.timeout)
    cr = env.cr
    cr.postrollback.add(partial(delete_orphan, undo_client, meeting.get("id")))
    data = cr.postcommit.data
    if ISSUED_MEETINGS not in data:
        data[ISSUED_MEETINGS] = {}
        released = data.setdefault(RELEASED_MEETINGS, set())
        cr.postcommit.add(partial(delete_unheld, env.registry, data[ISSUED_MEETINGS], released))
    data[ISSUED_MEETINGS][str(meeting.get("id"))] = undo_client


def delete_orphan(client, meeting_id):
    try:
        client.delete_meeting(meeting_id)
        _logger.info("Deleted Zoom meeting %s of a transaction that was rolled back", meeting_id)
    except Exception:  # noqa: BLE001 - runs after the rollback, nothing may escape
        _logger.warning("Could not delete the Zoom meeting %s of a transaction that was rolled back", meeting_id)


def delete_unheld(registry, issued, released):
    """After the commit: delete the meetings of ``issued`` ({meeting id: client}) that no
    interview holds (their creation was rolled back to a savepoint); ``released`` holds the
    meetings of interviews deleted on purpose, whose meetings follow the company's deletion
    option instead."""
    checked = {meeting_id: client for meeting_id, client in issued.items() if meeting_id not in released}
    if not checked:
        return
    try:
        with registry.cursor() as cr:
            cr.execute("SELECT DISTINCT zoom_meeting_id FROM calendar_event WHERE zoom_meeting_id = ANY(%s)",
                       [list(checked)])
            held = {row[0] for row in cr.fetchall()}
    except Exception:  # noqa: BLE001 - runs after the commit, nothing may escape
        _logger.warning("Could not check whether the Zoom meetings %s are held by interviews", ", ".join(checked))
        return
    for meeting_id, client in checked.items():
        if meeting_id not in held:
            delete_orphan(client, meeting_id)
