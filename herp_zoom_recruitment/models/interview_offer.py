import logging
import secrets
from datetime import timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import consteq

from odoo.addons.herp_zoom.services.attendees import host_candidates
from odoo.addons.herp_zoom.services.slot_finder import free_slots, merge_intervals, slot_is_free
from odoo.addons.herp_zoom.compat import Constraint

_logger = logging.getLogger(__name__)

OFFER_GROUPS = "herp_zoom.group_zoom_assistant,hr_recruitment.group_hr_recruitment_user"
EXPIRY_PARAM = "herp_zoom_recruitment.offer_expiry_days"
DEADLINE_PARAM = "herp_zoom_recruitment.offer_change_hours"


class InterviewOffer(models.Model):
    """Interview slots offered to an applicant, who picks one from a personal link."""

    _name = "herp_zoom.interview.offer"
    _inherit = ["zoom.code.fields"]
    _description = "Interview Slot Offer"
    _order = "id desc"
    # Set as the offer is sent, booked, moved or cancelled: an offer's event is always the one its
    # own booking created, and its link the one its sending made.
    _zoom_code_fields = frozenset({"state", "event_id", "access_token", "expires_at", "revision", "confirmation_sent"})

    name = fields.Char("Interview", required=True, default=lambda self: self.env._("Interview"))
    applicant_id = fields.Many2one("hr.applicant", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="applicant_id.partner_id", string="Candidate")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", "Recruiter", required=True, default=lambda self: self.env.user)
    interviewer_ids = fields.Many2many("res.users", string="Interviewers", required=True)
    duration = fields.Float(default=1.0, required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent"), ("booked", "Booked"), ("expired", "Expired"),
         ("cancelled", "Cancelled")], default="draft", required=True, readonly=True, copy=False,
    )
    slot_ids = fields.One2many("herp_zoom.interview.offer.slot", "offer_id", "Slots", copy=True)
    expires_at = fields.Datetime("Link Expires On", copy=False)
    access_token = fields.Char(copy=False, readonly=True, groups=OFFER_GROUPS)
    access_url = fields.Char("Candidate's Link", compute="_compute_access_url", groups=OFFER_GROUPS)
    event_id = fields.Many2one("calendar.event", "Interview Event", readonly=True, copy=False)
    # Every booking or change moves it: a form submitted twice is recognised by its stale value.
    revision = fields.Integer(readonly=True, copy=False)
    confirmation_sent = fields.Boolean(readonly=True, copy=False)

    _access_token_uniq = Constraint("unique(access_token)", "An offer link is unique.")

    @api.model_create_multi
    def create(self, vals_list):
        self._zoom_refuse_code_fields(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._zoom_refuse_code_fields([vals])
        return super().write(vals)

    def _zoom_code_fields_message(self, labels):
        return _("%s: these fields of an interview slot offer are set by herp_zoom as the offer is sent, booked, "
                 "moved or cancelled, and cannot be written by hand.", labels)

    @api.constrains("user_id", "company_id")
    def _check_user_id(self):
        """The recruiter books the interview with their own rights: someone of the offer's company who
        may issue meetings."""
        for offer in self.sudo():
            user = offer.user_id
            if (user.share or not user.active or offer.company_id not in user.company_ids
                    or not user.has_group("herp_zoom.group_zoom_assistant")):
                raise ValidationError(_(
                    "%(user)s cannot be the recruiter of this offer: the recruiter must be a Zoom recruiter or "
                    "assistant of %(company)s, since the candidate's booking creates the interview as them.",
                    user=user.name, company=offer.company_id.name))

    @api.constrains("applicant_id", "company_id")
    def _check_company_id(self):
        for offer in self.sudo():
            if offer.applicant_id.company_id and offer.applicant_id.company_id != offer.company_id:
                raise ValidationError(_("An interview slot offer belongs to the company of its applicant (%s).",
                                        offer.applicant_id.company_id.name))

    @api.depends("access_token")
    def _compute_access_url(self):
        for offer in self:
            offer.access_url = offer.access_token and f"{offer.get_base_url()}/interview/offer/{offer.access_token}"

    # ------------------------------------------------------------------ settings
    @api.model
    def _expiry_days(self):
        return max(int(self.env["ir.config_parameter"].sudo().get_param(EXPIRY_PARAM, 7) or 7), 1)

    @api.model
    def _change_deadline(self):
        hours = self.env["ir.config_parameter"].sudo().get_param(DEADLINE_PARAM, 24)
        return timedelta(hours=max(int(hours or 0), 0))

    # ------------------------------------------------------------------ free slots
    def _interval_data(self, start, stop):
        """Working and busy intervals of the interviewers and, when meetings are issued, the
        hosts with their meetings, between ``start`` and ``stop`` (naive UTC)."""
        self.ensure_one()
        env = self.sudo().env
        utc_start, utc_stop = pytz.utc.localize(start), pytz.utc.localize(stop)
        working, busy = {}, {}
        exclude = self.event_id.ids or [0]
        for user in self.interviewer_ids.sudo():
            resource = env["resource.resource"].search([("user_id", "=", user.id)], limit=1)
            calendar = resource.calendar_id or user.company_id.resource_calendar_id or self.company_id.resource_calendar_id
            if not calendar:
                working[user.id] = []
                continue
            tz = pytz.timezone(resource.tz or user.tz or calendar.tz or "UTC")
            intervals = calendar._work_intervals_batch(utc_start, utc_stop, resources=resource or None, tz=tz)
            working[user.id] = merge_intervals(
                (begin.astimezone(pytz.utc).replace(tzinfo=None), end.astimezone(pytz.utc).replace(tzinfo=None))
                for begin, end, _records in intervals[resource.id]
            )
            # Busy events of the interviewer; declined invitations leave the time free.
            env.cr.execute(
                """SELECT e.start, e.stop FROM calendar_attendee a JOIN calendar_event e ON e.id = a.event_id
                    WHERE a.partner_id = %s AND a.state != 'declined' AND e.active AND e.show_as = 'busy'
                      AND e.start < %s AND e.stop > %s AND NOT e.id = ANY(%s)""",
                [user.partner_id.id, stop, start, exclude],
            )
            busy[user.id] = env.cr.fetchall()
        hosts, host_busy, capacity = None, {}, 1
        account_id = env["zoom.account"]._connected_account_id(self.company_id.id)
        if account_id:
            account = env["zoom.account"].browse(account_id)
            capacity = account.max_concurrent_meetings or 1
            partner_ids = self.interviewer_ids.partner_id.ids
            linked = env["res.users"]._zoom_linked_users(account, set(partner_ids), {self.user_id.id})
            # Without any linked interviewer the interview gets no meeting: no host to make room for.
            hosts = [user["zoom_user_id"] for user in host_candidates(linked, partner_ids, self.user_id.id)] or None
            if hosts:
                env.cr.execute(
                    """SELECT zoom_host_zoom_user_id, start, stop, id FROM calendar_event
                        WHERE zoom_host_zoom_user_id = ANY(%s) AND zoom_state IN ('issued', 'pending') AND active
                          AND start < %s AND stop > %s AND NOT id = ANY(%s)""",
                    [hosts, stop, start, exclude],
                )
                for host, begin, end, event_id in env.cr.fetchall():
                    host_busy.setdefault(host, []).append((begin, end, event_id))
        return {"working_by_person": working, "busy_by_person": busy, "hosts": hosts,
                "host_busy": host_busy, "capacity": capacity}

    def _find_free_slots(self, start, stop):
        """Free slots of this offer's interviewers between ``start`` and ``stop``."""
        self.ensure_one()
        self.env.flush_all()
        return free_slots(duration=timedelta(minutes=round(self.duration * 60)),
                          not_before=fields.Datetime.now(), **self._interval_data(start, stop))

    def _open_slots(self):
        """The offered slots still free now (checked again at every page load and booking)."""
        self.ensure_one()
        now = fields.Datetime.now()
        booked_at = self.event_id.active and self.event_id.start
        # The booked time itself is not offered again as a time to move to.
        slots = self.slot_ids.filtered(lambda slot: slot.offered and slot.start > now and slot.start != booked_at)
        if not slots:
            return slots
        self.env.flush_all()
        start, stop = min(slots.mapped("start")), max(slots.mapped("stop"))
        data = self._interval_data(start, stop)
        # The recruiter chose these times: working hours were considered then; busy events and
        # hosts are what may have changed since.
        data["working_by_person"] = {person: [(start, stop)] for person in data["working_by_person"]}
        return slots.filtered(lambda slot: slot_is_free(slot.start, slot.stop, **data))

    # ------------------------------------------------------------------ recruiter's actions
    def _check_recruiter(self):
        self.check_access("write")
        if not self.env.user.has_group("herp_zoom.group_zoom_assistant"):
            raise UserError(_("Only Zoom recruiters and assistants can offer interview slots."))

    def action_send(self):
        """Send the candidate the personal link to the offered slots."""
        self.ensure_one()
        self._check_recruiter()
        if self.state != "draft":
            raise UserError(_("Only a draft offer can be sent."))
        if not self.partner_id.email:
            raise UserError(_("The applicant has no e-mail address to send the offer to."))
        if not self.slot_ids.filtered(lambda slot: slot.offered and slot.start > fields.Datetime.now()):
            raise UserError(_("Offer at least one slot in the future."))
        open_offers = self.sudo().search([
            ("applicant_id", "=", self.applicant_id.id), ("state", "=", "sent"), ("id", "!=", self.id),
            "|", ("expires_at", "=", False), ("expires_at", ">", fields.Datetime.now())])
        if open_offers:
            raise UserError(_(
                "%(candidate)s already has an open offer of interview slots (%(offers)s): cancel it, or wait until "
                "it is booked or expires, before sending another one.",
                candidate=self._candidate_name(), offers=", ".join(open_offers.mapped("name"))))
        self.sudo().write({
            "state": "sent", "access_token": secrets.token_urlsafe(32),
            "expires_at": fields.Datetime.now() + timedelta(days=self._expiry_days()),
        })
        template = self.env.ref("herp_zoom_recruitment.mail_template_interview_offer")
        template.sudo().send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")
        self.applicant_id._message_log(body=_(
            "Interview slots offered for %(name)s: the link was sent to %(email)s.",
            name=self.name, email=self.partner_id.email))
        return True

    def action_cancel(self):
        self.ensure_one()
        self._check_recruiter()
        if self.state == "booked":
            self._cancel_booking(by_candidate=False)
        elif self.state in ("draft", "sent"):
            self.sudo().state = "cancelled"
            self.applicant_id._message_log(body=_("The offer of interview slots for %s was cancelled.", self.name))
        return True

    @api.model
    def _cron_expire_offers(self):
        offers = self.search([("state", "=", "sent"), ("expires_at", "<", fields.Datetime.now())])
        offers.write({"state": "expired"})
        self.env["herp_zoom.interview.offer.request"]._gc_requests()

    # ------------------------------------------------------------------ the candidate's link
    @api.model
    def _from_token(self, token):
        """The offer of this link (superuser), or an empty recordset; whatever its state."""
        if not token or not isinstance(token, str) or len(token) < 40 or len(token) > 64:
            return self.browse()
        offer = self.sudo().search([("access_token", "=", token)], limit=1)
        if not offer or not consteq(offer.access_token, token):
            return self.browse()
        return offer

    def _link_problem(self):
        """Why the candidate's link cannot be used to pick a slot now, or None."""
        self.ensure_one()
        if self.state == "sent" and self.expires_at and self.expires_at < fields.Datetime.now():
            self.sudo().state = "expired"
        if self.state == "expired":
            return _("This link has expired. Please ask the recruiter for new interview slots.")
        if self.state == "cancelled" or (self.state == "booked" and not self.event_id.active):
            return _("This offer was cancelled. Please contact the recruiter.")
        if self.state not in ("sent", "booked"):
            return _("This link is not valid.")
        return None

    def _can_change(self):
        self.ensure_one()
        return (self.state == "booked" and self.event_id.active
                and self.event_id.start - self._change_deadline() > fields.Datetime.now())
