import logging

from werkzeug.exceptions import Forbidden

from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..utils.zoom_client import ZoomError

_logger = logging.getLogger(__name__)


class ZoomController(http.Controller):
    @http.route("/herp_zoom/oauth/callback", type="http", auth="user", methods=["GET"])
    def zoom_oauth_callback(self, code=None, state=None, error=None, error_description=None, **kwargs):
        """Zoom's redirect after the consent page, for the company account or a user link."""
        accounts = request.env["zoom.account"]
        try:
            state_data = accounts._oauth_check_state(state)
        except AccessError as denied:
            raise Forbidden(str(denied)) from None
        purpose = state_data.get("p")
        company = request.env["res.company"].browse(state_data.get("c")).exists()
        if not company or company not in request.env.user.company_ids:
            raise Forbidden()
        accounts = accounts.with_company(company)
        if error or not code:
            message = _("Zoom did not give access: %s", error_description or error or _("no authorization code"))
            if error == "access_denied":
                message = _("The Zoom sign-in was cancelled, so nothing was connected.")
            return self._result_page(purpose, message, success=False)
        verifier = accounts._oauth_code_verifier(state_data)
        try:
            if purpose == "account":
                account = accounts._get_for_company(company)
                account.with_user(request.env.user)._check_admin()
                account.with_user(request.env.user)._connect_from_code(code, verifier)
                message = _("The company's Zoom account is connected and your Zoom user is linked.")
            else:
                request.env.user.with_company(company)._zoom_link_from_code(code, verifier)
                message = _("Your Zoom user %s is linked.", request.env.user.zoom_user_email)
        except (UserError, AccessError) as refused:
            request.env.cr.rollback()
            return self._result_page(purpose, str(refused), success=False)
        except ZoomError as zoom_error:
            request.env.cr.rollback()
            return self._result_page(purpose, zoom_error.message_for(request.env), success=False)
        return self._result_page(purpose, message, success=True)

    def _result_page(self, purpose, message, success):
        if purpose == "account":
            back_url = "/odoo/action-base_setup.action_general_configuration"
        else:
            back_url = "/odoo"
        return request.render("herp_zoom.oauth_result_page", {
            "message": message,
            "success": success,
            "back_url": back_url,
        })
