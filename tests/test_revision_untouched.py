"""Writes that change no cached page keep the data revision, so the page cache stays warm
(issue 17, item 5): a queued e-mail, a sign-in, a failed one, a token's use, a saved view."""

from __future__ import annotations

from datetime import date, timedelta
from email.message import EmailMessage

from flask import Flask
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tests.querycount import count_statements
from tests.web_helpers import add_account, sign_in
from tracker import revision, services
from tracker.models import Milestone, User
from tracker.reminder_models import OutboxMessage
from tracker.services import outbox, saved_views, throttle


def _message() -> EmailMessage:
    message = EmailMessage()
    message["To"], message["Subject"], message["Message-ID"] = "a@osce.org", "Due", "<1@x>"
    message.set_content("Due soon.")
    return message


def test_bookkeeping_writes_keep_the_revision_and_the_cached_pages(
    app: Flask, seeded: Session
) -> None:
    add_account(seeded, "coordinator@osce.org", "coordinator", ["TJK"])
    seeded.commit()
    token = revision.current(seeded)
    client = app.test_client()
    client.get("/?as_of=2016-03-01")  # the dashboard, now cached

    user = seeded.scalars(select(User).where(User.email == "coordinator@osce.org")).one()
    outbox.queue(seeded, [outbox.outbox_row(user.id, "Due", _message())])  # ORM insert
    seeded.commit()
    row = dict(outbox.outbox_row(None, "Core", _message()), message_id="<2@x>")
    seeded.execute(insert(OutboxMessage.__table__), [row])  # a Core insert on the table
    seeded.execute(update(OutboxMessage.__table__).values(attempts=1))
    seeded.commit()
    failed = throttle.Limit(throttle.account_key("coordinator@osce.org"), 5, timedelta(hours=1))
    throttle.record_failure(seeded, [failed])  # a failed sign-in's throttle row
    seeded.commit()
    secret = services.create_token(seeded, user, "api", "dashboard")[1]
    seeded.commit()
    services.record_token_use(seeded, secret)
    saved_views.save_view(seeded, user, "Mine", "report", [("state", "TJK")])
    seeded.commit()
    sign_in(client, "coordinator@osce.org")  # clears the failures, notes the sign-in
    seeded.expire_all()
    assert revision.current(seeded) == token

    anonymous = app.test_client()
    with count_statements(app.extensions["tracker.engine"]) as sent:
        assert anonymous.get("/?as_of=2016-03-01").status_code == 200
    assert len(sent) == 1  # still served from the cache: only the token was read

    milestone = seeded.scalars(select(Milestone).where(Milestone.status == "planned")).first()
    assert milestone is not None
    services.change_status(seeded, milestone, "cancelled", date.today())
    seeded.commit()
    assert revision.current(seeded) != token  # a change pages show still empties it
