"""The service layer: every write path's rules, errors and invariants."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from tests.factories import NOTE_TEXT, make_milestone, make_note, make_state
from tracker import policy, services
from tracker.db import get_session
from tracker.models import Citation, HistoryIsAppendOnly, Milestone, StatusChange, User


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_milestone_keeps_its_date_as_written_and_as_parsed(session: Session) -> None:
    milestone = make_milestone(session, due="2018", host="KGZ", states=["BLR", "TJK"])
    session.commit()
    session.expire_all()
    assert (milestone.due_start, milestone.due_end) == (date(2018, 1, 1), date(2018, 12, 31))
    assert milestone.due_precision == "year" and milestone.due_text == "2018"
    # The host is always among the participants: it belongs on the host's timeline too.
    assert milestone.state_codes == ["BLR", "KGZ", "TJK"]
    assert milestone.status == "planned" and milestone.version == 1
    assert (
        milestone.created_at.tzinfo is not None
        and milestone.created_at.utcoffset() == UTC.utcoffset(None)
    )


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"due": "31 February 2016"}, "due", "February"),
        ({"due": "soon"}, "due", ""),
        ({"states": ["XYZ"]}, "state", "no such State"),
        ({"states": []}, "states", "at least one"),
        ({"kind": "party"}, "kind", "must be one of"),
        ({"title": "x" * 301}, "title", "limit is 300"),
        ({"title": "  "}, "title", "required"),
        ({"plan_ref": "nope"}, "plan", "no such action plan"),
    ],
)
def test_bad_milestone_input_names_the_field_and_writes_nothing(
    session: Session, overrides: dict[str, object], field: str, reason: str
) -> None:
    make_state(session, "TJK")
    session.commit()
    draft = {"kind": "workshop", "title": "Workshop", "due": "April 2012", "states": ["TJK"]}
    draft.update(overrides)
    with pytest.raises(services.ServiceError) as raised:
        services.create_milestone(session, services.MilestoneDraft(**draft))  # type: ignore[arg-type]
    session.rollback()
    assert raised.value.field == field and reason in raised.value.reason
    assert count(session, Milestone) == 0


def test_a_citation_must_be_verbatim(session: Session) -> None:
    milestone = make_milestone(session)
    note = make_note(session)
    cited = services.cite(session, note, "8-9 October 2015, Vienna, Austria", milestone=milestone)
    start, end = cited.quote_span
    assert start == NOTE_TEXT.index("8-9 October") and NOTE_TEXT[start:end] == cited.quote
    with pytest.raises(services.ServiceError) as raised:
        services.cite(session, note, "8-9 October 2015 in Vienna", milestone=milestone)
    assert "not verbatim in note '900_test'" in str(raised.value)
    assert "Working-group session" in str(raised.value)
    session.commit()
    assert count(session, Citation) == 1


def test_the_same_note_text_twice_is_refused_naming_the_existing_note(session: Session) -> None:
    make_note(session)
    with pytest.raises(services.Conflict, match="already stored as note '900_test'"):
        make_note(session, slug="901_again")


def test_note_keeps_the_sha256_of_its_text(session: Session) -> None:
    import hashlib

    note = make_note(session)
    assert note.sha256 == hashlib.sha256(NOTE_TEXT.encode()).hexdigest()


def test_status_change_appends_history_and_bumps_the_version(session: Session) -> None:
    milestone = make_milestone(session)
    services.change_status(
        session, milestone, "in_progress", date(2015, 9, 1), comment="agenda out"
    )
    services.change_status(session, milestone, "done", date(2015, 10, 9))
    session.commit()
    assert [(c.old_status, c.new_status) for c in milestone.history] == [
        (None, "in_progress"),
        ("in_progress", "done"),
    ]
    assert milestone.status == "done" and milestone.version == 3


@pytest.mark.parametrize(
    ("status", "on", "expected"),
    [
        ("done", date(2999, 1, 1), "in the future"),
        ("planned", date(2015, 1, 1), "already planned"),
        ("finished", date(2015, 1, 1), "must be one of"),
    ],
)
def test_refused_status_changes_leave_no_trace(
    session: Session, status: str, on: date, expected: str
) -> None:
    milestone = make_milestone(session)
    session.commit()
    with pytest.raises(services.ServiceError, match=expected):
        services.change_status(session, milestone, status, on)
    session.rollback()
    assert count(session, StatusChange) == 0 and milestone.version == 1


def test_a_stale_version_is_refused(session: Session) -> None:
    milestone = make_milestone(session)
    session.commit()
    with pytest.raises(services.Conflict, match="changed by someone else"):
        services.change_status(session, milestone, "done", date(2015, 10, 9), expected_version=7)


def test_concurrent_saves_do_not_overwrite_each_other(app: Flask) -> None:
    with app.app_context():
        first = get_session()
        milestone = make_milestone(first)
        first.commit()
        milestone_id = milestone.id
    with app.app_context():
        one = get_session()
        mine = services.get_milestone(one, milestone_id)
        assert mine.history == []  # the editor's form shows the state as loaded
        other = app.extensions["tracker.sessionmaker"]()
        theirs = services.get_milestone(other, milestone_id)
        services.change_status(other, theirs, "done", date(2015, 10, 9))
        other.commit()
        other.close()
        with pytest.raises(services.Conflict):
            services.change_status(one, mine, "cancelled", date(2015, 10, 1))
        one.rollback()
        assert [c.new_status for c in services.get_milestone(one, milestone_id).history] == ["done"]


def test_history_cannot_be_edited_or_deleted(session: Session) -> None:
    milestone = make_milestone(session)
    change = services.change_status(session, milestone, "done", date(2015, 10, 9))
    session.commit()
    change.comment = "rewritten"
    with pytest.raises(HistoryIsAppendOnly):
        session.flush()
    session.rollback()
    session.delete(change)
    with pytest.raises(HistoryIsAppendOnly):
        session.flush()
    session.rollback()
    assert session.scalars(select(StatusChange.comment)).all() == [""]


def test_users_get_a_hashed_password_and_their_states(session: Session) -> None:
    make_state(session, "TJK")
    user = services.add_user(
        session, "Coord@Example.org", "correct horse battery", "coordinator", ["tjk"]
    )
    session.commit()
    assert user.email == "coord@example.org"
    assert "correct horse" not in user.password_hash
    assert check_password_hash(user.password_hash, "correct horse battery")
    edit = policy.Action.EDIT_MILESTONE
    assert policy.allows(user, edit, ["TJK", "KGZ"]) and not policy.allows(user, edit, ["UZB"])
    with pytest.raises(services.Conflict, match="exists already"):
        services.add_user(session, "coord@example.org", "another password", "viewer")
    with pytest.raises(services.ServiceError, match="needs at least one State"):
        services.add_user(session, "x@example.org", "long enough pw", "coordinator")
    session.rollback()
    assert count(session, User) == 1


def test_tokens_are_stored_hashed_shown_once_and_revocable(session: Session) -> None:
    make_state(session, "TJK")
    user = services.add_user(session, "api@example.org", "long enough pw", "viewer")
    token, secret = services.create_token(session, user, "api", "OSCE dashboard")
    session.commit()
    assert secret.startswith("nap_") and secret not in token.token_hash
    assert services.user_for_token(session, secret, "api") is user
    assert services.user_for_token(session, secret, "calendar") is None  # wrong purpose
    assert services.user_for_token(session, secret + "x", "api") is None
    services.revoke_token(session, token)
    session.commit()
    assert services.user_for_token(session, secret, "api") is None


def test_edits_are_recorded_field_by_field_and_refused_when_stale(session: Session) -> None:
    milestone = make_milestone(session)
    session.commit()
    assert [e.changes["title"] for e in milestone.edits] == [[None, "Working-group session"]]
    draft = services.MilestoneDraft(
        kind="review_meeting",
        title="Working-group session",
        due="8-10 October 2015",
        states=["TJK"],
    )
    edit = services.edit_milestone(session, milestone, draft, expected_version=1)
    session.commit()
    assert edit is not None and edit.changes == {"due": ["8-9 October 2015", "8-10 October 2015"]}
    assert milestone.version == 2 and milestone.due_end == date(2015, 10, 10)
    assert services.edit_milestone(session, milestone, draft, expected_version=2) is None
    with pytest.raises(services.Conflict, match="changed by someone else"):
        services.edit_milestone(session, milestone, draft, expected_version=1)
