"""Web forms: the shape of the input (types, required, lengths); the services check the rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker import inputs, messages
from tracker.bilingual import StateNames
from tracker.enums import MeasureArea, MilestoneKind, MilestoneStatus, Role
from tracker.i18n import LANGUAGE_NAMES
from tracker.labels import label
from tracker.models import TEXT_MAX, TITLE_MAX, Milestone
from tracker.services.drafts import FORM_FIELDS, MilestoneDraft, Shape, missing_from


class Text:
    """The shared text rule: no control characters (tabs and line breaks only when multi-line),
    no NUL, not only invisible characters."""

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form: Any, field: Any) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        for value in values:
            if not isinstance(value, str):
                continue
            try:
                inputs.clean_text(field.name, value, self.multiline, max_length=len(value))
            except inputs.InputError as error:
                raise ValidationError(messages.reason(error)) from None


class IsoDateField(DateField):  # type: ignore[misc]
    """A YYYY-MM-DD date read by the same parser and range as the API and the CLI."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse the submitted text; a bad one becomes the field's error."""
        self.data: Any = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        try:
            self.data = inputs.parse_iso_date(self.name, str(valuelist[0]))
        except inputs.InputError as error:
            raise ValueError(messages.reason(error)) from None


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def labelled(vocabulary: type[StrEnum]) -> list[SelectChoice]:
    """A vocabulary's options, each worded in the reader's language when the form is shown."""
    return options((v.value, LazyString(label, v)) for v in vocabulary)


KIND_CHOICES = labelled(MilestoneKind)
AREA_CHOICES = [SelectChoice("", _l("(not a measure)")), *labelled(MeasureArea)]
STATUS_CHOICES = labelled(MilestoneStatus)
ROLE_CHOICES = labelled(Role)


class CheckboxesField(SelectMultipleField):  # type: ignore[misc]
    """Several choices as a list of checkboxes: one tap each, no Ctrl/Cmd-click (phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):  # type: ignore[misc]
    """Sign in with e-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), Text()])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class StatusForm(FlaskForm):  # type: ignore[misc]
    """Record a new status, the day it happened, and where that is known from."""

    version = HiddenField(validators=[InputRequired(), Text()])
    status = SelectField(_l("New status"), choices=STATUS_CHOICES, validators=[InputRequired()])
    effective_on = IsoDateField(
        _l("Effective date (when it happened)"), validators=[InputRequired()]
    )
    comment = TextAreaField(
        _l("Comment"), validators=[Optional(), Length(max=TEXT_MAX), Text(True)]
    )
    citation = SelectField(_l("Source (optional)"), choices=[], validate_choice=False)
    note = SelectField(_l("…or a new source: the note"), choices=[], validate_choice=False)
    quote = TextAreaField(
        _l("Quote from that note (as in the note; spacing may differ)"),
        validators=[Optional(), Length(max=TEXT_MAX), Text(True)],
    )
    submit = SubmitField(_l("Record status"))


class ReviewForm(FlaskForm):  # type: ignore[misc]
    """One click on an item that needs review: done on a date, cancel, or postpone (why)."""

    version = HiddenField(validators=[InputRequired(), Text()])
    on = IsoDateField(_l("Done on"), validators=[Optional()])
    due = StringField(_l("New date"), validators=[Optional(), Length(max=200), Text()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=1000), Text()])
    done = SubmitField(_l("Record done"))
    cancel = SubmitField(_l("Cancel it"))
    postpone = SubmitField(_l("Postpone"))


