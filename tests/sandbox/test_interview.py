"""The sandbox plays a held interview as Zoom's signed webhooks, and answers its summary."""

from urllib.parse import quote

import requests

from .conftest import bearer
from .test_api import _Receiver, create, receiver  # noqa: F401 - the receiver fixture

EVENTS = ["meeting.started", "meeting.participant_joined", "meeting.participant_left", "meeting.participant_joined",
          "meeting.participant_left", "meeting.ended", "meeting.summary_completed", "recording.completed"]


def play(sandbox, url, meeting_id, **spec):
    return requests.post(sandbox.url + "/_sandbox/interviews/play", timeout=30, json={
        "url": url, "secret_token": "sandbox-webhook-secret", "meeting_id": meeting_id, **spec})


def test_interview_is_played_as_signed_events_zoom_describes(sandbox, account_token, receiver):  # noqa: F811
    meeting = create(sandbox, account_token).json()
    _Receiver.received.clear()
    answer = play(sandbox, receiver, meeting["id"], duration=45, recording=True,
                  summary={"title": "Interview", "content": "Good fit."},
                  participants=[{"name": "Ichiro", "email": "interviewer1@herp-demo.example", "join": 0},
                                {"name": "Chika", "email": "chika@candidate.example", "join": 3, "leave": 40}])
    assert answer.status_code == 200
    played = answer.json()
    assert [delivery["event"] for delivery in played["deliveries"]] == EVENTS
    assert {delivery["status"] for delivery in played["deliveries"]} == {200}
    assert [data["event"] for data, _signed in _Receiver.received] == EVENTS
    assert all(signed for _data, signed in _Receiver.received)
    by_event = {}
    for data, _signed in _Receiver.received:
        by_event.setdefault(data["event"], []).append(data["payload"]["object"])
    assert by_event["meeting.participant_joined"][1]["participant"]["join_time"] == "2030-03-04T01:03:00Z"
    assert by_event["meeting.ended"][0]["end_time"] == "2030-03-04T01:45:00Z"
    assert by_event["recording.completed"][0]["duration"] == 45
    assert by_event["meeting.summary_completed"][0]["meeting_uuid"] == played["uuid"]
    # The summary the event announced is the one GET meeting_summary answers (checked against Zoom's description).
    path = f"/meetings/{quote(quote(played['uuid'], safe=''), safe='')}/meeting_summary"
    summary = requests.get(sandbox.api_url + path, headers=bearer(account_token), timeout=5)
    assert summary.status_code == 200
    assert summary.json()["summary_content"] == "Good fit."
    assert requests.get(sandbox.api_url + "/meetings/unknown%3D%3D/meeting_summary", headers=bearer(account_token),
                        timeout=5).json() == {"code": 3001, "message": "Meeting summary does not exist: unknown==."}


def test_interview_without_a_candidate_and_an_unknown_meeting(sandbox, account_token, receiver):  # noqa: F811
    meeting = create(sandbox, account_token).json()
    _Receiver.received.clear()
    played = play(sandbox, receiver, meeting["id"], participants=[{"name": "Ichiro", "join": 0}]).json()
    assert [delivery["event"] for delivery in played["deliveries"]] == EVENTS[:3] + ["meeting.ended"]
    assert play(sandbox, receiver, 123).status_code == 404


def test_an_event_zoom_would_not_send_is_refused_before_sending(sandbox, account_token, receiver):  # noqa: F811
    meeting = create(sandbox, account_token).json()
    _Receiver.received.clear()
    answer = play(sandbox, receiver, meeting["id"], participants=[{"name": "Ichiro", "email": 42, "join": 0}])
    assert answer.status_code == 400
    assert "participant" in answer.json()["message"]
    assert _Receiver.received == []


def test_command_plays_an_interview(sandbox, account_token, receiver, capsys):  # noqa: F811
    from zoom_sandbox.play_interview import main

    meeting = create(sandbox, account_token).json()
    _Receiver.received.clear()
    code = main(["--sandbox", sandbox.url, "--odoo", receiver.rsplit("/hook", 1)[0], "--meeting-id", str(meeting["id"]),
                 "--participant", "Ichiro,interviewer1@herp-demo.example", "--summary", "Fine.", "--recording"])
    assert code == 0
    assert [data["event"] for data, _signed in _Receiver.received] == [
        "meeting.started", "meeting.participant_joined", "meeting.participant_left", "meeting.ended",
        "meeting.summary_completed", "recording.completed"]
    assert '"uuid"' in capsys.readouterr().out
