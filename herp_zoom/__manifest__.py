{
    "name": "Zoom for Interviews",
    "summary": "Create a Zoom meeting for every interview and put its link on the "
    "event, the invitations and the interviewers' Google / Outlook calendars",
    "version": "18.0.1.0.0",
    "category": "Productivity/Calendar",
    "website": "https://github.com/herp-zoom/herp_zoom",
    "author": "herp_zoom",
    "license": "LGPL-3",
    "depends": ["calendar"],
    "external_dependencies": {"python": ["requests", "authlib"]},
    "data": [
        "security/herp_zoom_security.xml",
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "data/ir_cron_data.xml",
        "views/zoom_account_views.xml",
        "views/zoom_meeting_deletion_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/zoom_user_link_views.xml",
        "views/res_users_views.xml",
        "views/calendar_event_views.xml",
        "views/herp_zoom_templates.xml",
    ],
    "demo": ["demo/herp_zoom_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "herp_zoom/static/src/**/*",
        ],
        "web.assets_tests": [
            "herp_zoom/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
