"""E-mail pages: your mail preferences, one-click unsubscribe, the admins' outbox, and
watching or snoozing one milestone."""

from __future__ import annotations

from datetime import date

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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from tracker import inputs, messages, services
from tracker.db import get_session
from tracker.extensions import csrf
from tracker.models import User
from tracker.policy import Action
from tracker.reminder_mail import unsubscribe_user
from tracker.reminder_models import DigestFrequency, OutboxMessage
from tracker.services import outbox
from tracker.services import reminders as mail_services
from tracker.views.common import Page, allow, fail, write
from tracker.views.forms import KIND_CHOICES, ConfirmForm, labelled, options

bp = Blueprint("mail", __name__)

# Reached from an e-mail, without signing in: the signed token is the permission.
PUBLIC_ENDPOINTS = frozenset({"mail.unsubscribe"})


class MailPreferencesForm(FlaskForm):  # type: ignore[misc]
    """What e-mail you get."""

    states = SelectMultipleField(_l("States whose milestones you hear about"), choices=[])
    kinds = SelectMultipleField(
        _l("Only these kinds (none chosen: every kind)"), choices=KIND_CHOICES
    )
    lead_days = StringField(
        _l("Reminders this many days ahead (whole days 0-365, e.g. 30, 7, 1)"),
        validators=[InputRequired(), Length(max=100)],
    )
    digest = SelectField(_l("Digest of what changed"), choices=labelled(DigestFrequency))
    paused = BooleanField(_l("Pause all e-mail"))
    submit = SubmitField(_l("Save e-mail settings"))


def _signed_in() -> User:
    if not current_user.is_authenticated:
        abort(403, description=_("Sign in to change your e-mail settings."))
    user: User = current_user._get_current_object()
    return user


@bp.route("/account/mail", methods=["GET", "POST"])
def preferences() -> Page:
    """Your e-mail settings: States, kinds, lead times, digest, pause."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.path))
    user, session = _signed_in(), get_session()
    pref = mail_services.preferences(session, user.id)
    form = MailPreferencesForm(
        data={
            "states": mail_services.subscribed_states(session, user),
            "kinds": pref.kinds,
            "lead_days": pref.lead_days.replace(",", ", "),
            "digest": pref.digest.value,
            "paused": pref.paused,
        }
        if request.method == "GET"
        else None
    )
    form.states.choices = options(
        (s.code, f"{s.name} ({s.code})") for s in services.list_states(session)
    )
    status = 200
    if form.validate_on_submit():
        choice = mail_services.PreferenceChoice(
            form.states.data or [],
            form.kinds.data or [],
            form.lead_days.data or "",
            form.digest.data,
            bool(form.paused.data),
        )

        def refused(error: services.ServiceError) -> Page:
            target = getattr(form, error.field, None)
            (target.errors if target is not None else form.form_errors).append(
                messages.reason(error)
            )
            return render_template("mail/preferences.html", form=form), 400

        write(
            lambda session: mail_services.update_preferences(session, user, user, choice), refused
        )
        flash(_("E-mail settings saved."))
        return redirect(url_for(".preferences"))
    if form.is_submitted():
        status = 400
    return render_template("mail/preferences.html", form=form), status


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> Page:
    """Stop all e-mail to the account the signed link names; no sign-in needed."""
    user_id = unsubscribe_user(current_app.config["SECRET_KEY"], token)
    try:
        user = services.user_by_id(get_session(), user_id if user_id is not None else 0)
    except services.NotFound:
        page = render_template("mail/unsubscribe.html", valid=False, done=False)
        return page, 400
    if request.method == "POST":
        write(lambda session: mail_services.pause_all(session, user.id))
    done = request.method == "POST"
    return render_template("mail/unsubscribe.html", valid=True, done=done, email=user.email)


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no form and no cookie.
csrf.exempt(unsubscribe)


@bp.get("/admin/outbox")
def outbox_page() -> Page:
    """The e-mails queued, sent and refused (without SMTP: everything that would be sent)."""
    allow(Action.MANAGE_ACCOUNTS)
    session = get_session()
    return render_template(
        "mail/outbox.html", counts=outbox.counts(session), messages=outbox.recent(session)
    )


@bp.get("/admin/outbox/<int:message_id>")
def outbox_message(message_id: int) -> Response:
    """One queued e-mail, exactly as it is (or would be) sent."""
    allow(Action.MANAGE_ACCOUNTS)
    try:
        row = get_session().get(OutboxMessage, inputs.parse_id("message", message_id))
    except services.ServiceError:
        row = None
    if row is None:
        abort(
            404,
            description=_(
                "There is no e-mail %(message_id)s in the outbox.", message_id=message_id
            ),
        )
    return Response(row.raw, content_type="text/plain; charset=utf-8")


@bp.post("/milestones/<int:milestone_id>/watch")
def watch(milestone_id: int) -> BaseResponse:
    """Follow a milestone (or stop): its reminders reach you whatever its States."""
    user = _signed_in()
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("The form expired or was not sent from this site."))
    on = request.form.get("watch", "1") == "1"
    write(lambda session: mail_services.watch(session, user, milestone_id, on))
    flash(_("You will get its reminders.") if on else _("You no longer watch it."))
    return redirect(url_for("milestones.detail", milestone_id=milestone_id))


@bp.post("/milestones/<int:milestone_id>/snooze")
def snooze(milestone_id: int) -> BaseResponse:
    """No mail about this milestone until a day (empty: wake it up)."""
    user = _signed_in()
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("The form expired or was not sent from this site."))
    raw = request.form.get("until", "").strip()
    try:
        until: date | None = inputs.parse_iso_date("until", raw) if raw else None
    except services.ServiceError as error:
        fail(error)
    write(lambda session: mail_services.snooze(session, user, milestone_id, until))
    flash(
        _("No e-mail about it until %(day)s.", day=until.isoformat())
        if until
        else _("Snooze ended.")
    )
    return redirect(url_for("milestones.detail", milestone_id=milestone_id))
