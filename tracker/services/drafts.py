"""A milestone's fields, written once: the draft that creates or edits one.

Each field of `MilestoneDraft` carries a `DraftField` that says what the outside world calls
it (form, JSON body, seed file, edit history), what kind of value it holds and how to read it
from a stored milestone. The service's history, the web form, the JSON API, its OpenAPI
document, the seed loader and the note import all derive their field lists from here, so a
new field is the dataclass field, the model column (with its migration) and the form's label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any

from tracker.bilingual import detect
from tracker.enums import MeasureArea, MilestoneKind
from tracker.inputs import TEXT_LIMIT
from tracker.models import TEXT_MAX, TITLE_MAX, Milestone


class Shape(StrEnum):
    """What a draft field holds, which says how each edge reads and writes it."""

    TEXT = "text"  # a string ("" when absent)
    OPTIONAL = "optional"  # a string or None (a code or a reference)
    CODES = "codes"  # a non-empty list of State codes
    DATE = "date"  # a YYYY-MM-DD date or None


@dataclass(frozen=True)
class DraftField:
    """One field of a milestone draft, as every edge sees it."""

    attr: str  # the draft's attribute
    name: str  # its name outside: form field, JSON member, history key
    shape: Shape
    read: Callable[[Milestone], Any]  # the stored milestone's value, as the draft holds it
    limit: int = TEXT_LIMIT
    required: bool = False
    multiline: bool = False
    choices: type[StrEnum] | None = None
    pattern: str | None = None  # for the OpenAPI document
    column: bool = False  # stored as given (cleaned) in the milestone's column of this name
    in_form: bool = True  # the web form has a field of this name
    editable: bool = True  # kept in the edit history (and compared on a conflict)
    api_limit: int = TEXT_LIMIT  # what the JSON API reads before the service checks
    seed_name: str | None = None  # the seed file's key, when it is not `name`
    shown: Callable[[Milestone], str | None] | None = None  # history text, when not `read`

    def text(self, value: Any) -> str | None:
        """The value as the edit history and the conflict page show it."""
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, list | tuple):
            return " ".join(sorted(value))
        return str(value)

    def snapshot(self, milestone: Milestone) -> str | None:
        """The stored milestone's value as text."""
        if self.shown is not None:
            return self.shown(milestone)
        return self.text(self.read(milestone))


def _spec(**spec: Any) -> dict[str, Any]:
    """A dataclass field's metadata: its DraftField but the attribute (see _complete)."""
    return {"spec": spec}


def body_names(milestone: Milestone) -> str:
    """A measure's responsible bodies as a draft names them: English names, ';'-separated."""
    return "; ".join(body.name_en for body in milestone.bodies)


def _plan_label(milestone: Milestone) -> str | None:
    plan = milestone.plan
    return (plan.ref or plan.title) if plan is not None else None


def _given_lang(attr: str) -> Callable[[Milestone], str | None]:
    """A stored language as a draft holds it: None when the script says it already, so that a
    new text in the other script is read afresh; a language someone chose stays."""

    def read(milestone: Milestone) -> str | None:
        lang: str = getattr(milestone, f"{attr}_lang")
        return None if lang == detect(getattr(milestone, attr)) else lang

    return read


LANG_PATTERN = "^(en|ru)$"


