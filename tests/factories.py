"""Plain functions that make test data through the services."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import services
from tracker.models import ActionPlan, Milestone, SourceNote, State

NOTE_TEXT = (
    "Information Note\n"
    "Event: Peer review meeting.\n"
    "Date and venue: 8-9 October 2015, Vienna, Austria\n"
    "The representatives agreed to convene a new round of peer review in 2018, in Kyrgyzstan.\n"
)


def make_state(session: Session, code: str = "TJK", name: str | None = None) -> State:
    """A State (returned as is when already there)."""
    existing = session.get(State, code)
    if existing is not None:
        return existing
    names = {"TJK": "Tajikistan", "UZB": "Uzbekistan", "KGZ": "Kyrgyzstan", "BLR": "Belarus"}
    return services.add_state(session, code, name or names.get(code, f"State {code}"))


def make_note(session: Session, **overrides: Any) -> SourceNote:
    """A source note with a known text."""
    fields: dict[str, Any] = {
        "slug": "900_test",
        "title": "Test note",
        "kind": "information_note",
        "text": NOTE_TEXT,
        "event": "Peer review meeting",
    }
    fields.update(overrides)
    return services.add_note(session, **fields)


def make_milestone(session: Session, **overrides: Any) -> Milestone:
    """A planned milestone of Tajikistan due 8-9 October 2015, unless told otherwise."""
    fields: dict[str, Any] = {
        "kind": "review_meeting",
        "title": "Working-group session",
        "due": "8-9 October 2015",
        "states": ["TJK"],
    }
    fields.update(overrides)
    for code in [*fields["states"], *([fields["host"]] if fields.get("host") else [])]:
        make_state(session, code)
    if fields["kind"] == "measure" and not fields.get("plan_ref"):
        # A measure belongs to a plan and has a number there: the next free one of a factory plan.
        fields["plan_ref"] = _factory_plan(session, fields["states"][0]).ref
        fields.setdefault(
            "measure_number",
            str(session.scalar(select(func.count()).select_from(Milestone)) or 0) + "m",
        )
    return services.create_milestone(session, services.MilestoneDraft(**fields))


def _factory_plan(session: Session, code: str) -> ActionPlan:
    ref = f"factory-plan-{code.lower()}"
    plan = session.scalar(select(ActionPlan).where(ActionPlan.ref == ref))
    return plan or services.add_plan(session, code, f"Plan of {code}", "implementing", ref=ref)
