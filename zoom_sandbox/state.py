"""Everything the sandbox Zoom remembers: accounts, users, apps, grants, tokens, meetings."""

import copy
import json
import secrets
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from .random_faults import DEFAULTS as RANDOM_FAULTS

DEFAULT_SEED = Path(__file__).with_name("default_seed.json")
ROLE_IDS = {"Owner": "0", "Admin": "1", "Member": "2"}
CODE_TTL = 300
DEFAULT_DAILY_LIMIT = 100
# The scopes the sandbox's app was given (Zoom answers them with every token, space separated);
# /ctl/config changes them, e.g. to show a scope missing.
GRANTED_SCOPES = ("user:read:user:admin meeting:write:meeting:admin meeting:read:list_meetings:admin "
                  "meeting:read:meeting:admin meeting:update:meeting:admin meeting:delete:meeting:admin "
                  "user:read:settings:admin meeting:read:list_templates:admin meeting:read:participant:admin "
                  "meeting:read:summary:admin cloud_recording:read:recording:admin")
# A user's Concurrent Meeting option (Zoom's ``feature.concurrent_meeting``) when neither the seed's
# user nor /_sandbox/config's ``concurrent_meeting`` sets one.
CONCURRENT_MEETING_OPTIONS = ("Basic", "Plus", "None")
DEFAULT_CONCURRENT_MEETING = "None"


