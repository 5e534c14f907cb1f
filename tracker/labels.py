"""The words for the domain's vocabularies (kinds, statuses, roles...) in the reader's language.

The enums keep their stable values and pure English `.label`; pages, downloads, e-mails and
the CLI's human output word them here, in the locale in effect (the request's, or one forced
with `flask_babel.force_locale`; English outside the application). Templates use the `label`
filter: `{{ item.kind | label }}`. Each vocabulary has its own gettext context, because the
same English word may need two Russian ones (a plan that is "drafting" and a milestone whose
kind is "drafting").
"""

from __future__ import annotations

from enum import StrEnum

from flask import Flask, current_app, has_app_context
from flask_babel import get_locale, pgettext
from jinja2 import pass_context
from jinja2.runtime import Context

from tracker import datefmt
from tracker.dates import Precision
from tracker.enums import (
    MeasureArea,
    MilestoneKind,
    MilestoneStatus,
    NoteKind,
    PlanStatus,
    Role,
    TokenPurpose,
)
from tracker.messages import Day, FieldNames, Worded, words
from tracker.reminder_models import DigestFrequency, NoticeReason, OutboxStatus
from tracker.rules import Flag

# The import's proposal actions, named without importing the (slow) extractor.
_PROPOSAL_ACTION = "tracker.ingest.matching.Action"
# A milestone's fields by their history keys (tracker.services.drafts.EDITABLE).
_FIELD = "field"


def _name(vocabulary: type) -> str:
    return f"{vocabulary.__module__}.{vocabulary.__qualname__}"


def _words() -> dict[tuple[type[StrEnum] | str, str], str]:
    """Every value's words in the locale in effect (gettext marks each for the catalogue)."""
    return {
        (MilestoneKind, "drafting"): pgettext("milestone kind", "drafting"),
        (MilestoneKind, "approval_deadline"): pgettext("milestone kind", "approval deadline"),
        (MilestoneKind, "national_report"): pgettext("milestone kind", "national report"),
        (MilestoneKind, "review_meeting"): pgettext("milestone kind", "review meeting"),
        (MilestoneKind, "round_table"): pgettext("milestone kind", "round table"),
        (MilestoneKind, "workshop"): pgettext("milestone kind", "workshop / training"),
        (MilestoneKind, "peer_review"): pgettext("milestone kind", "peer review"),
        (MilestoneKind, "measure"): pgettext("milestone kind", "measure"),
        (MilestoneKind, "other"): pgettext("milestone kind", "other"),
        (MeasureArea, "legal_basis"): pgettext("measure area", "legal basis"),
        (MeasureArea, "export_control"): pgettext("measure area", "export control"),
        (MeasureArea, "border_customs"): pgettext("measure area", "border and customs"),
        (MeasureArea, "physical_protection"): pgettext(
            "measure area", "physical protection and accounting"
        ),
        (MeasureArea, "biosecurity"): pgettext("measure area", "biosecurity"),
        (MeasureArea, "chemical_safety"): pgettext("measure area", "chemical safety"),
        (MeasureArea, "financing"): pgettext("measure area", "financing of proliferation"),
        (MeasureArea, "outreach"): pgettext("measure area", "outreach"),
        (MeasureArea, "other"): pgettext("measure area", "other"),
        (MilestoneStatus, "planned"): pgettext("milestone status", "planned"),
        (MilestoneStatus, "in_progress"): pgettext("milestone status", "in progress"),
        (MilestoneStatus, "done"): pgettext("milestone status", "done"),
        (MilestoneStatus, "cancelled"): pgettext("milestone status", "cancelled"),
        (PlanStatus, "drafting"): pgettext("plan status", "drafting"),
        (PlanStatus, "approved"): pgettext("plan status", "approved"),
        (PlanStatus, "implementing"): pgettext("plan status", "implementing"),
        (PlanStatus, "under_review"): pgettext("plan status", "under review"),
        (PlanStatus, "superseded"): pgettext("plan status", "superseded"),
        (Role, "admin"): pgettext("role", "admin"),
        (Role, "coordinator"): pgettext("role", "coordinator"),
        (Role, "viewer"): pgettext("role", "viewer"),
        (NoteKind, "information_note"): pgettext("note kind", "information note"),
        (NoteKind, "press_release"): pgettext("note kind", "press release"),
        (NoteKind, "report"): pgettext("note kind", "report"),
        (NoteKind, "other"): pgettext("note kind", "other"),
        (TokenPurpose, "api"): pgettext("token purpose", "JSON API"),
        (TokenPurpose, "calendar"): pgettext("token purpose", "calendar feed"),
        (Precision, "day"): pgettext("date precision", "day"),
        (Precision, "month"): pgettext("date precision", "month"),
        (Precision, "quarter"): pgettext("date precision", "quarter"),
        (Precision, "half_year"): pgettext("date precision", "half-year"),
        (Precision, "year"): pgettext("date precision", "year"),
        (Precision, "period"): pgettext("date precision", "period"),
        (DigestFrequency, "daily"): pgettext("digest", "daily"),
        (DigestFrequency, "weekly"): pgettext("digest", "weekly"),
        (DigestFrequency, "off"): pgettext("digest", "off"),
        (OutboxStatus, "queued"): pgettext("mail status", "queued"),
        (OutboxStatus, "sending"): pgettext("mail status", "sending"),
        (OutboxStatus, "sent"): pgettext("mail status", "sent"),
        (OutboxStatus, "failed"): pgettext("mail status", "failed"),
        (NoticeReason, "reminder"): pgettext("notice", "reminder"),
        (NoticeReason, "overdue"): pgettext("notice", "overdue"),
        (Flag, "overdue"): pgettext("flag", "overdue"),
        (Flag, "upcoming"): pgettext("flag", "upcoming"),
        (_PROPOSAL_ACTION, "create"): pgettext("proposal", "create"),
        (_PROPOSAL_ACTION, "cite"): pgettext("proposal", "cite"),
        (_PROPOSAL_ACTION, "warn"): pgettext("proposal", "warn"),
        (_FIELD, "kind"): pgettext("field", "kind"),
        (_FIELD, "title"): pgettext("field", "title"),
        (_FIELD, "title_alt"): pgettext("field", "title in the other language"),
        (_FIELD, "title_lang"): pgettext("field", "language of the title"),
        (_FIELD, "description"): pgettext("field", "description"),
        (_FIELD, "due"): pgettext("field", "date"),
        (_FIELD, "states"): pgettext("field", "States"),
        (_FIELD, "host"): pgettext("field", "host State"),
        (_FIELD, "venue"): pgettext("field", "venue"),
        (_FIELD, "venue_alt"): pgettext("field", "venue in the other language"),
        (_FIELD, "venue_lang"): pgettext("field", "language of the venue"),
        (_FIELD, "organisers"): pgettext("field", "organisers"),
        (_FIELD, "responsible_agency"): pgettext("field", "responsible agency"),
        (_FIELD, "plan"): pgettext("field", "action plan"),
        (_FIELD, "measure_number"): pgettext("field", "measure number"),
        (_FIELD, "measure_area"): pgettext("field", "measure area"),
        (_FIELD, "operative_paragraphs"): pgettext("field", "operative paragraphs"),
        (_FIELD, "bodies"): pgettext("field", "responsible bodies"),
    }