# The field order is the edit history's and the conflict page's order.
@dataclass(kw_only=True)
class MilestoneDraft:
    """What a coordinator gives to create or edit a milestone."""

    kind: str = field(
        metadata=_spec(
            shape=Shape.TEXT,
            required=True,
            choices=MilestoneKind,
            api_limit=40,
            read=lambda m: m.kind.value,
        )
    )
    title: str = field(
        metadata=_spec(
            shape=Shape.TEXT, required=True, limit=TITLE_MAX, column=True, read=lambda m: m.title
        )
    )
    # The title in the other language; `title_lang` is the language `title` is written in
    # (found from its script when not given).
    title_alt: str = field(
        default="",
        metadata=_spec(shape=Shape.TEXT, limit=TITLE_MAX, column=True, read=lambda m: m.title_alt),
    )
    title_lang: str | None = field(
        default=None,
        metadata=_spec(
            shape=Shape.OPTIONAL,
            pattern=LANG_PATTERN,
            api_limit=8,
            in_form=False,
            read=_given_lang("title"),
            shown=lambda m: m.title_lang,
        ),
    )
    description: str = field(
        default="",
        metadata=_spec(
            shape=Shape.TEXT,
            limit=TEXT_MAX,
            multiline=True,
            column=True,
            read=lambda m: m.description,
        ),
    )
    due: str = field(
        metadata=_spec(shape=Shape.TEXT, required=True, limit=200, read=lambda m: m.due_text)
    )
    # A relative date ("over the past two years") ends on its reference date.
    due_reference: date | None = field(
        default=None,
        metadata=_spec(shape=Shape.DATE, in_form=False, editable=False, read=lambda m: m.due_end),
    )
    states: Sequence[str] = field(metadata=_spec(shape=Shape.CODES, read=lambda m: m.state_codes))
    host: str | None = field(
        default=None,
        metadata=_spec(
            shape=Shape.OPTIONAL, pattern="^[A-Za-z]{3}$", read=lambda m: m.host_state_code
        ),
    )
    venue: str = field(
        default="",
        metadata=_spec(shape=Shape.TEXT, limit=TITLE_MAX, column=True, read=lambda m: m.venue),
    )
    venue_alt: str = field(
        default="",
        metadata=_spec(shape=Shape.TEXT, limit=TITLE_MAX, column=True, read=lambda m: m.venue_alt),
    )
    venue_lang: str | None = field(
        default=None,
        metadata=_spec(
            shape=Shape.OPTIONAL,
            pattern=LANG_PATTERN,
            api_limit=8,
            in_form=False,
            read=_given_lang("venue"),
            shown=lambda m: m.venue_lang,
        ),
    )
    organisers: str = field(
        default="",
        metadata=_spec(shape=Shape.TEXT, limit=1000, column=True, read=lambda m: m.organisers),
    )
    responsible_agency: str = field(
        default="",
        metadata=_spec(
            shape=Shape.TEXT,
            limit=TITLE_MAX,
            column=True,
            seed_name="responsible",
            read=lambda m: m.responsible_agency,
        ),
    )
    plan_ref: str | None = field(
        default=None,
        metadata=_spec(
            name="plan",
            shape=Shape.OPTIONAL,
            read=lambda m: m.plan.ref if m.plan else None,
            shown=_plan_label,
        ),
    )
    # A plan's measure (kind "measure"): its number as the plan writes it, its area, the
    # operative paragraphs it serves and its responsible bodies (names or aliases, ';'-separated).
    measure_number: str = field(
        default="",
        metadata=_spec(
            shape=Shape.TEXT, limit=20, api_limit=20, read=lambda m: m.measure_number or ""
        ),
    )
    measure_area: str = field(
        default="",
        metadata=_spec(
            shape=Shape.TEXT,
            choices=MeasureArea,
            api_limit=40,
            read=lambda m: m.measure_area.value if m.measure_area else "",
        ),
    )
    operative_paragraphs: str = field(
        default="",
        metadata=_spec(
            shape=Shape.TEXT, limit=100, column=True, read=lambda m: m.operative_paragraphs
        ),
    )
    bodies: str = field(
        default="",
        metadata=_spec(shape=Shape.TEXT, limit=2000, api_limit=2000, read=lambda m: body_names(m)),
    )
    ref: str | None = field(
        default=None,
        metadata=_spec(
            shape=Shape.OPTIONAL, in_form=False, editable=False, api_limit=80, read=lambda m: m.ref
        ),
    )

    @classmethod
    def from_milestone(cls, milestone: Milestone) -> MilestoneDraft:
        """The milestone as it stands, as a draft to change some fields of."""
        return cls(**{f.attr: f.read(milestone) for f in DRAFT_FIELDS})

    @classmethod
    def from_seed(cls, entry: Mapping[str, Any]) -> MilestoneDraft:
        """A draft from a seed file's entry, keyed by the fields' outside (or seed) names."""
        values: dict[str, Any] = {}
        for spec in DRAFT_FIELDS:
            name = spec.seed_name or spec.name
            if name in entry:
                value = entry[name]
                if spec.shape is Shape.DATE and isinstance(value, str):
                    value = date.fromisoformat(value) if value else None
                values[spec.attr] = value
        return cls(**values)

    def texts(self) -> dict[str, str | None]:
        """The editable fields as text, keyed by their outside names."""
        return {f.name: f.text(getattr(self, f.attr)) for f in EDITABLE_FIELDS}


def _complete() -> tuple[DraftField, ...]:
    specs = []
    for attr_field in fields(MilestoneDraft):
        if "spec" not in attr_field.metadata:
            raise TypeError(
                f"MilestoneDraft.{attr_field.name} says nothing of how forms, the API and the "
                "history read it: declare it with field(metadata=_spec(shape=..., read=...))"
            )
        spec = dict(attr_field.metadata["spec"])
        specs.append(
            DraftField(attr=attr_field.name, name=spec.pop("name", attr_field.name), **spec)
        )
    return tuple(specs)


DRAFT_FIELDS: tuple[DraftField, ...] = _complete()
if unmapped := [f.attr for f in DRAFT_FIELDS if f.column and f.attr not in Milestone.__table__.c]:
    raise TypeError(f"MilestoneDraft stores {', '.join(unmapped)} in no column of milestones")
EDITABLE_FIELDS = tuple(f for f in DRAFT_FIELDS if f.editable)
FORM_FIELDS = tuple(f for f in DRAFT_FIELDS if f.in_form)
# The keys of a milestone's edit history, in the order it shows them.
EDITABLE = tuple(f.name for f in EDITABLE_FIELDS)


def snapshot(milestone: Milestone) -> dict[str, str | None]:
    """The editable fields of a milestone as text, to compare versions."""
    return {f.name: f.snapshot(milestone) for f in EDITABLE_FIELDS}


def missing_from(names: set[str], specs: Sequence[DraftField] = FORM_FIELDS) -> list[str]:
    """The draft fields a form (by its field names) does not have."""
    return [f.name for f in specs if f.name not in names]
