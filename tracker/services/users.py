"""Accounts and their personal tokens (API, calendar feeds)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.enums import Role, TokenPurpose
from tracker.models import (
    ApiToken,
    User,
    utcnow,
)
from tracker.services.catalogue import get_state
from tracker.services.common import Conflict, NotFound, ServiceError, choice, clean_text

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
        raise ServiceError("email", email, "is not an e-mail address")
    if session.scalar(select(exists().where(User.email == email))):
        raise Conflict("email", email, "an account with this e-mail exists already")
    if len(password) < 10:
        raise ServiceError("password", "***", "must be at least 10 characters")
    chosen = choice("role", Role, role)
    if chosen is Role.COORDINATOR and not state_codes:
        raise ServiceError("state", "", "a coordinator needs at least one State (--state ISO3)")
    user = User(
        email=email,
        display_name=clean_text("display_name", display_name or email.split("@")[0], 200),
        password_hash=generate_password_hash(password),
        role=chosen,
        states=[get_state(session, c) for c in state_codes],
    )
    session.add(user)
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


def revoke_token(session: Session, token: ApiToken) -> ApiToken:
    """Revoke a token for good (a revoked token stays listed, marked revoked)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def user_for_token(session: Session, secret: str, purpose: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(secret)))
    if token is None or token.purpose != purpose or not token.active:
        return None
    token.last_used_at = utcnow()
    return token.user


def get_user(session: Session, email: str) -> User:
    """The account with this e-mail."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound("user", email, "no such account")
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
        raise ServiceError("states", "", "a coordinator needs at least one State")
    if password and len(password) < 10:
        raise ServiceError("password", "***", "must be at least 10 characters")
    user.role = chosen
    user.states = [get_state(session, c) for c in state_codes]
    user.active = active
    if display_name.strip():
        user.display_name = clean_text("display_name", display_name, 200)
    if password:
        user.password_hash = generate_password_hash(password)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this e-mail and password, or None."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user
