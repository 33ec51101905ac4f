import base64
import json
import logging
import secrets
import time
from datetime import timedelta
from functools import partial

from psycopg2 import errors

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq
from odoo.tools.misc import hmac as hmac_tool

from ..services.api_url import regional_api_url
from ..services.meeting_check import DEFAULT_HOURS_BEFORE, DEFAULT_MAX_REQUESTS
from ..services.meeting_results import RESULT_EVENTS
from ..compat import Constraint, is_test_cursor, registry_in_test_mode
from ..utils.zoom_client import (
    TIMEOUT,
    ZoomClient,
    ZoomError,
    ZoomNotConnected,
    ZoomReauthorizationNeeded,
    ZoomRequestRejected,
    ZoomUnavailable,
    ZoomUserNotInAccount,
    make_pkce_pair,
)

_logger = logging.getLogger(__name__)

OAUTH_CALLBACK_ROUTE = "/herp_zoom/oauth/callback"
WEBHOOK_ROUTE = "/herp_zoom/webhook"
OAUTH_STATE_TTL = 15 * 60
# Tokens are renewed this long before Zoom says they expire.
TOKEN_EXPIRY_MARGIN = timedelta(minutes=5)
ZOOM_ADMIN_ROLE_IDS = ("0", "1")
ZOOM_ADMIN_ROLE_NAMES = ("owner", "admin")
SESSION_NONCE_KEY = "herp_zoom_oauth_nonce"
# How long a save waits for each of Zoom's answers (seconds): Zoom answers in well under a second,
# and a save left waiting holds its Odoo worker. The scheduled action waits up to TIMEOUT.
DEFAULT_SAVE_WAIT = 5
# Context key of what a save's worker sends Zoom right after its commit (a moved interview's update,
# a deleted one's deletion, a consent): it waits as long as the save; the scheduled action that
# retries what failed waits up to TIMEOUT.
AFTER_SAVE = "herp_zoom_after_save"
SAVE_WAIT_RANGE = (1, TIMEOUT)


