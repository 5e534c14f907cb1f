"""The data revision: a token that changes with every committed write to what pages show.

A page cache keys on the token: a page rendered at one revision is never served at another.
Every session of the tracker's session factory notes whether it wrote anything other than
accounts, tokens, failed sign-ins, saved views and mail (a sign-in, a token's use, a saved
view or a queued e-mail changes no cached page) and, if so,
sets a new random token in the same transaction just before it commits. Readers read the
token first, so what they render is at least as new as the token they file it under. A write
made outside these sessions (raw SQL by hand, a bulk load) must set a new token itself, or
restart the workers.
"""

from __future__ import annotations

import secrets
from itertools import chain
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from tracker.models import ApiToken, DataRevision, LoginFailure, SavedView, User, utcnow
from tracker.reminder_models import MAIL_MODELS

REVISION_ID = 1
_WROTE = "tracker.revision.wrote"
# Mail (preferences, the outbox, notices) changes no page either, nor does a reader's saved
# view (listed only on pages around the cached part, rendered for each reader).
UNTRACKED: tuple[type[Any], ...] = (User, ApiToken, LoginFailure, SavedView, *MAIL_MODELS)
# The same by table, for Core statements run through a session (insert(Table), update(...)).
_UNTRACKED_TABLES = frozenset(model.__table__ for model in UNTRACKED)


def new_token() -> str:
    """A fresh random token."""
    return secrets.token_hex(8)


_TABLE = DataRevision.__table__
_CURRENT = select(_TABLE.c.token).where(_TABLE.c.id == REVISION_ID)


def current(session: Session) -> str | None:
    """The database's current token (None without its row).

    Read as a Core statement on the session's connection: every cached page asks, and the
    ORM's execution path took half of a cache hit's time.
    """
    token: str | None = session.connection().execute(_CURRENT).scalar()
    return token


def track_writes(factory: sessionmaker[Session]) -> None:
    """Give every session of the factory a new token in each transaction that writes data."""
    event.listen(factory, "before_flush", _note_flush)
    event.listen(factory, "do_orm_execute", _note_execute)
    event.listen(factory, "before_commit", _bump)
    event.listen(factory, "after_rollback", _forget)


def _tracked(obj: object) -> bool:
    return not isinstance(obj, UNTRACKED)


def _note_flush(session: Session, _context: Any, _instances: Any) -> None:
    if any(_tracked(obj) for obj in chain(session.new, session.dirty, session.deleted)):
        session.info[_WROTE] = True


def _note_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is not None:
            untracked = issubclass(mapper.class_, UNTRACKED)
        else:
            untracked = getattr(state.statement, "table", None) in _UNTRACKED_TABLES
        if not untracked:
            state.session.info[_WROTE] = True


def _bump(session: Session) -> None:
    # Flush first, so that every row this transaction locks is locked before the revision's
    # row: writers then queue on that one row only at the very end, and cannot deadlock on it.
    session.flush()
    if session.info.pop(_WROTE, False):
        # On the connection, not the session: a plain UPDATE that no session event sees.
        session.connection().execute(
            update(DataRevision)
            .where(DataRevision.id == REVISION_ID)
            .values(token=new_token(), changed_at=utcnow())
        )


def _forget(session: Session) -> None:
    session.info.pop(_WROTE, None)
