"""The JSON API at /api/v1: read States, plans, milestones, notes and the report; record changes.

Clients authenticate with a personal token (`Authorization: Bearer nap_...`); cookies are
ignored, which is why the blueprint is exempt from CSRF. Every failure answers with one
shape: {"error": code, "message": for a person, "field": when one field is at fault}.

ETags are strong and name the milestone's stored version ("3"): edits and status changes
bump it. Conditional writes need them (If-Match uses strong comparison, RFC 9110 13.1.1;
an unquoted 3 is read as "3", a weak W/"3" never matches, and * is refused with 428).
They are not cache validators: a milestone's flag moves with the as-of date and a new
citation changes the body without a new version, so If-None-Match is not answered with 304.

Modules: errors (the error shape), access (tokens and roles), inputs (parameters and
bodies), serializers (JSON shapes), reading and writing (the endpoints).
"""

from __future__ import annotations

from flask import Blueprint, Flask

from tracker.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# The endpoint modules register themselves on bp.
from tracker.api import access, dates, errors, lists, reading, search, writing  # noqa: E402, F401


def init_app(app: Flask) -> None:
    """Register the API; it authenticates by token, so cookies' CSRF checks do not apply."""
    app.register_blueprint(bp)
    csrf.exempt(bp)
    # Before any other hook: a mistyped API URL must answer in JSON, not redirect to a login.
    app.before_request_funcs.setdefault(None, []).insert(0, errors.routing_error)
