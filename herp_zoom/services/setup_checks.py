"""The checks of "Check setup", as plain functions of the values the settings gather.

Each returns a ``CheckResult``; ``_`` is the caller's translation function (``env._``), so
the texts are translated in the administrator's language.  No check is given a secret: only
whether it is set.
"""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

OK, INFO, WARNING, FAILED = "ok", "info", "warning", "failed"
# How many meetings a user may host at once, by Zoom's ``concurrent_meeting`` option of the user
# (Basic and Plus allow at least the 2 herp_zoom may use).
CONCURRENT_MEETING_LIMITS = {"None": 1, "Basic": 2, "Plus": 2}


@dataclass(frozen=True)
class CheckResult:
    key: str
    state: str
    title: str
    detail: str
    fix: str = ""
    # What the line's button opens, if anything: "unlinked_users" or "retry_cron".
    action: str = ""


def check_connection(_, state, answer=None, error=None):
    """``state`` of the connection; ``answer``: Zoom's GET /users/me, or ``error``: why it failed."""
    title = _("Connection to Zoom")
    if state != "connected":
        detail = (_("Zoom no longer accepts the authorization.") if state == "reauth"
                  else _("The company's Zoom account is not connected."))
        return CheckResult("connection", FAILED, title, detail,
                           _('Enter the app\'s credentials above and click "Connect Zoom account".'))
    if error:
        return CheckResult("connection", FAILED, title, _("Zoom did not answer the test call: %(error)s", error=error),
                           _("Check the app in Zoom's App Marketplace is activated, then connect again."))
    return CheckResult("connection", OK, title, _(
        "Zoom answered: account %(account)s, signed in as %(email)s.",
        account=(answer or {}).get("account_id") or "?", email=(answer or {}).get("email") or "?"))


def check_scopes(_, connected, granted, needed):
    """``granted``: the scopes Zoom returned with the token (set, None when not known yet)."""
    title = _("Scopes granted to the app")
    if not connected:
        return CheckResult("scopes", WARNING, title, _("Not checked: the account is not connected."))
    if granted is None:
        return CheckResult("scopes", WARNING, title,
                           _("Zoom has not said yet which scopes it granted (it says so with the next token)."),
                           _("Disconnect and connect the account again to check them now."))
    missing = [scope for scope in needed if scope not in granted]
    if missing:
        return CheckResult("scopes", FAILED, title,
                           _("Missing for the features in use: %(scopes)s", scopes=", ".join(missing)),
                           _("Add these scopes to the app in Zoom's App Marketplace (Scopes), then connect the "
                             "account again so that the new token carries them."))
    return CheckResult("scopes", OK, title, _("All %(count)s scopes the features in use need are granted.",
                                              count=len(needed)))


