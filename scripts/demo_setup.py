# Run by scripts/run inside `odoo-bin shell`: points herp_zoom at the Zoom sandbox, connects
# the demo company with the sandbox's Server-to-Server app and links the demo users.
import os

sandbox = os.environ["ZOOM_SANDBOX_URL"]
params = env["ir.config_parameter"].sudo()
params.set_param("herp_zoom.api_url", sandbox + "/v2")
params.set_param("herp_zoom.oauth_url", sandbox)
params.set_param("web.base.url", os.environ.get("HERP_ZOOM_BASE_URL", "http://localhost:8069"))
params.set_param("web.base.url.freeze", "True")

account = env["zoom.account"]._get_for_company(env.ref("base.main_company"), create=True)
account.write({
    "auth_mode": "s2s",
    "client_id": "sandbox-s2s-client",
    "client_secret": "sandbox-s2s-secret",
    "zoom_account_id": "sbxAcct000000000000001",
    "webhook_secret": "sandbox-webhook-secret",
    # The demo plays interviews with zoom_sandbox.play_interview: their results come back, the
    # summary and the recording for candidates who consented (the default condition once on).
    "fetch_meeting_results": True,
    "meeting_summary": "on",
    "meeting_auto_recording": "cloud",
})
account.with_user(env.ref("base.user_admin")).action_connect()
print("herp_zoom demo: company connected to the sandbox Zoom account", account.zoom_account_id)

links = {
    "base.user_admin": "owner@herp-demo.example",
    "herp_zoom.user_demo_recruiter": "recruiting@herp-demo.example",
    "herp_zoom.user_demo_assistant": "recruiting@herp-demo.example",
    "herp_zoom.user_demo_interviewer1": "interviewer1@herp-demo.example",
    "herp_zoom.user_demo_interviewer2": "interviewer2@herp-demo.example",
}
for xmlid, email in links.items():
    user = env.ref(xmlid)
    user._zoom_link_by_email(email)
    print(f"herp_zoom demo: {user.login} linked to the Zoom user {email}")
# Japanese is there for the interviewers who prefer it (My Preferences > Language).
env["res.lang"]._activate_lang("ja_JP")
env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["ja_JP"])
print("herp_zoom demo: Japanese installed")
env.cr.commit()
