"""The only code of herp_zoom that speaks HTTP to Zoom.

Base URLs come from the ``herp_zoom.api_url`` / ``herp_zoom.oauth_url`` system
parameters, so the same code talks to Zoom or to a Zoom sandbox.  Every call has a
timeout, goes only to those two hosts, and maps Zoom's answers to a few typed errors
whose messages a user can act on.  Tokens and secrets are never logged and never put
in an error message.
"""

import email.utils
import functools
import http.cookiejar
import logging
import os
import threading
import time
from urllib.parse import urlencode, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from odoo.tools.translate import LazyTranslate

from ..services.meeting_settings import refused_setting

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

TIMEOUT = 20
DEFAULT_API_URL = "https://api.zoom.us/v2"
DEFAULT_OAUTH_URL = "https://zoom.us"

# The API endpoints the client calls, each with the granular scope Zoom's OpenAPI description
# lists for it (``security``); the settings ask the administrator to grant all of them.
ENDPOINT_SCOPES = {
    ("GET", "/users/{userId}"): "user:read:user:admin",
    ("POST", "/users/{userId}/meetings"): "meeting:write:meeting:admin",
    ("GET", "/users/{userId}/meetings"): "meeting:read:list_meetings:admin",
    ("GET", "/meetings/{meetingId}"): "meeting:read:meeting:admin",
    ("PATCH", "/meetings/{meetingId}"): "meeting:update:meeting:admin",
    ("DELETE", "/meetings/{meetingId}"): "meeting:delete:meeting:admin",
    ("GET", "/users/{userId}/meeting_templates"): "meeting:read:list_templates:admin",
    ("GET", "/users/{userId}/settings"): "user:read:settings:admin",
}
# Only with "Bring interview results back from Zoom" (see services.meeting_results).
RESULT_ENDPOINT_SCOPES = {
    ("GET", "/meetings/{meetingId}/meeting_summary"): "meeting:read:summary:admin",
}
# Endpoints whose scope the app may go without: only "Check setup" reads them, and it says what
# it could not compare instead of failing.
OPTIONAL_ENDPOINTS = (("GET", "/users/{userId}/settings"),)
REQUIRED_SCOPES = tuple(dict.fromkeys(
    scope for endpoint, scope in ENDPOINT_SCOPES.items() if endpoint not in OPTIONAL_ENDPOINTS))
OPTIONAL_SCOPES = tuple(dict.fromkeys(
    ENDPOINT_SCOPES[endpoint] for endpoint in OPTIONAL_ENDPOINTS if ENDPOINT_SCOPES[endpoint] not in REQUIRED_SCOPES))

# Zoom error codes (body ``code``) that mean something to us.
ZOOM_CODE_INVALID_TOKEN = 124
ZOOM_CODE_USER_NOT_FOUND = 1001
ZOOM_CODE_MEETING_NOT_FOUND = 3001
# "Invalid access token, does not contain scopes: [...]": the token lacks the call's scope.
ZOOM_CODE_SCOPE_MISSING = 4711
DAILY_LIMIT_MARKER = "daily rate limit"


class ZoomError(Exception):
    """Base of every error the client raises; ``retryable`` tells whether trying
    again later may succeed."""

    retryable = False
    default_message = _lt("Zoom answered with an error.")

    def __init__(self, message=None, *, status=None, zoom_code=None, retry_after=None):
        self.lazy_message = message or self.default_message
        self.status = status
        self.zoom_code = zoom_code
        self.retry_after = retry_after
        # English for Python's own text of the error (logs): where no user's language is known
        # (JSON-RPC workers, the scheduled action) Odoo would log a warning with a stack trace.
        super().__init__(self.lazy_message._translate("en_US") if hasattr(self.lazy_message, "_translate")
                         else str(self.lazy_message))

    def message_for(self, env):
        """The message in the language of ``env``."""
        if hasattr(self.lazy_message, "_translate"):
            return self.lazy_message._translate(env.lang or "en_US")
        return str(self.lazy_message)


class ZoomNotConnected(ZoomError):
    default_message = _lt(
        "The company's Zoom account is not connected. An administrator can connect it "
        "in Settings > Calendar > Zoom."
    )


