"""What every page shares: the as-of date, the policy's answers, one commit per request."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import NoReturn, ParamSpec, TypeVar

from flask import abort, current_app, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response as BaseResponse

from tracker import inputs, policy, reports, services
from tracker.db import get_session
from tracker.messages import describe, reason, sentence, word

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
Page = str | tuple[str, int] | BaseResponse


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: ASCII digits only ('١٢' is no id). The range is the loaders'
    (inputs.parse_id): a range check here would turn PATCH of a huge id into a 405."""

    regex = r"[0-9]+"


def refuse_nul() -> None:
    """Backstop for the pages: 400 for a NUL in the path, a query parameter or a form field
    (PostgreSQL cannot hold or compare one); the API has its own, in its error shape."""
    if request.path.startswith("/api/"):
        return
    fields = [("path", request.path), *request.args.items(multi=True)]
    if request.method == "POST":
        fields += request.form.items(multi=True)
    name = inputs.nul_field(fields)
    if name is not None:
        abort(
            400,
            description=_(
                "%(name)s: NUL characters (U+0000) are not allowed", name=repr(name[:40])
            ),
        )


def requested_as_of() -> date:
    """The ?as_of= date (default: today); a bad one is a 400 that says why."""
    value = request.args.get("as_of", "").strip()
    if not value:
        return date.today()
    try:
        return inputs.parse_iso_date("as_of", value)
    except inputs.InputError as error:
        abort(400, description=describe(error))


def requested_within() -> int:
    """The ?within= horizon in days (default 90)."""
    raw = request.args.get("within", "").strip()
    if not raw:
        return reports.DEFAULT_WITHIN_DAYS
    try:
        return inputs.parse_days("within", raw, reports.MAX_WITHIN_DAYS)
    except inputs.InputError as error:
        abort(400, description=describe(error))


def fail(error: services.ServiceError) -> NoReturn:
    """Turn a service error into its HTTP status with the reason, in words."""
    if isinstance(error, policy.Forbidden):
        abort(403, description=sentence(reason(error)))
    if error.status_code == 404:  # the address names what was asked: no field name to read
        abort(404, description=describe(error, named=False))
    abort(error.status_code, description=describe(error))


def may_read() -> bool:
    """Signed-in users always; visitors when the setting allows."""
    return bool(current_user.is_authenticated or current_app.config.get("ANONYMOUS_READ", True))


def may(action: policy.Action, target: policy.Target = None) -> bool:
    """Whether the signed-in user (or visitor) may take this action: for templates and views."""
    return policy.allows(current_user._get_current_object(), action, target)


def allow(action: policy.Action, target: policy.Target = None) -> None:
    """403 with the policy's reason unless the user may take this action on the target."""
    refused = policy.refusal(current_user._get_current_object(), action, target)
    if refused is not None:
        abort(403, description=sentence(word(refused.code, refused.params)))


def requires(action: policy.Action) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare on a route that only users who may take this kind of action reach it."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            allow(action)
            return view(*args, **kwargs)

        return checked

    return decorate


def write(
    work: Callable[[Session], T], refused: Callable[[services.ServiceError], Page] | None = None
) -> T:
    """Run the request's change and commit once; a refused change rolls back and answers with
    `refused(error)` (by default the error page with the error's status and reason)."""
    session = get_session()
    try:
        result = work(session)
        session.commit()
    except services.ServiceError as error:
        session.rollback()
        if refused is None:
            fail(error)
        abort(make_response(refused(error)))
    except BaseException:
        session.rollback()
        raise
    return result


def milestone_link(as_of: str | None = None) -> Callable[[int], str]:
    """Milestone pages' addresses (opened as of the date, if given), from one url_for: a State's
    page links 658 milestones twice, and a url_for each took a fifth of its time."""
    one = url_for("milestones.detail", milestone_id=1, as_of=as_of)
    path, mark, query = one.partition("?")
    head = path.removesuffix("1")
    tail = mark + query
    return lambda milestone_id: f"{head}{int(milestone_id)}{tail}"
