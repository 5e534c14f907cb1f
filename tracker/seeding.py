"""Load the seed file (States, notes, plans, milestones with citations and history)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import services
from tracker.bilingual import StateNames
from tracker.models import ActionPlan, Milestone, ResponsibleBody, SourceNote, State
from tracker.services.bodies import add_body
from tracker.services.drafts import MilestoneDraft

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEED_RECORDER = "seed (seeds/nap.toml)"


@dataclass
class SeedReport:
    """What a seed run added and what it found already there."""

    added: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], what: str) -> None:
        """Count one item in a bucket."""
        bucket[what] = bucket.get(what, 0) + 1

    @property
    def changed_anything(self) -> bool:
        """Whether the run wrote anything."""
        return bool(self.added)

    def summary(self) -> str:
        """One line for the console."""
        if not self.changed_anything:
            total = sum(self.unchanged.values())
            return f"Nothing to do: all {total} seed records are already loaded."
        parts = ", ".join(f"{n} {what}" for what, n in self.added.items())
        return f"Seeded {parts}."


class SeedError(ValueError):
    """The seed file is wrong; names the item and the problem."""


def load_seed_file(path: Path | None = None) -> dict[str, Any]:
    """Read the structured seed file."""
    path = path or SEEDS_DIR / "nap.toml"
    with path.open("rb") as handle:
        return tomllib.load(handle)


def seed(session: Session, data: dict[str, Any], notes_dir: Path | None = None) -> SeedReport:
    """Load seed data through the services; existing records (by key) are left as they are."""
    report = SeedReport()
    notes_dir = notes_dir or SEEDS_DIR / "notes"
    try:
        for entry in data.get("states", []):
            _seed_state(session, entry, report)
        for entry in data.get("notes", []):
            _seed_note(session, entry, notes_dir, report)
        for entry in data.get("plans", []):
            _seed_plan(session, entry, report)
        for entry in data.get("bodies", []):
            _seed_body(session, entry, report)
        for entry in data.get("milestones", []):
            _seed_milestone(session, entry, report)
    except services.ServiceError as error:
        raise SeedError(f"{_where(error)}{error}") from None
    return report


def _where(error: services.ServiceError) -> str:
    return f"{error.__notes__[0]}: " if getattr(error, "__notes__", None) else ""


def _seed_state(session: Session, entry: dict[str, Any], report: SeedReport) -> None:
    if session.get(State, entry["code"]) is not None:
        report.count(report.unchanged, "states")
        return
    names = StateNames(
        entry["name"],
        entry.get("official_name", ""),
        entry.get("name_ru", ""),
        entry.get("official_name_ru", ""),
    )
    services.add_state(session, entry["code"], entry["name"], names)
    report.count(report.added, "states")


def _seed_note(
    session: Session, entry: dict[str, Any], notes_dir: Path, report: SeedReport
) -> None:
    slug = entry["slug"]
    text = (notes_dir / f"{slug}.txt").read_text(encoding="utf-8")
    existing = session.scalar(select(SourceNote).where(SourceNote.slug == slug))
    if existing is not None:
        if existing.sha256 != SourceNote.digest(text):
            raise SeedError(f"note {slug!r}: the stored text differs from {slug}.txt; not replaced")
        report.count(report.unchanged, "notes")
        return
    services.add_note(session, slug, entry["title"], entry["kind"], text, entry.get("event", ""))
    report.count(report.added, "notes")


def _cite_all(
    session: Session, entries: list[dict[str, str]], *, label: str, **subject: Any
) -> None:
    for entry in entries:
        note = services.get_note(session, entry["note"])
        try:
            services.cite(session, note, entry["quote"], date_text=entry.get("date", ""), **subject)
        except services.ServiceError as error:
            error.add_note(label)
            raise


def _seed_plan(session: Session, entry: dict[str, Any], report: SeedReport) -> None:
    ref = entry["ref"]
    if session.scalar(select(ActionPlan).where(ActionPlan.ref == ref)) is not None:
        report.count(report.unchanged, "plans")
        return
    supersedes = services.get_plan(session, entry["supersedes"]) if "supersedes" in entry else None
    plan = services.add_plan(
        session,
        entry["state"],
        entry["title"],
        entry["status"],
        entry.get("period"),
        supersedes,
        ref,
        title_alt=entry.get("title_alt", ""),
        title_lang=entry.get("title_lang"),
    )
    _cite_all(session, entry["citations"], label=f"plan {ref!r}", plan=plan)
    report.count(report.added, "plans")


def _seed_body(session: Session, entry: dict[str, Any], report: SeedReport) -> None:
    known = select(ResponsibleBody).where(
        ResponsibleBody.state_code == entry["state"], ResponsibleBody.name_en == entry["name_en"]
    )
    if session.scalar(known) is not None:
        report.count(report.unchanged, "bodies")
        return
    add_body(
        session,
        entry["state"],
        entry["name_en"],
        entry.get("name_ru", ""),
        entry.get("aliases", []),
    )
    report.count(report.added, "bodies")


def _seed_milestone(session: Session, entry: dict[str, Any], report: SeedReport) -> None:
    ref = entry["ref"]
    if session.scalar(select(Milestone).where(Milestone.ref == ref)) is not None:
        report.count(report.unchanged, "milestones")
        return
    label = f"milestone {ref!r}"
    if not entry.get("citations"):
        raise SeedError(f"{label}: every seeded milestone needs at least one citation")
    draft = MilestoneDraft.from_seed(entry)
    try:
        milestone = services.create_milestone(session, draft, recorded_by_label=SEED_RECORDER)
    except services.ServiceError as error:
        error.add_note(label)
        raise
    _cite_all(session, entry["citations"], label=label, milestone=milestone)
    for change in entry.get("history", []):
        _seed_change(session, milestone, change, label)
    report.count(report.added, "milestones")


def _seed_change(
    session: Session, milestone: Milestone, change: dict[str, str], label: str
) -> None:
    note = services.get_note(session, change["note"])
    try:
        citation = services.cite(session, note, change["quote"], milestone=milestone)
        services.change_status(
            session,
            milestone,
            change["status"],
            date.fromisoformat(change["on"]),
            comment=change.get("comment", ""),
            recorded_by_label=SEED_RECORDER,
            citation=citation,
        )
    except services.ServiceError as error:
        error.add_note(label)
        raise
