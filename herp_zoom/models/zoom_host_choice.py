import logging
from functools import partial

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..services import reasons
from ..services.host_choice import occurrences_over_capacity
from ..utils.zoom_client import ZoomError
from .after_commit import collect_after_commit

_logger = logging.getLogger(__name__)

ISSUING_GROUP = "herp_zoom.group_zoom_assistant"
HOST_CHANGE_IDS = "herp_zoom.host_change_ids"
# Key of the cursor's postcommit data: the (Zoom user, start, stop) the transaction's interviews let go.
RELEASED_HOSTS = "herp_zoom.released_hosts"


class ZoomHostChoice(models.AbstractModel):
    """The Zoom host a recruiter chooses for an interview, among its linked interviewers.

    Empty means the automatic choice. A chosen host is never replaced by someone else: when
    they cannot host, the interview says why (see services.host_choice).
    """

    _name = "zoom.host.choice"
    _description = "Zoom Host Choice"

    # Not copied: calendar copies events (a recurrence's occurrences) as users without a Zoom role,
    # who may not read this field.
    zoom_chosen_host_id = fields.Many2one(
        "res.users", "Chosen Zoom Host", groups=ISSUING_GROUP, domain="[('id', 'in', zoom_host_choice_ids)]",
        copy=False,
        help="The interviewer whose Zoom user hosts the meeting. Empty: the organizer when linked, otherwise "
        "the first linked interviewer free at that time. The other linked interviewers are alternative hosts.",
    )
    zoom_host_choice_ids = fields.Many2many(
        "res.users", string="Possible Zoom Hosts", compute="_compute_zoom_host_choice_ids", groups=ISSUING_GROUP,
    )

    @api.depends("partner_ids", "user_id")
    def _compute_zoom_host_choice_ids(self):
        for record in self:
            users = (record.sudo().partner_ids.user_ids | record.sudo().user_id)._origin
            record.zoom_host_choice_ids = users.filtered(lambda user: user.zoom_user_id and not user.share)

    # ------------------------------------------------------------------ before saving
    @api.onchange("zoom_chosen_host_id", "start", "stop")
    def _onchange_zoom_chosen_host_id(self):
        problem = self._zoom_chosen_host_warning()
        if problem:
            return {"warning": {"title": _("Zoom host"), "message": problem}}
        return None

    def _zoom_chosen_host_warning(self):
        """Why the chosen host cannot host this interview as it stands, or None."""
        self.ensure_one()
        chosen = self.sudo().zoom_chosen_host_id
        if not chosen:
            return None
        if chosen not in self._zoom_people_on_it():
            return _("%s is neither the organizer nor an attendee of this interview: only someone on the interview "
                     "may host its Zoom meeting (they would own its recording and summary). Add them to the "
                     "attendees first, or choose another host.", chosen.name)
        account = self.env["zoom.account"]._get_for_company(self.user_id.company_id or self.env.company)
        if not account._is_connected() or not chosen.zoom_user_id or (
                chosen.zoom_user_account_id != account.zoom_account_id):
            return _("%s has no linked Zoom user of the company's Zoom account, so no meeting can be created with "
                     "them as host. Choose another host or leave it empty.", chosen.name)
        if self.env["zoom.host"].sudo()._limited_zoom_user_ids([chosen.zoom_user_id]):
            return _("%s has reached Zoom's limit of 100 meeting creations for today: the meeting would be "
                     "issued after 00:00 UTC. Choose another host to have it now.", chosen.name)
        if not self.start or not self.stop:
            return None
        busy = self._zoom_busy_of(chosen.zoom_user_id, self.start, self.stop)
        capacity = account.max_concurrent_meetings or 1
        if occurrences_over_capacity(busy, [(self.start, self.stop)], None, capacity):
            return _("%(name)s already hosts %(count)s overlapping Zoom meeting(s) at this time, as many as the Zoom "
                     "plan allows at once: candidates may not be able to join both. Choose another host, or leave "
                     "it empty to let Odoo pick a free one.", name=chosen.name, count=len(busy))
        return None

    def _zoom_people_on_it(self):
        """The organizer and the attendees' users: who may host this record's meeting."""
        self.ensure_one()
        record = self.sudo()
        return (record.partner_ids.user_ids | record.user_id)._origin

    def _zoom_busy_of(self, zoom_user_id, start, stop):
        """The meetings this Zoom user hosts between ``start`` and ``stop``, other than this record's."""
        self.env[self._name].flush_model(["zoom_host_zoom_user_id", "zoom_state", "start", "stop", "active"])
        own = self._origin.id or 0
        self.env.cr.execute(SQL(
            """SELECT start, stop, id FROM %s
                WHERE zoom_host_zoom_user_id = %s AND zoom_state IN ('issued', 'pending') AND active
                  AND start < %s AND stop > %s AND id != %s""",
            SQL.identifier(self._table), zoom_user_id, stop, start, own,
        ))
        return self.env.cr.fetchall()

    # ------------------------------------------------------------------ hosts let go
    def _zoom_hosts_held(self):
        """What these interviews hold, as other saves' host choice counts it: {(Zoom user, start, stop)}."""
        return {(event.zoom_host_zoom_user_id, event.start, event.stop) for event in self.sudo()
                if event.active and event.zoom_state in ("issued", "pending") and event.zoom_host_zoom_user_id}

    @api.model
    def _zoom_release_hosts(self, released):
        """``released``: {(Zoom user, start, stop)} no interview holds any more (deleted, archived,
        moved, or given another host by a retry). Once the transaction is committed, the interviews
        noted as overlapping there are looked at again (``_zoom_clear_overlap_notes``): one query
        per transaction, none when it is rolled back."""
        if not released:
            return
        collect_after_commit(self.env.cr, RELEASED_HOSTS, released,
                             partial(_clear_overlap_notes_in_new_cursor, self.env.registry, self._name))

    @api.model
    def _zoom_clear_overlap_notes(self, released):
        """The one-off interviews on the ``released`` hosts that were issued as overlapping, and no
        longer overlap beyond the account's capacity, lose that note."""
        domain = ["|"] * (len(released) - 1)
        for zoom_user_id, start, stop in released:
            domain += ["&", "&", ("zoom_host_zoom_user_id", "=", zoom_user_id), ("start", "<", stop), ("stop", ">", start)]
        flagged = self.env[self._name].sudo().search(domain + [
            ("zoom_host_busy", "=", True), ("zoom_state", "=", "issued"), ("recurrence_id", "=", False)])
        for event in flagged:
            capacity = event.zoom_account_id.max_concurrent_meetings or 1
            busy = event._zoom_busy_of(event.zoom_host_zoom_user_id, event.start, event.stop)
            if occurrences_over_capacity(busy, [(event.start, event.stop)], event.id, capacity):
                continue
            event.with_context(herp_zoom_no_sync=True).write({
                "zoom_host_busy": False,
                "zoom_state_reason_codes": reasons.encode(
                    reasons.without_host_busy(reasons.decode(event.zoom_state_reason_codes))),
            })

    # ------------------------------------------------------------------ an issued meeting's host
    def write(self, vals):
        if "zoom_chosen_host_id" in vals and not self.env.su:
            # The host of a meeting issued with another company's Zoom account is not ours to choose.
            for account in self.sudo().zoom_account_id:
                if account.company_id not in self.env.companies:
                    raise AccessError(_("This interview's Zoom meeting is issued with the Zoom account of %s, a "
                                        "company you do not work in.", account.company_id.name))
        moved = self.browse()
        if vals.get("zoom_chosen_host_id"):
            moved = self.sudo().filtered(
                lambda record: record.zoom_state == "issued" and record.zoom_meeting_id
                and record.zoom_host_user_id.id != vals["zoom_chosen_host_id"]
            )
        result = super().write(vals)
        if vals.get("zoom_chosen_host_id") and not self.env.su:
            # As at creation: never someone who is not on the interview, before anything is sent.
            for record in self:
                if record.sudo().zoom_chosen_host_id not in record._zoom_people_on_it():
                    raise ValidationError(record._zoom_chosen_host_warning())
        if moved:
            moved._zoom_host_chosen_after_issue()
        return result

    def _zoom_host_chosen_after_issue(self):
        """Another host was chosen for an issued meeting: Zoom gives it to them once the save is
        committed (with meeting updates on), or the record says what to do."""
        queued = self.browse()
        for record in self.sudo():
            account = record.zoom_account_id
            chosen = record.zoom_chosen_host_id
            if not (account._is_connected() and account.update_meetings):
                record._message_log(body=_(
                    "The Zoom meeting is still hosted by %(host)s: updating Zoom meetings with interviews is off "
                    "(Settings > Calendar > Zoom). To give it to %(chosen)s, edit the meeting in Zoom and choose "
                    "them under \"Schedule for\", or ask an administrator to turn updates on and choose the host "
                    "again.", host=record.zoom_host_email, chosen=chosen.name))
            elif not chosen.zoom_user_id or chosen.zoom_user_account_id != account.zoom_account_id:
                record._message_log(body=_(
                    "The Zoom meeting is still hosted by %(host)s: %(chosen)s has no linked Zoom user of the "
                    "company's Zoom account.", host=record.zoom_host_email, chosen=chosen.name))
            else:
                queued |= record
        if not queued:
            return
        registry, model_name, lang = self.env.registry, self._name, self.env.lang
        collect_after_commit(self.env.cr, HOST_CHANGE_IDS, queued.ids,
                             lambda record_ids: _change_hosts_in_new_cursor(registry, model_name, record_ids, lang))

    def _zoom_push_host_change(self):
        """Give the meeting to the chosen host with Zoom's "schedule for"; the caller holds the row."""
        self.ensure_one()
        record = self.sudo().with_context(herp_zoom_no_sync=True)
        chosen = record.zoom_chosen_host_id
        if record.zoom_state != "issued" or not chosen.zoom_user_id or chosen == record.zoom_host_user_id:
            return
        previous = record.zoom_host_email
        others = [email for email in (record.partner_ids.user_ids | record.user_id).filtered(
            lambda user: user.zoom_user_account_id == record.zoom_account_id.zoom_account_id).mapped("zoom_user_email")
            if email and email != chosen.zoom_user_email]
        try:
            record.zoom_account_id._client().update_meeting(record.zoom_meeting_id, {
                "schedule_for": chosen.zoom_user_email or chosen.zoom_user_id,
                "settings": {"alternative_hosts": ";".join(dict.fromkeys(others))},
            })
        except ZoomError as error:
            record._message_log(body=_(
                "Zoom did not give the meeting to %(chosen)s: %(reason)s The meeting is still hosted by %(host)s; "
                "change the host in Zoom (edit the meeting, \"Schedule for\"), or choose the host again to retry.",
                chosen=chosen.name, reason=error.message_for(self.env), host=previous))
            return
        holders = record.search([("zoom_meeting_id", "=", record.zoom_meeting_id),
                                 ("zoom_account_id", "=", record.zoom_account_id.id)]) | record
        holders.write({"zoom_host_user_id": chosen.id, "zoom_host_zoom_user_id": chosen.zoom_user_id,
                       "zoom_host_email": chosen.zoom_user_email, "zoom_host_busy": False})
        record._message_log(body=_("The Zoom meeting is now hosted by %(host)s (before: %(previous)s).",
                                   host=chosen.zoom_user_email, previous=previous))


def _change_hosts_in_new_cursor(registry, model_name, record_ids, lang):
    """Right after the save commits: give the meetings to their chosen hosts."""
    if not record_ids:
        return
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"lang": lang} if lang else {})
            cr.execute(SQL("SELECT id FROM %s WHERE id = ANY(%s) FOR NO KEY UPDATE",
                           SQL.identifier(env[model_name]._table), list(record_ids)))
            for record in env[model_name].browse([row[0] for row in cr.fetchall()]):
                record._zoom_push_host_change()
    except Exception:  # noqa: BLE001 - runs after the commit; the chatter of the interview says nothing was done
        _logger.exception("Could not change the host of Zoom meetings right after the save")


def _clear_overlap_notes_in_new_cursor(registry, model_name, released):
    """Right after the commit: the overlap notes of the interviews on the hosts let go, in a
    transaction of their own (as superuser: they may be anybody's interviews)."""
    if not released:
        return
    try:
        with registry.cursor() as cr:
            api.Environment(cr, api.SUPERUSER_ID, {})[model_name]._zoom_clear_overlap_notes(released)
    except Exception:  # noqa: BLE001 - runs after the commit; the note stays, as before the change
        _logger.exception("Could not take the overlap notes off interviews whose overlap went")
