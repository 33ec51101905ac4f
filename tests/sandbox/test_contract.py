"""The sandbox holds to Zoom's OpenAPI descriptions: it does not start without them, refuses what is
not Zoom's API, validates requests also when a fault is injected, and checks its own answers."""

import shutil

import pytest
import requests

from zoom_sandbox import SandboxServer
from zoom_sandbox.validation import SPEC_FILES, SpecMissing, default_openapi_dir

from .conftest import bearer
from .test_api import HOST, add_fault, create


def test_a_missing_description_stops_the_sandbox_from_starting(tmp_path):
    shutil.copy(default_openapi_dir() / SPEC_FILES[0], tmp_path / SPEC_FILES[0])
    with pytest.raises(SpecMissing, match=SPEC_FILES[1]):
        SandboxServer(port=0, openapi_dir=tmp_path)


@pytest.mark.parametrize("method, path", [
    ("PUT", "/meetings/81000007919"),
    ("GET", "/meetings/81000007919/no_such_thing"),
    ("POST", "/users/me/webinars_typo"),
])
def test_what_is_not_zoom_s_api_is_a_404_that_names_it(sandbox, account_token, method, path):
    response = requests.request(method, sandbox.api_url + path, headers=bearer(account_token), json={}, timeout=5)
    assert response.status_code == 404
    assert response.json() == {"code": 404, "message": f"{method} /v2{path} is not an operation of Zoom's API"}


def test_an_unknown_sandbox_route_is_a_404_that_names_it(sandbox):
    response = requests.get(sandbox.url + "/oauth/authorise", timeout=5)
    assert response.status_code == 404
    assert response.json()["message"] == "No route GET /oauth/authorise in the Zoom sandbox"


def test_a_request_zoom_would_refuse_is_refused_although_a_fault_is_waiting(sandbox, account_token):
    add_fault(sandbox, method="POST", path="/meetings$", action="status", status=503, times=1,
              body={"code": 503, "message": "Service unavailable"})
    refused = create(sandbox, account_token, duration="sixty")
    assert refused.status_code == 400
    assert refused.json()["code"] == 300
    assert "Validation Failed." in refused.json()["message"]
    # The fault is still there for the next valid request.
    assert create(sandbox, account_token).status_code == 503
    assert create(sandbox, account_token).status_code == 201


def test_an_answer_zoom_would_not_give_is_reported(sandbox, account_token):
    meeting = create(sandbox, account_token).json()
    # A sandbox bug: a meeting whose type is not one of Zoom's.
    sandbox.state.meetings[meeting["id"]]["type"] = "scheduled"
    assert requests.get(f"{sandbox.api_url}/meetings/{meeting['id']}", headers=bearer(account_token),
                        timeout=5).status_code == 200
    [violation] = sandbox.state.contract_violations
    assert violation.startswith(f"GET /v2/meetings/{meeting['id']}: ")
    assert "Failed to cast value to integer type: scheduled" in violation
    sandbox.state.contract_violations.clear()


WEEKLY = {"type": 2, "repeat_interval": 1, "weekly_days": "3,5", "end_times": 6}


def meeting_url(sandbox, meeting_id, occurrence_id=None):
    url = f"{sandbox.api_url}/meetings/{meeting_id}"
    return url + (f"?occurrence_id={occurrence_id}" if occurrence_id else "")


def test_recurring_meeting_with_a_fixed_time_has_zoom_s_occurrences(sandbox, account_token):
    # 2030-03-04 is a Monday; Tuesdays and Thursdays at 10:00 in Tokyo, six times.
    created = create(sandbox, account_token, type=8, recurrence=WEEKLY)
    assert created.status_code == 201
    meeting = created.json()
    assert meeting["type"] == 8
    assert meeting["recurrence"] == WEEKLY
    assert [item["start_time"] for item in meeting["occurrences"]] == [
        "2030-03-05T01:00:00Z", "2030-03-07T01:00:00Z", "2030-03-12T01:00:00Z",
        "2030-03-14T01:00:00Z", "2030-03-19T01:00:00Z", "2030-03-21T01:00:00Z"]
    assert {item["status"] for item in meeting["occurrences"]} == {"available"}


def test_one_occurrence_is_moved_or_deleted_and_the_series_changed(sandbox, account_token):
    meeting = create(sandbox, account_token, type=8, recurrence=WEEKLY).json()
    second = meeting["occurrences"][1]["occurrence_id"]
    moved = requests.patch(meeting_url(sandbox, meeting["id"], second), headers=bearer(account_token), timeout=5,
                           json={"start_time": "2030-03-07T15:00:00", "duration": 30})
    assert moved.status_code == 204
    occurrence = requests.get(meeting_url(sandbox, meeting["id"], second), headers=bearer(account_token),
                              timeout=5).json()
    assert (occurrence["start_time"], occurrence["duration"]) == ("2030-03-07T06:00:00Z", 30)
    assert requests.delete(meeting_url(sandbox, meeting["id"], second), headers=bearer(account_token),
                           timeout=5).status_code == 204
    series = requests.get(meeting_url(sandbox, meeting["id"]), headers=bearer(account_token), timeout=5).json()
    assert [item["status"] for item in series["occurrences"]].count("deleted") == 1
    gone = requests.get(meeting_url(sandbox, meeting["id"], second), headers=bearer(account_token), timeout=5)
    assert gone.status_code == 400
    assert gone.json() == {"code": 3000, "message": f"Invalid occurrence_id: {second}."}
    # The whole series moves to Wednesdays, three times.
    changed = requests.patch(meeting_url(sandbox, meeting["id"]), headers=bearer(account_token), timeout=5,
                             json={"recurrence": {"type": 2, "weekly_days": "4", "end_times": 3}})
    assert changed.status_code == 204
    series = requests.get(meeting_url(sandbox, meeting["id"]), headers=bearer(account_token), timeout=5).json()
    assert [item["start_time"] for item in series["occurrences"]] == [
        "2030-03-06T01:00:00Z", "2030-03-13T01:00:00Z", "2030-03-20T01:00:00Z"]


@pytest.mark.parametrize("recurrence, reason", [
    ({"type": 2, "end_times": 3}, "weekly_days is required"),
    ({"type": 1, "end_times": 3, "end_date_time": "2030-04-01T00:00:00Z"}, "cannot be used together"),
])
def test_recurrences_zoom_refuses(sandbox, account_token, recurrence, reason):
    refused = create(sandbox, account_token, type=8, recurrence=recurrence)
    assert refused.status_code == 400
    assert refused.json()["code"] == 300
    assert reason in refused.json()["message"]
    too_many = create(sandbox, account_token, type=8, recurrence={"type": 1, "end_times": 61})
    assert too_many.status_code == 400
    assert "61 is greater than the maximum of 60" in too_many.json()["message"]


def test_monthly_by_weekday_and_no_fixed_time(sandbox, account_token):
    # The last Friday of each month, three times.
    monthly = create(sandbox, account_token, type=8, recurrence={
        "type": 3, "monthly_week": -1, "monthly_week_day": 6, "end_times": 3}).json()
    assert [item["start_time"] for item in monthly["occurrences"]] == [
        "2030-03-29T01:00:00Z", "2030-04-26T01:00:00Z", "2030-05-31T01:00:00Z"]
    floating = create(sandbox, account_token, type=3)
    assert floating.status_code == 201
    assert "start_time" not in floating.json()
    assert "occurrences" not in floating.json()
    listed = requests.get(f"{sandbox.api_url}/users/{HOST}/meetings", headers=bearer(account_token), timeout=5)
    assert listed.status_code == 200
