from . import compat
from . import controllers
from . import models
from . import wizard
from . import utils


def uninstall_hook(env):
    """The notes with interviews' Zoom results are readable by Recruiters only through this
    module's subtype and rule: without them they would be every employee's, so they go too."""
    subtype = env.ref("herp_zoom.mt_zoom_interview_result", raise_if_not_found=False)
    if subtype:
        env["mail.message"].sudo().search([("subtype_id", "=", subtype.id)]).unlink()
