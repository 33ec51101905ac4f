from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..services.meeting_settings import INTERVIEW_DEFAULTS, parse_refused, settings_body
from ..services.recording_consent import RECORDING as RECORDING_KEY
from ..services.recording_consent import SUMMARY as SUMMARY_KEY
from ..services.recording_consent import CONSENT, ZOOM, consent_update, feature_mode, with_consent
from ..utils.zoom_client import ZoomError

TEMPLATE_KEY = "template_id"

ON_OFF = [("zoom", "Zoom's own default"), ("on", "On"), ("off", "Off")]
JBH_TIMES = [("0", "Any time"), ("5", "5 minutes before the start"), ("10", "10 minutes before the start"),
             ("15", "15 minutes before the start")]
RECORDING = [("zoom", "Zoom's own default"), ("none", "No recording"), ("local", "On the host's computer"),
             ("cloud", "In the Zoom cloud")]
AUTHENTICATION = [("zoom", "Zoom's own default"), ("on", "Only signed-in Zoom users"),
                  ("off", "Anyone with the link")]
# Field of the connection -> Zoom's name of the setting.
SETTING_FIELDS = {
    "meeting_waiting_room": "waiting_room",
    "meeting_join_before_host": "join_before_host",
    "meeting_mute_upon_entry": "mute_upon_entry",
    "meeting_host_video": "host_video",
    "meeting_participant_video": "participant_video",
    "meeting_authentication": "meeting_authentication",
    "meeting_deepfake_detection": "auto_start_deepfake_detection",
    "meeting_summary": "auto_start_meeting_summary",
    "meeting_auto_recording": "auto_recording",
}
SETTING_FIELDS_BY_KEY = {key: name for name, key in SETTING_FIELDS.items()}
CONSENT_CONDITIONS = [("always", "Always"), ("consent", "Only with the candidate's consent")]
# Field of the connection -> Zoom's name of the setting whose condition it is.
CONSENT_FIELDS = {
    "meeting_recording_consent": RECORDING_KEY,
    "meeting_summary_consent": SUMMARY_KEY,
}