class MilestoneForm(FlaskForm):  # type: ignore[misc]
    """Create or edit a milestone; the date is typed as a coordinator would write it."""

    version = HiddenField(validators=[Text()])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX), Text()])
    title_alt = StringField(
        _l("Title in the other language"),
        validators=[Optional(), Length(max=TITLE_MAX), Text()],
    )
    due = StringField(
        _l("Date as written (e.g. 8-9 October 2015, April 2012, 2018, 2017-2021)"),
        validators=[DataRequired(), Length(max=200), Text()],
    )
    states = CheckboxesField(_l("Participating States"), choices=[], validators=[DataRequired()])
    host = SelectField(_l("Host State"), choices=[], validate_choice=False)
    plan = SelectField(_l("Action plan"), choices=[], validate_choice=False)
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=TITLE_MAX), Text()])
    venue_alt = StringField(
        _l("Venue in the other language"), validators=[Optional(), Length(max=TITLE_MAX), Text()]
    )
    organisers = StringField(_l("Organisers"), validators=[Optional(), Length(max=1000), Text()])
    responsible_agency = StringField(
        _l("Responsible agency"), validators=[Optional(), Length(max=TITLE_MAX), Text()]
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=TEXT_MAX), Text(True)]
    )
    measure_number = StringField(
        _l("Measure number, as the plan writes it (measures only)"),
        validators=[Optional(), Length(max=20), Text()],
    )
    measure_area = SelectField(_l("Area (measures only)"), choices=AREA_CHOICES, default="")
    operative_paragraphs = StringField(
        _l("Operative paragraphs served (e.g. OP2 OP3(a))"),
        validators=[Optional(), Length(max=100), Text()],
    )
    bodies = StringField(
        _l("Responsible bodies (names or aliases, separated by ;)"),
        validators=[Optional(), Length(max=2000), Text()],
    )
    submit = SubmitField(_l("Save milestone"))

    def to_draft(self, reference: date | None = None) -> MilestoneDraft:
        """The draft the form holds; a relative date reads against `reference`."""
        values = {f.attr: _draft_value(f.shape, getattr(self, f.name).data) for f in FORM_FIELDS}
        return MilestoneDraft(**values, due_reference=reference)

    def fill(self, milestone: Milestone) -> None:
        """Show the milestone as it stands (and the version it is at)."""
        for spec in FORM_FIELDS:
            value = spec.read(milestone)
            getattr(self, spec.name).data = "" if value is None else value
        self.version.data = str(milestone.version)


def _draft_value(shape: Shape, data: Any) -> Any:
    if shape is Shape.CODES:
        return data or []
    if shape is Shape.OPTIONAL:
        return data or None
    return data or ""


# Adding a field to the draft without a field on the form is an error at import, not a form
# that silently drops what the API accepts.
if missing := missing_from(set(MilestoneForm.__dict__), FORM_FIELDS):
    raise TypeError(f"MilestoneForm has no field for the draft's {', '.join(missing)}")


class CitationForm(FlaskForm):  # type: ignore[misc]
    """Cite a verbatim quote of a source note for a milestone."""

    note = SelectField(_l("Source note"), choices=[], validators=[InputRequired()])
    quote = TextAreaField(
        _l("Quote (exactly as in the note)"), validators=[DataRequired(), Text(True)]
    )
    date_text = StringField(
        _l("Date this source gives (optional)"), validators=[Optional(), Length(max=200), Text()]
    )
    submit = SubmitField(_l("Add citation"))


class UserForm(FlaskForm):  # type: ignore[misc]
    """Create or change an account (admins)."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), Text()])
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=200), Text()])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[InputRequired()])
    states = SelectMultipleField(_l("States they coordinate"), choices=[])
    password = PasswordField(
        _l("Password (at least 10 characters; leave empty to keep)"),
        validators=[Optional(), Length(min=10, max=200)],
    )
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save account"))


class TimezoneForm(FlaskForm):  # type: ignore[misc]
    """The zone the account's timestamps are shown in; the service checks the name."""

    zone = SelectField(_l("Time zone"), validate_choice=False)
    submit = SubmitField(_l("Save time zone"))


class TokenForm(FlaskForm):  # type: ignore[misc]
    """Create a personal token."""

    purpose = SelectField(
        _l("For"),
        choices=options([("calendar", _l("Calendar feed")), ("api", _l("JSON API"))]),
        validators=[InputRequired()],
    )
    name = StringField(
        _l("Name (where you will use it)"), validators=[Optional(), Length(max=100), Text()]
    )
    submit = SubmitField(_l("Create token"))


class LanguageForm(FlaskForm):  # type: ignore[misc]
    """The account's language: the browser's choice, or one of the interface's languages."""

    locale = SelectField(
        _l("Language"),
        choices=options([("", _l("Browser default")), *LANGUAGE_NAMES.items()]),
        validators=[Optional()],
    )
    save_language = SubmitField(_l("Save language"))


