"""Signing in and out, personal tokens and calendar feeds, and managing accounts."""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie_session
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from tracker import i18n, services, timezones
from tracker.db import get_session
from tracker.i18n import LOCALES, remember_locale
from tracker.messages import describe, reason
from tracker.models import State
from tracker.policy import Action
from tracker.services import throttle
from tracker.views.common import Page, fail, requires, write
from tracker.views.forms import (
    ConfirmForm,
    LanguageForm,
    LoginForm,
    StateForm,
    StateNamesForm,
    TimezoneForm,
    TokenForm,
    UserForm,
    options,
)

bp = Blueprint("accounts", __name__)


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
        write(lambda session: throttle.record_failure(session, limits))
        form.form_errors.append(_("Wrong e-mail or password, or the account is deactivated."))
        return render_template("accounts/login.html", form=form), 400
    write(lambda session: throttle.clear_failures(session, throttle.account_key(email)))
    # A new session: nothing from before signing in (its CSRF secret included) carries over.
    cookie_session.clear()
    login_user(user)
    target = request.args.get("next", "")
    safe = target.startswith("/") and not urlsplit(target).netloc and not target.startswith("//")
    response = redirect(target if safe else url_for("pages.dashboard"))
    if user.locale:  # the account's language follows it to this browser
        remember_locale(response, user.locale)
    return response


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
        ngettext(
            "Too many failed sign-ins for this account or from this address. "
            "Try again in %(num)d minute.",
            "Too many failed sign-ins for this account or from this address. "
            "Try again in %(num)d minutes.",
            minutes,
        )
    )
    page = render_template("accounts/login.html", form=form)
    return Response(page, status=429, headers={"Retry-After": str(wait)})


@bp.post("/logout")
def logout() -> BaseResponse:
    """Sign out, ending every session of the account (other browsers and devices too)."""
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("The sign-out form was not valid; reload the page."))
    if current_user.is_authenticated:
        write(lambda session: services.end_sessions(session, current_user))
    logout_user()
    cookie_session.clear()
    flash(_("Signed out."))
    return redirect(url_for("pages.dashboard"))


@bp.route("/account", methods=["GET", "POST"])
def account() -> Page:
    """Your tokens: create one (its secret is shown once, never stored) and revoke."""
    if not current_user.is_authenticated:
        return redirect(url_for(".login", next=request.path))
    session = get_session()
    form, secret, status = TokenForm(), None, 200
    if form.validate_on_submit():
        purpose, name = form.purpose.data, form.name.data or ""
        _, secret = write(
            lambda session: services.create_token(session, current_user, purpose, name)
        )
        form = TokenForm(formdata=None)
    elif form.is_submitted():
        status = 400
    page = render_template(
        "accounts/account.html",
        form=form,
        tokens=services.tokens_of(session, current_user),
        confirm=ConfirmForm(),
        secret=secret,
        feed_states=services.list_states(session),
        language=LanguageForm(locale=current_user.locale or ""),
        zone_form=_timezone_form(),
    )
    # no-store: the page may show a new token's secret, which no cache may keep
    return Response(page, status, headers={"Cache-Control": "no-store"})


@bp.post("/account/language")
def language() -> BaseResponse:
    """Save the language of your pages (or follow the browser's); every page then uses it."""
    if not current_user.is_authenticated:
        return redirect(url_for(".login", next=url_for(".account")))
    form = LanguageForm()
    if not form.validate_on_submit():
        if not form.locale.errors:
            reload = _("The form expired or was not sent from this site; reload the page.")
            abort(400, description=reload)
        _refuse_locale(str(form.locale.data or ""))
    if not form.locale.raw_data:  # absent, not the browser default (an empty choice)
        _refuse_locale("")
    chosen = str(form.locale.data or "")
    write(lambda session: services.set_locale(session, current_user, current_user, chosen))
    response = redirect(url_for(".account"))
    remember_locale(response, current_user.locale)
    flash(_("Language saved."))
    return response


def _refuse_locale(value: str) -> NoReturn:
    allowed = ", ".join(["'' (" + _("Browser default") + ")", *LOCALES])
    reason = _("must be one of: %(allowed)s", allowed=allowed)
    abort(400, description=f"locale {value[:40]!r}: {reason}")


def _timezone_form() -> TimezoneForm:
    form = TimezoneForm(formdata=None, zone=current_user.timezone or "")
    shown = i18n.current_zone() if not current_user.timezone else None
    locale = i18n.current()
    named = timezones.label(shown, locale) if shown else None
    automatic = _("Automatic (%(zone)s)", zone=named) if named else _("Automatic")
    form.zone.choices = [
        ("", automatic),
        *((z, timezones.label(z, locale)) for z in timezones.choices()),
    ]
    return form


