"""Signing in and out, and who may do what."""

from __future__ import annotations

from flask import Flask
from flask_login import AnonymousUserMixin

from tracker.db import get_session
from tracker.extensions import login_manager
from tracker.models import User


def _load_user(user_id: str) -> User | None:
    user = get_session().get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


class Anonymous(AnonymousUserMixin):  # type: ignore[misc]
    """A visitor who has not signed in."""

    role = None
    display_name = "visitor"

    def may_edit(self, state_codes: list[str]) -> bool:
        """Visitors edit nothing."""
        return False


def init_app(app: Flask) -> None:
    """Set up Flask-Login."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "auth.login"
