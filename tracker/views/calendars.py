"""Calendar feeds: a State's milestones, or the deadlines across States, for calendar apps.

A calendar application cannot sign in, so a feed's address carries a personal calendar
token, in the path (`/calendar/<token>.ics`): calendar apps keep such addresses intact and
recognise them by the `.ics` ending. The older query form (`?token=`) keeps working for
existing subscriptions. Either way the token is part of the request line, so access logs
must not keep it: see `tracker.access_log`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import Blueprint, Response, abort, request, url_for
from flask_babel import gettext as _

from tracker import reports, services
from tracker.calendar_alarms import for_subscribers
from tracker.db import bookkeeping, get_session
from tracker.models import User
from tracker.reminders import parse_lead_days
from tracker.services import reminders as mail_services
from tracker.views.common import fail

bp = Blueprint("calendars", __name__)

# Calendar apps cannot sign in: these answer to a calendar token instead.
PUBLIC_ENDPOINTS = frozenset(
    {"calendars.deadlines_feed", "calendars.state_feed", "calendars.state_feed_by_query"}
)


def _check_token(token: str) -> User:
    user = services.user_for_token(get_session(), token, "calendar")
    if user is None:
        abort(
            403, description=_("This calendar link has no valid token (it may have been revoked).")
        )
    with bookkeeping() as books:
        services.record_token_use(books, token)
    return user


def _calendar(
    items: Sequence[reports.ReportItem], name: str, lead_days: Sequence[int] = ()
) -> Response:
    body = reports.items_ics(
        items,
        name,
        link=lambda i: url_for("milestones.detail", milestone_id=i, _external=True),
    )
    body = for_subscribers(body, lead_days)
    # content_type, not mimetype: Flask would add a second charset to a text/ mimetype
    return Response(body, content_type="text/calendar; charset=utf-8")


@bp.get("/calendar/<token>.ics")
def deadlines_feed(token: str) -> Response:
    """What is overdue or due within 90 days in the States the person follows (every State
    when they follow none), with alarms at their e-mail lead times."""
    session = get_session()
    user = _check_token(token)
    states = mail_services.subscribed_states(session, user)
    leads = parse_lead_days(mail_services.preferences(session, user.id).lead_days)
    report = reports.build_report(session, date.today(), states=states)
    return _calendar([*report.overdue, *report.upcoming], _("NAP deadlines"), leads)


@bp.get("/states/<code>/calendar/<token>.ics")
def state_feed(code: str, token: str) -> Response:
    """A State's milestones as a subscribable calendar; needs a personal calendar token."""
    _check_token(token)
    try:
        data = reports.timeline(get_session(), code, date.today())
    except services.ServiceError as error:
        fail(error)
    return _calendar(data.milestones, _("NAP milestones: %(name)s", name=data.name))


@bp.get("/states/<code>/calendar.ics")
def state_feed_by_query(code: str) -> Response:
    """The same feed at its first address, `?token=...`, kept for existing subscriptions."""
    return state_feed(code, request.args.get("token", ""))