class FocalPointForm(FlaskForm):  # type: ignore[misc]
    """Make an account a focal point of a body, or no longer one (admins)."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), Text()])
    submit = SubmitField(_l("Add focal point"))
    remove = SubmitField(_l("Remove"))


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """A button that only carries the CSRF token (revoke, sign out)."""

    submit = SubmitField(_l("Confirm"))


class ReportFilterForm(FlaskForm):  # type: ignore[misc]
    """The report's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    as_of = IsoDateField(_l("As of"), validators=[Optional()])
    within = IntegerField(_l("Upcoming within (days)"), validators=[Optional()])
    state = SelectMultipleField(_l("States"), choices=[])


class NoteUploadForm(FlaskForm):  # type: ignore[misc]
    """A new source note: a file or pasted text."""

    name = StringField(
        _l("Name (becomes the note's slug, e.g. 005_bishkek_workshop)"),
        validators=[Optional(), Length(max=100), Text()],
    )
    file = FileField(_l("Upload the note (PDF, Word .docx, HTML, or UTF-8 text; at most 2 MB)"))
    text = TextAreaField(_l("…or paste its text"), validators=[Optional(), Text(True)])
    submit = SubmitField(_l("Read the note"))


class MeasureUploadForm(FlaskForm):  # type: ignore[misc]
    """A plan's measures table to upload: CSV or XLSX."""

    file = FileField(
        _l("The plan's measures table (CSV in UTF-8 or XLSX; at most 2 MB, 5000 rows)"),
        validators=[FileRequired(message=_l("Choose a CSV or XLSX file."))],
    )
    submit = SubmitField(_l("Read the table"))


class StateForm(FlaskForm):  # type: ignore[misc]
    """Register a State (admins)."""

    code = StringField(
        _l("ISO 3166-1 alpha-3 code"), validators=[DataRequired(), Length(min=3, max=3), Text()]
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100), Text()])
    official_name = StringField(
        _l("Official name"), validators=[Optional(), Length(max=200), Text()]
    )
    name_ru = StringField(_l("Name in Russian"), validators=[Optional(), Length(max=100), Text()])
    official_name_ru = StringField(
        _l("Official name in Russian"), validators=[Optional(), Length(max=200), Text()]
    )
    submit = SubmitField(_l("Add State"))

    def names(self) -> StateNames:
        """The names the form holds."""
        return StateNames(
            self.name.data or "",
            self.official_name.data or "",
            self.name_ru.data or "",
            self.official_name_ru.data or "",
        )


class StateNamesForm(StateForm):
    """Change a State's names in English and Russian (admins); the code stays."""

    code = None
    submit = SubmitField(_l("Save names"))

    def fill(self, names: StateNames) -> None:
        """Show the names as they stand."""
        self.name.data, self.official_name.data = names.name, names.official_name
        self.name_ru.data, self.official_name_ru.data = names.name_ru, names.official_name_ru


class BulkStatusForm(FlaskForm):  # type: ignore[misc]
    """One status change for several milestones: one date, one comment, one source."""

    milestones = SelectMultipleField(_l("Milestones"), choices=[], validate_choice=False)
    status = SelectField(_l("New status"), choices=STATUS_CHOICES, validators=[InputRequired()])
    effective_on = IsoDateField(
        _l("Effective date (when it happened)"), validators=[InputRequired()]
    )
    comment = TextAreaField(
        _l("Comment"), validators=[Optional(), Length(max=TEXT_MAX), Text(True)]
    )
    note = SelectField(_l("Source note (optional)"), choices=[], validate_choice=False)
    quote = TextAreaField(
        _l("Quote from that note (verbatim)"),
        validators=[Optional(), Length(max=TEXT_MAX), Text(True)],
    )
    submit = SubmitField(_l("Record for all selected"))


class SavedViewForm(FlaskForm):  # type: ignore[misc]
    """Keep the filters of a list under a name; the filters travel as hidden fields."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100), Text()])
    page = HiddenField(validators=[InputRequired(), Text()])
    code = HiddenField(validators=[Optional(), Text()])
    submit = SubmitField(_l("Save view"))


class ConfirmViewForm(FlaskForm):  # type: ignore[misc]
    """A CSRF-protected button (forget a saved view)."""

    submit = SubmitField(_l("Forget"))
