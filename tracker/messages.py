"""The words for refusals: one template per error code, filled with the error's parameters.

Services and input checks raise errors with a stable code and parameters (`InputError`);
only the edges (web, API, CLI) turn them into words, through `reason` and `describe` here,
in the reader's language: every template is marked with `N_` for the gettext catalogue and
translated when it is worded, by the translator `tracker.i18n` installs (Flask-Babel's
gettext, which follows the request's locale or a forced one). Without it (outside the
application, as in the pure tests) the words are the catalogue's English.
Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import Protocol


def N_(text: str) -> str:
    """Mark a template for the catalogue; it is translated when worded, not here."""
    return text


def _english(text: str) -> str:
    return text


class Day(date):
    """A day a message writes in words ('1 March 2016', '1 марта 2016 г.'); a plain date
    parameter keeps its ISO form (a range a field accepts: 1900-01-01)."""

    @classmethod
    def of(cls, day: date) -> Day:
        """The same day, to be written in words."""
        return cls(day.year, day.month, day.day)


class FieldNames(tuple[str, ...]):
    """A milestone's field names (history keys) a message writes in words, with commas."""


def _english_value(value: object) -> object:
    if isinstance(value, FieldNames):
        return ", ".join(name.replace("_", " ") for name in value)
    if isinstance(value, Day):
        return f"{value.day} {value:%B %Y}"  # a day as English writes it: 1 March 2016
    if isinstance(value, StrEnum) and not hasattr(value, "label"):
        return value.value.replace("_", " ")  # 'under review'
    return getattr(value, "label", value)  # an enum's English label ('in progress')


_translate: Callable[[str], str] = _english
_show: Callable[[object], object] = _english_value


def translate_with(translate: Callable[[str], str], show: Callable[[object], object]) -> None:
    """Install the translators `word` uses (tracker.i18n: Flask-Babel's gettext for the
    templates, tracker.labels for parameters that are values of a vocabulary)."""
    global _translate, _show
    _translate, _show = translate, show


# A code not listed here is a reason already worded (ingest and CLI checks that keep their
# own sentences); it is shown as it is, with the code "invalid".
LITERAL = "invalid"

