"""`tracker remind` and `tracker send-mail`: queue what is due, deliver the outbox.

Safe to run as often as you like (cron every minute included): each notice has a unique
key (user, milestone, reason, lead time), so a repeated or concurrent run queues nothing
twice, and delivery only takes messages that are due.
"""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from tracker.commands.params import CLIError, IsoDate
from tracker.db import get_session
from tracker.i18n import as_of_day
from tracker.mail import DeliveryError, Mailer
from tracker.messages import describe
from tracker.services import outbox
from tracker.services.common import ServiceError
from tracker.services.digests import queue_digests
from tracker.services.reminders import queue_reminders

BATCH = 50


def deliver(session: Session, mailer: Mailer, sender: str) -> tuple[int, int, int]:
    """Send every message that is due; commit after each, so a crash loses nothing.
    Returns (sent, to retry later, failed for good)."""
    sent = retry = failed = 0
    while rows := outbox.claim(session, BATCH):
        session.commit()  # the claim is visible to other workers before anything is sent
        for row in rows:
            try:
                mailer.send(row.raw, row.recipient, current_app.config["MAIL_FROM"])
            except DeliveryError as error:
                outbox.mark_failed(row, error.reply, error.permanent)
                retry, failed = (
                    (retry + 1, failed) if row.status == "queued" else (retry, failed + 1)
                )
            else:
                outbox.mark_sent(row)
                sent += 1
            session.commit()
    return sent, retry, failed


def _deliver_all(session: Session) -> None:
    settings = current_app.config.get("SMTP")
    if settings is None:
        waiting = outbox.counts(session).queued
        kept = ngettext(
            "No TRACKER_SMTP_URL: %(num)d e-mail kept in the outbox (/admin/outbox).",
            "No TRACKER_SMTP_URL: %(num)d e-mails kept in the outbox (/admin/outbox).",
            waiting,
        )
        click.echo(kept)
        return
    with Mailer(settings, current_app.config.get("SMTP_CA_FILE")) as mailer:
        sent, retry, failed = deliver(session, mailer, current_app.config["MAIL_FROM"])
    click.echo(
        ngettext("Sent %(num)d e-mail", "Sent %(num)d e-mails", sent)
        + _("; %(retry)d to retry later; %(failed)d refused for good.", retry=retry, failed=failed)
    )


@click.command("remind")
@with_appcontext
@click.option("--as-of", "as_of", type=IsoDate("as-of"), metavar="YYYY-MM-DD")
@click.option("--dry-run", is_flag=True, help="Show what would be queued; write and send nothing.")
def remind_command(as_of: date | None, dry_run: bool) -> None:
    """Queue the reminders, overdue notices and digests due as of a date, then deliver."""
    from tracker.reminder_mail import compose_digest, compose_notices

    day = as_of or date.today()
    session = get_session()
    try:
        messages = queue_reminders(session, day, compose_notices)
        messages += queue_digests(session, day, compose_digest)
    except ServiceError as error:
        session.rollback()
        raise CLIError(describe(error)) from None
    if dry_run:
        for message in messages:
            click.echo(
                _(
                    "would send to %(email)s: %(subject)s",
                    email=message.recipient,
                    subject=message.subject,
                )
            )
        session.rollback()
        click.echo(
            ngettext(
                "Dry run as of %(day)s: %(num)d e-mail; nothing queued.",
                "Dry run as of %(day)s: %(num)d e-mails; nothing queued.",
                len(messages),
                day=as_of_day(day),
            )
        )
        return
    session.commit()
    click.echo(
        ngettext(
            "Queued %(num)d e-mail as of %(day)s.",
            "Queued %(num)d e-mails as of %(day)s.",
            len(messages),
            day=as_of_day(day),
        )
    )
    _deliver_all(session)


@click.command("send-mail")
@with_appcontext
def send_mail_command() -> None:
    """Deliver the outbox only (messages due now, and retries whose time has come)."""
    _deliver_all(get_session())


COMMANDS = [remind_command, send_mail_command]
