import pytest
import requests

from zoom_sandbox import SandboxServer

S2S = ("sandbox-s2s-client", "sandbox-s2s-secret")
OAUTH = ("sandbox-oauth-client", "sandbox-oauth-secret")
ACCOUNT = "sbxAcct000000000000001"


@pytest.fixture(scope="module")
def sandbox():
    server = SandboxServer(port=0).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fresh(sandbox):
    """A fresh sandbox for each test; every answer it gave is one Zoom documents."""
    sandbox.state.reset()
    yield
    assert sandbox.state.contract_violations == []


@pytest.fixture
def account_token(sandbox):
    response = requests.post(sandbox.url + "/oauth/token", auth=S2S,
                             data={"grant_type": "account_credentials", "account_id": ACCOUNT}, timeout=5)
    assert response.status_code == 200
    return response.json()["access_token"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}
