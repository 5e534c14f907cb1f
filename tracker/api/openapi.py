"""The OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json.

Kept true by tests/test_api.py, which checks every API response of the test suite against it.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any

from tracker.api.inputs import MAX_STATES
from tracker.bilingual import LANGS
from tracker.dates import Precision
from tracker.enums import MeasureArea, MilestoneKind, MilestoneStatus, NoteKind, PlanStatus
from tracker.inputs import TEXT_LIMIT
from tracker.reports import MAX_WITHIN_DAYS
from tracker.rules import Flag
from tracker.services.drafts import DRAFT_FIELDS, DraftField, Shape

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
DATE: Schema = {"type": "string", "format": "date"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
ID: Schema = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
LANG: Schema = {"type": "string", "enum": list(LANGS), "description": "the text's language"}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _null(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _enum(cls: type[StrEnum]) -> Schema:
    return {"type": "string", "enum": [m.value for m in cls]}


def _list(schema: Schema) -> Schema:
    return {"type": "array", "items": schema}


def _object(properties: Schema, optional: tuple[str, ...] = ()) -> Schema:
    required = [name for name in properties if name not in optional]
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


# --- schemas ------------------------------------------------------------------------------

REPORT_ITEM: Schema = {
    "id": INTEGER,
    "ref": _null(STRING),
    "title": STRING,
    "title_lang": LANG,
    "title_alt": STRING,
    "kind": _enum(MilestoneKind),
    "states": _list(STRING),
    "host": _null(STRING),
    "status": _enum(MilestoneStatus),
    "due": _ref("Due"),
    "deadline": {"type": "boolean"},
    "key_day": DATE,
    "venue": STRING,
    "venue_lang": LANG,
    "venue_alt": STRING,
    "flag": _null(_enum(Flag)),
    "sources": _list(_object({"note": STRING, "quote": STRING})),
    "warnings": _list(STRING),
    "days_overdue": INTEGER,
    "days_until": {"type": "integer", "minimum": 0},
}
WHEN = ("days_overdue", "days_until")
SUMMARY = REPORT_ITEM | {"version": INTEGER, "url": STRING}
DETAIL = SUMMARY | {
    "as_of": DATE,
    "current_status": _enum(MilestoneStatus),
    "description": STRING,
    "organisers": STRING,
    "responsible_agency": STRING,
    "plan": _null(STRING),
    "measure": _null({"$ref": "#/components/schemas/Measure"}),
    "created_at": DATE_TIME,
    "updated_at": DATE_TIME,
    "citations": _list(_ref("Citation")),
    "history": _list(_ref("StatusChange")),
    "edits": _list(_ref("MilestoneEdit")),
}
SHARES = ("done", "done_on_time", "in_progress", "not_started", "overdue")
TALLY: Schema = {
    **{n: INTEGER for n in ("total", *SHARES, "cancelled")},
    **{f"share_{n}": {"type": "number", "minimum": 0, "maximum": 1} for n in SHARES},
}
MEASURE: Schema = {
    "number": STRING,
    "area": _null(_enum(MeasureArea)),
    "operative_paragraphs": STRING,
    "permanent": {"type": "boolean"},
    "bodies": _list({"$ref": "#/components/schemas/Body"}),
}
BODY: Schema = {
    "id": INTEGER,
    "state": STRING,
    "name_en": STRING,
    "name_ru": STRING,
    "aliases": _list(STRING),
    "url": STRING,
}
MEASURE_ITEM: Schema = MEASURE | {
    "id": INTEGER,
    "url": STRING,
    "plan": _null(INTEGER),
    "title": STRING,
    "due_text": STRING,
    "due_start": DATE,
    "due_end": DATE,
    "status": _enum(MilestoneStatus),
    "overdue": {"type": "boolean"},
    "done_on": _null(DATE),
    "on_time": {"type": "boolean"},
}
PLAN: Schema = {
    "id": INTEGER,
    "ref": _null(STRING),
    "state": STRING,
    "title": STRING,
    "title_lang": LANG,
    "title_alt": STRING,
    "status": _enum(PlanStatus),
    "period": _null(STRING),
    "supersedes": _null(INTEGER),
}
NAMES: Schema = {lang: _object({"short": STRING, "official": STRING}) for lang in ("en", "ru")}
STATE: Schema = {
    "code": STRING,
    "name": STRING,
    "names": _object(NAMES) | {"description": "short and official names per language"},
    "url": STRING,
    "milestones_url": STRING,
}
NOTE: Schema = {
    "slug": STRING,
    "title": STRING,
    "kind": _enum(NoteKind),
    "event": STRING,
    "sha256": STRING,
    "url": STRING,
}


def _draft_member(spec: DraftField) -> Schema:
    if spec.choices is not None:
        members = _enum(spec.choices)
        return members if spec.required else {**members, "enum": [*members["enum"], ""]}
    if spec.shape is Shape.DATE:
        return DATE
    if spec.shape is Shape.CODES:
        code = {"type": "string", "pattern": "^[A-Za-z]{3}$"}
        return {"type": "array", "items": code, "minItems": 1, "maxItems": MAX_STATES}
    if spec.shape is Shape.OPTIONAL:
        text: Schema = {"type": "string"}
        if spec.pattern:  # or empty: "" clears an optional field, as null does
            text["pattern"] = f"^$|{spec.pattern}"
        if spec.api_limit < TEXT_LIMIT:
            text["maxLength"] = spec.api_limit
        return _null(text)
    return {
        "type": "string",
        **({"minLength": 1} if spec.required else {}),
        "maxLength": spec.limit,
    }


# A milestone's fields as a JSON body names them (the draft's own definition).
DRAFT: Schema = {f.name: _draft_member(f) for f in DRAFT_FIELDS if f.name != "ref"}
CREATE: Schema = {f.name: _draft_member(f) for f in DRAFT_FIELDS}
CREATE_OPTIONAL = tuple(f.name for f in DRAFT_FIELDS if not f.required and f.shape != Shape.CODES)


def _schemas() -> Schema:
    return {
        "Error": _object(
            {
                "error": {"type": "string", "description": "a stable code, e.g. not_found"},
                "message": {"type": "string", "description": "what went wrong, for a person"},
                "field": {"type": "string", "description": "the field at fault, when one is"},
            },
            optional=("field",),
        ),
        "Due": _object({"start": DATE, "end": DATE, "precision": _enum(Precision), "text": STRING}),
        "ReportItem": _object(REPORT_ITEM, WHEN),
        "MilestoneSummary": _object(SUMMARY, WHEN),
        "Milestone": _object(DETAIL, WHEN),
        "Citation": _object(
            {
                "id": INTEGER,
                "note": STRING,
                "quote": STRING,
                "date_text": STRING,
                "milestone": _null(INTEGER),
                "plan": _null(INTEGER),
                "start": INTEGER,
                "end": INTEGER,
            }
        ),
        "StatusChange": _object(
            {
                "id": INTEGER,
                "old_status": _null(_enum(MilestoneStatus)),
                "new_status": _enum(MilestoneStatus),
                "effective_on": DATE,
                "recorded_at": DATE_TIME,
                "recorded_by": STRING,
                "comment": STRING,
                "citation": _null(INTEGER),
            }
        ),
        "MilestoneEdit": _object(
            {
                "id": INTEGER,
                "version": INTEGER,
                "changes": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "items": _null(STRING),
                        "minItems": 2,
                        "maxItems": 2,
                    },
                },
                "recorded_at": DATE_TIME,
                "recorded_by": STRING,
            }
        ),
        "MilestonePage": _object(
            {
                "as_of": DATE,
                "within_days": INTEGER,
                "limit": INTEGER,
                "items": _list(_ref("MilestoneSummary")),
                "next": _null({"type": "string", "description": "the next page's URL"}),
            }
        ),
        "State": _object(STATE),
        "StateDetail": _object(STATE | {"plans": _list(_ref("Plan"))}),
        "Plan": _object(PLAN),
        "Measure": _object(MEASURE),
        "Body": _object(BODY),
        "Tally": _object(TALLY),
        "MeasureItem": _object(MEASURE_ITEM),
        "PlanDetail": _object(
            PLAN
            | {
                "as_of": DATE,
                "progress": _ref("Tally"),
                "by_area": _list(_object(TALLY | {"area": _null(_enum(MeasureArea))})),
                "by_body": _list(_object(TALLY | {"body": INTEGER})),
                "quarters": _list(_object(TALLY | {"quarter": STRING, "on": DATE})),
                "measures": _list(_ref("MeasureItem")),
            }
        ),
        "BodyDetail": _object(BODY | {"as_of": DATE, "measures": _list(_ref("MeasureItem"))}),
        "NoteSummary": _object(NOTE),
        "Note": _object(NOTE | {"text": STRING, "citations": _list(_ref("Citation"))}),
        "Report": _object(
            {
                "as_of": DATE,
                "within_days": INTEGER,
                "states": _list(STRING),
                "overdue": _list(_ref("ReportItem")),
                "upcoming": _list(_ref("ReportItem")),
            }
        ),
        "MilestoneCreate": _object(CREATE, optional=CREATE_OPTIONAL),
        "MilestonePatch": _object(DRAFT, optional=tuple(DRAFT)) | {"minProperties": 1},
        "StatusChangeCreate": _object(
            {
                "status": _enum(MilestoneStatus),
                "on": DATE,
                "comment": {"type": "string", "maxLength": 10_000},
                "citation": _null(ID),
            },
            optional=("comment", "citation"),
        ),
        "CitationCreate": _object(
            {
                "note": STRING,
                "quote": {"type": "string", "minLength": 1},
                "date_text": {"type": "string", "maxLength": 200},
            },
            optional=("date_text",),
        ),
    }


# --- parameters and responses -------------------------------------------------------------


def _query(name: str, schema: Schema, description: str, many: bool = False) -> Schema:
    parameter: Schema = {"name": name, "in": "query", "description": description}
    if many:
        parameter |= {"schema": _list(schema), "style": "form", "explode": True}
    else:
        parameter["schema"] = schema
    return parameter


def _parameters() -> Schema:
    return {
        "as_of": _query("as_of", DATE, "Judge status and flags as of this day (default today)."),
        "within": _query(
            "within",
            {**INTEGER, "minimum": 0, "maximum": MAX_WITHIN_DAYS},
            "Days ahead that are upcoming.",
        ),
        "state": _query("state", STRING, "Only milestones of these States (ISO3).", many=True),
        "kind": _query("kind", _enum(MilestoneKind), "Only these kinds.", many=True),
        "status": _query("status", _enum(MilestoneStatus), "Status as of as_of.", many=True),
        "due_from": _query("due_from", DATE, "Windows ending on or after this day."),
        "due_to": _query("due_to", DATE, "Windows starting on or before this day."),
        "flag": _query("flag", _enum(Flag), "Only overdue or only upcoming as of as_of."),
        "limit": _query("limit", {**INTEGER, "minimum": 1, "maximum": 200}, "Page size."),
        "cursor": _query("cursor", STRING, "Where the page starts; take it from `next`."),
        "milestone_id": {"name": "milestone_id", "in": "path", "required": True, "schema": ID},
        "plan_id": {"name": "plan_id", "in": "path", "required": True, "schema": ID},
        "body_id": {"name": "body_id", "in": "path", "required": True, "schema": ID},
        "if_match": {
            "name": "If-Match",
            "in": "header",
            "required": True,
            "description": 'The milestone\'s ETag, as a GET gave it (a strong tag, e.g. "3").',
            "schema": STRING,
        },
    }


ERRORS = {
    "400": "A query parameter, the path or the JSON syntax is wrong.",
    "401": "No token where one is needed, or the token is unknown or revoked.",
    "403": "The account may not change this (a viewer, or another State's milestone).",
    "404": "No such resource.",
    "409": "Someone else saved first, or the thing exists already.",
    "412": "The If-Match ETag is not the milestone's current one; nothing was changed.",
    "413": "The body is too large.",
    "415": "The body is not JSON (Content-Type: application/json, UTF-8).",
    "422": "A field is missing, of the wrong type, or refused by the domain rules.",
    "428": "If-Match is missing; read the milestone first and send its ETag.",
}
ETAG = {"ETag": {"required": True, "schema": STRING, "description": 'The version, e.g. "3".'}}


def _responses(ok: str, schema: str, errors: str, headers: Schema | None = None) -> Schema:
    success: Schema = {
        "description": "Success.",
        "content": {"application/json": {"schema": _ref(schema)}},
    }
    if headers:
        success["headers"] = headers
    responses: Schema = {code: success for code in ok.split()}
    for code in errors.split():
        responses[code] = {"$ref": f"#/components/responses/E{code}"}
    return responses


def _operation(summary: str, responses: Schema, params: str = "", write: bool = False) -> Schema:
    operation: Schema = {
        "summary": summary,
        "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in params.split()],
        "responses": responses,
        "security": [{"bearer": []}] if write else [{}, {"bearer": []}],
    }
    return operation


def _body(schema: str) -> Schema:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


READ_ERRORS = "400 401"
WRITE_ERRORS = "400 401 403 404 409 412 413 415 422 428"


def _paths() -> Schema:
    p = "/api/v1"
    milestone = f"{p}/milestones/{{milestone_id}}"
    filters = "state kind status due_from due_to as_of within flag limit cursor"
    return {
        f"{p}/openapi.json": {
            "get": {
                "summary": "This document.",
                "security": [{}],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    # A NUL in the path or the query is refused on every API path.
                    "400": {"$ref": "#/components/responses/E400"},
                },
            }
        },
        f"{p}/states": {"get": _operation("Every State.", _list_response("states", "State"))},
        f"{p}/plans/{{plan_id}}": {
            "get": _operation(
                "A plan with its measures and progress as of a date (overall, by area, by "
                "responsible body, by quarter).",
                _responses("200", "PlanDetail", "400 401 404"),
                "plan_id as_of",
            )
        },
        f"{p}/bodies/{{body_id}}": {
            "get": _operation(
                "A responsible body and everything it must do, overdue first.",
                _responses("200", "BodyDetail", "400 401 404"),
                "body_id as_of",
            )
        },
        f"{p}/states/{{code}}": {
            "get": _operation(
                "A State with its plans.", _responses("200", "StateDetail", "400 401 404")
            )
            | {"parameters": [{"name": "code", "in": "path", "required": True, "schema": STRING}]}
        },
        f"{p}/plans": {
            "get": _operation("Every action plan, or one State's.", _list_response("plans", "Plan"))
            | {"parameters": [_query("state", STRING, "Only this State's plans (ISO3).")]}
        },
        f"{p}/milestones": {
            "get": _operation(
                "Milestones in due order, a page at a time.",
                _responses("200", "MilestonePage", READ_ERRORS),
                filters,
            ),
            "post": _operation(
                "Create a planned milestone.",
                _responses("201", "Milestone", "400 401 403 409 413 415 422", ETAG | _location()),
                write=True,
            )
            | {"requestBody": _body("MilestoneCreate")},
        },
        milestone: {
            "get": _operation(
                "A milestone with citations and history; the ETag is its version.",
                _responses("200", "Milestone", "400 401 404", ETAG),
                "milestone_id as_of within",
            ),
            "patch": _operation(
                "Change some fields of a milestone.",
                _responses("200", "Milestone", WRITE_ERRORS, ETAG),
                "milestone_id if_match",
                write=True,
            )
            | {"requestBody": _body("MilestonePatch")},
        },
        f"{milestone}/status-changes": {
            "post": _operation(
                "Record a status change in the milestone's history.",
                _responses("201", "Milestone", WRITE_ERRORS, ETAG),
                "milestone_id if_match",
                write=True,
            )
            | {"requestBody": _body("StatusChangeCreate")},
        },
        f"{milestone}/citations": {
            "post": _operation(
                "Cite a verbatim quote of a note for the milestone (200 when already cited).",
                _responses("200 201", "Citation", "400 401 403 404 409 413 415 422"),
                "milestone_id",
                write=True,
            )
            | {"requestBody": _body("CitationCreate")},
        },
        f"{p}/notes": {
            "get": _operation("Every source note.", _list_response("notes", "NoteSummary"))
        },
        f"{p}/notes/{{slug}}": {
            "get": _operation("A note with its text.", _responses("200", "Note", "400 401 404"))
            | {"parameters": [{"name": "slug", "in": "path", "required": True, "schema": STRING}]}
        },
        f"{p}/dates": {
            "get": _operation(
                "How a date as written is read (start, end, precision); 422 when unreadable.",
                _responses("200", "Due", "400 401 422"),
            )
            | {
                "parameters": [
                    _query("text", {**STRING, "maxLength": 200}, "The date as written.")
                    | {"required": True},
                    _query("reference", DATE, "The day a relative date counts from."),
                ]
            }
        },
        f"{p}/report": {
            "get": _operation(
                "The deadline report (as `tracker report --format json`).",
                _responses("200", "Report", READ_ERRORS),
                "as_of within state",
            )
        },
    }


def _location() -> Schema:
    return {"Location": {"required": True, "schema": STRING}}


def _list_response(key: str, schema: str) -> Schema:
    wrapped = _object({key: _list(_ref(schema))})
    return {
        "200": {"description": "Success.", "content": {"application/json": {"schema": wrapped}}},
        "400": {"$ref": "#/components/responses/E400"},
        "401": {"$ref": "#/components/responses/E401"},
    }


def _error_responses() -> Schema:
    content = {"application/json": {"schema": _ref("Error")}}
    return {f"E{code}": {"description": text, "content": content} for code, text in ERRORS.items()}


DESCRIPTION = """\
Milestones of UNSCR 1540 National Action Plans, their sources and deadlines.

