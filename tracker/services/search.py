"""Full-text search over milestones (titles and venues in both languages, organisers,
descriptions), their status comments and source quotes, and the source notes' texts.

The index is the database's own (SQLite FTS5, PostgreSQL tsvector), kept in step by the
triggers of migrations a3f16c0d5e27 and d7e1b2c3a4f5 on every write, whatever path makes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import TextClause, bindparam, select, text
from sqlalchemy.orm import Session, selectinload

from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.models import Milestone, SourceNote
from tracker.searchtext import MARK_CLOSE, MARK_OPEN, SearchText, marked_spans

DEFAULT_LIMIT = 50
RANK_WINDOW = 1000  # documents ranked at most: the newest that match (see _documents)
_FETCH = 4  # documents read per result asked for (a milestone may match several times)
FIELD_LABELS = {
    "milestone": "title, venue or description",
    "quote": "source quote",
    "comment": "status comment",
    "note": "note text",
}


@dataclass(frozen=True)
class SearchFilters:
    """What the results are narrowed to; any filter leaves the notes out."""

    states: Sequence[str] = ()
    kinds: Sequence[MilestoneKind] = ()
    statuses: Sequence[MilestoneStatus] = ()
    due_from: date | None = None
    due_to: date | None = None

    @property
    def any(self) -> bool:
        """Whether anything narrows the results."""
        return bool(self.states or self.kinds or self.statuses or self.due_from or self.due_to)


@dataclass
class SearchHit:
    """One milestone or note that matches, with a snippet of its best match."""

    target: str  # "milestone" or "note"
    id: int
    title: str
    snippet: str
    marks: tuple[tuple[int, int], ...]
    fields: list[str] = field(default_factory=list)
    slug: str = ""
    kind: str = ""
    status: str = ""
    due_text: str = ""
    states: list[str] = field(default_factory=list)
    title_lang: str = "en"  # a milestone's title: its language and translation
    title_alt: str = ""

    @property
    def kind_label(self) -> str:
        """The kind in words, e.g. 'review meeting'."""
        return MilestoneKind(self.kind).label if self.kind else ""

    @property
    def status_label(self) -> str:
        """The status in words, e.g. 'in progress'."""
        return MilestoneStatus(self.status).label if self.status else ""


def search(
    session: Session,
    words: SearchText,
    filters: SearchFilters = SearchFilters(),
    limit: int = DEFAULT_LIMIT,
) -> list[SearchHit]:
    """The best matches first, one per milestone or note, at most LIMIT of them."""
    rows = _documents(session, words, filters, limit * _FETCH)
    hits: dict[tuple[str, int], SearchHit] = {}
    for row in rows:
        key = ("milestone", row.milestone_id) if row.field != "note" else ("note", row.note_id)
        hit = hits.get(key)
        if hit is None:
            if len(hits) == limit:
                continue
            plain, marks = marked_spans(row.snippet or "")
            hit = hits[key] = SearchHit(key[0], key[1], "", plain, marks)
        if FIELD_LABELS[row.field] not in hit.fields:
            hit.fields.append(FIELD_LABELS[row.field])
    _describe(session, list(hits.values()))
    return list(hits.values())


def _filter_sql(filters: SearchFilters, column: str) -> tuple[str, dict[str, Any]]:
    """SQL that keeps documents of milestones passing the filters, and its parameters."""
    if not filters.any:
        return "", {}
    where: list[str] = ["1 = 1"]
    params: dict[str, Any] = {}
    if filters.states:
        where.append(
            "m.id IN (SELECT ms.milestone_id FROM milestone_states AS ms "
            "WHERE ms.state_code IN :states)"
        )
        params["states"] = [code.upper() for code in filters.states]
    if filters.kinds:
        where.append("m.kind IN :kinds")
        params["kinds"] = [kind.value for kind in filters.kinds]
    if filters.statuses:
        where.append("m.status IN :statuses")
        params["statuses"] = [status.value for status in filters.statuses]
    if filters.due_from:
        where.append("m.due_end >= :due_from")
        params["due_from"] = filters.due_from
    if filters.due_to:
        where.append("m.due_start <= :due_to")
        params["due_to"] = filters.due_to
    return (
        f" AND {column} IN (SELECT m.id FROM milestones AS m WHERE {' AND '.join(where)})",
        params,
    )


_SQLITE = (
    "SELECT d.milestone_id, d.note_id, d.field, "
    f"snippet(search_documents, 0, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 18) AS snippet "
    "FROM search_documents AS d WHERE search_documents MATCH :match{filters} "
    "AND d.rowid >= :floor ORDER BY bm25(search_documents) LIMIT :fetch"
)
_SQLITE_FLOOR = (
    "SELECT d.rowid FROM search_documents AS d WHERE search_documents MATCH :match{filters} "
    "ORDER BY d.rowid DESC LIMIT 1 OFFSET :window"
)
_POSTGRESQL = (
    "SELECT d.milestone_id, d.note_id, d.field, ts_headline(:config, d.body, q.query, "
    f"'StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=28, MinWords=12, "
    'MaxFragments=1, FragmentDelimiter=" … "\') AS snippet FROM ('
    " SELECT d.id, ts_rank_cd(d.document, q.query) AS rank"
    " FROM newest JOIN search_documents AS d ON d.id = newest.id, q"
    " ORDER BY rank DESC, d.id LIMIT :fetch"
    ") AS best JOIN search_documents AS d ON d.id = best.id CROSS JOIN q "
    "ORDER BY best.rank DESC, d.id"
)
_POSTGRESQL_QUERY = (
    "WITH q AS (SELECT to_tsquery('english', :tsquery) || to_tsquery('russian', :tsquery) "
    "AS query), "
    # The ids alone, through the GIN index (no tsvector read); then only the newest
    # RANK_WINDOW are ranked, which reads their tsvectors.
    "matching AS MATERIALIZED (SELECT d.id FROM search_documents AS d, q "
    "WHERE d.document @@ q.query{filters}), "
    "newest AS (SELECT id FROM matching ORDER BY id DESC LIMIT :window) "
)


def _documents(
    session: Session, words: SearchText, filters: SearchFilters, fetch: int
) -> Sequence[Any]:
    """The best documents, ranked among the RANK_WINDOW newest that match (on SQLite, with
    filters, among all): ranking every match of a common word (50 000 documents at the
    benchmark's size) took 90-350 ms, while finding the newest RANK_WINDOW is an index walk."""
    restrict, params = _filter_sql(filters, "d.milestone_id")
    sqlite = session.get_bind().dialect.name == "sqlite"
    params |= {"fetch": fetch, "window": RANK_WINDOW - 1 if sqlite else RANK_WINDOW}
    if sqlite:
        floor_sql, sql = _SQLITE_FLOOR, _SQLITE
        params |= {"match": words.fts5()}
    else:
        floor_sql, sql = "", _POSTGRESQL_QUERY + _POSTGRESQL
        config = "russian" if any(_cyrillic(w) for w in words.words) else "english"
        params |= {"tsquery": words.tsquery(), "config": config}
    params["floor"] = 0
    if sqlite and not restrict:
        # Only there: PostgreSQL walked its primary key backwards through every row to find
        # the floor of a rare word (200 ms), and with a filter SQLite reads each match's row.
        floor = session.execute(_statement(floor_sql, restrict, params), params).scalar()
        params["floor"] = floor or 0
    return session.execute(_statement(sql, restrict, params), params).all()


def _statement(sql: str, restrict: str, params: dict[str, Any]) -> TextClause:
    statement = text(sql.format(filters=restrict))
    for name in ("states", "kinds", "statuses"):
        if name in params:
            statement = statement.bindparams(bindparam(name, expanding=True))
    return statement


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)


def _describe(session: Session, hits: list[SearchHit]) -> None:
    """Fill in each hit's title and, for a milestone, its kind, status, due date and States."""
    milestone_ids = [h.id for h in hits if h.target == "milestone"]
    note_ids = [h.id for h in hits if h.target == "note"]
    milestones = {
        m.id: m
        for m in session.scalars(
            select(Milestone)
            .where(Milestone.id.in_(milestone_ids))
            .options(selectinload(Milestone.states))
        )
    }
    notes = {
        n.id: n for n in session.scalars(select(SourceNote).where(SourceNote.id.in_(note_ids)))
    }
    for hit in hits:
        if hit.target == "note":
            note = notes[hit.id]
            hit.title, hit.slug = note.title, note.slug
            continue
        milestone = milestones[hit.id]
        hit.title, hit.kind = milestone.title, milestone.kind.value
        hit.title_lang, hit.title_alt = milestone.title_lang, milestone.title_alt
        hit.status, hit.due_text = milestone.status.value, milestone.due_text
        hit.states = list(milestone.state_codes)