def is_public_https(url):
    """Whether ``url`` is https on a host others can reach (not localhost nor a private address)."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return False
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")) or "." not in host.strip("[]"):
        return False
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return True
    return address.is_global


def check_base_url(_, base_url):
    title = _("Public address of this database")
    if is_public_https(base_url):
        return CheckResult("base_url", OK, title, _("Zoom reaches %(url)s.", url=base_url))
    return CheckResult(
        "base_url", FAILED, title,
        _("%(url)s is not a public https address: Zoom cannot send the sign-ins back nor deliver webhook "
          "events to it.", url=base_url or "-"),
        _("Set the system parameter web.base.url to the https address users open this database with, and "
          "web.base.url.freeze to True (Settings > Technical > System Parameters)."),
    )


def check_webhook(_, secret_set, auth_mode, last_delivery=None):
    """``last_delivery``: when the last verified event arrived, already formatted (None: never)."""
    title = _("Webhook (Zoom's own changes)")
    if not secret_set:
        return CheckResult(
            "webhook", FAILED if auth_mode == "oauth" else WARNING, title,
            _("No secret token is set: meetings deleted or moved in Zoom, and the removal of the app, do not "
              "reach Odoo."),
            _("Copy the Secret Token from the app's Features > Event Subscriptions in Zoom into "
              '"Webhook Secret Token" above, and save.'),
        )
    if last_delivery:
        return CheckResult("webhook", OK, title, _("Secret token set. Last verified delivery: %(when)s.",
                                                   when=last_delivery))
    return CheckResult("webhook", INFO, title,
                       _("Secret token set. No verified delivery yet: Zoom's \"Validate\" button of the event "
                         "subscription confirms the endpoint answers."))


def check_retry_cron(_, exists, active):
    title = _("Scheduled action retrying Zoom calls")
    if exists and active:
        return CheckResult("retry_cron", OK, title, _("Active: meetings Zoom could not create at once are retried."))
    return CheckResult(
        "retry_cron", FAILED, title,
        _("Inactive: interviews left \"Zoom meeting pending\" stay without a link.") if exists
        else _("The scheduled action was deleted."),
        _("Activate it.") if exists else _("Update the herp_zoom module to create it again."),
        action="retry_cron" if exists else "",
    )


def check_linked_users(_, with_role, linked):
    title = _("Users who linked their Zoom user")
    detail = _("%(linked)s of the %(count)s users with a Zoom role linked a Zoom user.", linked=linked, count=with_role)
    if not with_role:
        return CheckResult("linked_users", WARNING, title, _("No user has a Zoom role yet."),
                           _("Give the interviewers a Zoom role in Settings > Users."))
    if not linked:
        return CheckResult("linked_users", WARNING, title, detail + " " + _("No interview can get a meeting yet."),
                           _("Invite them to link their Zoom user."), action="unlinked_users")
    if linked < with_role:
        return CheckResult("linked_users", INFO, title, detail,
                           _("Interviews with only unlinked interviewers get no meeting: invite them to link."),
                           action="unlinked_users")
    return CheckResult("linked_users", OK, title, detail)


def check_simultaneous_meetings(_, setting, concurrent_meeting=None, unknown_reason="", missing_scope=""):
    """``concurrent_meeting``: Zoom's ``feature.concurrent_meeting`` of the connected user, None when
    unknown; then ``missing_scope`` names the scope the token lacks, or ``unknown_reason`` says why."""
    title = _("Simultaneous meetings per Zoom user")
    limit = CONCURRENT_MEETING_LIMITS.get(concurrent_meeting)
    if limit is None and missing_scope:
        return CheckResult("simultaneous", INFO, title, _(
            "Set to %(setting)s. The plan's limit is unknown: grant the scope %(scope)s to let the check "
            "compare.", setting=setting, scope=missing_scope), _(
            "Add the scope to the app in Zoom's App Marketplace (Scopes), then connect the account again."))
    if limit is None:
        detail = _("Set to %(setting)s. Zoom did not say which concurrent meeting option the plan has: unknown.",
                   setting=setting)
        if unknown_reason:
            detail += " " + unknown_reason
        return CheckResult("simultaneous", INFO, title, detail,
                           _("1 is right for most plans; 2 needs Zoom's Concurrent Meeting option."))
    if setting > limit:
        return CheckResult("simultaneous", FAILED, title, _(
            "Set to %(setting)s, but Zoom's plan lets a user host %(limit)s meeting(s) at once.",
            setting=setting, limit=limit), _("Set Simultaneous Meetings to %(limit)s.", limit=limit))
    return CheckResult("simultaneous", OK, title, _(
        "Set to %(setting)s; Zoom's concurrent meeting option (%(option)s) allows it.",
        setting=setting, option=concurrent_meeting))


def check_lifecycle(_, update_meetings, delete_meetings):
    """What the two lifecycle options change, and what off means for the interviews."""
    title = _("Meetings follow their interviews")
    off = []
    if not update_meetings:
        off.append(_("\"Update Zoom meetings with interviews\" is off: a rescheduled, renamed or re-staffed "
                     "interview leaves its meeting as it was, and the interview says what Zoom still holds."))
    if not delete_meetings:
        off.append(_("\"Delete Zoom meetings with interviews\" is off: the meeting of a deleted, archived or cancelled "
                     "interview stays in Zoom, with a working link, and the interview says so."))
    if off:
        return CheckResult("lifecycle", INFO, title, " ".join(off),
                           _("Turn them on below unless the company changes meetings in Zoom by hand."))
    return CheckResult("lifecycle", OK, title, _(
        "Meetings are updated and deleted with their interviews, and their hosts follow the interviewers."))


# Why the last check of meetings left some for later (see zoom.meeting.sync._zoom_check_account).
MEETING_CHECK_PROBLEMS = ("rate_limited", "unavailable", "refused", "budget")


def check_meeting_check(_, enabled, ran_at=None, result=None):
    """``ran_at``: when the daily check of meetings last ran (formatted); ``result``: its counts."""
    title = _("Daily check of meetings against Zoom")
    if not enabled:
        return CheckResult("meeting_check", INFO, title, _(
            "Off: a meeting deleted in Zoom without notice, or changed there, is not noticed before the interview."),
            _("Turn on \"Check meetings against Zoom daily\" below."))
    if not ran_at or not result:
        return CheckResult("meeting_check", INFO, title, _("On; it has not run yet."))
    detail = _("Last run %(when)s: %(read)s meeting(s) read, %(reissued)s issued again, %(differing)s differing from "
               "their interview.", when=ran_at, read=result.get("read", 0), reissued=result.get("reissued", 0),
               differing=result.get("differing", 0))
    reasons = {
        "rate_limited": _("Zoom asked to slow down"),
        "unavailable": _("Zoom did not answer"),
        "refused": _("Zoom refused the request"),
        "budget": _("the run's budget of reads was reached"),
    }
    if result.get("postponed"):
        detail += " " + _("%(count)s left for the next run: %(reason)s.", count=result["postponed"],
                          reason=reasons.get(result.get("problem"), "-"))
        if result.get("problem") == "refused":
            return CheckResult("meeting_check", WARNING, title, detail,
                               _("Check the connection and the scopes above."))
    return CheckResult("meeting_check", OK, title, detail)
