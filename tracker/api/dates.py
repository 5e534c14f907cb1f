"""GET /api/v1/dates: how the tracker reads a date as written (the milestone form's preview)."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import gettext as _

from tracker import services
from tracker.api import bp
from tracker.api.errors import ApiError, service_error
from tracker.api.inputs import check_query, date_arg

DUE_TEXT_MAX = 200  # as the milestone form's and the API's due field


@bp.get("/dates")
def parse_date_text() -> Response:
    """The window `text` is read as (start, end, precision); `reference` anchors a relative date
    ("over the past two years"). An unreadable date is a 422 naming the field `text`."""
    check_query({"text", "reference"})
    text = request.args.get("text", "")
    if not text.strip():
        raise ApiError(400, _("text is missing: give the date as written, e.g. April 2012"), "text")
    if len(text) > DUE_TEXT_MAX:
        raise ApiError(
            400,
            _("text is longer than %(limit)s characters", limit=DUE_TEXT_MAX),
            "text",
        )
    reference = date_arg("reference")
    try:
        window = services.parse_due(text, reference)
    except services.ServiceError as error:
        raise service_error(error, 422, "text") from None
    return jsonify(
        {
            "text": text,
            "start": window.start.isoformat(),
            "end": window.end.isoformat(),
            "precision": window.precision.value,
        }
    )