Send a personal token as `Authorization: Bearer nap_...` (create one with
`tracker token create EMAIL`). Reading needs no token when the tracker is public.

Every failure answers `{"error": code, "message": text, "field": name}`.

ETags are strong and name the milestone's stored version; PATCH and status changes need
`If-Match` with the ETag (428 without it, 412 when stale, and nothing changes). The ETag is
a concurrency token, not a cache validator: flags follow the as-of date, and citations do
not change the version.
"""


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "NAP tracker API", "version": "1.0.0", "description": DESCRIPTION},
        "paths": _paths() | _search_and_documents() | _saved_views_and_bulk(),
        "components": {
            "schemas": _schemas() | _search_schemas() | _lists_schemas(),
            "parameters": _parameters(),
            "responses": _error_responses(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


# --- search and documents (issue 16) -----------------------------------------------------


def _search_schemas() -> Schema:
    span = {"type": "array", "items": INTEGER, "minItems": 2, "maxItems": 2}
    common = {
        "title": STRING,
        "url": STRING,
        "matched_in": _list(STRING),
        "snippet": STRING,
        "highlights": {**_list(span), "description": "[start, end) of each match in snippet"},
    }
    milestone = {
        "type": {"const": "milestone"},
        "id": ID,
        "kind": _enum(MilestoneKind),
        "status": _enum(MilestoneStatus),
        "due_text": STRING,
        "states": _list(STRING),
    }
    return {
        "SearchHit": {
            "oneOf": [
                _object(common | milestone),
                _object(common | {"type": {"const": "note"}, "slug": STRING}),
            ]
        },
        "SearchResults": _object({"q": STRING, "results": _list(_ref("SearchHit"))}),
    }


def _search_and_documents() -> Schema:
    words = _query("q", {**STRING, "maxLength": 200}, 'Words or "a phrase", all required.')
    words["required"] = True
    status = _query("status", _enum(MilestoneStatus), "Current status.", many=True)
    limit = _query("limit", {**INTEGER, "minimum": 1, "maximum": 200}, "At most (50).")
    pdf = {"description": "An A4 PDF.", "content": {"application/pdf": {"schema": STRING}}}
    search = _operation(
        "Full-text search over milestone titles, venues, organisers, descriptions, status "
        "comments, source quotes and note texts; best first, one result per milestone or "
        "note. Filters leave the notes out.",
        _responses("200", "SearchResults", READ_ERRORS),
        "state kind due_from due_to",
    )
    search["parameters"] += [words, status, limit]
    return {
        "/api/v1/search": {"get": search},
        "/api/v1/report.pdf": {
            "get": _operation(
                "The deadline report as an A4 PDF (as `tracker report --format pdf`).",
                _responses("200", "Report", READ_ERRORS) | {"200": pdf},
                "as_of within state",
            )
        },
    }


# --- saved views and bulk status updates (issue 16) ------------------------------------------


def _lists_schemas() -> Schema:
    filters = {
        "type": "object",
        "additionalProperties": {"oneOf": [STRING, _list(STRING)]},
        "description": 'The page\'s filters, e.g. {"state": ["TJK", "KGZ"], "as_of": '
        '"2016-03-01"}; report: as_of, within, state; timeline: as_of, within, kind, status.',
    }
    page = {"type": "string", "enum": ["report", "timeline"]}
    return {
        "SavedView": _object(
            {
                "id": ID,
                "name": STRING,
                "page": page,
                "state": _null(STRING),
                "query": {**STRING, "description": "the filters, URL-encoded"},
                "url": {**STRING, "description": "the page it opens on the site"},
            }
        ),
        "NewSavedView": _object(
            {
                "name": {**STRING, "maxLength": 100},
                "page": page,
                "state": {**STRING, "description": "the State of a timeline view"},
                "filters": filters,
            },
            optional=("page", "state", "filters"),
        ),
        "BulkStatus": _object(
            {
                "milestones": {**_list(ID), "minItems": 1, "maxItems": 500},
                "status": _enum(MilestoneStatus),
                "on": DATE,
                "comment": STRING,
                "note": {**STRING, "description": "the slug of a note to cite for each"},
                "quote": {**STRING, "description": "the words of that note, verbatim"},
            },
            optional=("comment", "note", "quote"),
        ),
        "BulkStatusResult": _object(
            {"changed": _list(_object({"id": ID, "status": _enum(MilestoneStatus), "version": ID}))}
        ),
    }


def _saved_views_and_bulk() -> Schema:
    p = "/api/v1"
    errors = "400 401 403 413 415 422"
    created = _responses("201", "SavedView", errors, _location())
    gone: Schema = {"204": {"description": "Forgotten."}}
    gone |= {
        code: {"$ref": f"#/components/responses/E{code}"} for code in ["400", "401", "404", "422"]
    }
    view_id = {"name": "view_id", "in": "path", "required": True, "schema": ID}
    return {
        f"{p}/saved-views": {
            "get": _operation(
                "The token's account's saved views, by name.",
                _list_response("saved_views", "SavedView"),
                write=True,
            ),
            "post": _operation(
                "Keep a filtered list under a name (one of the same name is replaced).",
                created,
                write=True,
            )
            | {"requestBody": _body("NewSavedView")},
        },
        f"{p}/saved-views/{{view_id}}": {
            "delete": _operation("Forget one of your saved views.", gone, write=True)
            | {"parameters": [view_id]},
        },
        f"{p}/milestones/bulk-status": {
            "post": _operation(
                "One status change for several milestones: each gets its own history row; all "
                "or none, each checked by the same permission policy as one by one.",
                _responses("200", "BulkStatusResult", errors),
                write=True,
            )
            | {"requestBody": _body("BulkStatus")},
        },
    }
