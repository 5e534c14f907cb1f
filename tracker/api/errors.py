"""The one error shape of the API, for every failure under /api/v1 (even unrouted ones)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from tracker.api import bp
from tracker.i18n import http_reason
from tracker.inputs import InputError as ServiceError
from tracker.messages import describe

PREFIX = "/api/v1/"
MAX_BODY = 256 * 1024
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    500: "internal_error",
}


class ApiError(Exception):
    """A failure to answer with the API's error shape."""

    def __init__(self, status: int, message: str, field: str | None = None, code: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field
        self.code = code or ERROR_CODES.get(status, "error")


# The API's names for a few service fields (the JSON body's own names).
FIELD_NAMES = {"state": "states", "version": None, "recorded_by": None, "due_reference": "due"}


def service_error(
    error: ServiceError, status: int | None = None, field: str | None = "-"
) -> ApiError:
    """A refused service call as the API words it: by default 403, 409 or 422, naming the
    field the body calls it ('-'); a read passes its own status and field (None: no field)."""
    if status is None:
        status = {403: 403, 409: 409}.get(error.status_code, 422)
    if field == "-":
        field = FIELD_NAMES.get(error.field, error.field)
    return ApiError(status, describe(error), field)


def error_response(error: ApiError) -> Response:
    """The one JSON error shape, with the status and (for 401) the challenge."""
    body: dict[str, Any] = {"error": error.code, "message": error.message}
    if error.field:
        body["field"] = error.field
    response = jsonify(body)
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="nap-tracker"'
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error_response(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or []))
    messages = {
        404: _(
            "no such API path: %(path)s (see %(openapi)s)",
            path=request.path[:100],
            openapi=f"{PREFIX}openapi.json",
        ),
        405: _(
            "%(method)s is not allowed here; allowed: %(allowed)s",
            method=request.method,
            allowed=allowed,
        ),
        413: _("the body is larger than %(limit)s bytes", limit=max_body()),
    }
    response = error_response(ApiError(status, messages.get(status) or http_reason(error)))
    if status == 405:
        response.headers["Allow"] = allowed
    return response


def routing_error() -> Response | None:
    """Unknown paths and methods under /api/v1 answer in JSON too (no blueprint matched)."""
    failure = request.routing_exception
    if not request.path.startswith(PREFIX) or not isinstance(failure, HTTPException):
        return None
    if (failure.code or 0) < 400:
        return None  # e.g. a redirect to the canonical URL
    return _http_error(failure)


def max_body() -> int:
    """The largest request body the API reads, in bytes."""
    return int(current_app.config.get("API_MAX_BODY", MAX_BODY))