# "{reason}" and "{refusals}" are words made elsewhere (and translated there): nothing to mark.
MESSAGES: dict[str, str] = {
    # text, dates, numbers (tracker.inputs)
    "not_text": N_("must be text"),
    "nul_character": N_("contains a NUL character (U+0000)"),
    "lone_surrogate": N_("is not valid Unicode (a lone surrogate)"),
    "control_character": N_("contains the control character U+{point}"),
    "control_character_single_line": N_(
        "contains the control character U+{point}; only multi-line fields may hold tabs "
        "and line breaks"
    ),
    "invisible_only": N_("holds only invisible characters (such as U+200B)"),
    "required": N_("is required"),
    "too_long": N_("is {length} characters; the limit is {limit}"),
    "not_iso_date": N_("must be a real date written YYYY-MM-DD"),
    "no_such_day": N_("must be a real date written YYYY-MM-DD (there is no such day)"),
    "not_iso_moment": N_("must be a day (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ)"),
    "date_out_of_range": N_("must be between {first} and {last}"),
    "not_whole_number": N_("must be a whole number from {low} to {high}"),
    "not_day_count": N_("must be a whole number of days from {low} to {high}"),
    "not_one_of": N_("must be one of: {allowed}"),
    "not_a_choice": N_("is not one of the choices"),
    "within_range": N_("must be 0 to {most} days"),
    "use_one_of": N_("use one of {allowed}"),
    "unknown_format": N_("use csv, xlsx or ics"),
    "unreadable_date": "{reason}",
    "unknown_timezone": N_("is not a time zone (give an IANA name such as Asia/Dushanbe or UTC)"),
    "date_empty": N_("the text is empty"),
    "date_too_long": N_("the text is too long ({length} characters; at most {most})"),
    "date_year_missing": N_("the year is missing"),
    "date_unknown_form": N_("not a date form this tracker can read"),
    "date_qualifier_alone": N_(
        "words like 'early' or 'late' only go with a month, quarter, half-year or year"
    ),
    "date_year_out_of_range": N_(
        "year {year} is outside the years this tracker reads ({first}-{last})"
    ),
    "date_no_such_month": N_("month {month} does not exist"),
    "date_no_such_day": N_("{month_name} {year} has no day {day} (it has {last} days)"),
    "date_no_such_quarter": N_("quarter {quarter} does not exist (quarters are 1-4)"),
    "date_no_such_half_year": N_("half-year {half} does not exist (half-years are 1-2)"),
    "date_range_backwards": N_("the range ends ({end}) before it starts ({start})"),
    "date_needs_reference": N_("a relative date needs a reference date (the note's date)"),
    # catalogue: States, notes, plans, citations
    "unknown_state": N_("no such State (use an ISO 3166-1 alpha-3 code, e.g. TJK)"),
    "state_code_shape": N_("must be three letters (ISO 3166-1 alpha-3)"),
    "state_exists": N_("is already registered"),
    "state_name_taken": N_("another State already has this name"),
    "unknown_note": N_("no such source note"),
    "slug_shape": N_("use letters, digits, '-', '_' or '.' (at most 120)"),
    "empty_note": N_("the note is empty"),
    "note_too_large": N_("the note is larger than {limit} bytes"),
    "upload_too_large": N_(
        "is larger than the upload limit of {limit}; nothing was stored. Send a smaller "
        "file (a PDF without its images, or the note's text alone)"
    ),
    "same_note_text": N_("the same text is already stored as note {slug!r}"),
    "slug_taken": N_("another note already has this slug"),
    "empty_quote": N_("is empty (for {kind} {title!r})"),
    "quote_not_verbatim": N_(
        "is not verbatim in note {slug!r} (cited for {kind} {title!r}); "
        "the closest passage of the note is: “{closest}”"
    ),
    "unknown_plan": N_("no such action plan"),
    # measures and responsible bodies
    "unknown_body_id": N_("no such responsible body"),
    "body_exists": N_("{state} already has a body of this name"),
    "already_focal_point": N_("is already a focal point of {body}"),
    "not_focal_point": N_("is not a focal point of {body}"),
    "unknown_body": N_(
        "names no responsible body of {states} (by English or Russian name or alias); "
        "add it as a new body or as an alias first"
    ),
    "measure_fields_on_other_kind": N_(
        "only a measure (kind 'measure') has a number, an area and responsible bodies"
    ),
    "measure_without_plan": N_("a measure belongs to a plan: choose its action plan"),
    "measure_number_taken": N_("plan {plan} already has a measure with this number"),
    "permanent_without_period": N_(
        "a permanent measure runs for its plan's period, and this plan has none"
    ),
    "unknown_plan_id": N_("no such action plan"),
    "table_too_large": N_("is larger than {limit} bytes"),
    "table_empty": N_("has no header row (expected number,text,time_frame,bodies,area)"),
    "table_columns": N_(
        "lacks the column(s) {missing} (header: number,text,time_frame,bodies,area)"
    ),
    "table_too_many_rows": N_("has more than {limit} rows"),
    "table_not_utf8": N_("is not UTF-8 text (save the CSV as UTF-8, or upload the XLSX)"),
    "table_not_xlsx": N_("cannot be read as an XLSX workbook"),
    "table_not_csv": N_("cannot be read as CSV"),
    "table_not_csv_or_xlsx": N_("is neither a CSV nor an XLSX file (save the table as one)"),
    "table_too_many_columns": N_("has more than {limit} columns"),
    "measure_number_repeats": N_("repeats row {row}"),
    "measure_outside_period": N_(
        "time frame {text!r} is outside the plan's period {period}; kept as written"
    ),
    "unknown_body_choice": N_("a name no body has: choose above a new body or a known one"),
    "not_a_body_of": N_("is not a responsible body of {state}"),
    "pending_table_gone": N_(
        "this review has expired or was saved already; upload the measures table again"
    ),
    # text in two languages (tracker.bilingual)
    "translation_without_text": N_("is a translation of {original}, which is empty"),
    "translation_same_language": N_(
        "is written in the same language as {original} ({lang}); give the other language here"
    ),
    # milestones
    "milestone_id_shape": N_("milestone ids are whole numbers"),
    "unknown_milestone": N_("no such milestone"),
    "no_state": N_("name at least one participating State"),
    "ref_taken": N_("another milestone already has this reference"),
    "stale_version": N_(
        "milestone {id} was changed by someone else since you loaded it (now at version {now})"
    ),
    "changed_meanwhile": N_("milestone {id} was changed by someone else meanwhile"),
    "future_date": N_("is in the future; record it when it happens"),
    "bad_transition": "{reason}",
    "already_status": N_("the milestone is already {status}"),
    "no_such_transition": N_("cannot go from {old} to {new} (allowed: {allowed})"),
    "out_of_order": N_(
        "effective date {on} is before the latest recorded change ({last}); "
        "history is kept in date order"
    ),
    "cites_another_milestone": N_("cites another milestone"),
    "unknown_citation": N_("no such citation"),
    "plan_without_ref": N_("the milestone's plan has no reference"),
    "same_date": N_("is the date it has already; give the new date it moves to"),
    # accounts and tokens
    "not_email": N_("is not an e-mail address"),
    "email_taken": N_("an account with this e-mail exists already"),
    "weak_password": "{reason}",
    "password_too_short": N_("must be at least {least} characters"),
    "password_too_long": N_("must be at most {most} characters"),
    "password_common": N_("is one of the most common passwords; choose a less guessable one"),
    "password_has_email": N_("must not contain the account's e-mail address or its name part"),
    "coordinator_without_state": N_("a coordinator needs at least one State"),
    "coordinator_without_state_cli": N_("a coordinator needs at least one State (--state ISO3)"),
    "unknown_user": N_("no such account"),
    "token_id_shape": N_("token ids are whole numbers"),
    "unknown_token": N_("no such token"),
    "not_your_token": N_("you have no such token"),
    # importing notes
    "note_missing": N_("upload a file or paste the note's text"),
    "not_a_kind": N_("is not a milestone kind"),
    "unreadable_note": "{reason}",  # the extractor's own words (tracker.ingest stays pure)
    "needs_match": N_("{action} needs a matching record"),
    "no_record_to_cite": N_("no such record to cite"),
    # the permission policy (tracker.policy)
    "sign_in": N_("sign in to make changes"),
    "deactivated": N_("this account is deactivated"),
    "read_only": N_("your account can read but not edit (role: {role})"),
    "not_your_state": N_("you coordinate {yours}; this concerns {theirs} only"),
    "admins_only": N_("only administrators may manage accounts"),
    "not_your_body": N_(
        "you are the focal point of {bodies}; this measure is not one of that body's"
    ),
    "focal_point_measures_only": N_(
        "focal points ({bodies}) record progress on their body's measures only, not on "
        "other milestones"
    ),
    "focal_point_progress_only": N_(
        "focal points ({bodies}) may only record progress (a status change) on their body's "
        "measures"
    ),
    "own_mail_settings_only": N_("you may change only your own e-mail settings"),
    "own_account_only": N_("you may change only your own account"),
    # search (tracker.services.search)
    "search_too_long": N_("is {length} characters long; a search takes at most {most}"),
    "search_no_word": N_("has no word to search for (letters or digits)"),
    "search_too_many_words": N_("has more than {most} words; use fewer"),
    "search_only_common_words": N_(
        "has only words too common to search for (such as 'the' or 'and'); add another word"
    ),
    # saved views
    "view_name_missing": N_("give the view a name"),
    "view_page_unknown": N_("use one of {pages}"),
    # the deadline report page (issue 17)
    "report_section_unknown": N_("use {sections}"),
    "view_filters_too_long": N_("too many filters to keep"),
    "views_too_many": N_("an account keeps at most {most} views"),
    "unknown_view": N_("no such saved view on your account"),
    # bulk status changes
    "bulk_none_selected": N_("select at least one milestone"),
    "bulk_too_many": N_("at most {most} at once"),
    "bulk_refused": "{refusals}",
    "quote_without_note": N_("choose the note the quote comes from"),
    "bulk_milestone_refused": N_("milestone #{id} ({title}): {reason}"),
    # data warnings beside a milestone (tracker.rules.data_warnings)
    "window_reversed": N_("the window ends ({end}) before it starts ({start})"),
    "report_before_1540": N_(
        "national report dated {text!r}, before resolution 1540 was adopted on 28 April 2004; "
        "kept as the source gives it"
    ),
    # why something needs review (tracker.rules.milestone_review_reasons, plan_review_reasons)
    "review_overdue": N_("overdue for {days} days (more than {limit})"),
    "review_stale": N_("{status} since {day}, no change for two years"),
    "review_plan_ended": N_("still {status} though its period ended on {day}"),
    "sources_disagree": N_("note {note} gives {theirs!r}, which differs from {ours!r}"),
    # reminders (tracker.reminders)
    "lead_days_missing": N_("give at least one lead time in days, e.g. 30, 7, 1"),
    "lead_days_too_many": N_("give at most {most} lead times"),
    "lead_days_not_days": N_("{part!r} is not a whole number of days from 0 to 365"),
    # the activity stream, its feed and the digest (tracker.services.activity)
    "activity_status": N_("{old} → {new}, effective {day}"),
    "activity_status_comment": N_("{old} → {new}, effective {day}: {comment}"),
    "activity_new": N_("new milestone"),
    "activity_edit": N_("changed {fields}"),
    "activity_cites": N_("cites {note}"),
    "review_plan_title": N_("plan: {title}"),
    # what an import of a note saved (tracker.services.imports.ImportResult.summary)
    "import_saved": N_(
        "Imported note {slug}: {created} milestones created, {cited} cited, "
        "{warned} with a date warning, {plans} plans, {changes} status changes, "
        "{skipped} skipped."
    ),
    # who recorded a change, when the account has no display name (User.public_name)
    "role_admin": N_("Administrator"),
    "role_coordinator": N_("Coordinator"),
    "role_viewer": N_("Reader"),
    "coordinator_of": N_("Coordinator ({states})"),
    "name_with_email": "{name} <{email}>",
    # what saving an imported proposal does, and why (tracker.ingest.matching)
    "match_no_date": N_("no date: give one before saving"),
    "match_agrees": N_("same event, dates agree: milestone {id} ({title}, {due})"),
    "match_disagrees": N_("same event, the dates disagree: milestone {id} ({title}, {due})"),
    "match_none": N_("no known milestone matches"),
    "match_no_period": N_("no period: give one before saving"),
    "match_no_plan": N_("no known plan has this period"),
    "match_plan_period": N_("same plan period: plan {id} ({title})"),
    # the importer's warnings (tracker.ingest.extract, tracker.ingest.language)
    "import_header_undated": N_("the header date {text!r} has no readable date"),
    "import_no_year": N_("no year in {text!r}: give the year if you know it (not guessed)"),
    "import_undatable": N_("cannot date {text!r}: {problem}"),
    "import_report_before_1540": N_(
        "dated {text!r}, before resolution 1540 was adopted on 28 April 2004; "
        "kept as the note gives it"
    ),
    "import_language_unknown": N_(
        "the note's language was not recognised: the importer reads English and Russian, "
        "so dates and States may be missed; check the note against the proposals by hand"
    ),
}