class ZoomAccount(models.Model):
    """The connection between an Odoo company and its Zoom account (one per company)."""

    _name = "zoom.account"
    _description = "Zoom Connection"
    _inherit = ["mail.thread", "zoom.meeting.settings", "zoom.account.setup"]
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True, default=lambda self: self.env.company,
    )
    auth_mode = fields.Selection(
        [("oauth", "OAuth app (administrator consent)"), ("s2s", "Server-to-Server OAuth app")],
        string="Connection Type", required=True, default="oauth", tracking=True,
    )
    client_id = fields.Char(string="Client ID", tracking=True)
    client_secret = fields.Char(copy=False, groups="herp_zoom.group_zoom_admin")
    zoom_account_id = fields.Char("Zoom Account ID", copy=False, tracking=True)
    webhook_secret = fields.Char("Webhook Secret Token", copy=False, groups="herp_zoom.group_zoom_admin")
    access_token = fields.Char(copy=False, groups=fields.NO_ACCESS)
    refresh_token = fields.Char(copy=False, groups=fields.NO_ACCESS)
    token_expires_at = fields.Datetime(copy=False, groups=fields.NO_ACCESS)
    # Zoom's data centre for this connection, from the token response (within Zoom's domains).
    token_api_url = fields.Char("Zoom API Address", copy=False, groups=fields.NO_ACCESS)
    state = fields.Selection(
        [("disconnected", "Not connected"), ("connected", "Connected"), ("reauth", "Needs re-authorization")],
        required=True, default="disconnected", readonly=True, copy=False, tracking=True,
    )
    connected_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    connected_at = fields.Datetime("Connected On", readonly=True, copy=False)
    connected_zoom_email = fields.Char("Connected Zoom User", readonly=True, copy=False)
    connected_zoom_user_id = fields.Char(
        "Connected Zoom User ID", readonly=True, copy=False,
        help="The Zoom user who authorized the app for the account; only their removing the app disconnects it.",
    )
    max_concurrent_meetings = fields.Integer(
        "Simultaneous Meetings per Zoom User", default=1, required=True,
        help="How many meetings one Zoom user may host at the same time: 1 on most Zoom plans, "
        "2 on plans that allow it. A linked interviewer who already hosts this many overlapping "
        "meetings is not chosen as host.",
    )
    # Off for a new connection, as the product always was (SPEC S8, B2): a meeting is changed or
    # deleted in Zoom only when the company says so; with them off the interview says what Zoom
    # still holds (see the README).
    update_meetings = fields.Boolean(
        "Update Zoom Meetings with Interviews",
        help="Rescheduling, renaming or changing the interviewers of an interview updates its Zoom meeting. Off: "
        "the meeting stays as it was and the interview says what Zoom still holds.",
    )
    delete_meetings = fields.Boolean(
        "Delete Zoom Meetings with Interviews",
        help="Deleting, archiving or cancelling an interview deletes its Zoom meeting. Off: the meeting stays in "
        "Zoom and the interview says so.",
    )
    check_meetings = fields.Boolean(
        "Check Meetings against Zoom Daily", default=True,
        help="Upcoming interviews' meetings are read at Zoom once a day and again shortly before the start: a "
        "meeting Zoom lost is issued again, one that differs from the interview is reported.",
    )
    check_hours_before = fields.Integer(
        "Check Again Hours Before the Start", default=DEFAULT_HOURS_BEFORE,
        help="The meeting is read once more within this many hours before the interview starts (0: no second read).",
    )
    check_max_requests = fields.Integer(
        "Meeting Reads per Run", default=DEFAULT_MAX_REQUESTS,
        help="At most this many meetings are read at Zoom per run of the check, at most 4 per second (Zoom's Light "
        "rate limit of the smallest plans, shared with the account's other apps); the rest in the next run.",
    )
    save_wait = fields.Integer(
        "Wait for Zoom During a Save (Seconds)", default=DEFAULT_SAVE_WAIT, required=True,
        help="How long saving an interview, or clicking \"Issue Zoom meeting\", waits for each answer of Zoom. "
        "Zoom answers in well under a second; when it does not answer in time the interview is saved with its "
        "meeting pending, and the scheduled action looks for the meeting at Zoom (taking the one a late answer "
        "created) or creates it.",
    )
    meeting_check_ran_at = fields.Datetime("Meetings Last Checked", readonly=True, copy=False)
    # Counts of the last run, as JSON: shown by "Check setup" in the reader's language.
    meeting_check_result = fields.Char("Last Check of Meetings", readonly=True, copy=False)

    _company_uniq = Constraint("unique(company_id)", "A company has one Zoom connection.")
    _max_concurrent_meetings_range = Constraint(
        "CHECK(max_concurrent_meetings IN (1, 2))", "A Zoom user hosts one or two meetings at the same time."
    )

    @api.constrains("check_hours_before", "check_max_requests")
    def _check_meeting_check_settings(self):
        for account in self:
            if not 0 <= account.check_hours_before <= 48:
                raise ValidationError(_("Check again between 0 and 48 hours before the start."))
            if not 1 <= account.check_max_requests <= 10000:
                raise ValidationError(_("Read between 1 and 10000 meetings per run of the check."))

    @api.constrains("save_wait")
    def _check_save_wait(self):
        low, high = SAVE_WAIT_RANGE
        for account in self:
            if not low <= account.save_wait <= high:
                raise ValidationError(_("Wait between %(low)s and %(high)s seconds for Zoom's answer during a save.",
                                        low=low, high=high))

    def _meeting_check_done(self, counts, postponed, problem):
        """The result of the daily check's run (``problem``: why the rest was postponed, a code of
        services.setup_checks.MEETING_CHECK_PROBLEMS), shown by "Check setup"."""
        self.ensure_one()
        self.sudo().write({"meeting_check_ran_at": fields.Datetime.now(), "meeting_check_result": json.dumps(
            dict(counts, postponed=postponed, problem=problem or ""), sort_keys=True)})

    # ------------------------------------------------------------------ lookup
    @api.model
    def _get_for_company(self, company=None, create=False):
        """The (sudo) connection record of ``company``; created on demand for settings."""
        company = company or self.env.company
        account = self.sudo().with_context(active_test=False).search([("company_id", "=", company.id)], limit=1)
        if not account and create:
            account = self.sudo().create({"company_id": company.id})
        return account

    @api.model
    @tools.ormcache("company_id")
    def _connected_account_id(self, company_id):
        """Id of the company's connected account; cached, as every event creation asks."""
        account = self.sudo().search([("company_id", "=", company_id), ("state", "=", "connected")], limit=1)
        return account.id or False

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals or "company_id" in vals:
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    def _is_connected(self):
        return bool(self) and self.state == "connected"

    # ------------------------------------------------------------------ client
    @api.model
    def _zoom_urls(self):
        params = self.env["ir.config_parameter"].sudo()
        return (
            params.get_param("herp_zoom.api_url") or "https://api.zoom.us/v2",
            params.get_param("herp_zoom.oauth_url") or "https://zoom.us",
        )

    @api.model
    def _new_client(self, token_getter=None, timeout=None):
        api_url, oauth_url = self._zoom_urls()
        return ZoomClient(api_url=api_url, oauth_url=oauth_url, token_getter=token_getter, timeout=timeout)

    def _client(self, timeout=None):
        """A client that acts with this company's account token; ``timeout``: the seconds it waits
        for each answer (a renewal of the token included), the client's TIMEOUT by default."""
        self.ensure_one()
        account = self.sudo()
        if timeout is None and self.env.context.get(AFTER_SAVE):
            timeout = account.save_wait or DEFAULT_SAVE_WAIT
        token_getter = partial(account._get_access_token, timeout=timeout) if timeout else account._get_access_token
        client = self._new_client(token_getter=token_getter, timeout=timeout)
        # The data centre of the token, unless the API address points away from Zoom (a sandbox, a proxy).
        if account.token_api_url and regional_api_url(client.api_url):
            client = ZoomClient(api_url=account.token_api_url, oauth_url=client.oauth_url,
                                token_getter=token_getter, timeout=timeout)
        return client

    def _save_client(self):
        """The client of a save: it waits for Zoom's answers no longer than the connection says."""
        self.ensure_one()
        return self._client(timeout=self.sudo().save_wait or DEFAULT_SAVE_WAIT)

    # ------------------------------------------------------------------ tokens
    def _token_cache(self):
        # Tokens renewed in a separate transaction are invisible to this one's snapshot.
        return self.env.cr.cache.setdefault("herp_zoom_tokens", {})

    def _get_access_token(self, force_refresh=False, timeout=None):
        self.ensure_one()
        account = self.sudo()
        cached = self._token_cache().get(account.id)
        now = fields.Datetime.now()
        if not force_refresh:
            if cached and cached[1] > now + TOKEN_EXPIRY_MARGIN:
                return cached[0]
            if account.state != "connected":
                raise ZoomReauthorizationNeeded() if account.state == "reauth" else ZoomNotConnected()
            if (account.access_token and account.token_expires_at
                    and account.token_expires_at > now + TOKEN_EXPIRY_MARGIN):
                return account.access_token
        stale = cached[0] if cached else account.access_token
        return account._renew_access_token(stale_token=stale if force_refresh else None, timeout=timeout)

    def _renew_access_token(self, stale_token=None, timeout=None):
        """Renew the access token once, whatever the number of workers asking at once.

        Zoom rotates refresh tokens: the previous one stops working as soon as a new one is
        issued.  So the renewal runs in its own transaction, committed at once, under a row
        lock; a worker that waited for the lock finds the token renewed and uses it.  When the
        asking transaction itself holds that row (it changed the connection), a second
        transaction would wait for it: the renewal then runs in the asking transaction, and
        the new tokens are stored again if that transaction is rolled back.
        """
        self.ensure_one()
        self.flush_recordset()
        if self._row_held_by_own_transaction():
            tokens = self._renew_in_cursor(self.env.cr, stale_token, timeout)
            if tokens:
                self.env.cr.postrollback.add(partial(_store_tokens_after_rollback, self.env.registry, self.id, tokens))
            return self._token_cache()[self.id][0]
        with self.env.registry.cursor() as cr:
            if not is_test_cursor(cr):
                # After waiting for the lock, read what the other worker committed instead of
                # failing on it (the default isolation would raise a serialization error).
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            # Another worker renewing waits for Zoom: as long as this caller waits for Zoom itself
            # (a save: its wait), the client's TIMEOUT otherwise.
            cr.execute("SET LOCAL lock_timeout = %s", [f"{int((timeout or TIMEOUT) * 1000)}ms"])
            try:
                self._renew_in_cursor(cr, stale_token, timeout)
            except errors.LockNotAvailable as error:
                # Retried like an unanswered request (a save leaves its meeting pending).
                raise ZoomUnavailable() from error
            cr.commit()  # pylint: disable=invalid-commit
        return self._token_cache()[self.id][0]

    def _row_held_by_own_transaction(self):
        """Whether this transaction wrote or locked the connection's row."""
        if registry_in_test_mode(self.env.registry):
            # One connection serves every cursor in tests: nothing can wait on it.
            return False
        self.env.cr.execute(
            """SELECT 1 FROM zoom_account, (SELECT pg_current_xact_id_if_assigned()::text::bigint %% 4294967296 AS xid) own
                WHERE id = %s AND own.xid IS NOT NULL
                  AND (xmin::text::bigint = own.xid OR xmax::text::bigint = own.xid)""",
            [self.id],
        )
        return bool(self.env.cr.fetchone())

    def _renew_in_cursor(self, cr, stale_token, timeout=None):
        """Renew under the row lock of ``cr``; the new tokens (None when another worker renewed first)."""
        cr.execute(
            """SELECT state, auth_mode, client_id, client_secret, zoom_account_id,
                      access_token, refresh_token, token_expires_at
                 FROM zoom_account WHERE id = %s FOR NO KEY UPDATE""",
            [self.id], log_exceptions=False,
        )
        row = cr.dictfetchone()
        now = fields.Datetime.now()
        if not row or row["state"] != "connected":
            raise ZoomReauthorizationNeeded() if row and row["state"] == "reauth" else ZoomNotConnected()
        if (row["access_token"] and row["access_token"] != stale_token and row["token_expires_at"]
                and row["token_expires_at"] > now + TOKEN_EXPIRY_MARGIN):
            self._token_cache()[self.id] = (row["access_token"], row["token_expires_at"])
            return None
        client = self._new_client(timeout=timeout)
        try:
            if row["auth_mode"] == "s2s":
                tokens = client.account_credentials(row["client_id"], row["client_secret"], row["zoom_account_id"])
            elif row["refresh_token"]:
                tokens = client.refresh_token(row["client_id"], row["client_secret"], row["refresh_token"])
            else:
                raise ZoomReauthorizationNeeded()
        except (ZoomReauthorizationNeeded, ZoomRequestRejected) as error:
            if isinstance(error, ZoomRequestRejected) and error.status not in (400, 401):
                raise
            # The grant is gone for good: say so instead of failing on every call.
            cr.execute(
                """UPDATE zoom_account SET state = 'reauth', access_token = NULL, refresh_token = NULL,
                          token_expires_at = NULL WHERE id = %s""",
                [self.id],
            )
            self.with_env(self.env(cr=cr)).sudo()._notify_admins_reauth()
            if cr is not self.env.cr:
                cr.commit()  # pylint: disable=invalid-commit
            self._token_cache().pop(self.id, None)
            # The state changed outside the ORM: forget the cached "connected" answer here, and
            # in the other workers through the registry's cache signal.
            self.env.registry.clear_cache()
            self.invalidate_recordset(["state"])
            raise ZoomReauthorizationNeeded() from None
        _write_tokens(cr, self.id, tokens, now)
        if cr is self.env.cr:
            self.invalidate_recordset(["access_token", "refresh_token", "token_expires_at", "token_api_url",
                                       "token_scopes"])
        self._token_cache()[self.id] = (tokens["access_token"], _expiry(tokens, now))
        self._remember_granted_scopes(tokens)
        return tokens

    def _notify_admins_reauth(self):
        self._notify_admins(_("Zoom no longer accepts this company's authorization, so no Zoom meeting can be "
                              "created. Connect the Zoom account again in Settings."))

    def _notify_admins(self, body):
        """Post on the connection and notify the company's Zoom administrators."""
        admins = self.env.ref("herp_zoom.group_zoom_admin").all_user_ids.filtered(
            lambda user: not user.share and user.active and self.company_id in user.company_ids
        )
        self.message_post(body=body, partner_ids=admins.partner_id.ids, subtype_xmlid="mail.mt_comment")

    def _store_tokens(self, tokens):
        self.ensure_one()
        expires_at = fields.Datetime.now() + timedelta(seconds=int(tokens.get("expires_in") or 3600))
        self.sudo().write({
            "access_token": tokens["access_token"],
            "refresh_token": tokens.get("refresh_token") or False,
            "token_expires_at": expires_at,
            "token_api_url": regional_api_url(tokens.get("api_url")) or False,
            "token_scopes": tokens.get("scope") or False,
        })
        self._token_cache()[self.id] = (tokens["access_token"], expires_at)

    # ------------------------------------------------------------------ OAuth state
    @api.model
    def _oauth_redirect_uri(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return base_url.rstrip("/") + OAUTH_CALLBACK_ROUTE

    @api.model
    def _oauth_state_signature(self, payload):
        # The first 42 characters of the session id: Odoo 19 rotates the rest during the session.
        session_id = request.session.sid[:42] if request else ""
        return hmac_tool(self.env(su=True), "herp_zoom-oauth-state", (payload, session_id))

    @api.model
    def _oauth_make_state(self, purpose):
        """A ``state`` bound to this user, company and browser session, valid once."""
        nonce = secrets.token_urlsafe(16)
        data = {
            "p": purpose, "u": self.env.uid, "c": self.env.company.id, "n": nonce,
            "e": int(time.time()) + OAUTH_STATE_TTL,
        }
        payload = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()
        if request:
            request.session[SESSION_NONCE_KEY] = nonce
        return f"{payload}.{self._oauth_state_signature(payload)}", data

    @api.model
    def _oauth_check_state(self, state):
        """The payload of a valid ``state``; AccessError for a forged, stale or reused one."""
        try:
            payload, signature = (state or "").rsplit(".", 1)
            data = json.loads(base64.urlsafe_b64decode(payload.encode()))
        except (ValueError, TypeError):
            raise AccessError(_("The Zoom sign-in could not be verified. Start again from Odoo.")) from None
        expected = self._oauth_state_signature(payload)
        if (not consteq(signature, expected) or data.get("u") != self.env.uid
                or data.get("e", 0) < time.time()):
            raise AccessError(_("The Zoom sign-in could not be verified. Start again from Odoo."))
        if request:
            # The nonce is consumed: the same state cannot be used twice.
            session_nonce = request.session.pop(SESSION_NONCE_KEY, None)
            if not session_nonce or not consteq(session_nonce, data.get("n", "")):
                raise AccessError(_("This Zoom sign-in was already used or has expired. Start again from Odoo."))
        return data

    @api.model
    def _oauth_code_verifier(self, state_payload):
        # Derived from the server secret and the state's nonce, so nothing has to be stored.
        return hmac_tool(self.env(su=True), "herp_zoom-pkce", state_payload["n"])

    # ------------------------------------------------------------------ connect / disconnect
    def _check_app_credentials(self):
        self.ensure_one()
        account = self.sudo()
        if not account.client_id or not account.client_secret:
            raise UserError(_("Enter the Client ID and Client Secret of your Zoom app first."))
        if account.auth_mode == "s2s" and not account.zoom_account_id:
            raise UserError(_("Enter the Account ID of your Server-to-Server Zoom app first."))

    @api.model
    def _authorize_action(self, purpose):
        """The act_url that sends the current user to Zoom's consent page."""
        account = self._get_for_company()
        if not account or not account.client_id:
            raise UserError(_("The company's Zoom app is not configured. Ask an administrator to set it up in Settings."))
        state, state_data = self._oauth_make_state(purpose)
        _verifier, challenge = make_pkce_pair(self._oauth_code_verifier(state_data))
        url = self._new_client().authorize_url(account.client_id, self._oauth_redirect_uri(), state, challenge)
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def action_connect(self):
        """Consent app: go to Zoom's consent page. Server-to-Server: connect at once."""
        self.ensure_one()
        self._check_admin()
        self._check_app_credentials()
        if self.auth_mode == "s2s":
            self._connect_s2s()
            return self._notification(_("Connected to the Zoom account %s.", self.sudo().connected_zoom_email or self.zoom_account_id))
        return self.with_company(self.company_id)._authorize_action("account")

    def _check_admin(self):
        """Zoom administrators only, and only on the connections of their allowed companies."""
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            raise AccessError(_("Only Zoom administrators can change the company's Zoom connection."))
        # The company record rule applies to the caller; superuser rights come only after it.
        self.check_access("write")

    def _connect_s2s(self):
        account = self.sudo()
        client = self._new_client()
        try:
            tokens = client.account_credentials(account.client_id, account.client_secret, account.zoom_account_id)
            me = client.get_user("me", access_token=tokens["access_token"])
        except ZoomError as error:
            raise UserError(_("Zoom refused the connection: %s", error.message_for(self.env))) from None
        account._store_tokens(tokens)
        account.write({
            "state": "connected",
            "connected_by_id": self.env.uid,
            "connected_at": fields.Datetime.now(),
            "connected_zoom_email": me.get("email") or False,
            "connected_zoom_user_id": me.get("id") or False,
            "zoom_account_id": me.get("account_id") or account.zoom_account_id,
        })
        account._log_connection()

    def _connect_from_code(self, code, code_verifier):
        """Consent app callback: store the account's tokens and link the administrator."""
        self.ensure_one()
        account = self.sudo()
        client = self._new_client()
        tokens = client.exchange_code(account.client_id, account.client_secret, code, self._oauth_redirect_uri(), code_verifier)
        me = client.get_user("me", access_token=tokens["access_token"])
        is_zoom_admin = (str(me.get("role_id")) in ZOOM_ADMIN_ROLE_IDS
                         or (me.get("role_name") or "").lower() in ZOOM_ADMIN_ROLE_NAMES)
        if not is_zoom_admin:
            try:
                client.revoke_token(account.client_id, account.client_secret, tokens["access_token"])
            except ZoomError:
                _logger.info("Could not revoke the token of a refused Zoom consent")
            raise UserError(_(
                "The Zoom user %(email)s is not an owner or administrator of its Zoom account. "
                "Only a Zoom owner or admin can connect the company's account: sign in to Zoom "
                "as one and try again.", email=me.get("email") or me.get("id"),
            ))
        account._store_tokens(tokens)
        account.write({
            "state": "connected",
            "zoom_account_id": me.get("account_id"),
            "connected_by_id": self.env.uid,
            "connected_at": fields.Datetime.now(),
            "connected_zoom_email": me.get("email") or False,
            "connected_zoom_user_id": me.get("id") or False,
        })
        self.env.user.sudo()._zoom_link(me)
        account._log_connection()

    def _log_connection(self):
        self.message_post(body=_(
            "Zoom account %(account)s connected by %(user)s.",
            account=self.connected_zoom_email or self.zoom_account_id, user=self.env.user.name,
        ))

    def action_test_connection(self):
        self.ensure_one()
        self._check_admin()
        try:
            me = self._client().get_user("me")
        except ZoomError as error:
            raise UserError(error.message_for(self.env)) from None
        return self._notification(_(
            "Zoom answered: account %(account)s, signed in as %(email)s.",
            account=me.get("account_id"), email=me.get("email"),
        ))

    def action_disconnect(self):
        self.ensure_one()
        self._check_admin()
        account = self.sudo()
        if account.auth_mode == "oauth" and account.access_token:
            try:
                self._new_client().revoke_token(account.client_id, account.client_secret, account.access_token)
            except ZoomError:
                # Revocation is a courtesy: the tokens are deleted here in any case.
                _logger.info("Zoom did not confirm the token revocation on disconnect")
        account._clear_tokens("disconnected")
        account.message_post(body=_("Zoom account disconnected by %s.", self.env.user.name))
        return self._notification(_("The Zoom account is disconnected."), reload=True)

    def _clear_tokens(self, state):
        self.sudo().write({
            "state": state,
            "access_token": False,
            "refresh_token": False,
            "token_expires_at": False,
            "token_scopes": False,
        })
        for account in self:
            self._token_cache().pop(account.id, None)

    @api.model
    def _notification(self, message, reload=False):
        action = {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "success", "sticky": False},
        }
        if reload:
            action["params"]["next"] = {"type": "ir.actions.client", "tag": "soft_reload"}
        return action

    # ------------------------------------------------------------------ webhooks
    def _handle_webhook(self, data):
        """Act on a verified Zoom event; a delivery Zoom repeats is handled once."""
        self.ensure_one()
        event = data.get("event")
        payload = data["payload"]
        meeting = payload.get("object") if isinstance(payload.get("object"), dict) else {}
        if not self.env["zoom.webhook.delivery"].sudo()._record_once(
                self, event, data.get("event_ts") or "", meeting.get("id") or payload.get("user_id")):
            return
        if event == "app_deauthorized":
            self._apply_deauthorization(payload)
            return
        if event in RESULT_EVENTS:
            self.env["zoom.meeting.result"].sudo()._zoom_handle_event(self, event, data)
            return
        if event not in ("meeting.deleted", "meeting.updated") or not meeting.get("id"):
            return
        events = self.env["calendar.event"].sudo().with_context(active_test=False).search([
            ("zoom_meeting_id", "=", str(meeting["id"])), ("zoom_account_id", "=", self.id),
        ])
        if event == "meeting.deleted":
            events._zoom_deleted_in_zoom(payload.get("operator") or payload.get("operator_id"))
        else:
            events._zoom_updated_in_zoom(meeting, payload.get("operator") or payload.get("operator_id"))

    def _apply_deauthorization(self, payload):
        """The app was removed in Zoom, by the Zoom user who connected the account or by one interviewer."""
        self.ensure_one()
        account = self.sudo()
        zoom_user_id = str(payload.get("user_id") or "")
        linked = self.env["res.users"].sudo().with_context(active_test=False).search([
            ("zoom_user_id", "=", zoom_user_id), ("zoom_user_account_id", "=", account.zoom_account_id),
        ]) if zoom_user_id else self.env["res.users"]
        if account.connected_zoom_user_id:
            account_level = zoom_user_id == account.connected_zoom_user_id
        else:
            # Connected before the authorizing Zoom user was recorded: anyone but a linked interviewer.
            account_level = not linked
        if not account_level:
            if linked:
                linked._zoom_unlink()
                account.message_post(body=_(
                    "The Zoom user %(zoom_user)s removed the app from their Zoom profile, so it is no longer "
                    "linked to %(users)s.",
                    zoom_user=zoom_user_id, users=", ".join(linked.mapped("name")),
                ))
            return
        account._clear_tokens("disconnected")
        account._notify_admins(_(
            "The Zoom app was removed from the Zoom account %s, so its tokens were deleted and no "
            "Zoom meeting is created until the account is connected again in Settings.",
            payload.get("account_id") or account.zoom_account_id,
        ))

    # ------------------------------------------------------------------ users
    def _lookup_member(self, email_or_id):
        """The Zoom user ``email_or_id`` of this account, or ZoomUserNotInAccount."""
        self.ensure_one()
        zoom_user = self._client().get_user(email_or_id)
        self._check_member(zoom_user)
        return zoom_user

    def _check_member(self, zoom_user):
        self.ensure_one()
        if not self._is_connected():
            raise ZoomNotConnected()
        if zoom_user.get("account_id") != self.sudo().zoom_account_id:
            raise ZoomUserNotInAccount(_(
                "The Zoom user %(email)s is not a user of the company's Zoom account (it is a "
                "personal account or belongs to another Zoom account). Sign in to Zoom with your "
                "work Zoom user of the company account and try again.",
                email=zoom_user.get("email") or zoom_user.get("id"),
            ))


def _expiry(tokens, now):
    return now + timedelta(seconds=int(tokens.get("expires_in") or 3600))


def _write_tokens(cr, account_id, tokens, now):
    cr.execute(
        """UPDATE zoom_account SET access_token = %s, refresh_token = COALESCE(%s, refresh_token),
                  token_expires_at = %s, token_api_url = %s, token_scopes = COALESCE(%s, token_scopes)
            WHERE id = %s""",
        [tokens["access_token"], tokens.get("refresh_token"), _expiry(tokens, now),
         regional_api_url(tokens.get("api_url")), tokens.get("scope"), account_id],
    )


def _store_tokens_after_rollback(registry, account_id, tokens):
    """Zoom already replaced the previous grant: keep the new tokens of a rolled-back renewal."""
    try:
        with registry.cursor() as cr:
            _write_tokens(cr, account_id, tokens, fields.Datetime.now())
    except Exception:  # noqa: BLE001 - runs after the rollback, nothing may escape
        _logger.warning("Could not keep the Zoom tokens renewed in a transaction that was rolled back")