class ZoomError(Exception):
    """An answer in Zoom's error shape."""

    def __init__(self, status, code, message, headers=None, errors=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        # Zoom's list of the fields it refused (``field``, ``message``), when it names them.
        self.errors = errors


class SandboxState:
    def __init__(self, seed=None):
        self.lock = threading.RLock()
        self.seed = json.loads(Path(seed).read_text()) if isinstance(seed, (str, Path)) else (
            seed or json.loads(DEFAULT_SEED.read_text()))
        self.reset()

    def reset(self):
        with self.lock:
            self.accounts = {}
            self.users = {}
            for account in self.seed["accounts"]:
                account = copy.deepcopy(account)
                users = account.pop("users")
                self.accounts[account["id"]] = account
                for user in users:
                    user = dict(user, account_id=account["id"], account_number=account["account_number"])
                    user.setdefault("role_id", ROLE_IDS.get(user.get("role_name"), "2"))
                    self.users[user["id"]] = user
            self.apps = {app["client_id"]: dict(app) for app in self.seed["apps"]}
            self.codes = {}
            self.access_tokens = {}
            self.refresh_tokens = {}
            self.meetings = {}
            # AI Companion summaries by meeting instance UUID (see interview.py).
            self.summaries = {}
            self.added_users = 0
            self.daily_counts = {}
            self.next_meeting_id = 81000000000
            self.config = {"latency": 0.0, "daily_limit": DEFAULT_DAILY_LIMIT, "token_ttl": 3599,
                           "webhook_url": None, "webhook_secret": None, "locked_settings": [],
                           "granted_scopes": GRANTED_SCOPES,
                           # Every user's Concurrent Meeting option; None: each user's own from the seed.
                           "concurrent_meeting": None, **RANDOM_FAULTS}
            self.injected_faults = []
            self.faults = []
            self.requests = []
            # Answers the sandbox gave that Zoom's descriptions do not allow (a sandbox bug).
            self.contract_violations = []

    # ------------------------------------------------------------------ users
    def find_user(self, key):
        with self.lock:
            if key in self.users:
                return self.users[key]
            lowered = str(key).lower()
            return next((user for user in self.users.values() if user["email"].lower() == lowered), None)

    def add_user(self, account_id, email, first_name="", last_name="", user_type=2):
        """A new active member of the account, as Zoom's "Create users" makes one with custCreate.

        Zoom's address confirmation is left out: the user can host meetings at once.
        """
        with self.lock:
            if self.find_user(email):
                raise ZoomError(409, 1005, f'Email "{email}" has already been used.')
            self.added_users += 1
            account = self.accounts[account_id]
            user = {"id": f"sbxUserAdded{self.added_users:010d}", "email": email, "first_name": first_name,
                    "last_name": last_name, "role_name": "Member", "role_id": ROLE_IDS["Member"],
                    "type": user_type, "timezone": "UTC", "account_id": account_id,
                    "account_number": account["account_number"]}
            self.users[user["id"]] = user
            return user

    def public_user(self, user):
        return {
            "id": user["id"],
            "first_name": user["first_name"],
            "last_name": user["last_name"],
            "display_name": f"{user['first_name']} {user['last_name']}".strip(),
            "email": user["email"],
            "type": user["type"],
            "role_name": user["role_name"],
            "role_id": user["role_id"],
            "pmi": int("9" + user["id"][-9:].rjust(9, "0")) if user["id"][-9:].isdigit() else 9000000001,
            "use_pmi": False,
            "timezone": user.get("timezone", "UTC"),
            "verified": 1,
            "dept": "",
            "created_at": "2024-04-01T00:00:00Z",
            "last_login_time": "2026-11-01T00:00:00Z",
            "language": "en-US",
            "status": "active",
            "account_id": user["account_id"],
            "account_number": user["account_number"],
            "cluster": "us06",
            "user_created_at": "2024-04-01T00:00:00Z",
        }

    def user_settings(self, user):
        """The user's settings as Zoom's "Get user settings" answers them (the parts Zoom always sends)."""
        option = self.config["concurrent_meeting"] or user.get("concurrent_meeting") or DEFAULT_CONCURRENT_MEETING
        if option not in CONCURRENT_MEETING_OPTIONS:
            raise ValueError(f"concurrent_meeting must be one of {CONCURRENT_MEETING_OPTIONS}, not {option!r}")
        return {
            "feature": {"meeting_capacity": 100, "large_meeting": False, "webinar": False, "cn_meeting": False,
                        "in_meeting": False, "zoom_phone": False, "concurrent_meeting": option},
            "in_meeting": {"waiting_room": True, "chat": True, "breakout_room": True},
            "schedule_meeting": {"host_video": False, "participants_video": False, "join_before_host": False,
                                 "require_password_for_scheduling_new_meetings": True},
            "recording": {"local_recording": True, "cloud_recording": False},
        }

    # ------------------------------------------------------------------ OAuth
    def app(self, client_id, client_secret=None):
        app = self.apps.get(client_id)
        if not app or (client_secret is not None and not secrets.compare_digest(app["client_secret"], client_secret)):
            raise ZoomError(401, None, "Invalid client_id or client_secret")
        return app

    def new_code(self, client_id, user_id, redirect_uri, code_challenge):
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {"client_id": client_id, "user_id": user_id, "redirect_uri": redirect_uri,
                                "code_challenge": code_challenge, "expires": time.time() + CODE_TTL}
        return code

    def take_code(self, code):
        with self.lock:
            return self.codes.pop(code, None)

    def issue_tokens(self, client_id, user_id, account_id, with_refresh=True):
        """A token acting for ``user_id``; an owner/admin's (or an account token) acts for the account."""
        ttl = int(self.config["token_ttl"])
        access = "sbx-at-" + secrets.token_urlsafe(32)
        refresh = "sbx-rt-" + secrets.token_urlsafe(32) if with_refresh else None
        grant = {"client_id": client_id, "user_id": user_id, "account_id": account_id,
                 "expires": time.time() + ttl, "refresh": refresh,
                 "scopes": set(self.config["granted_scopes"].split())}
        with self.lock:
            self.access_tokens[access] = grant
            if refresh:
                self.refresh_tokens[refresh] = dict(grant, access=access)
        body = {"access_token": access, "token_type": "bearer", "expires_in": ttl,
                "scope": self.config["granted_scopes"], "api_url": "https://api.zoom.us"}
        if refresh:
            body["refresh_token"] = refresh
        return body

    def rotate(self, client_id, refresh):
        with self.lock:
            grant = self.refresh_tokens.pop(refresh, None)
            if not grant or grant["client_id"] != client_id:
                raise ZoomError(400, None, "Invalid Token!")
            # The previous access token stops working together with its refresh token.
            self.access_tokens.pop(grant["access"], None)
            return self.issue_tokens(client_id, grant["user_id"], grant["account_id"])

    def revoke(self, token):
        with self.lock:
            grant = self.access_tokens.pop(token, None)
            if grant and grant.get("refresh"):
                self.refresh_tokens.pop(grant["refresh"], None)
            refresh_grant = self.refresh_tokens.pop(token, None)
            if refresh_grant:
                self.access_tokens.pop(refresh_grant["access"], None)
            return bool(grant or refresh_grant)

    def expire_tokens(self):
        with self.lock:
            for grant in self.access_tokens.values():
                grant["expires"] = 0

    def grant_for(self, authorization):
        """The grant of a bearer token, or Zoom's 124 answer."""
        token = authorization[7:] if authorization and authorization.lower().startswith("bearer ") else None
        with self.lock:
            grant = self.access_tokens.get(token)
            if not grant or grant["expires"] < time.time():
                raise ZoomError(401, 124, "Invalid access token.")
            return grant

    def user_for_grant(self, grant, key):
        """The user ``key`` as seen by this grant (its own account only)."""
        if key == "me":
            if grant["user_id"]:
                return self.users[grant["user_id"]]
            # An account-level (Server-to-Server) token acts as the account's owner.
            return next(user for user in self.users.values()
                        if user["account_id"] == grant["account_id"] and user["role_name"] == "Owner")
        user = self.find_user(key)
        if not user or user["account_id"] != grant["account_id"]:
            raise ZoomError(404, 1001, f"User does not exist: {key}.")
        if grant["user_id"]:
            actor = self.users[grant["user_id"]]
            if actor["role_name"] not in ("Owner", "Admin") and actor["id"] != user["id"]:
                raise ZoomError(400, 200, "No permission.")
        return user

    # ------------------------------------------------------------------ meetings
    def count_create_or_update(self, user):
        """Zoom's per-user daily limit of meeting creations and updates (reset 00:00 UTC)."""
        day = datetime.now(timezone.utc).date().isoformat()
        with self.lock:
            count = self.daily_counts.get((user["id"], day), 0)
            if count >= int(self.config["daily_limit"]):
                raise ZoomError(429, 429, (
                    f"You have exceeded the daily rate limit ({self.config['daily_limit']}) of Meeting "
                    "Create/Update API requests permitted for this particular user. You may resume these "
                    "user-level requests at GMT 00:00:00."))
            self.daily_counts[(user["id"], day)] = count + 1

    def new_meeting_id(self):
        with self.lock:
            self.next_meeting_id += 7919
            return self.next_meeting_id

    def snapshot(self):
        with self.lock:
            return {
                "accounts": list(self.accounts.values()),
                "users": [self.public_user(user) for user in self.users.values()],
                "meetings": [dict(meeting) for meeting in self.meetings.values()],
                "tokens": {"access": len(self.access_tokens), "refresh": len(self.refresh_tokens)},
                "requests": list(self.requests),
                "config": dict(self.config),
                "contract_violations": list(self.contract_violations),
                "injected_faults": list(self.injected_faults),
            }
