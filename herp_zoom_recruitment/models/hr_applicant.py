from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_datetime

from .interview_offer import OFFER_GROUPS


class HrApplicant(models.Model):
    _name = "hr.applicant"
    _inherit = ["hr.applicant", "zoom.code.fields"]
    # Set from Zoom's report of the applicant's interviews, and, with when and by whom, by the
    # candidate's consent on their page or the recruiter's buttons.
    _zoom_code_fields = frozenset({"zoom_no_show", "zoom_consent", "zoom_consent_date", "zoom_consent_user_id"})

    zoom_next_event_id = fields.Many2one(
        "calendar.event", string="Next Zoom Interview", compute="_compute_zoom_next_event",
    )
    zoom_next_join_url = fields.Char("Next Zoom Interview Link", compute="_compute_zoom_next_event")
    zoom_next_start = fields.Datetime("Next Zoom Interview On", compute="_compute_zoom_next_event")
    zoom_no_show = fields.Boolean(
        "No-show in a Zoom Interview", readonly=True, copy=False, tracking=True,
        help="The applicant did not join one of their Zoom interviews.",
    )

    @api.depends("meeting_ids.zoom_state", "meeting_ids.start", "meeting_ids.zoom_join_url")
    def _compute_zoom_next_event(self):
        now = fields.Datetime.now()
        for applicant in self:
            upcoming = applicant.meeting_ids.filtered(
                lambda event: event.zoom_state == "issued" and event.zoom_join_url and event.start >= now
            ).sorted("start")[:1]
            applicant.zoom_next_event_id = upcoming
            applicant.zoom_next_join_url = upcoming.zoom_join_url
            applicant.zoom_next_start = upcoming.start

    @api.model_create_multi
    def create(self, vals_list):
        self._zoom_refuse_code_fields(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._zoom_refuse_code_fields([vals])
        return super().write(vals)

    # Interviewers see applicants but not the offers (nor their links).
    zoom_offer_ids = fields.One2many("herp_zoom.interview.offer", "applicant_id", string="Interview Slot Offers",
                                     groups=OFFER_GROUPS)
    zoom_offer_count = fields.Integer("Slot Offers", compute="_compute_zoom_offer_count", groups=OFFER_GROUPS)

    @api.depends("zoom_offer_ids")
    def _compute_zoom_offer_count(self):
        for applicant in self:
            applicant.zoom_offer_count = len(applicant.zoom_offer_ids)

    def action_zoom_offer_slots(self):
        """Open "Offer interview slots" for this applicant."""
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group("herp_zoom.group_zoom_assistant"):
            raise AccessError(_("Only Zoom recruiters and assistants can offer interview slots."))
        return {
            "type": "ir.actions.act_window", "res_model": "herp_zoom.interview.offer.wizard", "view_mode": "form",
            "target": "new", "name": _("Offer interview slots"),
            "context": {"default_applicant_id": self.id, "default_interviewer_ids": self.interviewer_ids.ids},
        }

    def action_zoom_view_offers(self):
        self.ensure_one()
        self.check_access("read")
        # The title on a line of its own: Odoo 19's extraction of translatable terms would also
        # take the next string of the same line.
        name = _("Interview Slot Offers")
        return {
            "type": "ir.actions.act_window", "res_model": "herp_zoom.interview.offer", "view_mode": "list,form",
            "name": name, "domain": [("applicant_id", "=", self.id)], "context": {"default_applicant_id": self.id},
        }

    # ------------------------------------------------------------------ consent to recording and summary
    zoom_consent = fields.Selection(
        [("given", "Given"), ("refused", "Not given")], "Consent to Recording and Summary", readonly=True,
        copy=False, help="Whether the candidate agreed that their Zoom interviews are recorded and summarized by "
        "Zoom's AI Companion, where the company's Zoom settings ask for it. Empty: not asked yet.",
    )
    zoom_consent_date = fields.Datetime("Consent Recorded On", readonly=True, copy=False)
    zoom_consent_user_id = fields.Many2one(
        "res.users", "Consent Recorded By", readonly=True, copy=False,
        help="The recruiter who recorded the consent; empty when the candidate gave it on their interview page.",
    )
    zoom_consent_by = fields.Char("Consent By", compute="_compute_zoom_consent_by")
    zoom_consent_summary = fields.Char("Consent", compute="_compute_zoom_consent_by")
    zoom_consent_needed = fields.Boolean("Consent Asked For", compute="_compute_zoom_consent_needed")

    @api.depends("zoom_consent", "zoom_consent_date", "zoom_consent_user_id")
    @api.depends_context("lang", "tz")
    def _compute_zoom_consent_by(self):
        for applicant in self:
            if not applicant.zoom_consent_date:
                applicant.zoom_consent_by = False
                applicant.zoom_consent_summary = _("Not asked yet.")
                continue
            if applicant.zoom_consent_user_id:
                applicant.zoom_consent_by = applicant.zoom_consent_user_id.sudo().name
            else:
                applicant.zoom_consent_by = _("the candidate, on their interview page")
            values = {"date": format_datetime(self.env, applicant.zoom_consent_date, dt_format="medium"),
                      "who": applicant.zoom_consent_by}
            applicant.zoom_consent_summary = (
                _("Given on %(date)s by %(who)s.", **values) if applicant.zoom_consent == "given"
                else _("Not given (%(date)s, %(who)s).", **values))

    @api.depends("company_id")
    def _compute_zoom_consent_needed(self):
        for applicant in self:
            account = self.env["zoom.account"]._get_for_company(applicant.company_id or self.env.company)
            applicant.zoom_consent_needed = account._meeting_needs_consent()

    # ------------------------------------------------------------------ the recruiter's buttons
    def action_zoom_record_consent(self):
        """The candidate consented (by mail, on the phone): record it."""
        self.ensure_one()
        self._zoom_check_consent_access()
        self._zoom_set_consent(True)
        return True

    def action_zoom_withdraw_consent(self):
        """The candidate withdrew their consent, or does not give it."""
        self.ensure_one()
        self._zoom_check_consent_access()
        self._zoom_set_consent(False)
        return True

    def _zoom_check_consent_access(self):
        self.check_access("write")
        if not self.env.user.has_group("herp_zoom.group_zoom_assistant"):
            raise AccessError(_("Only Zoom recruiters and assistants can record or withdraw a candidate's consent "
                                "to recording."))

    # ------------------------------------------------------------------ the change
    def _zoom_team_lang(self):
        """The language of the notes the candidate's actions leave for the team: the applicant's
        recruiter's, else the company's."""
        self.ensure_one()
        applicant = self.sudo()
        return applicant.user_id.lang or applicant.company_id.partner_id.lang or self.env.lang

    def _zoom_set_consent(self, given, by_candidate=False):
        """Record the consent (after the caller's own access check) and send it to the meetings of the
        applicant's interviews once committed; False when it was already so."""
        self.ensure_one()
        applicant = self.sudo()
        state = "given" if given else "refused"
        if applicant.zoom_consent == state:
            return False
        user = self.env["res.users"] if by_candidate else self.env.user
        applicant.write({"zoom_consent": state, "zoom_consent_date": fields.Datetime.now(),
                         "zoom_consent_user_id": user.id})
        if by_candidate:
            # Written for the team, in its language: the candidate's page may speak another.
            team_env = applicant.with_context(lang=applicant._zoom_team_lang()).env
            body = (team_env._("The candidate consented, on their interview page, to recording and Zoom's AI "
                               "summary of their interviews.") if given else
                    team_env._("The candidate did not consent, on their interview page, to recording and Zoom's AI "
                               "summary of their interviews."))
            applicant._message_log(body=body, author_id=applicant.partner_id.id or None)
        else:
            body = (_("%s recorded the candidate's consent to recording and Zoom's AI summary of their interviews.",
                      user.name) if given else
                    _("%s recorded that the candidate does not consent to recording and Zoom's AI summary of their "
                      "interviews.", user.name))
            applicant._message_log(body=body)
        applicant.meeting_ids._zoom_mark_consent_update()
        return True
