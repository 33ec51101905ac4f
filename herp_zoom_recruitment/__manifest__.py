{
    "name": "Zoom for Interviews - Recruitment",
    "summary": "Interviews scheduled from an applicant get their Zoom meeting, shown on the applicant",
    "version": "18.0.1.0.0",
    "category": "Human Resources/Recruitment",
    "website": "https://github.com/herp-zoom/herp_zoom",
    "author": "herp_zoom",
    "license": "LGPL-3",
    "depends": ["herp_zoom", "hr_recruitment"],
    "data": [
        "security/herp_zoom_recruitment_security.xml",
        "views/hr_applicant_views.xml",
    ],
    "demo": ["demo/herp_zoom_recruitment_demo.xml"],
    "auto_install": True,
    "installable": True,
}
