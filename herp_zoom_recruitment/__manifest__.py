{
    "name": "Zoom for Interviews - Recruitment",
    "summary": "Interviews scheduled from an applicant get their Zoom meeting, shown on the applicant",
    "version": "1.0.0",
    "category": "Human Resources/Recruitment",
    "website": "https://github.com/herp-zoom/herp_zoom",
    "author": "herp_zoom",
    "license": "LGPL-3",
    "depends": ["herp_zoom", "hr_recruitment"],
    "data": [
        "security/herp_zoom_recruitment_security.xml",
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/hr_applicant_views.xml",
        "views/interview_offer_views.xml",
        "views/interview_offer_templates.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/herp_zoom_recruitment_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "herp_zoom_recruitment/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
