"""Explicit JSON shapes of States, plans, milestones, report items, citations, history and notes.

The report and timeline shapes are also what `tracker report --format json` prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask import Response, g, jsonify, url_for

from tracker import policy, reports
from tracker.bilingual import StateNames
from tracker.enums import MilestoneKind
from tracker.models import (
    ActionPlan,
    Citation,
    Milestone,
    MilestoneEdit,
    ResponsibleBody,
    SourceNote,
    State,
    StatusChange,
)
from tracker.progress import Tally, measure_on
from tracker.reports import Report, ReportItem, Timeline
from tracker.services.measures import PlanProgress, facts


def names_json(names: StateNames) -> dict[str, dict[str, str]]:
    """A State's names per language, short and official ('' where none is stored)."""
    return {
        "en": {"short": names.name, "official": names.official_name},
        "ru": {"short": names.name_ru, "official": names.official_name_ru},
    }


def state_json(state: State) -> dict[str, Any]:
    """A State (its English short name, and every name per language) with links."""
    return {
        "code": state.code,
        "name": state.name,
        "names": names_json(state.names),
        "url": url_for(".get_state", code=state.code),
        "milestones_url": url_for(".list_milestones", state=state.code),
    }


def plan_json(plan: ActionPlan) -> dict[str, Any]:
    """An action plan."""
    return {
        "id": plan.id,
        "ref": plan.ref,
        "state": plan.state_code,
        "title": plan.title,
        "title_lang": plan.title_lang,
        "title_alt": plan.title_alt,
        "status": plan.status.value,
        "period": plan.period,
        "supersedes": plan.supersedes_id,
    }


def item_json(item: ReportItem) -> dict[str, Any]:
    """A report item: a milestone flagged as of a date (days_overdue/days_until when set)."""
    body: dict[str, Any] = {
        "id": item.id,
        "ref": item.ref,
        "title": item.title,
        "title_lang": item.title_lang,
        "title_alt": item.title_alt,
        "kind": item.kind.value,
        "states": list(item.states),
        "host": item.host,
        "status": item.status.value,
        "due": {
            "start": item.due.start.isoformat(),
            "end": item.due.end.isoformat(),
            "precision": item.due.precision.value,
            "text": item.due.text,
        },
        "deadline": item.deadline,
        "key_day": item.key_day.isoformat(),
        "venue": item.venue,
        "venue_lang": item.venue_lang,
        "venue_alt": item.venue_alt,
        "flag": item.flag.value if item.flag else None,
        "sources": [{"note": s.note, "quote": s.quote} for s in item.sources],
        "warnings": [str(w) for w in item.warnings],  # English: the data stay language-neutral
    }
    if item.days_overdue is not None:
        body["days_overdue"] = item.days_overdue
    if item.days_until is not None:
        body["days_until"] = item.days_until
    return body


def report_json(report: Report) -> dict[str, Any]:
    """The deadline report."""
    return {
        "as_of": report.as_of.isoformat(),
        "within_days": report.within_days,
        "states": list(report.states),
        "overdue": [item_json(i) for i in report.overdue],
        "upcoming": [item_json(i) for i in report.upcoming],
    }


def timeline_json(data: Timeline) -> dict[str, Any]:
    """A State's timeline."""
    return {
        "state": data.state,
        "name": data.name,
        "names": names_json(data.names or StateNames(data.name)),
        "as_of": data.as_of.isoformat(),
        "within_days": data.within_days,
        "milestones": [item_json(i) for i in data.milestones],
    }


def milestone_summary(milestone: Milestone, as_of: date, within: int) -> dict[str, Any]:
    """The report's item for a milestone, with its version and URL."""
    item = item_json(reports.milestone_item(milestone, as_of, within))
    item["version"] = milestone.version
    item["url"] = url_for(".get_milestone", milestone_id=milestone.id)
    return item


def milestone_json(milestone: Milestone, as_of: date, within: int) -> dict[str, Any]:
    """A milestone with its details, citations, status history and edit history."""
    item = milestone_summary(milestone, as_of, within)
    item |= {
        "as_of": as_of.isoformat(),
        "current_status": milestone.status.value,
        "description": milestone.description,
        "organisers": milestone.organisers,
        "responsible_agency": milestone.responsible_agency,
        "plan": milestone.plan.ref if milestone.plan else None,
        "measure": measure_json(milestone),
        "created_at": milestone.created_at.isoformat(),
        "updated_at": milestone.updated_at.isoformat(),
        "citations": [citation_json(c) for c in milestone.citations],
        "history": [status_change_json(c) for c in milestone.history],
        "edits": [edit_json(e) for e in milestone.edits],
    }
    return item


