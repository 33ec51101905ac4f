import requests

from .conftest import ACCOUNT, OAUTH, bearer

NEW_USER = {"action": "custCreate",
            "user_info": {"email": "new.interviewer@herp-demo.example", "type": 2, "first_name": "Nao",
                          "last_name": "Newcomer"}}


def test_created_user_is_a_member_who_hosts_meetings(sandbox, account_token):
    created = requests.post(f"{sandbox.api_url}/users", headers=bearer(account_token), json=NEW_USER, timeout=5)
    assert created.status_code == 201
    sandbox.app.schemas.validate_response("POST", "/users", 201, created.json())
    assert created.json()["email"] == "new.interviewer@herp-demo.example"
    looked_up = requests.get(f"{sandbox.api_url}/users/new.interviewer@herp-demo.example",
                             headers=bearer(account_token), timeout=5)
    assert looked_up.status_code == 200
    sandbox.app.schemas.validate_response("GET", "/users/new.interviewer@herp-demo.example", 200, looked_up.json())
    assert looked_up.json()["id"] == created.json()["id"]
    assert looked_up.json()["account_id"] == ACCOUNT
    meeting = requests.post(f"{sandbox.api_url}/users/{created.json()['id']}/meetings", headers=bearer(account_token),
                            json={"topic": "Interview", "type": 2, "start_time": "2030-03-04T10:00:00Z",
                                  "duration": 30}, timeout=5)
    assert meeting.status_code == 201
    assert meeting.json()["host_id"] == created.json()["id"]


def test_an_address_already_used_is_refused(sandbox, account_token):
    taken = dict(NEW_USER, user_info=dict(NEW_USER["user_info"], email="Interviewer1@herp-demo.example"))
    refused = requests.post(f"{sandbox.api_url}/users", headers=bearer(account_token), json=taken, timeout=5)
    assert refused.status_code == 409
    assert refused.json() == {"code": 1005, "message": 'Email "Interviewer1@herp-demo.example" has already been used.'}


def test_a_body_zoom_would_reject_is_refused(sandbox, account_token):
    no_type = {"action": "custCreate", "user_info": {"email": "x@herp-demo.example"}}
    refused = requests.post(f"{sandbox.api_url}/users", headers=bearer(account_token), json=no_type, timeout=5)
    assert refused.status_code == 400
    assert refused.json()["code"] == 300
    assert "type" in refused.json()["message"]
    assert "x@herp-demo.example" not in [user["email"] for user in sandbox.state.snapshot()["users"]]


def test_a_member_cannot_create_users(sandbox):
    # A member signs in through the consent app: their token acts for themselves only.
    code = sandbox.state.new_code(OAUTH[0], "sbxUserIntv1000000001", "http://127.0.0.1/cb", None)
    token = requests.post(sandbox.url + "/oauth/token", auth=OAUTH, timeout=5, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1/cb"}).json()["access_token"]
    refused = requests.post(f"{sandbox.api_url}/users", headers=bearer(token), json=NEW_USER, timeout=5)
    assert refused.status_code == 400
    assert refused.json() == {"code": 200, "message": "No permission."}
