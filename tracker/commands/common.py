"""What every `tracker` command shares: one transaction, a one-line error, date options."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn

import click
from sqlalchemy.orm import Session

from tracker import reports, services
from tracker.commands.params import CLIError as CLIError  # raised by every command module
from tracker.commands.params import IsoDate, WholeNumber
from tracker.db import get_session
from tracker.messages import describe
from tracker.seeding import SeedError


def fail(message: str) -> NoReturn:
    """Stop the command with a one-line error."""
    raise CLIError(message)


@contextmanager
def transaction() -> Iterator[Session]:
    """One transaction for the command: commit at the end, roll back on any error."""
    session = get_session()
    try:
        yield session
        session.commit()
    except services.ServiceError as error:
        session.rollback()
        fail(describe(error))
    except SeedError as error:
        session.rollback()
        fail(str(error))
    except BaseException:
        session.rollback()
        raise


def as_of_option(func_: Callable[..., Any]) -> Callable[..., Any]:
    """--as-of YYYY-MM-DD (default: today)."""
    return click.option(
        "--as-of",
        "as_of",
        type=IsoDate("as-of"),
        metavar="YYYY-MM-DD",
        help="Report as of this date (default: today).",
    )(func_)


def within_option(func_: Callable[..., Any]) -> Callable[..., Any]:
    """--within DAYS (default: reports.DEFAULT_WITHIN_DAYS)."""
    return click.option(
        "--within",
        default=reports.DEFAULT_WITHIN_DAYS,
        show_default=True,
        type=WholeNumber("within", 0, reports.MAX_WITHIN_DAYS),
        help="Days ahead that count as upcoming.",
    )(func_)


def as_of_or_today(value: date | None) -> date:
    """The --as-of date, or today."""
    return value or date.today()


def one_line(message: str) -> str:
    """A message on one line (Alembic's span several)."""
    return " ".join(message.split())
