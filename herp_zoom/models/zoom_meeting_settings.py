from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..services.meeting_settings import INTERVIEW_DEFAULTS, parse_refused, settings_body
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
    refused_meeting_settings = fields.Char(
        "Settings Refused by Zoom", readonly=True, copy=False,
        help="Settings the Zoom account has locked or does not have: meetings are created without them "
        "until the meeting settings are changed.",
    )

    def write(self, vals):
        # The administrator changed the settings: Zoom is asked again for every one of them.
        if "refused_meeting_settings" not in vals and set(vals) & {*SETTING_FIELDS, "meeting_template_id"}:
            vals = dict(vals, refused_meeting_settings=False)
        return super().write(vals)

    # ------------------------------------------------------------------ the request
    def _meeting_settings_body(self):
        """What the company's settings add to a create request: ``(template_id, settings)``."""
        self.ensure_one()
        account = self.sudo()
        refused = parse_refused(account.refused_meeting_settings)
        if account.meeting_template_id and TEMPLATE_KEY not in refused:
            return account.meeting_template_id.template_id, {}
        # Without a template, or with one Zoom no longer takes: the settings below it.
        choices = {key: account[name] for name, key in SETTING_FIELDS.items()}
        choices["jbh_time"] = account.meeting_jbh_time
        return None, settings_body(choices, left_out=refused)

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
