"""Zoom's "Get user settings": the Concurrent Meeting option of each user, from the seed or the config."""

import pytest
import requests

from zoom_sandbox.validation import ValidationFailed

from .conftest import ACCOUNT, OAUTH, bearer

OWNER = "sbxUserOwner000000001"
MEMBER = "sbxUserIntv1000000001"


def settings(sandbox, token, user="me"):
    return requests.get(f"{sandbox.api_url}/users/{user}/settings", headers=bearer(token), timeout=5)


def test_each_user_has_the_option_of_the_seed_in_a_documented_answer(sandbox, account_token):
    owner = settings(sandbox, account_token)  # an account token acts as the owner
    assert owner.status_code == 200
    sandbox.app.schemas.validate_response("GET", "/users/me/settings", 200, owner.json())
    assert owner.json()["feature"]["concurrent_meeting"] == "Basic"
    member = settings(sandbox, account_token, "interviewer1@herp-demo.example")
    assert member.status_code == 200
    assert member.json()["feature"]["concurrent_meeting"] == "None"


def test_config_sets_every_users_option(sandbox, account_token):
    changed = requests.post(sandbox.url + "/_sandbox/config", json={"concurrent_meeting": "Plus"}, timeout=5)
    assert changed.json()["concurrent_meeting"] == "Plus"
    assert settings(sandbox, account_token, MEMBER).json()["feature"]["concurrent_meeting"] == "Plus"
    assert settings(sandbox, account_token).json()["feature"]["concurrent_meeting"] == "Plus"
    refused = requests.post(sandbox.url + "/_sandbox/config", json={"concurrent_meeting": "Unlimited"}, timeout=5)
    assert refused.status_code == 400
    assert sandbox.state.config["concurrent_meeting"] == "Plus"
    requests.post(sandbox.url + "/_sandbox/config", json={"concurrent_meeting": None}, timeout=5)
    assert settings(sandbox, account_token, MEMBER).json()["feature"]["concurrent_meeting"] == "None"


def test_a_token_without_the_scope_is_refused_as_zoom_does(sandbox):
    sandbox.state.config["granted_scopes"] = "user:read:user:admin meeting:write:meeting:admin"
    token = sandbox.state.issue_tokens(OAUTH[0], OWNER, ACCOUNT)["access_token"]
    refused = settings(sandbox, token)
    assert refused.status_code == 400
    assert refused.json()["code"] == 4711
    assert "user:read:settings:admin" in refused.json()["message"]


def test_a_member_reads_only_its_own_settings(sandbox):
    token = sandbox.state.issue_tokens(OAUTH[0], MEMBER, ACCOUNT)["access_token"]
    assert settings(sandbox, token).json()["feature"]["concurrent_meeting"] == "None"
    assert settings(sandbox, token, OWNER).json() == {"code": 200, "message": "No permission."}
    assert settings(sandbox, token, "someone@other-corp.example").status_code == 404


def test_an_answer_outside_zoom_description_is_caught(sandbox):
    schemas = sandbox.app.schemas
    for body in ({"feature": {"concurrent_meeting": "Unlimited"}}, {"feature": {}, "no_such_group": {}}):
        with pytest.raises(ValidationFailed, match="not valid under any of the given schemas"):
            schemas.validate_response("GET", "/users/me/settings", 200, body)
