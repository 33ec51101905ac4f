import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import requests

from .conftest import ACCOUNT, OAUTH, S2S, bearer

REDIRECT = "http://localhost:8069/herp_zoom/oauth/callback"


def authorize(sandbox, login_as, challenge=None, state="st4te"):
    params = {"response_type": "code", "client_id": OAUTH[0], "redirect_uri": REDIRECT, "state": state,
              "login_as": login_as}
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    response = requests.get(sandbox.url + "/oauth/authorize", params=params, allow_redirects=False, timeout=5)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REDIRECT)
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def exchange(sandbox, code, verifier=None, auth=OAUTH):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    if verifier:
        data["code_verifier"] = verifier
    return requests.post(sandbox.url + "/oauth/token", auth=auth, data=data, timeout=5)


def test_consent_page_lists_every_sandbox_user_and_a_decline_button(sandbox):
    page = requests.get(sandbox.url + "/oauth/authorize", timeout=5, params={
        "response_type": "code", "client_id": OAUTH[0], "redirect_uri": REDIRECT, "state": "s"}).text
    for email in ("owner@herp-demo.example", "someone@other-corp.example", "personal@example.com"):
        assert f'id="login-{email}"' in page
    assert 'id="deny"' in page


def test_unknown_client_gets_no_consent_page(sandbox):
    response = requests.get(sandbox.url + "/oauth/authorize", timeout=5, params={
        "response_type": "code", "client_id": "nope", "redirect_uri": REDIRECT, "state": "s"})
    assert response.status_code == 400


def test_code_flow_with_pkce(sandbox):
    verifier = "v" * 50
    answer = authorize(sandbox, "owner@herp-demo.example", challenge=s256(verifier))
    assert answer["state"] == "st4te"
    assert exchange(sandbox, answer["code"], "w" * 50).status_code == 400
    answer = authorize(sandbox, "owner@herp-demo.example", challenge=s256(verifier))
    tokens = exchange(sandbox, answer["code"], verifier).json()
    assert set(tokens) >= {"access_token", "refresh_token", "expires_in", "token_type"}
    me = requests.get(sandbox.api_url + "/users/me", headers=bearer(tokens["access_token"]), timeout=5).json()
    assert me["email"] == "owner@herp-demo.example"
    assert me["role_name"] == "Owner"
    assert me["account_id"] == ACCOUNT


def test_code_is_single_use_and_needs_the_client_secret(sandbox):
    code = authorize(sandbox, "admin@herp-demo.example")["code"]
    assert exchange(sandbox, code, auth=(OAUTH[0], "wrong")).status_code == 401
    assert exchange(sandbox, code).status_code == 200
    reused = exchange(sandbox, code)
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"


def test_declining_redirects_with_access_denied(sandbox):
    answer = authorize(sandbox, "deny")
    assert answer["error"] == "access_denied"
    assert "code" not in answer


def test_refresh_rotates_and_the_old_refresh_token_stops_working(sandbox):
    tokens = exchange(sandbox, authorize(sandbox, "owner@herp-demo.example")["code"]).json()
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    renewed = requests.post(sandbox.url + "/oauth/token", auth=OAUTH, data=form, timeout=5)
    assert renewed.status_code == 200
    assert renewed.json()["refresh_token"] != tokens["refresh_token"]
    again = requests.post(sandbox.url + "/oauth/token", auth=OAUTH, data=form, timeout=5)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    old = requests.get(sandbox.api_url + "/users/me", headers=bearer(tokens["access_token"]), timeout=5)
    assert old.status_code == 401
    assert old.json() == {"code": 124, "message": "Invalid access token."}


def test_account_credentials_and_revoke(sandbox):
    wrong_account = requests.post(sandbox.url + "/oauth/token", auth=S2S, timeout=5,
                                  data={"grant_type": "account_credentials", "account_id": "other"})
    assert wrong_account.status_code == 400
    token = requests.post(sandbox.url + "/oauth/token", auth=S2S, timeout=5,
                          data={"grant_type": "account_credentials", "account_id": ACCOUNT}).json()
    assert "refresh_token" not in token
    users = requests.get(sandbox.api_url + "/users", headers=bearer(token["access_token"]), timeout=5).json()
    assert {user["email"] for user in users["users"]} >= {"owner@herp-demo.example", "interviewer1@herp-demo.example"}
    assert requests.post(sandbox.url + "/oauth/revoke", auth=S2S, data={"token": token["access_token"]},
                         timeout=5).json() == {"status": "success"}
    assert requests.get(sandbox.api_url + "/users/me", headers=bearer(token["access_token"]),
                        timeout=5).status_code == 401


def test_expired_tokens_are_refused(sandbox, account_token):
    requests.post(sandbox.url + "/_sandbox/tokens/expire", timeout=5)
    response = requests.get(sandbox.api_url + "/users/owner@herp-demo.example", headers=bearer(account_token), timeout=5)
    assert response.status_code == 401
    assert response.json()["code"] == 124


def test_member_token_acts_only_for_its_user_and_no_token_crosses_accounts(sandbox, account_token):
    member = exchange(sandbox, authorize(sandbox, "interviewer1@herp-demo.example")["code"]).json()["access_token"]
    assert requests.get(sandbox.api_url + "/users/me", headers=bearer(member), timeout=5).status_code == 200
    other = requests.get(sandbox.api_url + "/users/interviewer2@herp-demo.example", headers=bearer(member), timeout=5)
    assert other.status_code == 400
    foreign = requests.get(sandbox.api_url + "/users/someone@other-corp.example", headers=bearer(account_token), timeout=5)
    assert foreign.status_code == 404
    assert foreign.json()["code"] == 1001