class ZoomMeetingSettings(models.AbstractModel):
    """How the company's interview meetings behave: Zoom's settings sent with every meeting
    created for an interview, or one of the account's meeting templates."""

    _name = "zoom.meeting.settings"
    _description = "Zoom Meeting Settings of Interviews"

    meeting_template_id = fields.Many2one(
        "zoom.meeting.template", "Interview Meeting Template", ondelete="set null",
        help="A meeting template of the Zoom account: its settings come from Zoom, the settings below are not sent.",
    )
    meeting_waiting_room = fields.Selection(ON_OFF, "Waiting Room", required=True,
                                            default=INTERVIEW_DEFAULTS["waiting_room"])
    meeting_join_before_host = fields.Selection(ON_OFF, "Join Before Host", required=True,
                                                default=INTERVIEW_DEFAULTS["join_before_host"])
    meeting_jbh_time = fields.Selection(JBH_TIMES, "Join Before Host From", required=True, default="0")
    meeting_mute_upon_entry = fields.Selection(ON_OFF, "Mute Upon Entry", required=True,
                                               default=INTERVIEW_DEFAULTS["mute_upon_entry"])
    meeting_host_video = fields.Selection(ON_OFF, "Host Video", required=True,
                                          default=INTERVIEW_DEFAULTS["host_video"])
    meeting_participant_video = fields.Selection(ON_OFF, "Participant Video", required=True,
                                                 default=INTERVIEW_DEFAULTS["participant_video"])
    meeting_auto_recording = fields.Selection(RECORDING, "Automatic Recording", required=True,
                                              default=INTERVIEW_DEFAULTS["auto_recording"])
    meeting_authentication = fields.Selection(AUTHENTICATION, required=True,
                                              default=INTERVIEW_DEFAULTS["meeting_authentication"])
    meeting_deepfake_detection = fields.Selection(
        ON_OFF, "Deepfake Risk Detection", required=True,
        default=INTERVIEW_DEFAULTS["auto_start_deepfake_detection"],
    )
    meeting_summary = fields.Selection(ON_OFF, "AI Companion Meeting Summary", required=True,
                                       default=INTERVIEW_DEFAULTS["auto_start_meeting_summary"])
    meeting_recording_consent = fields.Selection(
        CONSENT_CONDITIONS, "Record Interviews", required=True, default=CONSENT,
        help="With automatic recording on: for every interview, or only for those whose candidate consented "
        "(an interview without applicant then has no recording).",
    )
    meeting_summary_consent = fields.Selection(
        CONSENT_CONDITIONS, "Summarize Interviews", required=True, default=CONSENT,
        help="With the AI Companion meeting summary on: for every interview, or only for those whose candidate "
        "consented (an interview without applicant then has no summary).",
    )
    refused_meeting_settings = fields.Char(
        "Settings Refused by Zoom", readonly=True, copy=False,
        help="Settings the Zoom account has locked or does not have: meetings are created without them "
        "until the meeting settings are changed.",
    )

    def write(self, vals):
        # The administrator changed the settings: Zoom is asked again for every one of them.
        if "refused_meeting_settings" not in vals and set(vals) & {*SETTING_FIELDS, *CONSENT_FIELDS,
                                                                         "meeting_template_id"}:
            vals = dict(vals, refused_meeting_settings=False)
        return super().write(vals)

    # ------------------------------------------------------------------ the request
    def _meeting_settings_body(self, consent=False):
        """What the company's settings add to a create request: ``(template_id, settings)``;
        ``consent``: whether the interview's candidate consented to recording and summary."""
        self.ensure_one()
        account = self.sudo()
        if account._meeting_uses_template():
            return account.meeting_template_id.template_id, {}
        return None, with_consent(account._meeting_company_settings(), account._meeting_consent_modes(), consent)

    def _meeting_uses_template(self):
        self.ensure_one()
        account = self.sudo()
        return bool(account.meeting_template_id) and TEMPLATE_KEY not in parse_refused(
            account.refused_meeting_settings)

    def _meeting_company_settings(self):
        """The individual settings, as the company chose them (without a template, or with one Zoom
        no longer takes)."""
        account = self.sudo()
        choices = {key: account[name] for name, key in SETTING_FIELDS.items()}
        choices["jbh_time"] = account.meeting_jbh_time
        return settings_body(choices, left_out=parse_refused(account.refused_meeting_settings))

    # ------------------------------------------------------------------ recording and summary consent
    def _meeting_consent_modes(self):
        """``{Zoom setting: mode}`` of recording and summary (see services.recording_consent); with a
        meeting template, Zoom decides both."""
        self.ensure_one()
        account = self.sudo()
        if account._meeting_uses_template():
            return {RECORDING_KEY: ZOOM, SUMMARY_KEY: ZOOM}
        return {key: feature_mode(key, account[SETTING_FIELDS_BY_KEY[key]], account[name])
                for name, key in CONSENT_FIELDS.items()}

    def _meeting_needs_consent(self):
        """Whether recording or the summary depends on the candidate's consent."""
        return bool(self) and CONSENT in self._meeting_consent_modes().values()

    def _meeting_consent_update(self, consent):
        """The ``settings`` an existing meeting is sent when its candidate's consent changed."""
        self.ensure_one()
        return consent_update(self._meeting_company_settings(), self._meeting_consent_modes(), consent)

    def _meeting_settings_refused(self, keys):
        """Zoom refused these settings: leave them out from now on and tell the administrators once."""
        self.ensure_one()
        account = self.sudo()
        known = parse_refused(account.refused_meeting_settings)
        new = [key for key in keys if key not in known]
        if not new:
            return
        account.write({"refused_meeting_settings": ",".join(known + new)})
        account._notify_admins(_(
            "The Zoom account refused the meeting setting(s) %(settings)s (locked in Zoom or not available on "
            "its plan). Interview meetings are created without them from now on. Unlock them in the Zoom web "
            "portal (Account Settings), or choose \"Zoom's own default\" for them in Settings > Calendar > Zoom.",
            settings=", ".join(self._meeting_setting_labels(new)),
        ))

    @api.model
    def _meeting_setting_labels(self, keys):
        """The names the settings screen gives these Zoom settings, with Zoom's own name."""
        labels = {key: self._fields[name].get_description(self.env)["string"]
                  for name, key in {**SETTING_FIELDS, "meeting_template_id": TEMPLATE_KEY}.items()}
        return [f"{labels[key]} ({key})" if key in labels else key for key in keys]

    # ------------------------------------------------------------------ templates
    def action_load_meeting_templates(self):
        """Read the account's meeting templates from Zoom."""
        self.ensure_one()
        self._check_admin()
        account = self.sudo()
        try:
            listed = account._client().list_meeting_templates("me")
        except ZoomError as error:
            raise UserError(error.message_for(self.env)) from None
        count = self.env["zoom.meeting.template"].sudo()._store_for_account(account, listed)
        if count:
            message = _("%s meeting template(s) loaded from Zoom.", count)
        else:
            message = _("The Zoom account has no meeting template an administrator shared with the account.")
        return account._notification(message, reload=True)
