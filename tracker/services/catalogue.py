"""States, source notes, citations and action plans."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from tracker import policy
from tracker.bilingual import StateNames
from tracker.enums import NoteKind, PlanStatus
from tracker.models import (
    NOTE_MAX,
    OFFICIAL_NAME_MAX,
    STATE_NAME_MAX,
    TITLE_MAX,
    ActionPlan,
    Citation,
    Milestone,
    SourceNote,
    State,
    User,
)
from tracker.quote_match import closest_passage, find_quote
from tracker.services.common import (
    MAX_ID,
    Conflict,
    NotFound,
    ServiceError,
    bilingual,
    choice,
    clean_text,
    parse_due,
)

# --- States, notes, plans -----------------------------------------------------------------

ISO3 = re.compile(r"^[A-Z]{3}$")


def get_state(session: Session, code: str, *, with_plans: bool = False) -> State:
    """The State with this ISO 3166-1 alpha-3 code (and its plans, in the same statement)."""
    wanted = code.strip().upper()
    options = [joinedload(State.plans)] if with_plans else []
    # A code that cannot exist is not looked up (PostgreSQL refuses NULs in a query).
    state = session.get(State, wanted, options=options) if ISO3.fullmatch(wanted) else None
    if state is None:
        raise NotFound("state", code, "unknown_state")
    return state


def list_states(session: Session) -> list[State]:
    """Every State with its plans, by name."""
    stmt = select(State).options(joinedload(State.plans)).order_by(State.name)
    return list(session.scalars(stmt).unique())


def resolve_states(session: Session, codes: Sequence[str]) -> tuple[str, ...]:
    """Validate State codes in one query; the first unknown one is named in the error."""
    wanted = tuple(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
    if not wanted:
        return ()
    possible = [code for code in wanted if ISO3.fullmatch(code)]
    known = set(session.scalars(select(State.code).where(State.code.in_(possible))))
    for code in wanted:
        if code not in known:
            raise NotFound("state", code, "unknown_state")
    return wanted


def add_state(session: Session, code: str, name: str, names: StateNames | None = None) -> State:
    """Register a State (with its other names when given: official, Russian)."""
    code = code.strip().upper()
    if not ISO3.match(code):
        raise ServiceError("state", code, "state_code_shape")
    if session.get(State, code) is not None:
        raise Conflict("state", code, "state_exists")
    state = State(code=code)
    _set_names(session, state, names or StateNames(name))
    session.add(state)
    session.flush()
    return state


def rename_state(
    session: Session, code: str, names: StateNames, *, by: User | None = None
) -> State:
    """Change a State's names, short and official, in English and Russian (administrators)."""
    policy.check(by, policy.Action.MANAGE_ACCOUNTS, field="name")
    state = get_state(session, code)
    _set_names(session, state, names)
    session.flush()
    return state


def _set_names(session: Session, state: State, names: StateNames) -> None:
    name = clean_text("name", names.name, STATE_NAME_MAX, required=True)
    taken = select(State.code).where(State.name == name, State.code != (state.code or ""))
    if session.scalar(taken) is not None:
        raise Conflict("name", name, "state_name_taken")
    state.name = name
    state.official_name = clean_text("official_name", names.official_name, OFFICIAL_NAME_MAX)
    state.name_ru = clean_text("name_ru", names.name_ru, STATE_NAME_MAX)
    state.official_name_ru = clean_text(
        "official_name_ru", names.official_name_ru, OFFICIAL_NAME_MAX
    )


CITED_SUBJECTS = (
    selectinload(SourceNote.citations).selectinload(Citation.milestone),
    selectinload(SourceNote.citations).selectinload(Citation.plan),
)


def list_notes(session: Session, *, cited: bool = False) -> list[SourceNote]:
    """Every note by slug; with cited=True, with the milestones and plans its citations support.

    Without it the texts are not loaded either: a form's list of notes needs slugs and titles.
    """
    options = CITED_SUBJECTS if cited else (defer(SourceNote.text),)
    stmt = select(SourceNote).options(*options).order_by(SourceNote.slug)
    return list(session.scalars(stmt))


def get_note(session: Session, slug: str) -> SourceNote:
    """The source note with this slug, its citations and what they support."""
    stmt = select(SourceNote).options(*CITED_SUBJECTS).where(SourceNote.slug == slug)
    note = session.scalar(stmt) if SLUG.fullmatch(slug) else None
    if note is None:
        raise NotFound("note", slug, "unknown_note")
    return note


SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$")


