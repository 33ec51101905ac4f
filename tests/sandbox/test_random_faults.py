"""Faults at random (load tests): a share of the API requests fails as Zoom and the network do."""

import pytest
import requests

from .conftest import bearer
from .test_api import create, meeting_body, HOST


def configure(sandbox, **config):
    return requests.post(sandbox.url + "/_sandbox/config", json=config, timeout=5).json()


def test_no_random_fault_by_default(sandbox, account_token):
    assert all(create(sandbox, account_token).status_code == 201 for _ in range(20))
    assert requests.get(sandbox.url + "/_sandbox/state", timeout=5).json()["injected_faults"] == []


@pytest.mark.parametrize("kind, status, retry_after", [("unavailable", 503, None), ("rate_limited", 429, "1")])
def test_status_faults(sandbox, account_token, kind, status, retry_after):
    configure(sandbox, fault_rate=1.0, fault_kinds=[kind])
    answer = create(sandbox, account_token)
    assert answer.status_code == status
    assert answer.headers.get("Retry-After") == retry_after
    assert answer.json()["code"] == status
    state = requests.get(sandbox.url + "/_sandbox/state", timeout=5).json()
    assert state["meetings"] == []
    assert [fault["kind"] for fault in state["injected_faults"]] == [kind]


def test_timeout_fault_outlasts_the_client(sandbox, account_token):
    configure(sandbox, fault_rate=1.0, fault_kinds=["timeout"], fault_timeout=1.0)
    with pytest.raises(requests.Timeout):
        requests.post(f"{sandbox.api_url}/users/{HOST}/meetings", headers=bearer(account_token),
                      json=meeting_body(), timeout=0.3)


def test_lost_answer_creates_the_meeting(sandbox, account_token):
    configure(sandbox, fault_rate=1.0, fault_kinds=["lost_answer"])
    with pytest.raises(requests.ConnectionError):
        create(sandbox, account_token)
    assert len(requests.get(sandbox.url + "/_sandbox/meetings", timeout=5).json()["meetings"]) == 1


def test_requests_zoom_would_refuse_are_refused_before_any_fault(sandbox, account_token):
    configure(sandbox, fault_rate=1.0, fault_kinds=["unavailable"])
    refused = create(sandbox, account_token, duration="sixty")
    assert refused.status_code == 400
    assert requests.get(sandbox.url + "/_sandbox/state", timeout=5).json()["injected_faults"] == []


def test_rate_strikes_about_that_share(sandbox, account_token):
    configure(sandbox, fault_rate=0.3, fault_kinds=["unavailable"], daily_limit=10**6)
    statuses = [create(sandbox, account_token).status_code for _ in range(200)]
    assert set(statuses) == {201, 503}
    assert 30 <= statuses.count(503) <= 90
