"""A bounded fuzzing run of the API from its own OpenAPI document (schemathesis, in-process WSGI).

Every operation gets valid and invalid requests as an administrator would send them; none may
answer 500, and every answer must match the document (status, content type, headers, body).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.api_helpers import conforming_responses, make_token
from tracker.models import Milestone

TARGET = "peer-review-2018-kyrgyzstan"  # planned, version 1
# Per operation and mode; the default run takes seconds. TRACKER_FUZZ_EXAMPLES=500 digs deeper,
# with fresh random data each time instead of the fixed, repeatable default set.
EXAMPLES = int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "20"))
REPEATABLE = "TRACKER_FUZZ_EXAMPLES" not in os.environ
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
REFUSALS = ["400", "401", "403", "404", "409", "412", "413", "415", "422", "428"]
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}}}
)


@pytest.fixture
def app(app: Flask) -> Iterator[Flask]:
    """The application, with every API response also checked by the suite's own validator."""
    with conforming_responses(app):
        yield app


def strategies(
    operation: schemathesis.APIOperation, mode: GenerationMode, session: Session
) -> list[SearchStrategy[schemathesis.Case]]:
    """Random requests, and (for one milestone) requests that name it with its current ETag."""
    found = [operation.as_strategy(generation_mode=mode)]
    if "{milestone_id}" in operation.path:
        milestone = session.scalars(select(Milestone).where(Milestone.ref == TARGET)).one()
        known = {"milestone_id": milestone.id}
        etag = {"If-Match": f'"{milestone.version}"'} if operation.method != "get" else None
        found.append(
            operation.as_strategy(generation_mode=mode, path_parameters=known, headers=etag)
        )
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzzing_finds_no_server_error_and_no_response_outside_the_document(
    app: Flask, seeded: Session, mode: GenerationMode
) -> None:
    # The WSGI transport hands the body over as sent: ask for it uncompressed (the gzip
    # encoding itself is checked in tests/test_compression.py).
    admin = {**make_token(seeded, "admin"), "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])
    strategy = st.one_of([s for op in operations for s in strategies(op, mode, seeded)])

    @settings(
        max_examples=EXAMPLES * len(operations),
        deadline=None,
        database=None,
        derandomize=REPEATABLE,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def exchange(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=admin, checks=checks)

    exchange()
