"""Full-text search over milestones (titles and venues in both languages, organisers,
descriptions), their status comments and source quotes, and the source notes' texts.

The index is the database's own (SQLite FTS5, PostgreSQL tsvector), kept in step by the
triggers of migrations a3f16c0d5e27 and d7e1b2c3a4f5 on every write, whatever path makes it
(on PostgreSQL also the list of its words, migration f3b8d6a2c915, for prefixes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.inputs import InputError
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
        key = _hit_key(row)
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


class _Document(NamedTuple):
    milestone_id: int | None
    note_id: int | None
    field: str
    snippet: str | None


def _hit_key(row: Any) -> tuple[str, int]:
    """Which hit a document belongs to: its milestone's, or its note's."""
    return ("milestone", row.milestone_id) if row.field != "note" else ("note", row.note_id)


def _tags(filters: SearchFilters) -> list[list[str]]:
    """The filters as index tags (migration d2a7b5e9c410): one of each group must be there."""
    kinds = ["kind" + kind.value.replace("_", "") for kind in filters.kinds]
    statuses = ["status" + status.value.replace("_", "") for status in filters.statuses]
    both = [kind + status for kind in kinds for status in statuses]
    groups = [["state" + code.lower() for code in filters.states]]
    groups += [both] if both else [kinds, statuses]
    return [group for group in groups if group]


def _fts5_tags(groups: list[list[str]]) -> str:
    return "".join(f" AND tags : ({' OR '.join(group)})" for group in groups)


def _tsquery_tags(groups: list[list[str]]) -> str:
    return "".join(" & (" + " | ".join(f"{tag}:A" for tag in group) + ")" for group in groups)


def _dates(filters: SearchFilters) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on a milestone `m` that keep it within the dates, and their parameters."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if filters.due_from:
        where.append("m.due_end >= :due_from")
        params["due_from"] = filters.due_from
    if filters.due_to:
        where.append("m.due_start <= :due_to")
        params["due_to"] = filters.due_to
    return where, params


def _filter_sql(filters: SearchFilters, column: str) -> tuple[str, dict[str, Any]]:
    """SQL that keeps documents of milestones within the dates (State, kind and status are
    narrowed by the index's tags), and its parameters."""
    where, params = _dates(filters)
    if not where:
        return "", {}
    return (
        f" AND {column} IN (SELECT m.id FROM milestones AS m WHERE {' AND '.join(where)})",
        params,
    )


_SQLITE = (
    "SELECT d.milestone_id, d.note_id, d.field, "
    f"snippet(search_documents, 0, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 18) AS snippet "
    "FROM search_documents AS d WHERE search_documents MATCH :match{filters} "
    "AND d.rowid >= :floor ORDER BY bm25(search_documents, 1, 0, 0, 0, 0) LIMIT :fetch"
)
_SQLITE_FLOOR = (
    "SELECT d.rowid FROM search_documents AS d WHERE search_documents MATCH :match{filters} "
    "ORDER BY d.rowid DESC LIMIT 1 OFFSET :window"
)
_POSTGRESQL_Q = (
    "WITH q AS (SELECT (to_tsquery('english', :tsquery) || to_tsquery('russian', :tsquery))"
    "{tags} AS query)"
)
_POSTGRESQL = (
    # Weight A is the tags': they rank nothing.
    "SELECT d.id, d.milestone_id, d.note_id, d.field, "
    "ts_rank_cd('{0.1, 0.2, 0.4, 0}', d.document, q.query) AS rank "
    "FROM newest JOIN search_documents AS d ON d.id = newest.id, q "
    "ORDER BY rank DESC, d.id LIMIT :fetch"
)
# Only the documents whose snippets are shown (each hit's best): ts_headline parses the text.
_POSTGRESQL_SNIPPETS = (
    _POSTGRESQL_Q + " SELECT d.id, ts_headline(:config, d.body, q.query, "
    f"'StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=28, MinWords=12, "
    'MaxFragments=1, FragmentDelimiter=" … "\') FROM search_documents AS d, q '
    "WHERE d.id = ANY(:ids)"
)
_POSTGRESQL_QUERY = (
    _POSTGRESQL_Q + ", "
    # The same matches as q's, each prefix spelt out as the index's words (_spelt_out).
    "m AS (SELECT CAST(:match AS tsquery){tags} AS query), "
    # The ids alone, through the GIN index (no tsvector read); then only the newest
    # RANK_WINDOW are ranked, which reads their tsvectors.
    "matching AS MATERIALIZED (SELECT d.id, d.milestone_id FROM search_documents AS d, m "
    "WHERE d.document @@ m.query), "
    "newest AS (SELECT id FROM matching{filters} ORDER BY id DESC LIMIT :window) "
)
# Dates, after the index has narrowed the matches: the planner, which knows the words' and
# tags' frequencies (m is inlined), hashes the milestones within the dates against many
# matches, and looks a few up one by one.
_POSTGRESQL_DATED = " WHERE milestone_id IN (SELECT m.id FROM milestones AS m WHERE {where})"
SPELT_OUT_AT_MOST = 64  # words per prefix; beyond, the index reads the prefix itself
_PREFIX = re.compile(r"'((?:[^'\\]|''|\\.)+)':\*(?![A-D])")
_UNQUOTE = re.compile(r"''|\\(.)")  # tsquery's text doubles each ' and each backslash
# Latin words stem alike in both: the words once, not twice (an OR of two equal prefixes
# reads the posting lists twice).
_BOTH = text(
    "SELECT CAST(CASE WHEN e = r THEN e ELSE e || r END AS text) FROM "
    "(SELECT to_tsquery('english', :tsquery) AS e, to_tsquery('russian', :tsquery) AS r) AS s"
)
_LEXEMES = text(
    "SELECT lexeme FROM search_documents_lexemes WHERE lexeme LIKE :pattern "
    "ORDER BY lexeme LIMIT :most"
)


def _documents(
    session: Session, words: SearchText, filters: SearchFilters, fetch: int
) -> Sequence[Any]:
    """The best documents, ranked among the RANK_WINDOW newest that match (on SQLite, with
    a date filter, among all): ranking every match of a common word (50 000 documents at the
    benchmark's size) took 90-350 ms, while finding the newest RANK_WINDOW is an index walk."""
    if session.get_bind().dialect.name == "sqlite":
        return _sqlite_documents(session, words, filters, fetch)
    return _postgresql_documents(session, words, filters, fetch)


def _sqlite_documents(
    session: Session, words: SearchText, filters: SearchFilters, fetch: int
) -> Sequence[Any]:
    restrict, params = _filter_sql(filters, "d.milestone_id")
    params |= {"fetch": fetch, "window": RANK_WINDOW - 1, "floor": 0}
    # The typed words in the text only: "status" must not find the tag "statusdone".
    params["match"] = f"body : ({words.fts5()}){_fts5_tags(_tags(filters))}"
    if not restrict:
        # Only without dates: with them, SQLite reads each match's row (State, kind and
        # status are tags: the index narrows them).
        floor = session.execute(text(_SQLITE_FLOOR.format(filters="")), params).scalar()
        params["floor"] = floor or 0
    return session.execute(text(_SQLITE.format(filters=restrict)), params).all()


def _postgresql_documents(
    session: Session, words: SearchText, filters: SearchFilters, fetch: int
) -> Sequence[Any]:
    config = "russian" if any(_cyrillic(w) for w in words.words) else "english"
    params: dict[str, Any] = {"fetch": fetch, "window": RANK_WINDOW, "config": config}
    params |= {"tsquery": words.tsquery(), "match": _spelt_out(session, words)}
    sql = _POSTGRESQL_QUERY + _POSTGRESQL
    tags = _tags(filters)
    if tags:  # 'simple': tags are taken as they are, neither stemmed nor stopped
        params["tags"] = _tsquery_tags(tags).removeprefix(" & ")
        sql = sql.replace("{tags}", " && to_tsquery('simple', :tags)")
    where, dates = _dates(filters)
    params |= dates
    dated = _POSTGRESQL_DATED.format(where=" AND ".join(where)) if where else ""
    sql = sql.replace("{tags}", "").replace("{filters}", dated)
    rows = session.execute(text(sql), params).all()
    best: dict[tuple[str, int], int] = {}
    for row in rows:
        if len(best) < fetch // _FETCH:
            best.setdefault(_hit_key(row), row.id)
    snippets_sql = _POSTGRESQL_SNIPPETS.replace(
        "{tags}", " && to_tsquery('simple', :tags)" if tags else ""
    )
    params["ids"] = list(best.values())
    snippets = dict(session.execute(text(snippets_sql), params).tuples().all())
    return [_Document(r.milestone_id, r.note_id, r.field, snippets.get(r.id)) for r in rows]


def _spelt_out(session: Session, words: SearchText) -> str:
    """The words' tsquery (English or Russian) with each prefix spelt out as the texts' words
    that begin with it (migrations f3b8d6a2c915, a9c4e2f7b831): GIN reads a prefix's whole
    posting list, while it skips through a word's along the other words' and tags'. Same
    matches; a prefix that begins too many is left as it is, and one that begins none is
    searched as a whole word, both restricted to the texts' weights (not A, the tags':
    "status" must not find "statusdone"). Words that are all stop words ("the and") are
    refused: they would leave only the filters' tags, every document of a State."""
    both = session.execute(_BOTH, {"tsquery": words.tsquery()}).scalar_one()
    if not both.strip():
        typed = " ".join([*words.words, *(" ".join(phrase) for phrase in words.phrases)])
        raise InputError("q", typed, "search_only_common_words")

    def spell(prefix: re.Match[str]) -> str:
        lexeme = _UNQUOTE.sub(lambda quoted: quoted.group(1) or "'", prefix.group(1))
        pattern = re.sub(r"([\\%_])", r"\\\1", lexeme) + "%"
        params = {"pattern": pattern, "most": SPELT_OUT_AT_MOST + 1}
        found = session.scalars(_LEXEMES, params).all()
        if not found:  # no text has a word it begins: "status" would read the tags' lists
            return f"'{prefix.group(1)}':BCD"
        if len(found) > SPELT_OUT_AT_MOST:
            return prefix.group(0) + "BCD"
        return "(" + " | ".join(_quoted(word) for word in found) + ")"

    return _PREFIX.sub(spell, both)


def _quoted(lexeme: str) -> str:
    escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)


def _describe(session: Session, hits: list[SearchHit]) -> None:
    """Fill in each hit's title and, for a milestone, its kind, status, due date and States."""
    milestone_ids = [h.id for h in hits if h.target == "milestone"]
    note_ids = [h.id for h in hits if h.target == "note"]
    milestones: dict[int, Milestone] = {}
    if milestone_ids:
        milestones = {
            m.id: m
            for m in session.scalars(
                select(Milestone)
                .where(Milestone.id.in_(milestone_ids))
                .options(selectinload(Milestone.states))
            )
        }
    notes: dict[int, SourceNote] = {}
    if note_ids:  # most searches find no note, or only notes: no statement for none
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
