from odoo import http
from odoo.http import request


class ZoomSetupController(http.Controller):
    @http.route("/herp_zoom/my-zoom-user", type="http", auth="user", methods=["GET"])
    def my_zoom_user(self):
        """The invitation's button: the preferences of whoever opens it (the link names no user)."""
        return request.redirect(f"/odoo/action-herp_zoom.action_my_zoom_preferences/{request.env.uid}")
