import json

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_datetime

from ..services import setup_checks
from ..services.setup_guide import FEATURES, enabled_features, needed_scopes
from ..utils.zoom_client import ZOOM_CODE_SCOPE_MISSING, ZoomError

STATES = [("ok", "OK"), ("info", "Note"), ("warning", "Warning"), ("failed", "Failed")]
RETRY_CRON_XMLID = "herp_zoom.ir_cron_issue_pending_meetings"


def check_zoom_admin(env):
    if not env.user.has_group("herp_zoom.group_zoom_admin"):
        raise AccessError(env._("Only Zoom administrators can check the Zoom setup."))


class ZoomSetupCheck(models.TransientModel):
    """The result of "Check setup": one line per check, with its state and fix."""

    _name = "zoom.setup.check"
    _description = "Zoom Setup Check"

    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    line_ids = fields.One2many("zoom.setup.check.line", "check_id", readonly=True)
    all_green = fields.Boolean(compute="_compute_all_green")

    @api.depends("line_ids.state")
    def _compute_all_green(self):
        for check in self:
            check.all_green = all(line.state in ("ok", "info") for line in check.line_ids)

    @api.model
    def _run(self, company):
        """Run every check for ``company`` (the caller is a Zoom administrator of it)."""
        check_zoom_admin(self.env)
        if company not in self.env.user.company_ids:
            raise AccessError(_("You can only check the Zoom setup of the companies you work in."))
        results = self._results(company)
        return self.create({
            "company_id": company.id,
            "line_ids": [
                fields.Command.create({
                    "sequence": index, "key": result.key, "state": result.state, "title": result.title,
                    "detail": result.detail, "fix": result.fix, "action_kind": result.action or False,
                })
                for index, result in enumerate(results)
            ],
        })

    @api.model
    def _results(self, company):
        _t = self.env._
        account = self.env["zoom.account"]._get_for_company(company)  # sudo, after the caller's check
        state = account.state if account else "disconnected"
        answer = error = None
        if state == "connected":
            try:
                # Also renews the token when due, which tells the granted scopes.
                answer = account._client().get_user("me")
            except ZoomError as zoom_error:
                error = zoom_error.message_for(self.env)
            state = account.state
        features = enabled_features(account._enabled_feature_settings() if account else {}, account.auth_mode)
        granted = account._granted_scopes() if account else None
        params = self.env["ir.config_parameter"].sudo()
        last_delivery = self.env["zoom.webhook.delivery"].sudo().search(
            [("account_id", "=", account.id)], order="received_at desc", limit=1) if account else None
        cron = self.env.ref(RETRY_CRON_XMLID, raise_if_not_found=False)
        users = self._users_with_role(company)
        return [
            setup_checks.check_connection(_t, state, answer=answer, error=error),
            setup_checks.check_scopes(_t, state == "connected" and not error, granted, needed_scopes(features)),
            setup_checks.check_base_url(_t, params.get_param("web.base.url")),
            setup_checks.check_webhook(
                _t, bool(account and account.webhook_secret), account.auth_mode if account else "oauth",
                format_datetime(self.env, last_delivery.received_at) if last_delivery else None),
            setup_checks.check_retry_cron(_t, bool(cron), bool(cron and cron.sudo().active)),
            setup_checks.check_linked_users(_t, len(users), len(users.filtered("zoom_user_id"))),
            setup_checks.check_simultaneous_meetings(
                _t, account.max_concurrent_meetings if account else 1,
                **(self._concurrent_meeting_option(account, granted) if answer else {})),
            setup_checks.check_lifecycle(_t, bool(account.update_meetings), bool(account.delete_meetings)),
            setup_checks.check_meeting_check(
                _t, bool(account.check_meetings),
                format_datetime(self.env, account.meeting_check_ran_at) if account.meeting_check_ran_at else None,
                json.loads(account.meeting_check_result) if account.meeting_check_result else None),
        ]

    @api.model
    def _concurrent_meeting_option(self, account, granted):
        """The connected user's concurrent meeting option, as Zoom tells it in the user's settings
        ('me': the connecting administrator, or the account's owner for a Server-to-Server app);
        or why it is not known. Never raises: the other checks' results stand."""
        scope = FEATURES["plan_check"].scopes[0]
        if granted is not None and scope not in granted:
            return {"missing_scope": scope}
        try:
            settings = account._client().get_user_settings("me") or {}
        except ZoomError as zoom_error:
            if zoom_error.zoom_code == ZOOM_CODE_SCOPE_MISSING:
                return {"missing_scope": scope}
            return {"unknown_reason": zoom_error.message_for(self.env)}
        feature = settings.get("feature")
        return {"concurrent_meeting": feature.get("concurrent_meeting") if isinstance(feature, dict) else None}

    @api.model
    def _users_with_role(self, company):
        return self.env["res.users"].sudo().search([
            ("all_group_ids", "in", self.env.ref("herp_zoom.group_zoom_guest").id),
            ("share", "=", False), ("company_ids", "in", company.id),
        ])

    def _action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Zoom Setup Check"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": {"dialog_size": "extra-large"},
        }

    def action_check_again(self):
        self.ensure_one()
        check_zoom_admin(self.env)
        return self._run(self.company_id)._action_open()


class ZoomSetupCheckLine(models.TransientModel):
    _name = "zoom.setup.check.line"
    _description = "Zoom Setup Check Line"
    _order = "sequence, id"

    check_id = fields.Many2one("zoom.setup.check", "Setup Check", required=True, ondelete="cascade")
    sequence = fields.Integer()
    key = fields.Char(required=True)
    state = fields.Selection(STATES, required=True)
    # Text: the list shows them whole, wrapped, instead of cut to the column's width.
    title = fields.Text("Check", required=True)
    detail = fields.Text("Result")
    fix = fields.Text("How to fix")
    action_kind = fields.Selection(
        [("unlinked_users", "Unlinked users"), ("retry_cron", "Retry scheduled action")])

    def action_fix(self):
        """The line's own fix: activate the retry action, or list the users who did not link."""
        self.ensure_one()
        check_zoom_admin(self.env)
        if self.action_kind == "retry_cron":
            # The retry action belongs to herp_zoom: a Zoom administrator may turn it back on.
            cron = self.env.ref(RETRY_CRON_XMLID).sudo()
            cron.active = True
            return self.check_id._run(self.check_id.company_id)._action_open()
        if self.action_kind == "unlinked_users":
            return self.env["res.users"]._zoom_unlinked_users_action()
        return False