class ZoomReauthorizationNeeded(ZoomError):
    default_message = _lt(
        "Zoom no longer accepts the company's authorization. An administrator must "
        "connect the Zoom account again in Settings."
    )


class ZoomUserNotInAccount(ZoomError):
    default_message = _lt(
        "This Zoom user does not belong to the company's Zoom account. Link the work Zoom "
        "user of the company account instead."
    )


class ZoomMeetingNotFound(ZoomError):
    default_message = _lt("The Zoom meeting no longer exists in Zoom.")


class ZoomRateLimited(ZoomError):
    retryable = True
    default_message = _lt("Zoom is receiving too many requests; it will be tried again shortly.")

    def __init__(self, message=None, *, daily=False, **kwargs):
        self.daily = daily
        super().__init__(message, **kwargs)


class ZoomUnavailable(ZoomError):
    retryable = True
    default_message = _lt("Zoom could not be reached or did not answer properly; it will be tried again.")


class ZoomRequestRejected(ZoomError):
    """Zoom refused the request itself (4xx); sending it again will not help.

    ``details``: Zoom's error body (``code``, ``message``, ``errors``), which holds no secret.
    """

    def __init__(self, message=None, *, details=None, **kwargs):
        self.details = details if isinstance(details, dict) else {}
        super().__init__(message, **kwargs)


class ZoomSettingRefused(ZoomRequestRejected):
    """Zoom refused one meeting setting of the request (locked in the account, or not on its plan)."""

    def __init__(self, setting, message=None, **kwargs):
        self.setting = setting
        super().__init__(message or _lt("Zoom refused the meeting setting %s.", setting), **kwargs)


def parse_retry_after(value):
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int(when.timestamp() - time.time()))


_sessions = threading.local()


def shared_session():
    """The HTTP session of this process and thread: requests to Zoom reuse its kept-alive
    connections instead of a TCP and TLS handshake per meeting. Per thread because a
    ``requests.Session`` is not made for threads; per process because a forked worker must not
    share its parent's sockets."""
    session = getattr(_sessions, "session", None)
    if session is None or _sessions.pid != os.getpid():
        session = requests.Session()
        # Shared by every company of the database: no cookie one request gets travels with the next.
        session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        # The environment's proxy and CA bundle are read once per host (environment_settings),
        # not at every request; ~/.netrc never adds credentials to a request to Zoom.
        session.trust_env = False
        _sessions.session, _sessions.pid = session, os.getpid()
    return session


@functools.lru_cache(maxsize=32)
def environment_settings(origin):
    """(proxies, verify) for requests to ``origin`` (scheme://host) from the server's environment:
    HTTPS_PROXY / HTTP_PROXY / NO_PROXY and REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, as requests reads
    them."""
    verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    return requests.utils.get_environ_proxies(origin + "/"), verify


def make_pkce_pair(verifier=None):
    """(code_verifier, code_challenge) for the S256 method of RFC 7636."""
    verifier = verifier or generate_token(64)
    return verifier, create_s256_code_challenge(verifier)


