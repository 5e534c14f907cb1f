"""The words for refusals: one template per error code, filled with the error's parameters.

Services and input checks raise errors with a stable code and parameters (`InputError`);
only the edges (web, API, CLI) turn them into words, through `reason` and `describe` here.
This catalogue is the one place a translation will replace. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

# A code not listed here is a reason already worded (ingest and CLI checks that keep their
# own sentences); it is shown as it is, with the code "invalid".
LITERAL = "invalid"

MESSAGES: dict[str, str] = {
    # text, dates, numbers (tracker.inputs)
    "not_text": "must be text",
    "nul_character": "contains a NUL character (U+0000)",
    "lone_surrogate": "is not valid Unicode (a lone surrogate)",
    "control_character": "contains the control character U+{point}",
    "control_character_single_line": (
        "contains the control character U+{point}; only multi-line fields may hold tabs "
        "and line breaks"
    ),
    "invisible_only": "holds only invisible characters (such as U+200B)",
    "required": "is required",
    "too_long": "is {length} characters; the limit is {limit}",
    "not_iso_date": "must be a real date written YYYY-MM-DD",
    "no_such_day": "must be a real date written YYYY-MM-DD (there is no such day)",
    "not_iso_moment": "must be a day (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ)",
    "date_out_of_range": "must be between {first} and {last}",
    "not_whole_number": "must be a whole number from {low} to {high}",
    "not_day_count": "must be a whole number of days from {low} to {high}",
    "not_one_of": "must be one of: {allowed}",
    "unknown_timezone": "is not a time zone (give an IANA name such as Asia/Dushanbe or UTC)",
    # a date as written (tracker.dates.REASONS: the parser's codes, the same words)
    "date_empty": "the text is empty",
    "date_too_long": "the text is too long ({length} characters; at most {most})",
    "date_year_missing": "the year is missing",
    "date_unknown_form": "not a date form this tracker can read",
    "date_qualifier_alone": (
        "words like 'early' or 'late' only go with a month, quarter, half-year or year"
    ),
    "date_year_out_of_range": (
        "year {year} is outside the years this tracker reads ({first}-{last})"
    ),
    "date_no_such_month": "month {month} does not exist",
    "date_no_such_day": "{month_name} {year} has no day {day} (it has {last} days)",
    "date_no_such_quarter": "quarter {quarter} does not exist (quarters are 1-4)",
    "date_no_such_half_year": "half-year {half} does not exist (half-years are 1-2)",
    "date_range_backwards": "the range ends ({end}) before it starts ({start})",
    "date_needs_reference": "a relative date needs a reference date (the note's date)",
    # catalogue: States, notes, plans, citations
    "unknown_state": "no such State (use an ISO 3166-1 alpha-3 code, e.g. TJK)",
    "state_code_shape": "must be three letters (ISO 3166-1 alpha-3)",
    "state_exists": "is already registered",
    "state_name_taken": "another State already has this name",
    "unknown_note": "no such source note",
    "slug_shape": "use letters, digits, '-', '_' or '.' (at most 120)",
    "empty_note": "the note is empty",
    "note_too_large": "the note is larger than {limit} bytes",
    "upload_too_large": (
        "is larger than the upload limit of {limit}; nothing was stored. Send a smaller "
        "file (a PDF without its images, or the note's text alone)"
    ),
    "same_note_text": "the same text is already stored as note {slug!r}",
    "slug_taken": "another note already has this slug",
    "empty_quote": "is empty (for {kind} {title!r})",
    "quote_not_verbatim": (
        "is not verbatim in note {slug!r} (cited for {kind} {title!r}); "
        "the closest passage of the note is: “{closest}”"
    ),
    "unknown_plan": "no such action plan",
    # measures and responsible bodies
    "unknown_body_id": "no such responsible body",
    "body_exists": "{state} already has a body of this name",
    "unknown_body": (
        "names no responsible body of {states} (by English or Russian name or alias); "
        "add it as a new body or as an alias first"
    ),
    "measure_fields_on_other_kind": (
        "only a measure (kind 'measure') has a number, an area and responsible bodies"
    ),
    "measure_without_plan": "a measure belongs to a plan: choose its action plan",
    "measure_number_taken": "plan {plan} already has a measure with this number",
    "permanent_without_period": (
        "a permanent measure runs for its plan's period, and this plan has none"
    ),
    "unknown_plan_id": "no such action plan",
    "table_too_large": "is larger than {limit} bytes",
    "table_empty": "has no header row (expected number,text,time_frame,bodies,area)",
    "table_columns": "lacks the column(s) {missing} (header: number,text,time_frame,bodies,area)",
    "table_too_many_rows": "has more than {limit} rows",
    "table_not_utf8": "is not UTF-8 text (save the CSV as UTF-8, or upload the XLSX)",
    "table_not_xlsx": "cannot be read as an XLSX workbook",
    # text in two languages (tracker.bilingual)
    "translation_without_text": "is a translation of {original}, which is empty",
    "translation_same_language": (
        "is written in the same language as {original} ({lang}); give the other language here"
    ),
    # milestones
    "milestone_id_shape": "milestone ids are whole numbers",
    "unknown_milestone": "no such milestone",
    "no_state": "name at least one participating State",
    "ref_taken": "another milestone already has this reference",
    "stale_version": (
        "milestone {id} was changed by someone else since you loaded it (now at version {now})"
    ),
    "changed_meanwhile": "milestone {id} was changed by someone else meanwhile",
    "future_date": "is in the future; record it when it happens",
    "bad_transition": "{reason}",
    "cites_another_milestone": "cites another milestone",
    "unknown_citation": "no such citation",
    "plan_without_ref": "the milestone's plan has no reference",
    "same_date": "is the date it has already; give the new date it moves to",
    # accounts and tokens
    "not_email": "is not an e-mail address",
    "email_taken": "an account with this e-mail exists already",
    "weak_password": "{reason}",
    "coordinator_without_state": "a coordinator needs at least one State",
    "coordinator_without_state_cli": "a coordinator needs at least one State (--state ISO3)",
    "unknown_user": "no such account",
    "token_id_shape": "token ids are whole numbers",
    "unknown_token": "no such token",
    "not_your_token": "you have no such token",
    # importing notes
    "unreadable_note": "{reason}",  # the extractor's own words (tracker.ingest stays pure)
    "needs_match": "{action} needs a matching record",
    "no_record_to_cite": "no such record to cite",
    # the permission policy (tracker.policy)
    "sign_in": "sign in to make changes",
    "deactivated": "this account is deactivated",
    "read_only": "your account can read but not edit (role: {role})",
    "not_your_state": "you coordinate {yours}; this concerns {theirs} only",
    "admins_only": "only administrators may manage accounts",
    "own_mail_settings_only": "you may change only your own e-mail settings",
    "own_account_only": "you may change only your own account",
    # saved views
    "view_name_missing": "give the view a name",
    "view_page_unknown": "use one of {pages}",
    # the deadline report page (issue 17)
    "report_section_unknown": "use {sections}",
    "view_filters_too_long": "too many filters to keep",
    "views_too_many": "an account keeps at most {most} views",
    "unknown_view": "no such saved view on your account",
    # bulk status changes
    "bulk_none_selected": "select at least one milestone",
    "bulk_too_many": "at most {most} at once",
    "bulk_refused": "{refusals}",
    "quote_without_note": "choose the note the quote comes from",
    "bulk_milestone_refused": "milestone #{id} ({title}): {reason}",
    # reminders (tracker.reminders)
    "lead_days_missing": "give at least one lead time in days, e.g. 30, 7, 1",
    "lead_days_too_many": "give at most {most} lead times",
    "lead_days_not_days": "{part!r} is not a whole number of days from 0 to 365",
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


def word(code: str, params: Mapping[str, object]) -> str:
    """The reason for a code, in English (the catalogue's language)."""
    template = MESSAGES.get(code)
    if template is None:
        return str(params.get("reason", code))
    return template.format(**params)


def reason(error: Coded) -> str:
    """Why the value was refused, without the field: for a message next to a form field."""
    return word(error.code, error.params)


def describe(error: Coded, echo: int = 60) -> str:
    """The whole refusal on one line: FIELD 'VALUE': REASON (a long value is shortened)."""
    shown = str(error.value)
    if len(shown) > echo:
        shown = shown[: echo - 3] + "..."
    return f"{error.field} {shown!r}: {reason(error)}"


def sentence(text: str) -> str:
    """A reason as a sentence for a page: capital first letter, full stop."""
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")
