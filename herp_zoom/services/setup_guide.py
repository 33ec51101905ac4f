"""What the company's Zoom app must hold for the features in use: scopes and webhook events.

Each feature names the API endpoints it calls (their scopes come from the client's own
endpoint table, itself checked against Zoom's OpenAPI descriptions) and the webhook event
types it listens to.  A new feature registers itself with ``register_feature``; the settings
guide and the setup check read the registry, so they never fall out of step with the code.
"""

from dataclasses import dataclass

from ..utils.zoom_client import ENDPOINT_SCOPES, RESULT_ENDPOINT_SCOPES
from .meeting_results import RESULT_EVENTS, RESULT_SCOPES

KNOWN_ENDPOINT_SCOPES = {**ENDPOINT_SCOPES, **RESULT_ENDPOINT_SCOPES}


@dataclass(frozen=True)
class Feature:
    key: str
    # The zoom.account boolean that turns the feature on; None: always on while connected.
    setting: str | None = None
    endpoints: tuple = ()
    events: tuple = ()
    # Only for these connection types (None: both).
    auth_modes: tuple | None = None
    # Whether the app may go without the feature's scopes: the feature then reports what it
    # could not do instead of the setup failing.
    optional: bool = False
    # Scopes that come with webhook events rather than with an endpoint herp_zoom calls.
    event_scopes: tuple = ()

    @property
    def scopes(self):
        return tuple(dict.fromkeys(
            [KNOWN_ENDPOINT_SCOPES[endpoint] for endpoint in self.endpoints] + list(self.event_scopes)))


FEATURES = {}


def register_feature(feature):
    unknown = [endpoint for endpoint in feature.endpoints if endpoint not in KNOWN_ENDPOINT_SCOPES]
    if unknown:
        raise ValueError(f"No scope is known for {unknown}: add the endpoint to ENDPOINT_SCOPES first")
    FEATURES[feature.key] = feature
    return feature


register_feature(Feature(
    "meetings",
    endpoints=(
        ("GET", "/users/{userId}"),  # linking users, testing the connection
        ("POST", "/users/{userId}/meetings"),
        ("GET", "/users/{userId}/meetings"),  # the host's overlapping meetings
        ("GET", "/meetings/{meetingId}"),  # adopting a meeting whose creation answer was lost
        ("DELETE", "/meetings/{meetingId}"),  # undoing a meeting of a rolled-back transaction
    ),
))
register_feature(Feature("update_meetings", setting="update_meetings", endpoints=(("PATCH", "/meetings/{meetingId}"),)))
register_feature(Feature("delete_meetings", setting="delete_meetings", endpoints=(("DELETE", "/meetings/{meetingId}"),)))
# "Check setup" compares the simultaneous-meetings setting with the user's concurrent meeting option.
register_feature(Feature("plan_check", endpoints=(("GET", "/users/{userId}/settings"),), optional=True))
register_feature(Feature("zoom_changes", events=("meeting.deleted", "meeting.updated")))
register_feature(Feature("deauthorization", events=("app_deauthorized",)))
register_feature(Feature("meeting_templates", endpoints=(("GET", "/users/{userId}/meeting_templates"),)))
register_feature(Feature(
    "interview_results", setting="fetch_meeting_results",
    endpoints=(("GET", "/meetings/{meetingId}/meeting_summary"),),
    events=RESULT_EVENTS, event_scopes=RESULT_SCOPES,
))


def enabled_features(settings, auth_mode=None):
    """The features on for ``settings`` ({setting name: bool}) and the connection type."""
    return [
        feature for feature in FEATURES.values()
        if (feature.setting is None or settings.get(feature.setting))
        and (feature.auth_modes is None or auth_mode in feature.auth_modes)
    ]


def needed_scopes(features):
    return tuple(dict.fromkeys(scope for feature in features if not feature.optional for scope in feature.scopes))


def optional_scopes(features):
    """The scopes only optional features use (granting them lets those features work)."""
    needed = needed_scopes(features)
    return tuple(dict.fromkeys(scope for feature in features if feature.optional for scope in feature.scopes
                               if scope not in needed))


def needed_events(features):
    return tuple(dict.fromkeys(event for feature in features for event in feature.events))


def all_features(auth_mode=None):
    return [feature for feature in FEATURES.values() if feature.auth_modes is None or auth_mode in feature.auth_modes]


def all_scopes(auth_mode=None):
    """Every scope "Check setup" may ask for, whatever the settings: the guide lists these (asking for
    all of them up front spares a new consent when a feature is turned on later)."""
    return needed_scopes(all_features(auth_mode))


def all_optional_scopes(auth_mode=None):
    return optional_scopes(all_features(auth_mode))


def all_events(auth_mode=None):
    return needed_events(all_features(auth_mode))


def parse_scopes(value):
    """Zoom's ``scope`` answer (space separated) as a set."""
    return {scope for scope in (value or "").replace(",", " ").split() if scope}