class Coded(Protocol):
    """An error as the edges read it: which field, which value, which code and parameters."""

    @property
    def field(self) -> str: ...
    @property
    def value(self) -> object: ...
    @property
    def code(self) -> str: ...
    @property
    def params(self) -> Mapping[str, object]: ...


def word(code: str, params: Mapping[str, object], english: bool = False) -> str:
    """The reason for a code in the reader's language (`english`: the catalogue's own)."""
    template = MESSAGES.get(code)
    if template is None:
        return str(params.get("reason", code))
    if english:
        return template.format(**{k: _english_value(v) for k, v in params.items()})
    return _translate(template).format(**{k: _show(v) for k, v in params.items()})


def reason(error: Coded, english: bool = False) -> str:
    """Why the value was refused, without the field: for a message next to a form field."""
    return word(error.code, error.params, english)


def describe(error: Coded, echo: int = 60, english: bool = False, named: bool = True) -> str:
    """The whole refusal on one line: FIELD 'VALUE': REASON (a long value is shortened).
    The field keeps its name (the form's, the API's or the option's), in every language;
    `named=False` leaves it out (a page's 404, where the address says what was asked)."""
    shown = str(error.value)
    if len(shown) > echo:
        shown = shown[: echo - 3] + "..."
    if not named:
        return f"{shown!r}: {reason(error, english)}"
    return f"{error.field} {shown!r}: {reason(error, english)}"


class Worded(str):
    """Words made from a code: as a str, the catalogue's English (JSON, logs, tests stay
    language-neutral); `words` gives them in the reader's language at an edge."""

    code: str
    params: Mapping[str, object]

    def __new__(cls, code: str, params: Mapping[str, object]) -> Worded:
        made = super().__new__(cls, word(code, params, english=True))
        made.code, made.params = code, dict(params)
        return made

    def __reduce__(self) -> tuple[type[Worded], tuple[str, dict[str, object]]]:
        return (Worded, (self.code, dict(self.params)))  # pickled and copied as code and params


def words(text: str) -> str:
    """Text for the reader: a `Worded` in their language, any other text as it is."""
    return word(text.code, text.params) if isinstance(text, Worded) else str(text)


def sentence(text: str) -> str:
    """A reason as a sentence for a page: capital first letter, full stop."""
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")
