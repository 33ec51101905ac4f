import logging

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..services.recording_consent import may_bring_back
from ..utils.retry import MAX_ATTEMPTS, retry_delay
from ..utils.zoom_client import ZoomError, ZoomMeetingNotFound, ZoomNotConnected
from .after_commit import collect_after_commit
from .zoom_account import AFTER_SAVE

_logger = logging.getLogger(__name__)

# Key of the cursor's postcommit data: interviews whose meeting gets its candidate's consent.
CONSENT_UPDATE_IDS = "herp_zoom.consent_update_ids"


class ZoomMeetingConsent(models.AbstractModel):
    """Recording and Zoom's AI summary follow the candidate's consent: the meeting is sent the
    change at once after the commit, whether or not meetings are updated with interviews, and
    nothing of a feature is brought back from Zoom without it. For the records that hold a
    meeting (see zoom.meeting.sync); before it in their ``_inherit``, as its scheduled action
    sends the pending changes too.

    herp_zoom alone knows of no candidate who could consent: an interview has no consent unless
    a module that knows its candidate (Recruitment: the applicant) says so."""

    _name = "zoom.meeting.consent"
    _description = "Zoom Meeting Recording Consent"

    zoom_consent_pending = fields.Boolean(
        "Zoom Consent Update Pending", readonly=True, copy=False,
        help="A change of the candidate's consent to recording and summary still has to be sent to the Zoom meeting.",
    )
    zoom_consent_attempts = fields.Integer(readonly=True, copy=False)
    zoom_consent_retry_at = fields.Datetime("Next Zoom Consent Update Attempt", readonly=True, copy=False)

    # ------------------------------------------------------------------ the candidate's consent
    def _zoom_recording_consent(self):
        """Whether the candidate of this interview consented to recording and Zoom's summary (none
        in herp_zoom alone)."""
        self.ensure_one()
        return False

    @api.model
    def _zoom_plan_consent(self, vals, event_id):
        """The consent of an interview being issued: from the values it is created with, or the
        saved interview (``event_id``)."""
        if event_id:
            return self.browse(event_id).sudo()._zoom_recording_consent()
        return False

    def _zoom_may_bring_back(self, key, account):
        """Whether what Zoom made of ``key`` (``auto_start_meeting_summary``, ``auto_recording``) for
        this interview may be fetched and stored, by the company's settings and the candidate's consent."""
        self.ensure_one()
        mode = account._meeting_consent_modes()[key]
        return may_bring_back(mode, mode == "consent" and self.sudo()._zoom_recording_consent())

    # ------------------------------------------------------------------ sending the change
    def _zoom_mark_consent_update(self):
        """The candidate's consent changed: the meetings of these interviews that have not ended
        are sent it once the change is committed (a change that is rolled back sends nothing)."""
        now = fields.Datetime.now()
        owners = self.sudo().browse()
        for event in self.sudo().filtered(lambda event: event.active and event.zoom_state == "issued"
                                          and event.zoom_meeting_id and event.stop and event.stop > now):
            owners |= event._zoom_meeting_owner()
        owners = owners.filtered(lambda owner: owner.zoom_state == "issued" and owner.zoom_meeting_id
                                 and owner.zoom_account_id._is_connected()
                                 and owner.zoom_account_id._meeting_needs_consent())
        if not owners:
            return
        owners.with_context(herp_zoom_no_sync=True).write({
            "zoom_consent_pending": True, "zoom_consent_attempts": 0, "zoom_consent_retry_at": False,
        })
        registry, model_name, lang = self.env.registry, self._name, self.env.lang
        collect_after_commit(self.env.cr, CONSENT_UPDATE_IDS, owners.ids,
                             lambda record_ids: _push_consent_in_new_cursor(registry, model_name, record_ids, lang))

    @api.model
    def _zoom_push_pending_consent(self, limit=100):
        """Send the consent changes whose time has come; each interview is taken by one worker."""
        self.flush_model(["zoom_consent_pending", "zoom_consent_retry_at", "zoom_state", "active"])
        self.env.cr.execute(SQL(
            """SELECT id FROM %s
                 WHERE zoom_consent_pending AND zoom_state = 'issued' AND active
                   AND (zoom_consent_retry_at IS NULL OR zoom_consent_retry_at <= %s)
                 LIMIT %s FOR NO KEY UPDATE SKIP LOCKED""",
            SQL.identifier(self._table), fields.Datetime.now(), limit,
        ))
        for event in self.browse([row[0] for row in self.env.cr.fetchall()]):
            event._zoom_push_consent()

    def _zoom_push_consent(self):
        """Send the meeting its recording and summary as the candidate's consent now has them; the
        caller holds the row's lock. The consent is read now: a later change is never overtaken."""
        self.ensure_one()
        event = self.sudo().with_context(herp_zoom_no_sync=True)
        if not event.zoom_consent_pending or event.zoom_state != "issued" or not event.active:
            return
        # Its notes are for the interview's organizer, whoever changed the consent.
        event = event.with_context(lang=event.user_id.lang or self.env.lang)
        account = event.zoom_account_id
        consent = event._zoom_consent_of_series()
        settings = account._meeting_consent_update(consent) if account else {}
        if not settings:
            event.write({"zoom_consent_pending": False, "zoom_consent_attempts": 0, "zoom_consent_retry_at": False})
            return
        try:
            if not account._is_connected():
                raise ZoomNotConnected()
            account._client().update_meeting(event.zoom_meeting_id, {"settings": settings})
        except ZoomMeetingNotFound:
            event.write({"zoom_consent_pending": False})
            event._zoom_deleted_in_zoom(None)
            return
        except ZoomError as error:
            event._zoom_consent_update_failed(error)
            return
        event.write({"zoom_consent_pending": False, "zoom_consent_attempts": 0, "zoom_consent_retry_at": False})
        if consent:
            body = event.env._("The candidate consented: the Zoom meeting now has %s on.",
                               event._zoom_consent_labels(settings))
        else:
            body = event.env._("The candidate has not consented: the Zoom meeting now has %s off.",
                               event._zoom_consent_labels(settings))
        event._message_log(body=body)

    def _zoom_consent_of_series(self):
        """A series' meeting is recorded only when every occurrence's candidate consented."""
        self.ensure_one()
        holders = self.search([("zoom_meeting_id", "=", self.zoom_meeting_id),
                               ("zoom_account_id", "=", self.zoom_account_id.id)]) | self
        return all(holder._zoom_recording_consent() for holder in holders)

    def _zoom_consent_labels(self, settings):
        labels = {"auto_recording": _("automatic recording"),
                  "auto_start_meeting_summary": _("the AI Companion meeting summary")}
        return _(" and ").join(labels[key] for key in settings if key in labels)

    def _zoom_consent_update_failed(self, error):
        """Tried again with the same backoff as updates; one note when it fails, one when it stops."""
        reason = error.message_for(self.env)
        attempts = self.zoom_consent_attempts + 1
        if not error.retryable or attempts >= MAX_ATTEMPTS:
            self.write({"zoom_consent_pending": False, "zoom_consent_attempts": 0, "zoom_consent_retry_at": False})
            self._message_log(body=_(
                "The candidate's consent could not be sent to the Zoom meeting: %s Turn its recording and meeting "
                "summary on or off in Zoom by hand.", reason))
            return
        retry_at = fields.Datetime.now() + retry_delay(attempts, error.retry_after)
        self.write({"zoom_consent_attempts": attempts, "zoom_consent_retry_at": retry_at})
        if attempts == 1:
            self._message_log(body=_("The candidate's consent could not be sent to the Zoom meeting yet: %s It will "
                                     "be tried again automatically.", reason))
        self.env.ref("herp_zoom.ir_cron_issue_pending_meetings").sudo()._trigger(retry_at)

    @api.model
    def _cron_issue_pending_meetings(self, *args, **kwargs):
        result = super()._cron_issue_pending_meetings(*args, **kwargs)
        self._zoom_push_pending_consent()
        return result


def _push_consent_in_new_cursor(registry, model_name, record_ids, lang):
    """Right after the change commits: send the consent to Zoom."""
    if not record_ids:
        return
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {AFTER_SAVE: True, **({"lang": lang} if lang else {})})
            cr.execute(SQL(
                "SELECT id FROM %s WHERE id = ANY(%s) AND zoom_consent_pending FOR NO KEY UPDATE SKIP LOCKED",
                SQL.identifier(env[model_name]._table), list(record_ids),
            ))
            for event in env[model_name].browse([row[0] for row in cr.fetchall()]):
                event._zoom_push_consent()
    except Exception:  # noqa: BLE001 - runs after the commit; the scheduled action tries again
        _logger.exception("Could not send the candidate's consent to Zoom right after the change")
