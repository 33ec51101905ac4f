{
    "name": "Zoom for Interviews - Odoo 18.0 data",
    "summary": "What herp_zoom's data needs on Odoo 18.0 only; installed with herp_zoom",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/herp-zoom/herp_zoom",
    "author": "herp_zoom",
    "license": "LGPL-3",
    "depends": ["herp_zoom"],
    "data": ["security/herp_zoom_series_security.xml"],
    "auto_install": True,
    "installable": True,
}
