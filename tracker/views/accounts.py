"""Signing in and out, personal tokens and calendar feeds, and managing accounts."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie_session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from tracker import services
from tracker.db import get_session
from tracker.inputs import MAX_ID
from tracker.models import ApiToken, User
from tracker.services import throttle
from tracker.views.common import require_admin
from tracker.views.forms import ConfirmForm, LoginForm, StateForm, TokenForm, UserForm, options

bp = Blueprint("accounts", __name__)

Page = str | tuple[str, int] | BaseResponse


@bp.route("/login", methods=["GET", "POST"])
def login() -> Page:
    """Sign in; a wrong e-mail or password gets the same message, and repeated failures 429."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts/login.html", form=form
        ), 400 if form.is_submitted() else 200
    session, email = get_session(), form.email.data or ""
    limits = _login_limits(email)
    wait = throttle.retry_after(session, limits)
    if wait:
        return _too_many(form, wait)
    user = services.authenticate(session, email, form.password.data or "")
    if user is None:
        throttle.record_failure(session, limits)
        session.commit()
        form.form_errors.append("Wrong e-mail or password, or the account is deactivated.")
        return render_template("accounts/login.html", form=form), 400
    throttle.clear_failures(session, throttle.account_key(email))
    session.commit()
    # A new session: nothing from before signing in (its CSRF secret included) carries over.
    cookie_session.clear()
    login_user(user)
    target = request.args.get("next", "")
    safe = target.startswith("/") and not urlsplit(target).netloc and not target.startswith("//")
    return redirect(target if safe else url_for("pages.dashboard"))


def _login_limits(email: str) -> list[throttle.Limit]:
    config = current_app.config
    if not config.get("LOGIN_THROTTLE", True):
        return []
    window = timedelta(seconds=config["LOGIN_THROTTLE_SECONDS"])
    address = request.remote_addr or "unknown"
    return [
        throttle.Limit(
            throttle.account_key(email), config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], window
        ),
        throttle.Limit(
            throttle.address_key(address), config["LOGIN_MAX_FAILURES_PER_ADDRESS"], window
        ),
    ]


def _too_many(form: LoginForm, wait: int) -> Page:
    minutes = max(1, round(wait / 60))
    form.form_errors.append(
        f"Too many failed sign-ins for this account or from this address. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )
    page = render_template("accounts/login.html", form=form)
    return Response(page, status=429, headers={"Retry-After": str(wait)})


@bp.post("/logout")
def logout() -> BaseResponse:
    """Sign out, ending every session of the account (other browsers and devices too)."""
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The sign-out form was not valid; reload the page.")
    if current_user.is_authenticated:
        session = get_session()
        services.end_sessions(session, current_user)
        session.commit()
    logout_user()
    cookie_session.clear()
    flash("Signed out.")
    return redirect(url_for("pages.dashboard"))


def _tokens(session: Session, user: User) -> list[ApiToken]:
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


@bp.route("/account", methods=["GET", "POST"])
def account() -> Page:
    """Your tokens: create one (its secret is shown once, never stored) and revoke."""
    if not current_user.is_authenticated:
        return redirect(url_for(".login", next=request.path))
    session = get_session()
    form, secret, status = TokenForm(), None, 200
    if form.validate_on_submit():
        _, secret = services.create_token(
            session, current_user, form.purpose.data, form.name.data or ""
        )
        session.commit()
        form = TokenForm(formdata=None)
    elif form.is_submitted():
        status = 400
    page = render_template(
        "accounts/account.html",
        form=form,
        tokens=_tokens(session, current_user),
        confirm=ConfirmForm(),
        secret=secret,
        feed_states=services.list_states(session),
    )
    # no-store: the page may show a new token's secret, which no cache may keep
    return Response(page, status, headers={"Cache-Control": "no-store"})


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke(token_id: int) -> BaseResponse:
    """Revoke one of your tokens."""
    session = get_session()
    token = session.get(ApiToken, token_id) if token_id <= MAX_ID else None
    if token is None or not current_user.is_authenticated or token.user_id != current_user.id:
        abort(404, description=f"token {token_id}: you have no such token")
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form was not valid; reload the page.")
    services.revoke_token(session, token)
    session.commit()
    flash(f"Token {token.name or token.id} revoked; calendars using it stop updating.")
    return redirect(url_for(".account"))


# --- administrators ------------------------------------------------------------------------


def _user_form(session: Session, form: UserForm) -> UserForm:
    states = services.list_states(session)
    form.states.choices = options((s.code, f"{s.name} ({s.code})") for s in states)
    return form


@bp.route("/users", methods=["GET", "POST"])
def users() -> Page:
    """All accounts, and a form to add one."""
    require_admin()
    session = get_session()
    form = _user_form(session, UserForm())
    status = 200
    if form.validate_on_submit():
        try:
            services.add_user(
                session,
                form.email.data,
                form.password.data or "",
                form.role.data,
                form.states.data or [],
                form.display_name.data or "",
            )
        except services.ServiceError as error:
            session.rollback()
            target = getattr(form, {"state": "states"}.get(error.field, error.field), None)
            (target.errors if target is not None else form.form_errors).append(error.reason)
            status = 400
        else:
            session.commit()
            flash(f"Account {form.email.data} created.")
            return redirect(url_for(".users"))
    elif form.is_submitted():
        status = 400
    listing = session.scalars(select(User).order_by(User.email)).all()
    return render_template("accounts/users.html", form=form, users=listing), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> Page:
    """Change an account's role, States or activity."""
    require_admin()
    session = get_session()
    user = session.get(User, user_id) if user_id <= MAX_ID else None
    if user is None:
        abort(404, description=f"user {user_id}: no such account")
    form = _user_form(session, UserForm(obj=user) if request.method == "GET" else UserForm())
    if request.method == "GET":
        form.states.data = [s.code for s in user.states]
        form.role.data = user.role.value
        return render_template("accounts/user.html", form=form, account=user)
    if not form.validate_on_submit():
        return render_template("accounts/user.html", form=form, account=user), 400
    try:
        services.update_user(
            session,
            user,
            form.role.data,
            form.states.data or [],
            bool(form.active.data),
            form.display_name.data or "",
            form.password.data or "",
        )
    except services.ServiceError as error:
        session.rollback()
        form.form_errors.append(str(error))
        return render_template("accounts/user.html", form=form, account=user), 400
    session.commit()
    flash(f"Account {user.email} saved.")
    return redirect(url_for(".users"))


@bp.route("/admin/states", methods=["GET", "POST"])
def states() -> Page:
    """The registered States, and a form to add one (admins)."""
    require_admin()
    session = get_session()
    form, status = StateForm(), 200
    if form.validate_on_submit():
        try:
            services.add_state(session, form.code.data, form.name.data)
        except services.ServiceError as error:
            session.rollback()
            target = form.name if error.field == "name" else form.code
            target.errors = [*target.errors, error.reason]
            status = error.status_code
        else:
            session.commit()
            flash(f"State {form.code.data.upper()} added.")
            return redirect(url_for(".states"))
    elif form.is_submitted():
        status = 400
    listing = services.list_states(session)
    return render_template("accounts/states.html", form=form, states=listing), status
