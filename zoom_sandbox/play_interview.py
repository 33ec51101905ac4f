"""Play a held interview of a sandbox meeting to a running Odoo (see interview.py):

    python -m zoom_sandbox.play_interview --meeting-id 81000000000 \\
        --participant "Ichiro Interviewer,interviewer1@herp-demo.example" --participant "Chika Candidate" \\
        --summary "Strong on SQL; next: technical test." --recording
"""

import argparse
import json
import sys

import requests


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m zoom_sandbox.play_interview", description=__doc__.split("\n")[0])
    parser.add_argument("--sandbox", default="http://127.0.0.1:8071", help="the running Zoom sandbox")
    parser.add_argument("--odoo", default="http://localhost:8069", help="the running Odoo")
    parser.add_argument("--secret-token", default="sandbox-webhook-secret", help="the connection's webhook secret")
    parser.add_argument("--meeting-id", type=int, required=True, help="the interview's Zoom meeting ID")
    parser.add_argument("--participant", action="append", default=[], metavar="NAME[,EMAIL]",
                        help="someone who joins (in this order, a minute apart); none: nobody joins")
    parser.add_argument("--duration", type=int, default=45, help="minutes")
    parser.add_argument("--start-time", help="the instance's start, 2030-03-04T01:00:00Z (default: the meeting's)")
    parser.add_argument("--summary", help="the AI Companion summary Zoom then has")
    parser.add_argument("--recording", action="store_true", help="a cloud recording is completed")
    args = parser.parse_args(argv)
    participants = []
    for minute, text in enumerate(args.participant):
        name, _sep, email = text.partition(",")
        participants.append({"name": name.strip(), "email": email.strip(), "join": minute})
    spec = {"url": args.odoo.rstrip("/") + "/herp_zoom/webhook", "secret_token": args.secret_token,
            "meeting_id": args.meeting_id, "participants": participants, "duration": args.duration,
            "recording": args.recording}
    if args.summary:
        spec["summary"] = {"content": args.summary}
    if args.start_time:
        spec["start_time"] = args.start_time
    answer = requests.post(args.sandbox.rstrip("/") + "/_sandbox/interviews/play", json=spec, timeout=120)
    print(json.dumps(answer.json(), indent=2))
    return 0 if answer.ok and all(item["status"] == 200 for item in answer.json()["deliveries"]) else 1


if __name__ == "__main__":
    sys.exit(main())