# Built once per locale: a long report words hundreds of values.
_BY_LOCALE: dict[str, dict[tuple[str, str], str]] = {}  # outside an application: English
_EXTENSION = "tracker.labels"


def _locale() -> str:
    from tracker.i18n import current  # kept per context; tracker.i18n imports this module

    return current()


def _table(locale: str | None = None) -> dict[tuple[str, str], str]:
    locale = locale or _locale()
    # Kept per application: two apps (a test's pseudo-locale one) may word "ru" differently.
    tables = current_app.extensions.setdefault(_EXTENSION, {}) if has_app_context() else _BY_LOCALE
    table = tables.get(locale)
    if table is None:
        table = {
            (kind if isinstance(kind, str) else _name(kind), value): words
            for (kind, value), words in _words().items()
        }
        tables[locale] = table
    return table


def label(
    value: StrEnum | str | None, vocabulary: type[StrEnum] | None = None, locale: str | None = None
) -> str:
    """The words for a value of a vocabulary, e.g. label(MilestoneKind.WORKSHOP), or a plain
    string with its vocabulary: label('under_review', PlanStatus). Unknown: as written.
    `locale`: the one in effect, when the caller knows it (asking Flask-Babel costs ~8 us)."""
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        vocabulary, text = vocabulary or type(value), value.value
    else:
        text = str(value)
    found = _table(locale).get((_name(vocabulary), text)) if vocabulary else None
    if found is not None:
        return found
    english = getattr(value, "label", None)  # a vocabulary not worded here keeps its English
    return english if isinstance(english, str) else text.replace("_", " ")


def field_name(name: str, locale: str | None = None) -> str:
    """A milestone field's name (its history key) in the reader's language: 'due' is
    'date' / 'срок'; an unknown one as written, without underscores."""
    return _table(locale).get((_FIELD, name)) or name.replace("_", " ")


def field_value(name: str, value: str | None, locale: str | None = None) -> str:
    """A field's value as the edit history stored it, in words where it is a code (a kind,
    an area): 'review_meeting' is 'review meeting' / 'совещание по обзору'."""
    vocabulary = {"kind": MilestoneKind, "measure_area": MeasureArea}.get(name)
    if vocabulary is None or not value:
        return value or ""
    return label(value, vocabulary, locale)


def shown(value: object) -> object:
    """A refusal's parameter as the reader reads it: a vocabulary's value in words, a day
    written in the reader's language, words made from a code in that language."""
    if isinstance(value, Worded):
        return words(value)
    if isinstance(value, FieldNames):
        return ", ".join(field_name(name) for name in value)
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, Day):
        return datefmt.format_day(value, str(get_locale() or "en"))
    return value


_VOCABULARIES: dict[str, type[StrEnum]] = {
    "kind": MilestoneKind,
    "area": MeasureArea,
    "status": MilestoneStatus,
    "plan": PlanStatus,
    "role": Role,
    "note": NoteKind,
    "purpose": TokenPurpose,
    "precision": Precision,
    "digest": DigestFrequency,
    "mail": OutboxStatus,
    "flag": Flag,
}


@pass_context
def _label_filter(
    context: Context, value: StrEnum | str | None, vocabulary: str | None = None
) -> str:
    """`{{ value | label }}`, or for a plain string `{{ p.status | label('plan') }}`; the
    locale is the page's (its context), else the one in effect (an e-mail's, forced)."""
    chosen = _VOCABULARIES[vocabulary] if vocabulary else None
    return label(value, chosen, context.get("locale"))


def init_app(app: Flask) -> None:
    """The `label` filter for templates."""
    app.add_template_filter(_label_filter, "label")
    app.add_template_filter(words, "words")  # a data warning in the reader's language
    app.add_template_filter(_field_name, "field_name")
    app.add_template_filter(_field_value, "field_value")


@pass_context
def _field_name(context: Context, name: str) -> str:
    """`{{ name | field_name }}`: a milestone field's name in the page's language."""
    return field_name(name, context.get("locale"))


@pass_context
def _field_value(context: Context, value: str | None, name: str) -> str:
    """`{{ old | field_value(name) }}`: a field's stored value in words where it is a code."""
    return field_value(name, value, context.get("locale"))
