"""Uploading a plan's measures on the web: any header mapped to the import's fields, unknown
body names resolved by the uploader (a new body, or another name of a known one), then the
same row check and the same creation as `tracker import-measures` (`measure_import`).

Nothing is written until the save, and the save writes everything or nothing (the caller
commits once); the permission is checked here, at the write, whatever the page offered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker import policy
from tracker.bilingual import detect
from tracker.models import ActionPlan, ResponsibleBody, User
from tracker.services.bodies import BodyIndex, add_alias, add_body, list_bodies, normalise_name
from tracker.services.common import ServiceError
from tracker.services.measure_import import FIELDS, MeasureImport, RowProblem, Table, check_rows
from tracker.services.milestones import create_milestones

IGNORE = ""
NEW_BODY = "new"
# Header words, lower-cased with punctuation set aside, as plans write them in English and
# Russian; a header is matched whole first, then by the first of these words it contains.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "number": ("№", "no", "nr", "number", "num", "item", "номер", "пункт", "п/п", "№ п/п"),
    "text": (
        "measure", "measures", "text", "action", "activity", "activities", "description",
        "мероприятие", "мероприятия", "наименование мероприятия", "наименование", "меры",
        "содержание",
    ),
    "time_frame": (
        "time frame", "timeframe", "time_frame", "deadline", "due", "term", "timeline",
        "срок исполнения", "срок", "сроки", "сроки исполнения", "срок выполнения",
    ),
    "bodies": (
        "competent bodies", "bodies", "responsible", "responsible bodies", "implementing bodies",
        "executors", "ответственные", "исполнители", "ответственные исполнители",
        "ответственный", "исполнитель", "ответственные органы", "компетентные органы",
    ),
    "area": ("area", "areas", "section", "field", "направление", "область", "раздел"),
    "operative_paragraphs": (
        "operative paragraphs", "operative paragraph", "op", "ops", "paragraphs",
        "пункты резолюции", "постановляющие пункты", "пункт резолюции",
    ),
}  # fmt: skip
_NOT_WORD = re.compile(r"[^\w№/ ]+")


def _header_key(header: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", header.casefold().replace("_", " ")).split())


def guess_mapping(header: Sequence[str]) -> list[str]:
    """Each header cell's field, guessed from its words ("Срок исполнения" is the time frame);
    IGNORE when none fits. Only the bodies take several columns; other fields the first."""
    exact = {_header_key(w): f for f, words in HEADER_WORDS.items() for w in words}
    guessed: list[str] = []
    for cell in header:
        key = _header_key(cell)
        found = exact.get(key) or next(
            (f for w, f in exact.items() if len(w) > 3 and w in key), IGNORE
        )
        if found and found != "bodies" and found in guessed:
            found = IGNORE
        guessed.append(found)
    return guessed


def mapped_rows(table: Table, mapping: Sequence[str]) -> list[dict[str, str]]:
    """The table's rows as the import reads them: bodies of several columns joined by ';',
    other fields of several columns by a space."""
    fields = [m if m in FIELDS else IGNORE for m in mapping]
    rows = []
    for cells in table.rows:
        row: dict[str, list[str]] = {}
        for value, name in zip(cells, fields, strict=False):
            if name and value:
                row.setdefault(name, []).append(value)
        rows.append({f: ("; " if f == "bodies" else " ").join(v) for f, v in row.items()})
    return rows


@dataclass(frozen=True)
class BodyChoice:
    """What the uploader chose for a name that matches no body: a new body, or another name
    (an alias) of an existing one; neither yet when `body_id` is None and `new` is false."""

    name: str
    new: bool = False
    body_id: int | None = None


def read_choices(names: Mapping[str, str]) -> list[BodyChoice]:
    """The choices as a form sends them: name -> "new", a body's id, or "" (not chosen)."""
    choices = []
    for name, value in names.items():
        value = value.strip()
        if value == NEW_BODY:
            choices.append(BodyChoice(name, new=True))
        elif value.isascii() and value.isdigit() and len(value) < 12:
            choices.append(BodyChoice(name, body_id=int(value)))
        else:
            choices.append(BodyChoice(name))
    return choices


def _index(
    plan: ActionPlan, bodies: Sequence[ResponsibleBody], choices: Iterable[BodyChoice]
) -> BodyIndex:
    """The State's bodies by name, with the chosen names: an alias as its body, a new body as
    a stand-in that is not in the session (it is created at the save)."""
    index = BodyIndex(bodies)
    by_id = {b.id: b for b in bodies}
    for choice in choices:
        key = normalise_name(choice.name)
        if not key or key in index.by_name:
            continue
        if choice.new:
            index.by_name[key] = ResponsibleBody(state_code=plan.state_code, name_en=choice.name)
        elif choice.body_id is not None:
            body = by_id.get(choice.body_id)
            if body is None:
                raise ServiceError("body", choice.body_id, "not_a_body_of", state=plan.state_code)
            index.by_name[key] = body
    return index


def check_upload(
    session: Session,
    plan: ActionPlan,
    rows: Sequence[tuple[int, dict[str, str]]],
    choices: Sequence[BodyChoice] = (),
) -> MeasureImport:
    """The kept rows (numbered as in the file) checked as the CLI checks them, the chosen
    names counting as bodies; every name still unknown is a problem of its rows."""
    bodies = list_bodies(session, [plan.state_code])
    result = check_rows(
        session, plan, [r for _n, r in rows], numbers=[n for n, _r in rows],
        index=_index(plan, bodies, choices),
    )  # fmt: skip
    # Every unknown name is offered, the chosen ones too: the page keeps their choice.
    everything = check_rows(session, plan, [r for _n, r in rows], numbers=[n for n, _r in rows])
    result.unknown_bodies = everything.unknown_bodies
    result.problems = [_unchosen(p) for p in result.problems]
    return result


def _unchosen(problem: RowProblem) -> RowProblem:
    if problem.code != "unknown_body":
        return problem
    return RowProblem(problem.row, problem.field, problem.value, "unknown_body_choice")


def save_upload(
    session: Session,
    plan: ActionPlan,
    rows: Sequence[tuple[int, dict[str, str]]],
    choices: Sequence[BodyChoice],
    *,
    user: User | None,
) -> MeasureImport:
    """Create the chosen bodies and aliases and every kept row's measure (flush only), or
    nothing when a kept row has a problem. The uploader must coordinate the plan's State."""
    policy.check(user, policy.Action.EDIT_MILESTONE, [plan.state_code])
    if not plan.ref:
        raise ServiceError("plan", plan.id, "plan_without_ref")
    result = check_upload(session, plan, rows, choices)
    if result.problems:
        return result
    used = {normalise_name(n) for n in result.unknown_bodies}
    bodies = {b.id: b for b in list_bodies(session, [plan.state_code])}
    for choice in choices:
        if normalise_name(choice.name) not in used:
            continue  # a name only the dropped rows gave
        if choice.new:
            russian = choice.name if detect(choice.name) == "ru" else ""
            add_body(session, plan.state_code, choice.name, russian, user=user)
        elif choice.body_id is not None:
            add_alias(session, bodies[choice.body_id], choice.name, user=user)
    drafts = [draft for _row, draft in result.drafts]
    result.created = create_milestones(
        session, drafts, recorded_by=user, recorded_by_label="upload"
    )
    return result