@bp.post("/account/timezone")
def timezone() -> BaseResponse:
    """Choose the zone your timestamps are shown in (empty: from your States)."""
    if not current_user.is_authenticated:
        return redirect(url_for(".login", next=url_for(".account")))
    form = TimezoneForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired or was not sent from this site; reload it.")
    user = write(lambda session: services.set_timezone(session, current_user, form.zone.data or ""))
    g.pop("zone", None)  # this request's reader zone, read before the change
    shown_in = timezones.label(user.timezone or i18n.current_zone(), i18n.current())
    flash(_("Times are shown in %(zone)s.", zone=shown_in))
    return redirect(url_for(".account"))


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke(token_id: int) -> BaseResponse:
    """Revoke one of your tokens."""
    user = current_user if current_user.is_authenticated else None
    try:
        token = services.own_token(get_session(), user, token_id)
    except services.ServiceError as error:
        fail(error)
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("The form was not valid; reload the page."))
    write(lambda session: services.revoke_token(session, token))
    flash(
        _("Token %(name)s revoked; calendars using it stop updating.", name=token.name or token.id)
    )
    return redirect(url_for(".account"))


# --- administrators ------------------------------------------------------------------------


def _user_form(session: Session, form: UserForm) -> UserForm:
    states = services.list_states(session)
    form.states.choices = options((s.code, f"{s.name} ({s.code})") for s in states)
    return form


@bp.route("/users", methods=["GET", "POST"])
@requires(Action.MANAGE_ACCOUNTS)
def users() -> Page:
    """All accounts, and a form to add one."""
    session = get_session()
    form = _user_form(session, UserForm())
    if form.validate_on_submit():

        def refused(error: services.ServiceError) -> Page:
            target = getattr(form, {"state": "states"}.get(error.field, error.field), None)
            (target.errors if target is not None else form.form_errors).append(reason(error))
            return _users_page(session, form, 400)

        write(
            lambda session: services.add_user(
                session,
                form.email.data,
                form.password.data or "",
                form.role.data,
                form.states.data or [],
                form.display_name.data or "",
            ),
            refused,
        )
        flash(_("Account %(email)s created.", email=form.email.data))
        return redirect(url_for(".users"))
    return _users_page(session, form, 400 if form.is_submitted() else 200)


def _users_page(session: Session, form: UserForm, status: int) -> Page:
    listing = services.list_users(session)
    return render_template("accounts/users.html", form=form, users=listing), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_ACCOUNTS)
def edit_user(user_id: int) -> Page:
    """Change an account's role, States or activity."""
    session = get_session()
    try:
        user = services.user_by_id(session, user_id)
    except services.ServiceError as error:
        fail(error)
    form = _user_form(session, UserForm(obj=user) if request.method == "GET" else UserForm())
    if request.method == "GET":
        form.states.data = [s.code for s in user.states]
        form.role.data = user.role.value
        return render_template("accounts/user.html", form=form, account=user)
    if not form.validate_on_submit():
        return render_template("accounts/user.html", form=form, account=user), 400

    def refused(error: services.ServiceError) -> Page:
        form.form_errors.append(describe(error))
        return render_template("accounts/user.html", form=form, account=user), 400

    write(
        lambda session: services.update_user(
            session,
            user,
            form.role.data,
            form.states.data or [],
            bool(form.active.data),
            form.display_name.data or "",
            form.password.data or "",
        ),
        refused,
    )
    flash(_("Account %(email)s saved.", email=user.email))
    return redirect(url_for(".users"))


@bp.route("/admin/states", methods=["GET", "POST"])
@requires(Action.MANAGE_ACCOUNTS)
def states() -> Page:
    """The registered States, and a form to add one (admins)."""
    session = get_session()
    form = StateForm()
    if form.validate_on_submit():

        def refused(error: services.ServiceError) -> Page:
            target = form.name if error.field == "name" else form.code
            target.errors = [*target.errors, reason(error)]
            return _states_page(session, form, error.status_code)

        write(
            lambda session: services.add_state(
                session, form.code.data, form.name.data, form.names()
            ),
            refused,
        )
        flash(_("State %(code)s added.", code=form.code.data.upper()))
        return redirect(url_for(".states"))
    return _states_page(session, form, 400 if form.is_submitted() else 200)


@bp.route("/admin/states/<code>", methods=["GET", "POST"])
@requires(Action.MANAGE_ACCOUNTS)
def state_names(code: str) -> Page:
    """A State's short and official names in English and Russian (admins)."""
    session = get_session()
    try:
        state = services.get_state(session, code)
    except services.ServiceError as error:
        fail(error)
    form = StateNamesForm()
    if not form.is_submitted():
        form.fill(state.names)
    elif form.validate():

        def refused(error: services.ServiceError) -> Page:
            target = getattr(form, error.field, form.name)
            target.errors = [*target.errors, reason(error)]
            return _names_page(form, state, error.status_code)

        names = form.names()
        write(
            lambda session: services.rename_state(
                session, state.code, names, by=current_user._get_current_object()
            ),
            refused,
        )
        flash(_("Names of %(code)s saved.", code=state.code))
        return redirect(url_for(".states"))
    return _names_page(form, state, 400 if form.is_submitted() else 200)


def _names_page(form: StateNamesForm, state: State, status: int) -> Page:
    return render_template("accounts/state_names.html", form=form, state=state), status


def _states_page(session: Session, form: StateForm, status: int) -> Page:
    listing = services.list_states(session)
    return render_template("accounts/states.html", form=form, states=listing), status
