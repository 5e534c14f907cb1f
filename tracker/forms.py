"""Web forms: the shape of the input (types, required, lengths); the services check the rules."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
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
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.enums import MilestoneKind, MilestoneStatus, Role
from tracker.models import TEXT_MAX, TITLE_MAX


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


KIND_CHOICES = options((k.value, k.label) for k in MilestoneKind)
STATUS_CHOICES = options((s.value, s.label) for s in MilestoneStatus)
ROLE_CHOICES = options((r.value, r.value) for r in Role)


class LoginForm(FlaskForm):  # type: ignore[misc]
    """Sign in with e-mail and password."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Sign in")


class StatusForm(FlaskForm):  # type: ignore[misc]
    """Record a new status, the day it happened, and where that is known from."""

    version = HiddenField(validators=[InputRequired()])
    status = SelectField("New status", choices=STATUS_CHOICES, validators=[InputRequired()])
    effective_on = DateField("Effective date (when it happened)", validators=[InputRequired()])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=TEXT_MAX)])
    citation = SelectField("Source (optional)", choices=[], validate_choice=False)
    submit = SubmitField("Record status")


class MilestoneForm(FlaskForm):  # type: ignore[misc]
    """Create or edit a milestone; the date is typed as a coordinator would write it."""

    version = HiddenField()
    previewed_due = HiddenField()
    kind = SelectField("Kind", choices=KIND_CHOICES, validators=[InputRequired()])
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE_MAX)])
    due = StringField(
        "Date as written (e.g. 8-9 October 2015, April 2012, 2018, 2017-2021)",
        validators=[DataRequired(), Length(max=200)],
    )
    states = SelectMultipleField("Participating States", choices=[], validators=[DataRequired()])
    host = SelectField("Host State", choices=[], validate_choice=False)
    plan = SelectField("Action plan", choices=[], validate_choice=False)
    venue = StringField("Venue", validators=[Optional(), Length(max=TITLE_MAX)])
    organisers = StringField("Organisers", validators=[Optional(), Length(max=1000)])
    responsible_agency = StringField(
        "Responsible agency", validators=[Optional(), Length(max=TITLE_MAX)]
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=TEXT_MAX)])
    preview = SubmitField("Check the date")
    submit = SubmitField("Save milestone")


class CitationForm(FlaskForm):  # type: ignore[misc]
    """Cite a verbatim quote of a source note for a milestone."""

    note = SelectField("Source note", choices=[], validators=[InputRequired()])
    quote = TextAreaField("Quote (exactly as in the note)", validators=[DataRequired()])
    date_text = StringField(
        "Date this source gives (optional)", validators=[Optional(), Length(max=200)]
    )
    submit = SubmitField("Add citation")


class UserForm(FlaskForm):  # type: ignore[misc]
    """Create or change an account (admins)."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    display_name = StringField("Display name", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[InputRequired()])
    states = SelectMultipleField("States they coordinate", choices=[])
    password = PasswordField(
        "Password (at least 10 characters; leave empty to keep)",
        validators=[Optional(), Length(min=10, max=200)],
    )
    active = BooleanField("Active", default=True)
    submit = SubmitField("Save account")


class TokenForm(FlaskForm):  # type: ignore[misc]
    """Create a personal token."""

    purpose = SelectField(
        "For",
        choices=options([("calendar", "Calendar feed"), ("api", "JSON API")]),
        validators=[InputRequired()],
    )
    name = StringField("Name (where you will use it)", validators=[Optional(), Length(max=100)])
    submit = SubmitField("Create token")


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """A button that only carries the CSRF token (revoke, sign out)."""

    submit = SubmitField("Confirm")


class ReportFilterForm(FlaskForm):  # type: ignore[misc]
    """The report's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    as_of = DateField("As of", validators=[Optional()])
    within = IntegerField("Upcoming within (days)", validators=[Optional()])
    state = SelectMultipleField("States", choices=[])


class NoteUploadForm(FlaskForm):  # type: ignore[misc]
    """A new source note: a file or pasted text."""

    name = StringField(
        "Name (becomes the note's slug, e.g. 005_bishkek_workshop)",
        validators=[Optional(), Length(max=100)],
    )
    file = FileField("Upload the note (PDF, Word .docx, HTML, or UTF-8 text; at most 2 MB)")
    text = TextAreaField("…or paste its text", validators=[Optional()])
    submit = SubmitField("Read the note")


class StateForm(FlaskForm):  # type: ignore[misc]
    """Register a State (admins)."""

    code = StringField("ISO 3166-1 alpha-3 code", validators=[DataRequired(), Length(min=3, max=3)])
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    submit = SubmitField("Add State")
