"""The reminder e-mail: words, links and attachments for one user's notices of a run.

Links are absolute, from TRACKER_BASE_URL (a command has no request to take a host from).
The one-click unsubscribe link carries a signed token naming the user: it needs no
sign-in, and a forged or expired one changes nothing.
"""

from __future__ import annotations

from datetime import date
from email.message import Message
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tracker import reports
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


def subject(notices: list[Notice]) -> str:
    """Short and scannable: the one milestone's name, or how many of each."""
    if len(notices) == 1:
        notice = notices[0]
        word = "Overdue" if notice.due.reason == "overdue" else "Reminder"
        return f"{word}: {notice.item.title} ({when(notice)})"[:300]
    overdue = sum(1 for n in notices if n.due.reason == "overdue")
    reminders = len(notices) - overdue
    parts = [f"{reminders} reminder{'s' if reminders > 1 else ''}" if reminders else ""]
    parts.append(f"{overdue} overdue" if overdue else "")
    return "NAP tracker: " + ", ".join(p for p in parts if p)


def when(notice: Notice) -> str:
    """'starts in 30 days', 'due tomorrow', '4 days overdue'."""
    item = notice.item
    if notice.due.reason == "overdue":
        days = item.days_overdue or 0
        return f"{days} day{'s' if days != 1 else ''} overdue"
    verb = "due" if item.deadline else "starts"
    days = item.days_until or 0
    if days == 0:
        return f"{verb} today"
    return f"{verb} tomorrow" if days == 1 else f"{verb} in {days} days"


def compose_notices(user: User, notices: list[Notice], as_of: date) -> Message:
    """The e-mail for one user's notices of a run: text and HTML, .ics for meetings."""
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
            meetings, "NAP meetings", link=lambda i: f"{links(base)['milestone']}{i}"
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
        f"{len(digest.overdue)} overdue" if digest.overdue else "",
        f"{len(digest.upcoming)} coming up" if digest.upcoming else "",
        f"{len(digest.changes)} changes" if digest.changes else "",
    ]
    letter = Letter(
        recipient=user.email,
        subject="NAP tracker digest: " + ", ".join(c for c in counts if c),
        text=_render("mail/digest.txt", context),
        html=_render("mail/digest.html", context),
        unsubscribe_url=unsubscribe,
    )
    return compose(letter, config["MAIL_FROM"], base)


def _render(name: str, context: dict[str, Any]) -> str:
    # Not render_template: the pages' context processors read the request's signed-in user,
    # and a command has no request. The e-mail gets exactly the context given here.
    return current_app.jinja_env.get_template(name).render(**context)