class ZoomClient:
    """A thin client over Zoom's OAuth endpoints and REST API v2.

    ``token_getter(force_refresh=False)`` returns the access token to send; it is called
    again once with ``force_refresh=True`` when Zoom rejects a token as invalid.
    """

    def __init__(self, api_url=None, oauth_url=None, token_getter=None, timeout=None, session=None):
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self.oauth_url = (oauth_url or DEFAULT_OAUTH_URL).rstrip("/")
        self.token_getter = token_getter
        self.timeout = timeout or TIMEOUT
        self.session = session or shared_session()
        self._allowed_hosts = {urlsplit(self.api_url).netloc, urlsplit(self.oauth_url).netloc}

    # ------------------------------------------------------------------ transport
    def _do_request(self, method, url, *, headers=None, params=None, json_body=None, data=None, auth=None):
        """Send one request and return the decoded JSON body (None when empty)."""
        # Only the configured Zoom hosts ever receive a request (and a token).
        parts = urlsplit(url)
        if parts.netloc not in self._allowed_hosts:
            raise ZoomRequestRejected(_lt("Refusing to send a Zoom request to an unexpected host."))
        _logger.debug("Zoom request %s %s", method, parts.path)
        proxies, verify = environment_settings(f"{parts.scheme}://{parts.netloc}")
        try:
            response = self.session.request(
                method, url, headers=headers, params=params, json=json_body, data=data,
                auth=auth, timeout=self.timeout, proxies=dict(proxies), verify=verify,
            )
        except requests.Timeout as error:
            _logger.warning("Zoom request %s %s timed out", method, urlsplit(url).path)
            raise ZoomUnavailable(_lt("Zoom did not answer in time.")) from error
        except requests.RequestException as error:
            _logger.warning("Zoom request %s %s failed: %s", method, urlsplit(url).path, type(error).__name__)
            raise ZoomUnavailable(_lt("Zoom could not be reached.")) from error
        return self._handle_response(method, url, response)

    def _handle_response(self, method, url, response):
        status = response.status_code
        if status == 204 or (200 <= status < 300 and not response.content):
            return None
        try:
            body = response.json()
        except ValueError:
            body = None
        if 200 <= status < 300:
            if not isinstance(body, dict):
                _logger.warning("Zoom answered %s %s with a body that is not JSON", method, urlsplit(url).path)
                raise ZoomUnavailable(_lt("Zoom answered with an unreadable response."), status=status)
            return body
        body = body if isinstance(body, dict) else {}
        zoom_code = body.get("code")
        reason = body.get("message") or body.get("reason") or body.get("error") or ""
        _logger.info("Zoom answered %s %s with HTTP %s (code %s)", method, urlsplit(url).path, status, zoom_code)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if status == 429:
            if DAILY_LIMIT_MARKER in reason.lower():
                raise ZoomRateLimited(
                    _lt("This Zoom user has reached Zoom's limit of 100 meeting creations and "
                        "updates per day; it is lifted at 00:00 UTC."),
                    daily=True, status=status, zoom_code=zoom_code, retry_after=retry_after,
                )
            raise ZoomRateLimited(status=status, zoom_code=zoom_code, retry_after=retry_after)
        if status >= 500:
            raise ZoomUnavailable(
                _lt("Zoom is temporarily unavailable (HTTP %s).", status),
                status=status, zoom_code=zoom_code, retry_after=retry_after,
            )
        # Zoom answers wrong app credentials with 401 too: they are not a withdrawn authorization.
        if body.get("error") == "invalid_client":
            raise ZoomRequestRejected(
                _lt("Zoom rejected the Client ID or Client Secret. Check them in Settings."),
                status=status,
            )
        if status == 401 or zoom_code == ZOOM_CODE_INVALID_TOKEN or body.get("error") == "invalid_grant":
            raise ZoomReauthorizationNeeded(status=status, zoom_code=zoom_code)
        if zoom_code == ZOOM_CODE_USER_NOT_FOUND:
            raise ZoomUserNotInAccount(status=status, zoom_code=zoom_code)
        if zoom_code == ZOOM_CODE_MEETING_NOT_FOUND:
            raise ZoomMeetingNotFound(status=status, zoom_code=zoom_code)
        raise ZoomRequestRejected(
            _lt("Zoom refused the request: %s", reason[:200] or status), status=status, zoom_code=zoom_code,
            details={key: body[key] for key in ("code", "message", "errors") if key in body},
        )

    def _api(self, method, path, **kwargs):
        """An API v2 call with the bearer token; one retry with a fresh token on 401."""
        if not self.token_getter:
            raise ZoomNotConnected()
        url = self.api_url + path
        token = self.token_getter(force_refresh=False)
        try:
            return self._do_request(method, url, headers={"Authorization": f"Bearer {token}"}, **kwargs)
        except ZoomReauthorizationNeeded as error:
            if error.status != 401:
                raise
        # The token was revoked or expired early: refresh it once and try again.
        token = self.token_getter(force_refresh=True)
        return self._do_request(method, url, headers={"Authorization": f"Bearer {token}"}, **kwargs)

    # ------------------------------------------------------------------ OAuth
    def authorize_url(self, client_id, redirect_uri, state, code_challenge):
        query = urlencode({
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        })
        return f"{self.oauth_url}/oauth/authorize?{query}"

    def _token_request(self, client_id, client_secret, form):
        body = self._do_request(
            "POST", f"{self.oauth_url}/oauth/token", data=form, auth=(client_id, client_secret),
            headers={"Accept": "application/json"},
        )
        if not body or not body.get("access_token"):
            raise ZoomUnavailable(_lt("Zoom answered the token request without a token."))
        return body

    def exchange_code(self, client_id, client_secret, code, redirect_uri, code_verifier):
        return self._token_request(client_id, client_secret, {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        })

    def refresh_token(self, client_id, client_secret, refresh_token):
        return self._token_request(client_id, client_secret, {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
        })

    def account_credentials(self, client_id, client_secret, account_id):
        return self._token_request(client_id, client_secret, {
            "grant_type": "account_credentials",
            "account_id": account_id,
        })

    def revoke_token(self, client_id, client_secret, token):
        self._do_request(
            "POST", f"{self.oauth_url}/oauth/revoke", data={"token": token}, auth=(client_id, client_secret),
        )

    # ------------------------------------------------------------------ API v2
    def get_user(self, user_id="me", access_token=None):
        """A Zoom user; with ``access_token`` the call is made with that token only."""
        path = f"/users/{requests.utils.quote(str(user_id), safe='@')}"
        if access_token:
            return self._do_request(
                "GET", self.api_url + path, headers={"Authorization": f"Bearer {access_token}"},
            )
        return self._api("GET", path)

    def get_user_settings(self, user_id="me"):
        """A Zoom user's settings; ``feature.concurrent_meeting`` tells how many meetings it may host at once."""
        return self._api("GET", f"/users/{requests.utils.quote(str(user_id), safe='@')}/settings")

    def create_meeting(self, user_id, body):
        """Create a meeting; a refusal that names one of the body's settings is a ZoomSettingRefused."""
        try:
            return self._api("POST", f"/users/{requests.utils.quote(str(user_id), safe='@')}/meetings",
                             json_body=body)
        except ZoomSettingRefused:
            raise
        except ZoomRequestRejected as error:
            setting = refused_setting(error.details, body.get("settings") or {})
            if not setting:
                raise
            raise ZoomSettingRefused(setting, status=error.status, zoom_code=error.zoom_code,
                                     details=error.details) from None

    def list_meeting_templates(self, user_id="me"):
        """The meeting templates a Zoom user may use (``id``, ``name``, ``type``: 2 = the account's)."""
        body = self._api("GET", f"/users/{requests.utils.quote(str(user_id), safe='@')}/meeting_templates") or {}
        return [item for item in body.get("templates") or [] if isinstance(item, dict)]

    def list_upcoming_meetings(self, user_id, page_size=300):
        """Every upcoming meeting of a Zoom user (follows Zoom's pagination)."""
        meetings, page_token = [], None
        while True:
            params = {"type": "upcoming", "page_size": page_size}
            if page_token:
                params["next_page_token"] = page_token
            body = self._api(
                "GET", f"/users/{requests.utils.quote(str(user_id), safe='@')}/meetings", params=params,
            ) or {}
            meetings += body.get("meetings") or []
            page_token = body.get("next_page_token")
            if not page_token:
                return meetings

    def get_meeting(self, meeting_id):
        return self._api("GET", f"/meetings/{int(meeting_id)}")

    def update_meeting(self, meeting_id, body):
        return self._api("PATCH", f"/meetings/{int(meeting_id)}", json_body=body)

    def delete_meeting(self, meeting_id):
        return self._api("DELETE", f"/meetings/{int(meeting_id)}")

    def get_meeting_summary(self, meeting_uuid):
        """The AI Companion summary of one meeting instance, by its UUID (encoded twice when it
        starts with "/" or holds "//", as Zoom requires)."""
        encoded = requests.utils.quote(str(meeting_uuid), safe="")
        if str(meeting_uuid).startswith("/") or "//" in str(meeting_uuid):
            encoded = requests.utils.quote(encoded, safe="")
        return self._api("GET", f"/meetings/{encoded}/meeting_summary")
