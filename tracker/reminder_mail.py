"""The reminder e-mail: words, links and attachments for one user's notices of a run.

Links are absolute, from TRACKER_BASE_URL (a command has no request to take a host from).
The one-click unsubscribe link carries a signed token naming the user: it needs no
sign-in, and a forged or expired one changes nothing. Every e-mail is written in its
recipient's language (the account's preference, else the site default), whatever the
language of the request or command that sends it.
"""

from __future__ import annotations

from datetime import date
from email.message import Message
from typing import Any

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tracker import i18n, reports
from tracker.mail import Attachment, Letter, compose
from tracker.models import User
from tracker.services.digests import Digest
from tracker.services.reminders import Notice

UNSUBSCRIBE_SALT = "tracker.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 366 * 24 * 3600  # a year-old e-mail's link still works


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(secret: str, user_id: int) -> str:
    """A signed token that stops mail to this user."""
    return _serializer(secret).dumps({"u": user_id})


def unsubscribe_user(secret: str, token: str, max_age: int = UNSUBSCRIBE_MAX_AGE) -> int | None:
    """The user a token names, or None when it is forged, damaged or expired."""
    try:
        data = _serializer(secret).loads(token, max_age=max_age)
    except (BadSignature, UnicodeError, ValueError):
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


def links(base_url: str) -> dict[str, str]:
    """Where the e-mail points, by name."""
    return {
        "milestone": f"{base_url}/milestones/",
        "state": f"{base_url}/states/",
        "preferences": f"{base_url}/account/mail",
        "report": f"{base_url}/report",
        "unsubscribe": f"{base_url}/unsubscribe/",
    }


def recipient_locale(user: User) -> str:
    """The language a user's e-mail is written in: their preference, else the site's."""
    return i18n.supported(user.locale) or str(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))


def subject(notices: list[Notice]) -> str:
    """Short and scannable: the one milestone's name, or how many of each."""
    if len(notices) == 1:
        notice = notices[0]
        title, due = notice.item.title, when(notice)
        if notice.due.reason == "overdue":
            return str(_("Overdue: %(title)s (%(when)s)", title=title, when=due))[:300]
        return str(_("Reminder: %(title)s (%(when)s)", title=title, when=due))[:300]
    overdue = sum(1 for n in notices if n.due.reason == "overdue")
    reminders = len(notices) - overdue
    parts = [ngettext("%(num)d reminder", "%(num)d reminders", reminders) if reminders else ""]
    parts.append(ngettext("%(num)d overdue", "%(num)d overdue", overdue) if overdue else "")
    return str(_("NAP tracker: %(counts)s", counts=", ".join(p for p in parts if p)))


def when(notice: Notice) -> str:
    """'starts in 30 days', 'due tomorrow', '4 days overdue'."""
    item = notice.item
    if notice.due.reason == "overdue":
        days = item.days_overdue or 0
        words: str = ngettext("%(num)d day overdue", "%(num)d days overdue", days)
    elif item.deadline:
        days = item.days_until or 0
        if days == 0:
            words = _("due today")
        elif days == 1:
            words = _("due tomorrow")
        else:
            words = ngettext("due in %(num)d day", "due in %(num)d days", days)
    else:
        days = item.days_until or 0
        if days == 0:
            words = _("starts today")
        elif days == 1:
            words = _("starts tomorrow")
        else:
            words = ngettext("starts in %(num)d day", "starts in %(num)d days", days)
    return words


def compose_notices(user: User, notices: list[Notice], as_of: date) -> Message:
    """The e-mail for one user's notices of a run: text and HTML, .ics for meetings."""
    with force_locale(recipient_locale(user)):
        return _notices(user, notices, as_of)


def _notices(user: User, notices: list[Notice], as_of: date) -> Message:
    config = current_app.config
    base = config["BASE_URL"]
    token = unsubscribe_token(config["SECRET_KEY"], user.id)
    context: dict[str, Any] = {
        "user": user,
        "notices": notices,
        "as_of": as_of,
        "when": when,
        "links": links(base),
        "unsubscribe_url": links(base)["unsubscribe"] + token,
    }
    # An invitation for each meeting coming up (not for one already past: it is overdue).
    meetings = [n.item for n in notices if not n.item.deadline and n.due.reason == "reminder"]
    attachments = []
    if meetings:
        ics = reports.items_ics(
            meetings, _("NAP meetings"), link=lambda i: f"{links(base)['milestone']}{i}"
        )
        attachments.append(Attachment("meetings.ics", ics, "text", "calendar"))
    letter = Letter(
        recipient=user.email,
        subject=subject(notices),
        text=_render("mail/notices.txt", context),
        html=_render("mail/notices.html", context),
        unsubscribe_url=context["unsubscribe_url"],
        attachments=attachments,
    )
    return compose(letter, config["MAIL_FROM"], base)


def compose_digest(user: User, digest: Digest, as_of: date) -> Message:
    """The digest e-mail: overdue, coming up, and what changed since the last one."""
    with force_locale(recipient_locale(user)):
        return _digest(user, digest, as_of)


def _digest(user: User, digest: Digest, as_of: date) -> Message:
    config = current_app.config
    base = config["BASE_URL"]
    unsubscribe = links(base)["unsubscribe"] + unsubscribe_token(config["SECRET_KEY"], user.id)
    context: dict[str, Any] = {
        "user": user,
        "digest": digest,
        "as_of": as_of,
        "links": links(base),
        "unsubscribe_url": unsubscribe,
    }
    counts = [
        ngettext("%(num)d overdue", "%(num)d overdue", len(digest.overdue))
        if digest.overdue
        else "",
        ngettext("%(num)d coming up", "%(num)d coming up", len(digest.upcoming))
        if digest.upcoming
        else "",
        ngettext("%(num)d change", "%(num)d changes", len(digest.changes))
        if digest.changes
        else "",
    ]
    letter = Letter(
        recipient=user.email,
        subject=_("NAP tracker digest: %(counts)s", counts=", ".join(c for c in counts if c)),
        text=_render("mail/digest.txt", context),
        html=_render("mail/digest.html", context),
        unsubscribe_url=unsubscribe,
    )
    return compose(letter, config["MAIL_FROM"], base)


def _render(name: str, context: dict[str, Any]) -> str:
    # Not render_template: the pages' context processors read the request's signed-in user,
    # and a command has no request. The e-mail gets exactly the context given here.
    return current_app.jinja_env.get_template(name).render(**context)
