"""The sandbox's meeting settings, templates, locked settings and "schedule for", checked
against Zoom's descriptions."""

import requests

from .conftest import bearer
from .test_api import HOST, assert_documented, create

INTERVIEW_SETTINGS = {"waiting_room": True, "join_before_host": False, "mute_upon_entry": True, "host_video": True,
                      "participant_video": True, "auto_recording": "none", "auto_start_deepfake_detection": True,
                      "auto_start_meeting_summary": False}


def get(sandbox, token, path, **params):
    return requests.get(sandbox.api_url + path, headers=bearer(token), params=params, timeout=5)


def test_settings_are_stored_on_the_meeting_and_returned(sandbox, account_token):
    created = create(sandbox, account_token, settings=dict(INTERVIEW_SETTINGS, jbh_time=10))
    assert created.status_code == 201
    meeting = created.json()
    fetched = get(sandbox, account_token, f"/meetings/{meeting['id']}").json()
    assert_documented(sandbox, "GET", f"/meetings/{meeting['id']}", 200, fetched)
    for key, value in INTERVIEW_SETTINGS.items():
        assert fetched["settings"][key] == value, key


def test_settings_left_out_take_zoom_s_defaults(sandbox, account_token):
    meeting = create(sandbox, account_token, settings={"auto_recording": "cloud"}).json()
    assert meeting["settings"]["auto_recording"] == "cloud"
    assert meeting["settings"]["waiting_room"] is True
    assert meeting["settings"]["auto_start_deepfake_detection"] is False


def test_a_setting_value_zoom_does_not_know_is_refused(sandbox, account_token):
    refused = create(sandbox, account_token, settings={"auto_recording": "tape"})
    assert refused.status_code == 400
    assert refused.json()["code"] == 300


def test_locked_setting_is_refused_naming_it(sandbox, account_token):
    requests.post(sandbox.url + "/_sandbox/config", json={"locked_settings": ["auto_start_deepfake_detection"]},
                  timeout=5)
    refused = create(sandbox, account_token, settings=INTERVIEW_SETTINGS)
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == 300
    assert body["errors"] == [{"field": "settings.auto_start_deepfake_detection", "message": "Locked by the account."}]
    assert "auto_start_deepfake_detection" in body["message"]
    without = {key: value for key, value in INTERVIEW_SETTINGS.items() if key != "auto_start_deepfake_detection"}
    assert create(sandbox, account_token, settings=without).status_code == 201
    assert len(sandbox.state.meetings) == 1


def test_templates_are_listed_and_used(sandbox, account_token):
    listed = get(sandbox, account_token, "/users/me/meeting_templates")
    assert listed.status_code == 200
    assert_documented(sandbox, "GET", "/users/me/meeting_templates", 200, listed.json())
    templates = {item["name"]: item for item in listed.json()["templates"]}
    assert templates["Recorded panel interview"]["type"] == 2
    meeting = create(sandbox, account_token, template_id=templates["Recorded panel interview"]["id"]).json()
    assert meeting["settings"]["auto_recording"] == "cloud"
    assert meeting["settings"]["auto_start_meeting_summary"] is True
    unknown = create(sandbox, account_token, template_id="nope")
    assert (unknown.status_code, unknown.json()["code"]) == (400, 300)


def test_schedule_for_gives_the_meeting_to_another_user_of_the_account(sandbox, account_token):
    meeting = create(sandbox, account_token).json()
    path = f"/meetings/{meeting['id']}"
    moved = requests.patch(sandbox.api_url + path, headers=bearer(account_token), timeout=5,
                           json={"schedule_for": "interviewer2@herp-demo.example",
                                 "settings": {"alternative_hosts": HOST}})
    assert moved.status_code == 204
    fetched = get(sandbox, account_token, path).json()
    assert (fetched["host_email"], fetched["settings"]["alternative_hosts"]) == ("interviewer2@herp-demo.example", HOST)
    refused = requests.patch(sandbox.api_url + path, headers=bearer(account_token), timeout=5,
                             json={"schedule_for": "someone@other-corp.example"})
    assert (refused.status_code, refused.json()["code"]) == (400, 3000)
    assert get(sandbox, account_token, path).json()["host_email"] == "interviewer2@herp-demo.example"


def test_update_changes_the_settings_it_names_and_is_logged_with_its_body(sandbox, account_token):
    meeting = create(sandbox, account_token, settings=INTERVIEW_SETTINGS).json()
    path = f"/meetings/{meeting['id']}"
    change = {"settings": {"auto_recording": "cloud", "auto_start_meeting_summary": True}}
    updated = requests.patch(sandbox.api_url + path, headers=bearer(account_token), timeout=5, json=change)
    assert updated.status_code == 204
    fetched = get(sandbox, account_token, path).json()
    assert (fetched["settings"]["auto_recording"], fetched["settings"]["auto_start_meeting_summary"]) == ("cloud", True)
    assert fetched["settings"]["waiting_room"] is True, "the others are kept"
    [logged] = [request for request in sandbox.state.requests if request["method"] == "PATCH"]
    assert (logged["path"], logged["status"], logged["body"]) == ("/v2" + path, 204, change)


def test_update_of_a_locked_setting_is_refused_naming_it(sandbox, account_token):
    meeting = create(sandbox, account_token, settings=INTERVIEW_SETTINGS).json()
    requests.post(sandbox.url + "/_sandbox/config", json={"locked_settings": ["auto_recording"]}, timeout=5)
    path = f"/meetings/{meeting['id']}"
    refused = requests.patch(sandbox.api_url + path, headers=bearer(account_token), timeout=5,
                             json={"settings": {"auto_recording": "cloud"}})
    assert (refused.status_code, refused.json()["code"]) == (400, 300)
    assert refused.json()["errors"] == [{"field": "settings.auto_recording", "message": "Locked by the account."}]
    assert get(sandbox, account_token, path).json()["settings"]["auto_recording"] == "none"
