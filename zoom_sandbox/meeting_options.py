"""Meeting settings, meeting templates and "schedule for" in the sandbox.

An account may lock settings (``locked_settings`` in the seed, or the ``locked_settings``
config for every account): a create request that sets one is refused the way Zoom refuses a
field it does not take, naming it (code 300, ``errors[].field``). Templates are the
account administrators' meeting templates (type 2) of the seed.
"""

from .meetings import json_response
from .state import ZoomError

# What a meeting holds when neither the request nor a template sets it (a new Zoom account's defaults).
ZOOM_DEFAULT_SETTINGS = {
    "host_video": False,
    "participant_video": False,
    "join_before_host": False,
    "waiting_room": True,
    "mute_upon_entry": False,
    "auto_recording": "none",
    "meeting_authentication": False,
    "auto_start_meeting_summary": False,
    "auto_start_deepfake_detection": False,
}


class MeetingOptionsApi:
    """Mixed into the sandbox's WSGI app next to MeetingsApi."""

    def on_list_meeting_templates(self, request, user_key):
        grant = self._api(request, f"/users/{user_key}/meeting_templates")
        host = self.state.user_for_grant(grant, user_key)
        templates = [{"id": item["id"], "name": item["name"], "type": item.get("type", 2)}
                     for item in self.state.accounts[host["account_id"]].get("meeting_templates") or []]
        return json_response({"templates": templates, "total_records": len(templates)})

    def _meeting_settings(self, host, body):
        """The settings a new meeting of ``host`` holds: Zoom's defaults, the template's, the request's."""
        account = self.state.accounts[host["account_id"]]
        requested = dict(body.get("settings") or {})
        self._refuse_locked(host, requested)
        settings = dict(ZOOM_DEFAULT_SETTINGS)
        if body.get("template_id"):
            template = next((item for item in account.get("meeting_templates") or []
                             if item["id"] == body["template_id"] and item.get("type", 2) == 2), None)
            if template is None:
                raise ZoomError(400, 300, f"Validation Failed. Invalid template_id: {body['template_id']}.",
                                errors=[{"field": "template_id", "message": "Invalid field."}])
            settings.update(template.get("settings") or {})
        settings.update(requested)
        return settings

    def _refuse_locked(self, host, requested):
        """A create or update request that sets a setting the account locked is refused, naming it."""
        account = self.state.accounts[host["account_id"]]
        locked = set(account.get("locked_settings") or []) | set(self.state.config.get("locked_settings") or [])
        for key in requested:
            if key in locked:
                raise ZoomError(400, 300, f"Validation Failed. The setting {key} is locked by the account "
                                          "administrator.",
                                errors=[{"field": f"settings.{key}", "message": "Locked by the account."}])

    def _schedule_for(self, meeting, key):
        """Give ``meeting`` to the user ``key`` of the same account, as PATCH ``schedule_for`` does."""
        host = self.state.users[meeting["host_id"]]
        user = self.state.find_user(key)
        if not user or user["account_id"] != host["account_id"] or user["type"] != 2:
            raise ZoomError(400, 3000, f"You cannot schedule a meeting for {key}")
        return user
