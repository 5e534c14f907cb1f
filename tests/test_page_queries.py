"""Pages send a fixed, small number of SQL statements whatever the number of milestones."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.factories import make_milestone, make_note
from tests.querycount import count_statements
from tracker import services

PAGES = [
    "/",
    "/states/TJK",
    "/milestones/{id}",
    "/report?state=TJK&state=KGZ",
    "/report.csv",
    "/notes",
    "/notes/950_bulk",
    "/api/v1/milestones/{id}",
    "/api/v1/milestones?state=TJK",
    "/api/v1/report?state=TJK",
    "/plans/1",
    "/api/v1/plans/1",
]
LIMIT = 6  # issue 6: at most 6 statements per page, whatever the data size
# A page of the API's milestone list: the States asked for, the page of ids, the rows, then
# one statement each for their States, citations, history and cited notes' names.
LIMITS = {"/api/v1/milestones?state=TJK": 7}


def grow(session: Session, how_many: int) -> int:
    """Add milestones with citations and history; returns one of their ids."""
    note = make_note(session, slug="950_bulk", text="Bulk note: the workshop was held. " * 3)
    milestone_id = 0
    for n in range(how_many):
        milestone = make_milestone(
            session, title=f"Workshop {n}", due=f"{n % 28 + 1} March 2016", states=["TJK", "KGZ"]
        )
        services.cite(session, note, "the workshop was held", milestone=milestone)
        services.change_status(session, milestone, "in_progress", date(2016, 1, 1))
        services.change_status(session, milestone, "done", date(2016, 4, 1))
        milestone_id = milestone.id
    session.commit()
    return milestone_id


def statements(app: Flask, path: str) -> int:
    client = app.test_client()
    with count_statements(app.extensions["tracker.engine"]) as sent:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(sent)


@pytest.mark.parametrize("path", PAGES)
def test_page_statements_do_not_grow_with_the_data(app: Flask, seeded: Session, path: str) -> None:
    milestone_id = grow(seeded, 3)
    small = statements(app, path.format(id=milestone_id))
    milestone_id = grow_more(seeded, 40)
    large = statements(app, path.format(id=milestone_id))
    limit = LIMITS.get(path, LIMIT)
    assert small == large <= limit, f"{path}: {small} statements, then {large} with more data"


def grow_more(session: Session, how_many: int) -> int:
    note = services.get_note(session, "950_bulk")
    milestone_id = 0
    for n in range(how_many):
        milestone = make_milestone(session, title=f"More {n}", due="2016", states=["TJK", "UZB"])
        services.cite(session, note, "the workshop was held", milestone=milestone)
        milestone_id = milestone.id
    session.commit()
    return milestone_id


def test_a_milestone_citing_many_notes_reads_none_of_their_texts(
    app: Flask, seeded: Session
) -> None:
    """Each citation knows where its quote stands: the notes' texts (up to 1 MB) stay unread."""
    milestone = make_milestone(seeded, title="Cited five times", due="2016", states=["TJK"])
    for n in range(5):
        note = make_note(seeded, slug=f"96{n}_many", text=f"Preamble {n}. The meeting was held.")
        services.cite(seeded, note, "The meeting was held.", milestone=milestone)
    seeded.commit()
    client = app.test_client()
    with count_statements(app.extensions["tracker.engine"]) as sent:
        body = client.get(f"/api/v1/milestones/{milestone.id}").get_json()
    assert [(c["start"], c["end"]) for c in body["citations"]] == [(12, 33)] * 5
    assert len(sent) <= LIMIT
    assert not any("source_notes.text" in statement for statement in sent)
