from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..services.meeting_check import DEFAULT_HOURS_BEFORE, DEFAULT_MAX_REQUESTS
from ..services.meeting_results import RESULT_EVENTS, RESULT_SCOPES
from ..services.meeting_settings import parse_refused
from ..services.setting_ranges import NUMBER_RANGES, range_problems
from ..services.setup_guide import all_events, all_optional_scopes, all_scopes
from .zoom_account import DEFAULT_SAVE_WAIT, OAUTH_CALLBACK_ROUTE, WEBHOOK_ROUTE
from .zoom_meeting_settings import (
    AUTHENTICATION,
    CONSENT_CONDITIONS,
    CONSENT_FIELDS,
    JBH_TIMES,
    ON_OFF,
    RECORDING,
    SETTING_FIELDS,
)

# Settings field -> field of the company's zoom.account.
ACCOUNT_FIELDS = {
    "zoom_auth_mode": "auth_mode",
    "zoom_client_id": "client_id",
    "zoom_client_secret": "client_secret",
    "zoom_account_id": "zoom_account_id",
    "zoom_webhook_secret": "webhook_secret",
    "zoom_max_concurrent_meetings": "max_concurrent_meetings",
    "zoom_save_wait": "save_wait",
    "zoom_update_meetings": "update_meetings",
    "zoom_delete_meetings": "delete_meetings",
    "zoom_check_meetings": "check_meetings",
    "zoom_check_hours_before": "check_hours_before",
    "zoom_check_max_requests": "check_max_requests",
    "zoom_fetch_meeting_results": "fetch_meeting_results",
    "zoom_summary_retention_days": "summary_retention_days",
    "zoom_meeting_template_id": "meeting_template_id",
    **{f"zoom_{name}": name for name in SETTING_FIELDS},
    "zoom_meeting_jbh_time": "meeting_jbh_time",
    **{f"zoom_{name}": name for name in CONSENT_FIELDS},
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    zoom_auth_mode = fields.Selection(
        [("oauth", "OAuth app (administrator consent)"), ("s2s", "Server-to-Server OAuth app")],
        string="Zoom Connection Type", default="oauth",
    )
    zoom_client_id = fields.Char("Zoom Client ID")
    zoom_client_secret = fields.Char(groups="herp_zoom.group_zoom_admin")
    zoom_account_id = fields.Char("Zoom Account ID")
    zoom_webhook_secret = fields.Char("Zoom Webhook Secret Token", groups="herp_zoom.group_zoom_admin")
    zoom_max_concurrent_meetings = fields.Integer("Simultaneous Meetings per Zoom User", default=1)
    zoom_save_wait = fields.Integer("Wait for Zoom During a Save (Seconds)", default=DEFAULT_SAVE_WAIT)
    zoom_update_meetings = fields.Boolean("Update Zoom Meetings with Interviews")
    zoom_delete_meetings = fields.Boolean("Delete Zoom Meetings with Interviews")
    zoom_check_meetings = fields.Boolean("Check Meetings against Zoom Daily", default=True)
    zoom_check_hours_before = fields.Integer("Check Again Hours Before the Start", default=DEFAULT_HOURS_BEFORE)
    zoom_check_max_requests = fields.Integer("Meeting Reads per Run", default=DEFAULT_MAX_REQUESTS)
    zoom_fetch_meeting_results = fields.Boolean("Bring Interview Results Back from Zoom")
    zoom_summary_retention_days = fields.Integer("Delete Zoom Summaries After (Days)", default=90)
    zoom_result_events = fields.Char("Zoom Event Subscriptions", compute="_compute_zoom_required_scopes")
    zoom_result_scopes = fields.Char("Zoom Scopes for Results", compute="_compute_zoom_required_scopes")
    # The company's interview meeting settings (see zoom.meeting.settings), kept on its connection.
    zoom_meeting_template_id = fields.Many2one(
        "zoom.meeting.template", "Zoom Interview Template", domain="[('account_id', '=', zoom_connection_id)]")
    zoom_meeting_waiting_room = fields.Selection(ON_OFF, "Zoom Waiting Room", default="on")
    zoom_meeting_join_before_host = fields.Selection(ON_OFF, "Zoom Join Before Host", default="off")
    zoom_meeting_jbh_time = fields.Selection(JBH_TIMES, "Zoom Join Before Host From", default="0")
    zoom_meeting_mute_upon_entry = fields.Selection(ON_OFF, "Zoom Mute Upon Entry", default="on")
    zoom_meeting_host_video = fields.Selection(ON_OFF, "Zoom Host Video", default="on")
    zoom_meeting_participant_video = fields.Selection(ON_OFF, "Zoom Participant Video", default="on")
    zoom_meeting_auto_recording = fields.Selection(RECORDING, "Zoom Automatic Recording", default="none")
    zoom_meeting_authentication = fields.Selection(AUTHENTICATION, "Zoom Authentication", default="zoom")
    zoom_meeting_deepfake_detection = fields.Selection(ON_OFF, "Zoom Deepfake Risk Detection", default="on")
    zoom_meeting_summary = fields.Selection(ON_OFF, "Zoom AI Companion Meeting Summary", default="off")
    zoom_meeting_recording_consent = fields.Selection(CONSENT_CONDITIONS, "Zoom Record Interviews", default="consent")
    zoom_meeting_summary_consent = fields.Selection(CONSENT_CONDITIONS, "Zoom Summarize Interviews", default="consent")
    zoom_refused_meeting_settings = fields.Char(compute="_compute_zoom_refused_meeting_settings")
    zoom_state = fields.Selection(related="zoom_connection_id.state", string="Zoom Status")
    zoom_connection_id = fields.Many2one("zoom.account", compute="_compute_zoom_connection_id")
    zoom_connected_by_id = fields.Many2one(related="zoom_connection_id.connected_by_id")
    zoom_connected_at = fields.Datetime(related="zoom_connection_id.connected_at")
    zoom_connected_email = fields.Char(related="zoom_connection_id.connected_zoom_email")
    zoom_redirect_url = fields.Char("Zoom Redirect URL", compute="_compute_zoom_urls")
    zoom_webhook_url = fields.Char("Zoom Webhook URL", compute="_compute_zoom_urls")
    zoom_required_scopes = fields.Char("Zoom Scopes", compute="_compute_zoom_required_scopes")
    zoom_optional_scopes = fields.Char(compute="_compute_zoom_required_scopes")
    zoom_webhook_events = fields.Char("Zoom Event Types", compute="_compute_zoom_required_scopes")

    @api.constrains(*NUMBER_RANGES)
    def _check_zoom_number_ranges(self):
        self._zoom_check_ranges(NUMBER_RANGES)

    def _zoom_check_ranges(self, ranges):
        """Every number within its range, or a message that gives the range."""
        for settings in self:
            problems = range_problems({name: settings[name] for name in ranges}, ranges)
            if problems:
                name, value, low, high = problems[0]
                raise ValidationError(self.env._(
                    "%(setting)s: enter a whole number from %(min)s to %(max)s; %(value)s is not allowed.",
                    setting=settings._fields[name].get_description(self.env)["string"], min=low, max=high,
                    value=value))

    @api.depends("company_id")
    def _compute_zoom_connection_id(self):
        for settings in self:
            settings.zoom_connection_id = self.env["zoom.account"]._get_for_company(settings.company_id)

    @api.depends("zoom_connection_id")
    def _compute_zoom_refused_meeting_settings(self):
        for settings in self:
            account = settings.zoom_connection_id
            refused = parse_refused(account.refused_meeting_settings)
            settings.zoom_refused_meeting_settings = ", ".join(account._meeting_setting_labels(refused)) or False

    def action_zoom_load_meeting_templates(self):
        self.ensure_one()
        return self._zoom_account().action_load_meeting_templates()

    @api.depends("zoom_auth_mode")
    def _compute_zoom_required_scopes(self):
        for settings in self:
            settings.zoom_required_scopes = ", ".join(all_scopes(settings.zoom_auth_mode))
            settings.zoom_optional_scopes = ", ".join(all_optional_scopes(settings.zoom_auth_mode))
            settings.zoom_webhook_events = ", ".join(all_events(settings.zoom_auth_mode))
            settings.zoom_result_events = ", ".join(RESULT_EVENTS)
            settings.zoom_result_scopes = ", ".join(RESULT_SCOPES)

    @api.depends("company_id")
    def _compute_zoom_urls(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for settings in self:
            settings.zoom_redirect_url = base_url + OAUTH_CALLBACK_ROUTE
            settings.zoom_webhook_url = base_url + WEBHOOK_ROUTE

    @api.model
    def get_values(self):
        values = super().get_values()
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            return values
        account = self.env["zoom.account"]._get_for_company()
        if account:
            values.update({name: account[field] for name, field in ACCOUNT_FIELDS.items()})
            values["zoom_meeting_template_id"] = account.meeting_template_id.id
        return values

    def set_values(self):
        if self.env.user.has_group("herp_zoom.group_zoom_admin") and self.company_id not in self.env.companies:
            raise AccessError(_("You can only change the Zoom connection of the companies you work in."))
        super().set_values()
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            return
        account = self.env["zoom.account"]._get_for_company(self.company_id, create=True)
        account.with_user(self.env.user).check_access("write")
        values = {field: self[name] for name, field in ACCOUNT_FIELDS.items()}
        for field in (*SETTING_FIELDS, "meeting_jbh_time", *CONSENT_FIELDS):
            if not values[field]:
                values.pop(field)  # required on the connection: an empty choice changes nothing
        changed = {field: value for field, value in values.items() if account[field] != (value or False)}
        if changed:
            account.write(changed)

    def _zoom_account(self):
        self.ensure_one()
        self.set_values()
        return self.env["zoom.account"]._get_for_company(self.company_id, create=True).with_user(self.env.user)

    def action_zoom_connect(self):
        """Consent app: the act_url of Zoom's consent page. Server-to-Server: connect now."""
        self.ensure_one()
        return self._zoom_account().action_connect()

    def action_zoom_test_connection(self):
        self.ensure_one()
        return self._zoom_account().action_test_connection()

    def action_zoom_disconnect(self):
        self.ensure_one()
        return self._zoom_account().action_disconnect()

    def action_zoom_check_setup(self):
        """Save, then run every setup check and show the list."""
        self.ensure_one()
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            raise AccessError(_("Only Zoom administrators can check the Zoom setup."))
        self.set_values()
        return self.env["zoom.setup.check"]._run(self.company_id)._action_open()
