"""Signing in and out, and who may do what."""

from __future__ import annotations

from flask import Flask
from flask_login import AnonymousUserMixin
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.db import get_session
from tracker.extensions import login_manager
from tracker.models import User


def _load_user(session_id: str) -> User | None:
    """The signed-in account, unless its sessions were ended since this one began.

    The session holds "<user id>.<session generation>" (User.get_id); signing out, a new
    password and deactivation bump the generation, so older cookies stop opening anything.
    """
    user_id, _, generation = session_id.partition(".")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    # The bodies it is a focal point of ride along: the policy asks on most pages.
    user = get_session().get(User, int(user_id), options=[joinedload(User.focal_bodies)])
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


class Anonymous(AnonymousUserMixin):  # type: ignore[misc]
    """A visitor who has not signed in."""

    role = None
    display_name = "visitor"


def init_app(app: Flask) -> None:
    """Set up Flask-Login."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "auth.login"
    if app.config.get("TRUSTED_PROXIES"):
        # The throttle counts failures per client address: take it from the proxies' header.
        proxies = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]
