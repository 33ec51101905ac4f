"""What herp_zoom_recruitment's Odoo 19 code needs on Odoo 18.0, in one place (see
herp_zoom/compat). Dropping 18.0 means deleting this package and its import."""

from odoo import release

if release.version_info[0] < 19:
    from . import odoo18
