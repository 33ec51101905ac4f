{
    "name": "Zoom for Interviews: switched on for Odoo's own tests",
    "summary": "Test only: connects the company to the Zoom sandbox and links every internal user, "
    "so Odoo's own tests of calendar, Google / Outlook sync and recruitment run with herp_zoom at work",
    "version": "1.0.0",
    "category": "Hidden/Tests",
    "author": "herp_zoom",
    "license": "LGPL-3",
    "depends": ["herp_zoom"],
    "data": ["security/herp_zoom_switched_on_security.xml"],
    "installable": True,
}
