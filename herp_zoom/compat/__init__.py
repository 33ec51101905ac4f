"""What differs between the Odoo series herp_zoom runs on, in one place.

herp_zoom is written for the newest series (Odoo 19.0). The names below are Odoo 19's
(``odoo19``); on Odoo 18.0 they come from ``odoo18``, which also gives Odoo 18 the few model fields of 19 that
herp_zoom's code, data and tests use (``res.users.group_ids``, ``res.groups.user_ids``...).
Dropping 18.0 means deleting ``odoo18.py`` and the test of the series below.

Version-specific data files are in the per-series addons of ``series/<series>/`` (see there).
"""

from odoo import release

SERIES = release.major_version

if release.version_info[0] >= 19:
    from .odoo19 import *  # noqa: F403
else:
    from .odoo18 import *  # noqa: F403