def measure_json(milestone: Milestone) -> dict[str, Any] | None:
    """A measure's own fields (None for other kinds of milestone)."""
    if milestone.kind is not MilestoneKind.MEASURE:
        return None
    return {
        "number": milestone.measure_number,
        "area": milestone.measure_area.value if milestone.measure_area else None,
        "operative_paragraphs": milestone.operative_paragraphs,
        "permanent": milestone.permanent,
        "bodies": [body_summary(b) for b in milestone.bodies],
    }


def body_summary(body: ResponsibleBody) -> dict[str, Any]:
    """A responsible body: its names and where it is."""
    return {
        "id": body.id,
        "state": body.state_code,
        "name_en": body.name_en,
        "name_ru": body.name_ru,
        "aliases": body.alias_list,
        "url": url_for(".get_body", body_id=body.id),
    }


def tally_json(tally: Tally) -> dict[str, Any]:
    """Counts and shares of measures on a date."""
    return tally.as_dict()


def plan_detail_json(
    plan: ActionPlan, measures: Sequence[Milestone], result: PlanProgress, as_of: date
) -> dict[str, Any]:
    """A plan with its measures and its progress as of a date (overall, by area, by body,
    by quarter)."""
    progress = result.progress
    return plan_json(plan) | {
        "as_of": as_of.isoformat(),
        "progress": tally_json(progress.overall),
        "by_area": [
            {"area": area.value if area else None, **tally_json(t)}
            for area, t in progress.by_area.items()
        ],
        "by_body": [{"body": body_id, **tally_json(t)} for body_id, t in progress.by_body.items()],
        "quarters": [
            {"quarter": q.label, "on": q.on.isoformat(), **tally_json(q.tally)}
            for q in result.quarters
        ],
        "measures": [measure_item(m, as_of) for m in measures],
    }


def measure_item(measure: Milestone, as_of: date) -> dict[str, Any]:
    """A measure in a list: its fields, and where it stood on the date."""
    standing = measure_on(facts(measure), as_of)
    return {
        "id": measure.id,
        "url": url_for(".get_milestone", milestone_id=measure.id),
        "plan": measure.plan_id,
        "title": measure.title,
        "due_text": measure.due_text,
        "due_start": measure.due_start.isoformat(),
        "due_end": measure.due_end.isoformat(),
        "status": standing.status.value,
        "overdue": standing.overdue,
        "done_on": standing.done_on.isoformat() if standing.done_on else None,
        "on_time": standing.on_time,
        **(measure_json(measure) or {}),
    }


def body_json(body: ResponsibleBody, measures: Sequence[Milestone], as_of: date) -> dict[str, Any]:
    """A body with everything it must do (overdue first) as of a date."""
    return body_summary(body) | {
        "as_of": as_of.isoformat(),
        "measures": [measure_item(m, as_of) for m in measures],
    }


def citation_json(citation: Citation) -> dict[str, Any]:
    """A quote from a note supporting a milestone or a plan."""
    start, end = citation.quote_span
    return {
        "id": citation.id,
        "note": citation.note.slug,
        "quote": citation.quote,
        "date_text": citation.date_text,
        "milestone": citation.milestone_id,
        "plan": citation.plan_id,
        "start": start,
        "end": end,
    }


def status_change_json(change: StatusChange) -> dict[str, Any]:
    """One entry of the status history."""
    return {
        "id": change.id,
        "old_status": change.old_status.value if change.old_status else None,
        "new_status": change.new_status.value,
        "effective_on": change.effective_on.isoformat(),
        "recorded_at": change.recorded_at.isoformat(),
        "recorded_by": change.recorder_for(_show_emails()),
        "comment": change.comment,
        "citation": change.citation_id,
    }


def edit_json(edit: MilestoneEdit) -> dict[str, Any]:
    """One entry of the edit history: the fields changed, old and new."""
    return {
        "id": edit.id,
        "version": edit.version,
        "changes": edit.changes,
        "recorded_at": edit.recorded_at.isoformat(),
        "recorded_by": edit.recorder_for(_show_emails()),
    }


def _show_emails() -> bool:
    """Only administrators see who recorded what by e-mail; everyone else by name."""
    return policy.allows(g.get("api_user") or policy.VISITOR, policy.Action.SEE_EMAILS)


def note_summary(note: SourceNote) -> dict[str, Any]:
    """A source note without its text."""
    return {
        "slug": note.slug,
        "title": note.title,
        "kind": note.kind.value,
        "event": note.event,
        "sha256": note.sha256,
        "url": url_for(".get_note", slug=note.slug),
    }


def with_etag(body: dict[str, Any], milestone: Milestone, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.set_etag(str(milestone.version))
    return response
