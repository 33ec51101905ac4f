"""Requests and responses of the sandbox checked against Zoom's own OpenAPI descriptions.

The descriptions are read at run time (never copied): from ``ZOOM_OPENAPI_DIR`` or the
``shared/zoom-openapi`` folder beside the repository.
"""

import json
import os
import re
from pathlib import Path

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.validators import V30RequestBodyValidator, V30RequestParametersValidator
from openapi_core.validation.response.validators import V30ResponseDataValidator
from werkzeug.datastructures import Headers, ImmutableMultiDict

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
    """A request Zoom would reject, or an answer Zoom would never give."""


class SpecMissing(RuntimeError):
    """The sandbox does not start without Zoom's descriptions: it would check nothing."""


class UnknownOperation(LookupError):
    """A method and path that are not an operation of Zoom's API."""


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
        missing = [str(folder / name) for name in SPEC_FILES if not (folder / name).is_file()]
        if missing:
            raise SpecMissing(
                f"Zoom's OpenAPI description(s) not found: {', '.join(missing)}. The sandbox checks every "
                "request and answer against them: set ZOOM_OPENAPI_DIR (or --openapi-dir) to their folder."
            )
        self.folder = folder
        self.specs = [OpenAPI.from_dict(untangle_one_of(json.loads((folder / name).read_text()))).spec
                      for name in SPEC_FILES]

    def operation(self, method, path):
        """The spec that documents ``method path`` (path after /v2), or UnknownOperation naming it."""
        for spec in self.specs:
            for template, item in spec["paths"].items():
                if method.lower() in item and _matches(template, path):
                    return spec
        raise UnknownOperation(f"{method.upper()} /v2{path} is not an operation of Zoom's API")

    def validate_request(self, method, path, query=None, body=None):
        """Raise ValidationFailed with the validator's reason for a request Zoom would reject."""
        spec = self.operation(method, path)
        request = _Request(method, path, query, _single_weekday(body))
        for validator in (V30RequestParametersValidator, V30RequestBodyValidator):
            try:
                validator(spec, extra_format_validators={"date-time": _is_zoom_date_time}).validate(request)
            except Exception as error:  # noqa: BLE001 - every validation error becomes Zoom's 300
                raise ValidationFailed(_reason(error)) from None

    def validate_response(self, method, path, status, body):
        """Raise ValidationFailed when an answer is not one Zoom documents for this operation.

        A success must have the documented status and match its schema; Zoom documents its
        errors by status and code only, always as ``{"code": int, "message": str}``."""
        spec = self.operation(method, path)
        if status >= 400:
            if not (isinstance(body, dict) and isinstance(body.get("code"), int)
                    and isinstance(body.get("message"), str)):
                raise ValidationFailed(f"{method} {path}: error {status} is not Zoom's {{code, message}}: {body!r}")
            return
        documented = [str(code) for code in _operation_item(spec, method, path)[method.lower()]["responses"].keys()]
        if str(status) not in documented:
            raise ValidationFailed(f"{method} {path}: Zoom answers {', '.join(documented)}, not {status}")
        try:
            V30ResponseDataValidator(spec, extra_format_validators={"date-time": _is_zoom_date_time}).validate(
                _Request(method, path), _Response(status, _single_weekday(body)))
        except Exception as error:  # noqa: BLE001
            raise ValidationFailed(f"{method} {path}: {_reason(error)}") from None


def _alternative_objects(variants):
    """Whether ``variants`` are objects that only their field names tell apart (no field required)."""
    if not isinstance(variants, list) or len(variants) < 2 or not all(
            isinstance(variant, dict) and variant.get("type") == "object" and "$ref" not in variant
            and not variant.get("required") and "additionalProperties" not in variant for variant in variants):
        return False
    names = [set(variant.get("properties") or {}) for variant in variants]
    return sum(len(each) for each in names) == len(set().union(*names))


def untangle_one_of(node):
    """Zoom's descriptions in which a oneOf no answer can satisfy becomes the check Zoom means.

    "Get user settings" answers one of several groups of settings (chosen by its ``option``
    parameter), described as a oneOf of objects without a required field: every object is valid
    under all of them, so oneOf refuses every answer, Zoom's own included. Such alternatives are
    told apart by their field names, so each becomes an object of its own fields only, and the
    answer must be one of them: a field of no group, or a value its group forbids, is still refused.
    """
    if isinstance(node, list):
        return [untangle_one_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: untangle_one_of(value) for key, value in node.items()}
    if "discriminator" not in node and _alternative_objects(node.get("oneOf")):
        node["anyOf"] = [dict(variant, additionalProperties=False) for variant in node.pop("oneOf")]
    return node


def _operation_item(spec, method, path):
    return next(item for template, item in spec["paths"].items()
                if method.lower() in item and _matches(template, path))


def _single_weekday(body):
    """The body with ``recurrence.weekly_days`` "1,3" checked as "1": the schema's enum lists single
    days while the field's own description asks for comma-separated days ("1,3" = Sunday, Tuesday)."""
    try:
        data = json.loads(body) if isinstance(body, (bytes, str)) and body else body
    except ValueError:
        return body
    recurrence = data.get("recurrence") if isinstance(data, dict) else None
    days = recurrence.get("weekly_days") if isinstance(recurrence, dict) else None
    if not isinstance(days, str) or "," not in days or not set(days.split(",")) <= set("1234567"):
        return body
    data = dict(data, recurrence=dict(recurrence, weekly_days=days.split(",")[0]))
    return json.dumps(data).encode() if isinstance(body, (bytes, str)) else data


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
