"""Who is asking: bearer tokens and anonymous reading; what they may do, as the policy says."""

from __future__ import annotations

from flask import Response, current_app, g, request
from flask_babel import gettext as _

from tracker import policy, services
from tracker.api import bp
from tracker.api.errors import ApiError, max_body
from tracker.db import bookkeeping, get_session
from tracker.messages import word
from tracker.models import User


@bp.before_request
def _before() -> None:
    """Refuse NULs and oversize bodies, then find who is asking."""
    _refuse_nul()
    request.max_content_length = max_body()
    if (request.content_length or 0) > max_body():
        raise ApiError(413, _("the body is larger than %(limit)s bytes", limit=max_body()))
    g.api_user = _token_user()
    # The document and the date reader show no data: the milestone form previews without a token.
    public = request.endpoint in ("api.openapi_document", "api.parse_date_text")
    reading = request.method in ("GET", "HEAD")
    if g.api_user is None and not public:
        if not reading:
            raise ApiError(401, _("send a personal API token: Authorization: Bearer <token>"))
        if not current_app.config.get("ANONYMOUS_READ", True):
            raise ApiError(401, _("this tracker is not public: send Authorization: Bearer <token>"))


def _refuse_nul() -> None:
    # PostgreSQL cannot store or compare text with NUL characters.
    for name, value in [("path", request.path), *request.args.items(multi=True)]:
        if "\x00" in name or "\x00" in value:
            raise ApiError(
                400, _("NUL characters are not allowed"), "path" if name == "path" else name
            )


def _token_user() -> User | None:
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return None
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, _("use Authorization: Bearer <token> (other schemes are not accepted)"))
    user = services.user_for_token(get_session(), secret.strip(), "api")
    if user is None:
        raise ApiError(401, _("the token is unknown or revoked, or its account is deactivated"))
    g.api_token = secret.strip()
    return user


@bp.after_request
def _record_token_use(response: Response) -> Response:
    """Note the token's use apart from the request's transaction (a GET commits nothing)."""
    secret = g.pop("api_token", None)
    if secret is not None:
        with bookkeeping() as books:
            services.record_token_use(books, secret)
    return response


def editor(action: policy.Action = policy.Action.EDIT_MILESTONE) -> User:
    """The account behind the token, if the policy lets it take this kind of action (by
    default, change milestones)."""
    user: User | None = g.api_user
    if user is None:
        raise ApiError(401, _("send a personal API token: Authorization: Bearer <token>"))
    allow(user, action)
    return user


def allow(user: User, action: policy.Action, target: policy.Target = None) -> None:
    """403 with the policy's reason unless the account may take this action on the target."""
    refused = policy.refusal(user, action, target)
    if refused is not None:
        raise ApiError(403, word(refused.code, refused.params))
