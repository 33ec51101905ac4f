"""Requests and responses of the sandbox checked against Zoom's own OpenAPI descriptions.

The descriptions are read at run time (never copied): from ``ZOOM_OPENAPI_DIR`` or the
``shared/zoom-openapi`` folder beside the repository.
"""

import json
import logging
import os
import re
from pathlib import Path

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.validators import V30RequestBodyValidator, V30RequestParametersValidator
from openapi_core.validation.response.validators import V30ResponseDataValidator
from werkzeug.datastructures import Headers, ImmutableMultiDict

_logger = logging.getLogger(__name__)

SPEC_FILES = ("zoom-meeting-open-api-spec.json", "zoom-users-open-api-spec.json")
ZOOM_API_HOST = "https://api.zoom.us"
# Zoom documents start_time as "yyyy-MM-ddTHH:mm:ssZ" or, with `timezone`, local "yyyy-MM-ddTHH:mm:ss".
_ZOOM_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def default_openapi_dir():
    configured = os.environ.get("ZOOM_OPENAPI_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared" / "zoom-openapi"


class ValidationFailed(Exception):
    pass


class _Request:
    """The minimal request protocol openapi-core reads, addressed to Zoom's own server URL."""

    def __init__(self, method, path, query=None, body=None):
        self.host_url = ZOOM_API_HOST
        self.path = "/v2" + path
        self.full_url_pattern = self.host_url + self.path
        self.method = method.lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list((query or {}).items())),
            header=Headers({"Content-Type": "application/json"}),
            cookie=ImmutableMultiDict(),
            path={},
        )
        self.content_type = "application/json"
        self.body = body if body is not None else b""


class _Response:
    def __init__(self, status, body):
        self.status_code = status
        self.data = json.dumps(body).encode() if body is not None else b""
        self.content_type = "application/json"
        self.headers = Headers({"Content-Type": "application/json"})


class ZoomSchemas:
    def __init__(self, openapi_dir=None):
        folder = Path(openapi_dir) if openapi_dir else default_openapi_dir()
        self.specs = []
        for name in SPEC_FILES:
            path = folder / name
            if not path.exists():
                _logger.warning("Zoom OpenAPI description %s not found: requests are not validated", path)
                continue
            document = json.loads(path.read_text())
            self.specs.append(OpenAPI.from_dict(document).spec)
        self.available = bool(self.specs)

    def _spec_for(self, method, path):
        for spec in self.specs:
            for template, item in spec["paths"].items():
                if method.lower() in item and _matches(template, path):
                    return spec
        return None

    def validate_request(self, method, path, query=None, body=None):
        """Raise ValidationFailed with the validator's reason for a request Zoom would reject."""
        spec = self._spec_for(method, path)
        if spec is None:
            return
        request = _Request(method, path, query, body)
        for validator in (V30RequestParametersValidator, V30RequestBodyValidator):
            try:
                validator(spec, extra_format_validators={"date-time": _is_zoom_date_time}).validate(request)
            except Exception as error:  # noqa: BLE001 - every validation error becomes Zoom's 300
                raise ValidationFailed(_reason(error)) from None

    def validate_response(self, method, path, status, body):
        """Raise ValidationFailed when a response does not match Zoom's documented schema."""
        spec = self._spec_for(method, path)
        if spec is None:
            raise ValidationFailed(f"no operation {method} {path}")
        try:
            V30ResponseDataValidator(spec, extra_format_validators={"date-time": _is_zoom_date_time}).validate(
                _Request(method, path), _Response(status, body))
        except Exception as error:  # noqa: BLE001
            raise ValidationFailed(_reason(error)) from None


def _matches(template, path):
    pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
    return re.match(pattern, path) is not None


def _is_zoom_date_time(value):
    return isinstance(value, str) and bool(_ZOOM_DATE_TIME.match(value))


def _reason(error):
    cause = error.__cause__
    details = getattr(cause, "schema_errors", None)
    if details:
        return "; ".join(getattr(item, "message", str(item)) for item in details)
    return str(cause or error)
