from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..utils.zoom_client import ZoomError, ZoomUserNotInAccount

ZOOM_ROLE_GROUP = "herp_zoom.group_zoom_guest"
INVITE_TEMPLATE = "herp_zoom.mail_template_invite_to_link"
ZOOM_USER_FIELDS = ["zoom_user_id", "zoom_user_email", "zoom_user_account_id", "zoom_linked_at"]


class ResUsers(models.Model):
    _inherit = "res.users"

    zoom_user_id = fields.Char(
        "Zoom User ID", readonly=True, copy=False, index="btree_not_null",
        help="The Zoom user linked to this user; interviews they attend get a Zoom meeting.",
    )
    zoom_user_email = fields.Char("Zoom User", readonly=True, copy=False)
    zoom_user_account_id = fields.Char("Zoom Account of the User", readonly=True, copy=False)
    zoom_linked_at = fields.Datetime("Zoom Linked On", readonly=True, copy=False)
    zoom_has_role = fields.Boolean("Has a Zoom Role", compute="_compute_zoom_has_role", search="_search_zoom_has_role")
    zoom_company_connected = fields.Boolean(compute="_compute_zoom_company_connected")
    zoom_company_auth_mode = fields.Char(compute="_compute_zoom_company_connected")

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ZOOM_USER_FIELDS + ["zoom_company_connected", "zoom_company_auth_mode"]

    @api.depends_context("company")
    def _compute_zoom_company_connected(self):
        account = self.env["zoom.account"]._get_for_company()
        for user in self:
            user.zoom_company_connected = account._is_connected()
            user.zoom_company_auth_mode = account.auth_mode or False

    @api.model
    def _zoom_linked_users(self, account, partner_ids, user_ids):
        """Active users of these partners or ids linked to a Zoom user of the ``account`` connection.

        One query, as it runs for every event creation that may issue a meeting.
        """
        if not account or not (partner_ids or user_ids):
            return []
        self.env["res.users"].flush_model(["zoom_user_id", "zoom_user_account_id", "partner_id", "active"])
        self.env["zoom.account"].flush_model(["zoom_account_id"])
        self.env.cr.execute(
            """SELECT u.id, u.partner_id, u.zoom_user_id, u.zoom_user_email
                 FROM res_users u JOIN zoom_account a ON a.zoom_account_id = u.zoom_user_account_id
                WHERE a.id = %s AND u.active AND u.zoom_user_id IS NOT NULL
                  AND (u.partner_id = ANY(%s) OR u.id = ANY(%s))
             ORDER BY u.id""",
            [account.id, list(partner_ids), list(user_ids)],
        )
        return self.env.cr.dictfetchall()

    def write(self, vals):
        # A user archived, unlinked or linked to another Zoom user may no longer host their interviews.
        leaving = self.browse()
        if vals.get("active") is False or any(name in vals for name in ZOOM_USER_FIELDS):
            leaving = self.sudo().filtered("zoom_user_id")
        result = super().write(vals)
        if leaving:
            leaving._zoom_interviews_follow()
        return result

    def _zoom_interviews_follow(self):
        """The upcoming issued interviews these users host or attend follow them (with updates on)."""
        events = self.env["calendar.event"].sudo().search([
            ("zoom_state", "=", "issued"), ("stop", ">", fields.Datetime.now()),
            "|", ("zoom_host_user_id", "in", self.ids), ("partner_ids", "in", self.partner_id.ids)])
        events._zoom_mark_for_update(roster=True)

    # ------------------------------------------------------------------ actions
    def _check_can_link(self):
        if self != self.env.user:
            raise AccessError(_("You can only connect your own Zoom user."))
        if not self.env.user.has_group("herp_zoom.group_zoom_guest"):
            raise AccessError(_("Your user has no Zoom role. Ask an administrator to give you one."))

    def action_zoom_connect_user(self):
        """Send the current user through Zoom's consent to link their own Zoom user."""
        self.ensure_one()
        self._check_can_link()
        account = self.env["zoom.account"]._get_for_company()
        if not account._is_connected():
            raise UserError(_("The company's Zoom account is not connected yet. Ask an administrator to connect it in Settings."))
        if account.auth_mode == "s2s":
            # A Server-to-Server app has no sign-in page. The login is looked up in the account:
            # users cannot change it themselves, unlike the e-mail of their contact.
            if not self._zoom_links_themselves(account):
                raise UserError(_(
                    "The company's Zoom account is connected with a Server-to-Server app: it links the Zoom user "
                    "whose e-mail is your login, and your login (%(login)s) is not an e-mail address. Ask a Zoom "
                    "administrator to link your Zoom user from your user form (\"Link Zoom user\").",
                    login=self.login))
            self.sudo()._zoom_link_by_email(self.login)
            return account._notification(_("Your Zoom user %s is linked.", self.zoom_user_email), reload=True)
        return self.env["zoom.account"]._authorize_action("user")

    def action_zoom_unlink_user(self):
        self.ensure_one()
        if self == self.env.user:
            self._check_can_link()
        else:
            self._check_can_manage_link()
        self._zoom_unlink()
        return self.env["zoom.account"]._notification(_("The Zoom user is unlinked."), reload=True)

    def _check_can_manage_link(self):
        """Zoom administrators manage the links of the users of their allowed companies only."""
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            raise AccessError(_("Only Zoom administrators can link or unlink another user's Zoom user."))
        if not self.company_ids & self.env.companies:
            raise AccessError(_("%s does not work for a company you manage, so you cannot change their Zoom user.",
                                self.name))

    def _zoom_unlink(self):
        self.sudo().write({field: False for field in ZOOM_USER_FIELDS})

    # ------------------------------------------------------------------ linking
    def _zoom_link(self, zoom_user):
        """Link these users to ``zoom_user`` (a Zoom user object); one Zoom user may serve many."""
        self.sudo().write({
            "zoom_user_id": zoom_user["id"],
            "zoom_user_email": zoom_user.get("email") or False,
            "zoom_user_account_id": zoom_user.get("account_id") or False,
            "zoom_linked_at": fields.Datetime.now(),
        })

    def _zoom_link_from_code(self, code, code_verifier):
        """User consent callback: link the Zoom user who signed in, if the company's account owns it.

        The user's own Zoom token is used only for this check and is not kept.
        """
        self.ensure_one()
        # The company the sign-in was started in (carried by the signed state), not the default one.
        account = self.env["zoom.account"]._get_for_company(self.env.company)
        client = account._new_client()
        tokens = client.exchange_code(
            account.client_id, account.client_secret, code, account._oauth_redirect_uri(), code_verifier,
        )
        zoom_user = client.get_user("me", access_token=tokens["access_token"])
        account._check_member(zoom_user)
        self._zoom_link(zoom_user)
        return zoom_user

    def _zoom_link_by_email(self, email):
        """Link the Zoom user with this e-mail in the company's account (Server-to-Server and set-up scripts)."""
        self.ensure_one()
        if not email or "@" not in email:
            raise UserError(_("%s has no e-mail address to look up in Zoom: a Zoom administrator can link the "
                              "Zoom user from the user's form.", self.name))
        account = self.env["zoom.account"]._get_for_company(self.env.company)
        try:
            zoom_user = account._lookup_member(email)
        except ZoomUserNotInAccount:
            raise UserError(_(
                "There is no Zoom user with the e-mail %s in the company's Zoom account. Ask a Zoom "
                "administrator to add this e-mail to the company's Zoom account, or to link the Zoom user "
                "from the user's form.",
                email,
            )) from None
        except ZoomError as error:
            raise UserError(error.message_for(self.env)) from None
        self._zoom_link(zoom_user)
        return zoom_user

    # ------------------------------------------------------------------ invitation to link
    def _compute_zoom_has_role(self):
        group = self.env.ref(ZOOM_ROLE_GROUP)
        for user in self:
            user.zoom_has_role = group in user.all_group_ids

    def _search_zoom_has_role(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(_("Unsupported search on the Zoom role."))
        positive = (operator == "=") == value
        return [("all_group_ids", "in" if positive else "not in", self.env.ref(ZOOM_ROLE_GROUP).id)]

    @api.model
    def _zoom_unlinked_users_action(self):
        """The users list, filtered on the users with a Zoom role who did not link a Zoom user."""
        action = self.env["ir.actions.act_window"]._for_xml_id("base.action_res_users")
        action["context"] = {"search_default_filter_no_share": 1, "search_default_zoom_role_not_linked": 1}
        return action

    def _zoom_invite_to_link(self):
        """Mail these users a button to their preferences' Zoom section (Zoom administrators only)."""
        if not self.env.user.has_group("herp_zoom.group_zoom_admin"):
            raise AccessError(_("Only Zoom administrators can invite users to link their Zoom user."))
        foreign = self.filtered(lambda user: not user.company_ids & self.env.companies)
        if foreign:
            raise AccessError(_("%s does not work for a company you manage.", ", ".join(foreign.mapped("name"))))
        invited = self._zoom_invitable()
        template = self.env.ref(INVITE_TEMPLATE).sudo()
        for user in invited:
            template.send_mail(user.id, email_layout_xmlid="mail.mail_notification_light")
        account = self.env["zoom.account"]._get_for_company()
        skipped = self - invited
        by_login = skipped.filtered(lambda user: user.zoom_has_role and not user.zoom_user_id and user.email
                                    and not user._zoom_links_themselves(account))
        others = skipped - by_login
        if others:
            message = _("Invitation sent to %(count)s user(s). Not sent to %(names)s (already linked, no Zoom role "
                        "or no e-mail).", count=len(invited), names=", ".join(others.mapped("name")))
        else:
            message = _("Invitation sent to %(count)s user(s).", count=len(invited))
        if by_login:
            message = " ".join([message, _(
                "Not sent to %(names)s: with the Server-to-Server connection their login is not an e-mail address; "
                "link their Zoom user from their user form.", names=", ".join(by_login.mapped("name")))])
        return self.env["zoom.account"]._notification(message)

    def _zoom_invitable(self):
        """Those of these users the invitation is for: active, internal, with a Zoom role, not linked, with an
        e-mail, and able to link themselves with the company's connection."""
        account = self.env["zoom.account"]._get_for_company()
        return self.filtered(lambda user: user.zoom_has_role and not user.zoom_user_id and user.email
                             and not user.share and user.active and user._zoom_links_themselves(account))

    def _zoom_links_themselves(self, account):
        """Whether this user can link their own Zoom user with ``account``'s connection: by signing in to
        Zoom with a consent app; by their login, which must then be an e-mail, with a Server-to-Server app."""
        self.ensure_one()
        return account.auth_mode != "s2s" or "@" in (self.login or "")
