"""Accounts and their personal tokens (API, calendar feeds)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from functools import cache

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import timezones
from tracker.enums import Role, TokenPurpose
from tracker.i18n import LOCALES
from tracker.inputs import InputError, parse_id
from tracker.models import (
    ApiToken,
    User,
    utcnow,
)
from tracker.passwords import password_refusal
from tracker.policy import check_own_account
from tracker.services.catalogue import get_state
from tracker.services.common import (
    MAX_ID,
    Conflict,
    NotFound,
    ServiceError,
    choice,
    clean_text,
)

# --- users --------------------------------------------------------------------------------

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def add_user(
    session: Session,
    email: str,
    password: str,
    role: str,
    state_codes: Sequence[str] = (),
    display_name: str = "",
) -> User:
    """Create an account; coordinators name the States they may edit."""
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise ServiceError("email", email, "not_email")
    if session.scalar(select(exists().where(User.email == email))):
        raise Conflict("email", email, "email_taken")
    check_password(password, email)
    chosen = choice("role", Role, role)
    if chosen is Role.COORDINATOR and not state_codes:
        raise ServiceError("state", "", "coordinator_without_state_cli")
    user = User(
        email=email,
        # No default from the e-mail: readers would see part of it. Unnamed accounts are shown
        # by their role (User.public_name).
        display_name=clean_text("display_name", display_name, 200),
        password_hash=generate_password_hash(password),
        role=chosen,
        states=[get_state(session, c) for c in state_codes],
    )
    session.add(user)
    session.flush()
    return user


def check_password(password: str, email: str) -> None:
    """Refuse short, common or e-mail-based passwords (same rule on the web and the CLI)."""
    refused = password_refusal(password, email)
    if refused is not None:
        code, params = refused  # password_too_short, _too_long, _common, _has_email
        raise ServiceError("password", "***", code, **params)


def end_sessions(session: Session, user: User) -> User:
    """Sign the account out everywhere: every session cookie issued so far stops working."""
    user.session_generation = (user.session_generation or 0) + 1
    session.flush()
    return user


TOKEN_PREFIX = "nap_"


def token_digest(secret: str) -> str:
    """The stored form of a token: SHA-256 in hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    session: Session, user: User, purpose: str, name: str = ""
) -> tuple[ApiToken, str]:
    """A new personal token; the secret is returned once and only its digest is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        purpose=choice("purpose", TokenPurpose, purpose),
        name=clean_text("name", name, 100),
        token_hash=token_digest(secret),
    )
    session.add(token)
    session.flush()
    return token, secret


def set_timezone(session: Session, user: User, zone: str) -> User:
    """The zone the account's timestamps are shown in (an IANA name such as Asia/Dushanbe);
    an empty one goes back to the zone of the account's States (tracker.timezones)."""
    name = zone.strip()
    if name and not timezones.is_zone(name):
        raise ServiceError("timezone", zone, "unknown_timezone")
    user.timezone = name or None
    session.flush()
    return user


def revoke_token(session: Session, token: ApiToken) -> ApiToken:
    """Revoke a token for good (a revoked token stays listed, marked revoked)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def user_for_token(session: Session, secret: str, purpose: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token (reads only)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(secret)))
    if token is None or token.purpose != purpose or not token.active:
        return None
    return token.user


def record_token_use(session: Session, secret: str) -> None:
    """Note when a token was last used (in a transaction of its own: reads commit nothing)."""
    stmt = update(ApiToken).where(ApiToken.token_hash == token_digest(secret))
    session.execute(stmt.values(last_used_at=utcnow()))


def list_users(session: Session) -> list[User]:
    """Every account, by e-mail."""
    stmt = select(User).order_by(User.email).options(selectinload(User.focal_bodies))
    return list(session.scalars(stmt))


def user_by_id(session: Session, user_id: int) -> User:
    """The account with this id."""
    user = session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if user is None:
        raise NotFound("user", user_id, "unknown_user")
    return user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The account's personal tokens, newest first (revoked ones too)."""
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def own_token(session: Session, user: User | None, token_id: int) -> ApiToken:
    """One of the user's own tokens; another's is as unknown as a missing one."""
    token = session.get(ApiToken, token_id) if 0 < token_id <= MAX_ID else None
    if token is None or user is None or token.user_id != user.id:
        raise NotFound("token", token_id, "not_your_token")
    return token


def get_user(session: Session, email: str) -> User:
    """The account with this e-mail."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound("user", email, "unknown_user")
    return user


def update_user(
    session: Session,
    user: User,
    role: str,
    state_codes: Sequence[str],
    active: bool,
    display_name: str = "",
    password: str = "",
) -> User:
    """Change an account's role, States, activity, name or password (admins)."""
    chosen = choice("role", Role, role)
    if chosen is Role.COORDINATOR and not state_codes:
        raise ServiceError("states", "", "coordinator_without_state")
    if password:
        check_password(password, user.email)
    if password or (user.active and not active):
        end_sessions(session, user)
    user.role = chosen
    user.states = [get_state(session, c) for c in state_codes]
    user.active = active
    if display_name.strip():
        user.display_name = clean_text("display_name", display_name, 200)
    if password:
        user.password_hash = generate_password_hash(password)
    session.flush()
    return user


def set_locale(session: Session, actor: User | None, user: User, locale: str) -> User:
    """Save the account's language ('en', 'ru'; '' to follow the browser): the user's own."""
    check_own_account(actor, user)
    chosen = locale.strip().lower()
    if chosen and chosen not in LOCALES:
        raise ServiceError("locale", locale, "not_one_of", allowed=", ".join(LOCALES))
    user.locale = chosen or None
    session.flush()
    return user


@cache
def _dummy_hash() -> str:
    # Made once per process, the same way real ones are, so checking it costs the same.
    return generate_password_hash(secrets.token_hex(16))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this e-mail and password, or None.

    Unknown and deactivated accounts cost one password check too, so the answer's timing does
    not tell which e-mail addresses have accounts.
    """
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    stored = user.password_hash if user is not None and user.active else _dummy_hash()
    matches = check_password_hash(stored, password)
    return user if matches and user is not None and user.active else None


def get_token(session: Session, token_id: int | str) -> ApiToken:
    """The personal token with this id."""
    try:
        key = parse_id("token", token_id)
    except InputError:
        raise NotFound("token", token_id, "token_id_shape") from None
    token = session.get(ApiToken, key)
    if token is None:
        raise NotFound("token", token_id, "unknown_token")
    return token
