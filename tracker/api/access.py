"""Who is asking: bearer tokens, anonymous reading, roles and per-State rights."""

from __future__ import annotations

from flask import current_app, g, request

from tracker import services
from tracker.api import bp
from tracker.api.errors import ApiError, max_body
from tracker.db import get_session
from tracker.enums import Role
from tracker.models import User


@bp.before_request
def _before() -> None:
    """Refuse NULs and oversize bodies, then find who is asking."""
    _refuse_nul()
    request.max_content_length = max_body()
    if (request.content_length or 0) > max_body():
        raise ApiError(413, f"the body is larger than {max_body()} bytes")
    g.api_user = _token_user()
    public = request.endpoint == "api.openapi_document"
    reading = request.method in ("GET", "HEAD")
    if g.api_user is None and not public:
        if not reading:
            raise ApiError(401, "send a personal API token: Authorization: Bearer <token>")
        if not current_app.config.get("ANONYMOUS_READ", True):
            raise ApiError(401, "this tracker is not public: send Authorization: Bearer <token>")


def _refuse_nul() -> None:
    # PostgreSQL cannot store or compare text with NUL characters.
    for name, value in [("path", request.path), *request.args.items(multi=True)]:
        if "\x00" in name or "\x00" in value:
            raise ApiError(
                400, "NUL characters are not allowed", "path" if name == "path" else name
            )


def _token_user() -> User | None:
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "use Authorization: Bearer <token> (other schemes are not accepted)")
    session = get_session()
    user = services.user_for_token(session, secret.strip(), "api")
    if user is None:
        raise ApiError(401, "the token is unknown or revoked, or its account is deactivated")
    session.commit()  # keeps last_used_at, apart from the request's own transaction
    return user


def editor() -> User:
    """The account behind the token, if it may change anything at all."""
    user: User | None = g.api_user
    if user is None:
        raise ApiError(401, "send a personal API token: Authorization: Bearer <token>")
    if user.role is Role.VIEWER:
        raise ApiError(403, "viewer accounts can read but not change anything")
    return user


def require_edit(user: User, codes: list[str]) -> None:
    """403 unless the account may edit milestones involving these States."""
    if not user.may_edit(codes):
        mine = ", ".join(s.code for s in user.states) or "no States"
        raise ApiError(403, f"you coordinate {mine}; this concerns {', '.join(codes)} only")