def add_note(
    session: Session, slug: str, title: str, kind: str, text: str, event: str = ""
) -> SourceNote:
    """Store a source note; the same text twice is refused, naming the existing note."""
    if not SLUG.fullmatch(slug):
        raise ServiceError("slug", slug, "slug_shape")
    if not text.strip():
        raise ServiceError("text", text, "empty_note")
    clean_text("text", text, len(text), multiline=True)  # checked, stored verbatim
    if len(text.encode("utf-8")) > NOTE_MAX:
        raise ServiceError("text", text[:40], "note_too_large", limit=NOTE_MAX)
    digest = SourceNote.digest(text)
    same = session.scalar(select(SourceNote).where(SourceNote.sha256 == digest))
    if same is not None:
        raise Conflict("text", slug, "same_note_text", slug=same.slug)
    if session.scalar(select(exists().where(SourceNote.slug == slug))):
        raise Conflict("slug", slug, "slug_taken")
    note = SourceNote(
        slug=slug,
        title=clean_text("title", title, TITLE_MAX, required=True),
        kind=choice("kind", NoteKind, kind),
        event=clean_text("event", event, 1000),
        text=text,
        sha256=digest,
    )
    session.add(note)
    session.flush()
    return note


def cite(
    session: Session,
    note: SourceNote,
    quote: str,
    *,
    milestone: Milestone | None = None,
    plan: ActionPlan | None = None,
    date_text: str = "",
) -> Citation:
    """Cite a quote of a note for a milestone or a plan; refused unless it is in the note, up to
    spacing and typographic quotes/dashes (the note's exact text is stored); a refusal names
    the closest passage."""
    if (milestone is None) == (plan is None):
        raise ValueError("a citation supports exactly one milestone or one plan")
    supported = milestone or plan
    assert supported is not None
    subject = {"kind": "milestone" if milestone else "plan", "title": supported.title}
    if not quote.strip():
        raise ServiceError("quote", quote, "empty_quote", **subject)
    clean_text("quote", quote, len(note.text), multiline=True)  # checked, not stored
    # Spacing and typographic quotes/dashes may differ; what is stored is the note's own text.
    span = find_quote(note.text, quote)
    if span is None:
        closest = closest_passage(note.text, quote) or "nothing alike"
        raise ServiceError(
            "quote", quote, "quote_not_verbatim", slug=note.slug, closest=closest, **subject
        )
    start, end = span
    quote = note.text[start:end]
    if date_text:
        parse_due(date_text)
    for existing in (milestone or plan).citations:  # type: ignore[union-attr]
        if existing.note_id == note.id and existing.quote == quote:
            return existing
    citation = Citation(
        note=note,
        quote=quote,
        quote_start=start,
        quote_end=end,
        milestone=milestone,
        plan=plan,
        date_text=date_text,
    )
    session.add(citation)
    session.flush()
    return citation


def get_citation(session: Session, citation_id: int) -> Citation:
    """The citation with this id."""
    citation = session.get(Citation, citation_id) if 0 < citation_id <= MAX_ID else None
    if citation is None:
        raise NotFound("citation", citation_id, "unknown_citation")
    return citation


def get_plan(session: Session, ref: str) -> ActionPlan:
    """The plan with this reference."""
    plan = session.scalar(select(ActionPlan).where(ActionPlan.ref == ref))
    if plan is None:
        raise NotFound("plan", ref, "unknown_plan")
    return plan


def _period(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    window = parse_due(text)
    return window.start.year, window.end.year


def add_plan(
    session: Session,
    state_code: str,
    title: str,
    status: str,
    period: str | None = None,
    supersedes: ActionPlan | None = None,
    ref: str | None = None,
    *,
    title_alt: str = "",
    title_lang: str | None = None,
) -> ActionPlan:
    """Register a State's action plan; its title may come with a translation."""
    start, end = _period(period)
    title = clean_text("title", title, TITLE_MAX, required=True)
    title, title_alt, title_lang = bilingual("title", title, title_alt, title_lang, TITLE_MAX)
    plan = ActionPlan(
        ref=ref,
        state=get_state(session, state_code),
        title=title,
        title_alt=title_alt,
        title_lang=title_lang,
        status=choice("status", PlanStatus, status),
        period_start=start,
        period_end=end,
        supersedes=supersedes,
    )
    session.add(plan)
    session.flush()
    return plan


def list_plans(session: Session, state_code: str | None = None) -> list[ActionPlan]:
    """Every action plan (of one State when given), by State and id."""
    stmt = select(ActionPlan).order_by(ActionPlan.state_code, ActionPlan.id)
    if state_code:
        stmt = stmt.where(ActionPlan.state_code == get_state(session, state_code).code)
    return list(session.scalars(stmt.options(selectinload(ActionPlan.supersedes))))


def note_summaries(session: Session) -> list[SourceNote]:
    """Every source note by slug, without loading the texts."""
    stmt = select(SourceNote).options(defer(SourceNote.text)).order_by(SourceNote.slug)
    return list(session.scalars(stmt))


def note_with_citations(session: Session, slug: str) -> SourceNote:
    """A note with its text and the citations that quote it."""
    stmt = (
        select(SourceNote)
        .where(SourceNote.slug == slug)
        .options(selectinload(SourceNote.citations))
    )
    note = session.scalar(stmt) if SLUG.fullmatch(slug) else None
    if note is None:
        raise NotFound("note", slug, "unknown_note")
    return note
