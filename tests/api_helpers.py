"""Helpers for the API tests: tokens, and checking every response against the OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, request
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy.orm import Session

from tests.factories import make_state
from tracker import services
from tracker.api import openapi

DOCUMENT_URI = "urn:nap-tracker:openapi"
RULE_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def bearer(secret: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {secret}"}


def make_token(
    session: Session, role: str = "admin", states: tuple[str, ...] = (), email: str = ""
) -> dict[str, str]:
    """A new account with an API token; returns the header that authenticates as it."""
    for code in states:
        make_state(session, code)
    email = email or f"{role}-{'-'.join(states) or 'all'}@example.org".lower()
    user = services.add_user(session, email, "a long password", role, states)
    _token, secret = services.create_token(session, user, "api", "tests")
    session.commit()
    return bearer(secret)


# --- OpenAPI conformance ----------------------------------------------------------------------


def _registry() -> Registry[Any]:
    resource = Resource.from_contents(openapi.document(), default_specification=DRAFT202012)
    return Registry().with_resource(DOCUMENT_URI, resource)


def _pointer(*parts: str) -> str:
    escaped = (part.replace("~", "~0").replace("/", "~1") for part in parts)
    return f"{DOCUMENT_URI}#/" + "/".join(escaped)


def _validator(pointer: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": pointer},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _documented(path: str, method: str, status: int) -> tuple[dict[str, Any], str] | None:
    """The response object the document gives, and a JSON pointer to it."""
    document = openapi.document()
    operation = document["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return None
    spec = operation["responses"].get(str(status))
    if spec is None:
        return None
    pointer = ("paths", path, method.lower(), "responses", str(status))
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[1]
        return document["components"]["responses"][name], _pointer("components", "responses", name)
    return spec, _pointer(*pointer)


def response_problems(rule: str | None, method: str, response: Response) -> list[str]:
    """What about a response disagrees with the OpenAPI document (nothing when it conforms)."""
    if method in ("HEAD", "OPTIONS"):
        return []
    if rule is None:  # no route matched: the JSON error shape, 404 or 405
        return _body_problems(response, _pointer("components", "schemas", "Error"))
    path = RULE_PARAMETER.sub(r"{\1}", rule)
    found = _documented(path, method, response.status_code)
    where = f"{method} {path} -> {response.status_code}"
    if found is None:
        return [f"{where}: not in the OpenAPI document"]
    spec, pointer = found
    problems = [
        f"{where}: header {name} missing"
        for name, header in spec.get("headers", {}).items()
        if header.get("required") and name not in response.headers
    ]
    if "content" not in spec:  # no content (204): none may be sent
        body = response.get_data()
        return problems + ([f"{where}: {len(body)} bytes of content"] if body else [])
    if "application/pdf" in spec.get("content", {}):  # a document: its type, not a schema
        if response.mimetype != "application/pdf" or not response.get_data().startswith(b"%PDF-"):
            problems.append(f"{where}: not a PDF ({response.mimetype})")
        return problems
    schema_pointer = pointer + "/content/application~1json/schema"
    return problems + [f"{where}: {p}" for p in _body_problems(response, schema_pointer)]


def _body_problems(response: Response, schema_pointer: str) -> list[str]:
    if response.mimetype != "application/json":
        return [f"content type {response.mimetype!r}, not application/json"]
    body = response.get_json(silent=True)
    errors = sorted(_validator(schema_pointer).iter_errors(body), key=lambda e: e.json_path)
    return [f"{e.json_path}: {e.message[:300]}" for e in errors]


@contextmanager
def conforming_responses(app: Flask) -> Iterator[list[str]]:
    """Check every /api/v1 response given inside the block; fail at the end if any strays."""
    problems: list[str] = []

    def check(response: Response) -> Response:
        if request.path.startswith("/api/v1/"):
            rule = request.url_rule.rule if request.url_rule else None
            problems.extend(response_problems(rule, request.method, response))
        return response

    app.after_request(check)
    yield problems
    assert not problems, "responses that break the OpenAPI document:\n" + "\n".join(problems)
