"""Helpers for web tests: sign in, read the CSRF token, snapshot the database."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import services
from tracker.models import Base, Milestone

CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on a page."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def add_account(session: Session, email: str, role: str, states: list[str] | None = None) -> None:
    """An account with the password 'a long password'."""
    services.add_user(session, email, "a long password", role, states or [])
    session.commit()


def sign_in(client: FlaskClient, email: str) -> None:
    """Sign in through the login form."""
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": "a long password", "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def snapshot(session: Session) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to show that a refused request changed nothing."""
    session.expire_all()
    rows = {}
    for table in Base.metadata.sorted_tables:
        result = session.execute(select(table).order_by(*table.primary_key.columns))
        rows[table.name] = [tuple(row) for row in result]
    session.rollback()
    return rows


def ref_id(session: Session, ref: str) -> int:
    """The id of the milestone with a seed reference."""
    milestone_id = session.scalar(select(Milestone.id).where(Milestone.ref == ref))
    assert milestone_id is not None
    return milestone_id


def text(response) -> str:  # type: ignore[no-untyped-def]
    """A response's body as text."""
    return response.get_data(as_text=True)


def post_status(client: FlaskClient, milestone_id: int, **fields: str) -> object:
    """Post the status form of a milestone, with its current version unless one is given."""
    data = {
        "csrf_token": csrf_token(client, f"/milestones/{milestone_id}"),
        "status": "done",
        "effective_on": "2026-11-20",
        "comment": "Approved by decree",
        "citation": "",
    }
    version = fields.pop("version", None)
    if version is None:
        page = text(client.get(f"/milestones/{milestone_id}"))
        version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    data.update(fields, version=version)
    return client.post(f"/milestones/{milestone_id}/status", data=data)
