"""Accounts under attack: sign-in throttle, password deny-list, sessions, who sees e-mails."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from config import TestConfig
from tests.api_helpers import bearer, make_token
from tests.conftest import BACKENDS, PostgresDatabases, fresh_database_url
from tests.web_helpers import add_account, csrf_token, sign_in, snapshot
from tracker import create_app, services
from tracker.models import Milestone, StatusChange, utcnow
from tracker.schema_changes import alembic_config
from tracker.services import users as user_services

PASSWORD = "a long password"


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def try_login(client: FlaskClient, email: str, password: str) -> object:
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def milestone_id(session: Session, ref: str) -> int:
    found = session.scalar(select(Milestone.id).where(Milestone.ref == ref))
    assert found is not None
    return found


# --- item 3: sign-in throttle -------------------------------------------------------------


@pytest.mark.parametrize("email", ["lola@mfa.tj", "nobody@mfa.tj"])
def test_repeated_wrong_passwords_are_refused_with_429_and_retry_after(
    client: FlaskClient, seeded: Session, email: str
) -> None:
    """Known and unknown e-mails alike: after 5 failures even the right password waits."""
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    for _ in range(5):
        assert try_login(client, email, "wrong password!").status_code == 400  # type: ignore[attr-defined]
    blocked = try_login(client, email, PASSWORD)
    assert blocked.status_code == 429  # type: ignore[attr-defined]
    wait = int(blocked.headers["Retry-After"])  # type: ignore[attr-defined]
    assert 0 < wait <= 900
    assert "Too many failed sign-ins" in text_of(blocked) and "Try again in 15 minutes" in (
        text_of(blocked)
    )
    assert client.get("/account").status_code == 302  # still not signed in


def test_the_throttle_counts_failures_per_client_address_across_accounts(
    app: Flask, seeded: Session
) -> None:
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    prober = app.test_client()
    for n in range(3):
        assert try_login(prober, f"guess{n}@mfa.tj", "wrong password!").status_code == 400  # type: ignore[attr-defined]
    assert try_login(prober, "lola@mfa.tj", PASSWORD).status_code == 429  # type: ignore[attr-defined]
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert try_login(elsewhere, "lola@mfa.tj", PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_the_throttle_is_shared_by_every_worker(app: Flask, seeded: Session) -> None:
    """Failures land in the database: a second process on it sees them (gunicorn workers)."""
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    other_worker = create_app(TestConfig(app.config["DATABASE_URL"]))
    first, second = app.test_client(), other_worker.test_client()
    for client in (first, second, first, second, first):
        assert try_login(client, "lola@mfa.tj", "wrong password!").status_code == 400  # type: ignore[attr-defined]
    assert try_login(second, "lola@mfa.tj", PASSWORD).status_code == 429  # type: ignore[attr-defined]
    other_worker.extensions["tracker.engine"].dispose()


def test_a_successful_sign_in_forgets_the_accounts_failures(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    for _ in range(4):
        try_login(client, "lola@mfa.tj", "wrong password!")
    assert try_login(client, "lola@mfa.tj", PASSWORD).status_code == 302  # type: ignore[attr-defined]
    other = client.application.test_client()
    for _ in range(4):
        assert try_login(other, "lola@mfa.tj", "wrong password!").status_code == 400  # type: ignore[attr-defined]


def test_the_lock_opens_when_the_oldest_failure_leaves_the_window(session: Session) -> None:
    from tracker.services import throttle

    now = utcnow()
    limit = throttle.Limit(throttle.account_key("Lola@MFA.tj "), 3, timedelta(minutes=15))
    for minutes_ago in (20, 14, 10, 5):
        throttle.record_failure(session, [limit], now - timedelta(minutes=minutes_ago))
    session.commit()
    # Three failures 14, 10 and 5 minutes ago: the one 14 minutes ago leaves in a minute.
    assert throttle.retry_after(session, [limit], now) == 60
    assert throttle.retry_after(session, [limit], now + timedelta(seconds=61)) == 0
    other = throttle.Limit(throttle.account_key("lola@mfa.tj"), 3, timedelta(minutes=15))
    assert throttle.retry_after(session, [other], now) == 60  # the key ignores case and spaces


def test_a_settings_switch_turns_the_throttle_off(app: Flask, seeded: Session) -> None:
    app.config["LOGIN_THROTTLE"] = False
    client = app.test_client()
    for _ in range(8):
        assert try_login(client, "nobody@mfa.tj", "wrong password!").status_code == 400  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", ["unknown", "deactivated", "wrong", "right"])
def test_every_sign_in_checks_one_password_hash_of_the_same_kind(
    session: Session, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """Equal work whether or not the account exists: no timing tells which e-mails are known."""
    user = services.add_user(session, "lola@mfa.tj", PASSWORD, "viewer")
    if case == "deactivated":
        user.active = False
    session.commit()
    checked: list[str] = []
    real = user_services.check_password_hash

    def spy(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(user_services, "check_password_hash", spy)
    email = "nobody@mfa.tj" if case == "unknown" else "lola@mfa.tj"
    password = PASSWORD if case in ("right", "deactivated") else "wrong password!"
    found = services.authenticate(session, email, password)
    assert (found is not None) == (case == "right")
    assert len(checked) == 1
    method = user.password_hash.split("$")[0]  # e.g. scrypt:32768:8:1
    assert checked[0].split("$")[0] == method


# --- item 3: passwords --------------------------------------------------------------------

COMMON = [
    "1234567890",
    "qwertyuiop",
    "Password2024!",
    "password123",
    "iloveyou12345",
    "1q2w3e4r5t",
    "Qwerty123456",
    "!!letmein2025",
    "unscr1540!!",
    "Dushanbe2016",
]


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused(password: str) -> None:
    from tracker.passwords import password_problem

    assert password_problem(password, "lola@mfa.tj") is not None
    assert "common" in (password_problem(password) or "")


@pytest.mark.parametrize(
    "password", ["lola@mfa.tj", "LOLA@MFA.TJ!", "Lola12345678", "my lola@mfa.tj pass"]
)
def test_the_accounts_own_email_is_refused_as_its_password(password: str) -> None:
    from tracker.passwords import password_problem

    assert "e-mail" in (password_problem(password, "lola@mfa.tj") or "")


@pytest.mark.parametrize(
    "password", [PASSWORD, "correct horse battery staple", "Tr4ck-the-plan!", "зелёный чай в 5"]
)
def test_ordinary_long_passwords_are_accepted(password: str) -> None:
    from tracker.passwords import password_problem

    assert password_problem(password, "lola@mfa.tj") is None


@pytest.mark.parametrize("password", ["qwertyuiop123", "ghost@mfa.tj", "short"])
def test_the_cli_refuses_weak_passwords_naming_the_field(
    runner: FlaskCliRunner, session: Session, password: str
) -> None:
    before = snapshot(session)
    result = runner.invoke(
        args=["user", "add", "ghost@mfa.tj", "--role", "viewer"],
        env={"TRACKER_PASSWORD": password},
    )
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: password '***':")
    assert snapshot(session) == before


def test_the_web_refuses_weak_passwords_when_adding_or_resetting(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "admin@osce.org", "admin")
    add_account(seeded, "lola@mfa.tj", "viewer")
    sign_in(client, "admin@osce.org")
    token = csrf_token(client, "/users")
    before = snapshot(seeded)
    reasons = {
        "Password2024!": "is one of the most common passwords",
        "aziz@mfa.uz": "must not contain the account&#39;s e-mail address",
    }
    for password, reason in reasons.items():
        data = {"email": "aziz@mfa.uz", "role": "viewer", "password": password}
        refused = client.post("/users", data=data | {"csrf_token": token})
        assert refused.status_code == 400 and reason in text_of(refused)
    lola = services.get_user(seeded, "lola@mfa.tj")
    reset = client.post(
        f"/users/{lola.id}",
        data={
            "email": "lola@mfa.tj",
            "role": "viewer",
            "password": "qwertyuiop",
            "active": "y",
            "csrf_token": token,
        },
    )
    assert reset.status_code == 400 and "most common passwords" in text_of(reset)
    assert snapshot(seeded) == before


# --- item 4: sessions ---------------------------------------------------------------------


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_cookie_captured_before_sign_out_no_longer_opens_the_account(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    assert client.get("/account").status_code == 200
    captured = session_cookie(client)
    elsewhere = client.application.test_client()  # her other browser
    sign_in(elsewhere, "lola@mfa.tj")
    out = client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert out.status_code == 302
    thief = client.application.test_client()
    thief.set_cookie("session", captured)
    assert thief.get("/account").status_code == 302  # to the sign-in page
    assert elsewhere.get("/account").status_code == 302  # every session of hers ended
    sign_in(client, "lola@mfa.tj")  # she can sign in again
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("change", "ends_sessions"),
    [
        ({"password": "a brand new passphrase"}, True),
        ({"active": ""}, True),
        ({"role": "coordinator", "states": ["TJK", "UZB"]}, False),
    ],
)
def test_an_admin_password_reset_or_deactivation_ends_the_accounts_sessions(
    app: Flask, seeded: Session, change: dict[str, object], ends_sessions: bool
) -> None:
    add_account(seeded, "admin@osce.org", "admin")
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    lola, admin = app.test_client(), app.test_client()
    sign_in(lola, "lola@mfa.tj")
    sign_in(admin, "admin@osce.org")
    user_id = services.get_user(seeded, "lola@mfa.tj").id
    form = {"email": "lola@mfa.tj", "role": "coordinator", "states": ["TJK"], "active": "y"}
    form = form | change | {"csrf_token": csrf_token(admin, f"/users/{user_id}")}
    form = {k: v for k, v in form.items() if v != ""}
    assert admin.post(f"/users/{user_id}", data=form).status_code == 302
    assert lola.get("/account").status_code == (302 if ends_sessions else 200)


def test_signing_in_starts_a_new_session_with_a_new_csrf_secret(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    with client.session_transaction() as planted:
        planted["planted_by_attacker"] = "x"
    old_token = csrf_token(client, "/login")
    sign_in(client, "lola@mfa.tj")
    with client.session_transaction() as now:
        assert "planted_by_attacker" not in now
    # A form token issued before signing in is no good after it.
    stale = client.post("/account", data={"purpose": "api", "name": "x", "csrf_token": old_token})
    assert stale.status_code == 400 and "Your new token" not in text_of(stale)
    fresh = csrf_token(client, "/account")
    made = client.post("/account", data={"purpose": "api", "name": "x", "csrf_token": fresh})
    assert made.status_code == 200 and "Your new token" in text_of(made)


def test_a_deactivated_accounts_api_and_calendar_tokens_stop_working(
    client: FlaskClient, seeded: Session
) -> None:
    user = services.add_user(seeded, "lola@mfa.tj", PASSWORD, "coordinator", ["TJK"])
    _, api_secret = services.create_token(seeded, user, "api")
    _, feed_secret = services.create_token(seeded, user, "calendar")
    seeded.commit()
    assert client.get("/api/v1/states", headers=bearer(api_secret)).status_code == 200
    services.update_user(seeded, user, "coordinator", ["TJK"], active=False)
    seeded.commit()
    assert client.get("/api/v1/states", headers=bearer(api_secret)).status_code == 401
    feed = client.get(f"/states/TJK/calendar.ics?token={feed_secret}")
    assert feed.status_code == 403


# --- item 10: who recorded what -----------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture
def recorded(seeded: Session) -> tuple[Session, int]:
    """A milestone with changes and edits by two coordinators and an old "import by" label."""
    lola = services.add_user(seeded, "lola@mfa.tj", PASSWORD, "coordinator", ["TJK"])
    timur = services.add_user(seeded, "tjk@x.org", PASSWORD, "coordinator", ["TJK"], "Timur K.")
    target = services.get_milestone(seeded, milestone_id(seeded, "tjk-wg-session-vienna-2015-10"))
    services.change_status(
        seeded,
        target,
        "in_progress",
        date(2015, 10, 8),
        recorded_by=timur,
        recorded_by_label="import",
    )
    services.change_status(seeded, target, "done", date(2015, 10, 9), recorded_by=lola)
    for who, label, venue in (
        (None, "import by tjk@x.org", "Hofburg"),
        (lola, "", "Hofburg, Vienna"),
    ):
        draft = replace(services.milestone_draft(target), venue=venue)
        services.edit_milestone(
            seeded, target, draft, target.version, recorded_by=who, recorded_by_label=label
        )
    seeded.commit()
    return seeded, target.id


def readers(app: Flask, session: Session) -> dict[str, Callable[[str], str]]:
    """Who reads: a visitor, a viewer and a coordinator on the web, and their API tokens."""
    web: dict[str, FlaskClient] = {"visitor": app.test_client()}
    for role, states in (("viewer", []), ("coordinator", ["UZB"])):
        add_account(session, f"{role}@example.org", role, states)
        web[role] = app.test_client()
        sign_in(web[role], f"{role}@example.org")
    api = {"visitor": {}, "viewer api": make_token(session, "viewer")}
    out: dict[str, Callable[[str], str]] = {}
    for name, client in web.items():
        out[name] = lambda url, c=client: text_of(c.get(url))  # type: ignore[misc]
    for name, headers in api.items():
        out[f"{name} api"] = lambda url, h=headers: text_of(  # type: ignore[misc]
            app.test_client().get(f"/api/v1{url}", headers=h)
        )
    return out


def test_readers_see_names_never_email_addresses(app: Flask, recorded: tuple[Session, int]) -> None:
    session, target = recorded
    for who, read in readers(app, session).items():
        page = read(f"/milestones/{target}")
        assert "Vienna" in page, who
        addresses = set(EMAIL.findall(page)) - {"viewer@example.org", "coordinator@example.org"}
        assert not addresses, f"{who} sees {addresses}"
        assert "lola" not in page.lower(), who  # not even the part before the @
        assert "Timur K." in page and "Coordinator (TJK)" in page, who
        assert "import by (e-mail withheld)" in page, who


def test_administrators_see_who_recorded_what_by_email(
    client: FlaskClient, recorded: tuple[Session, int]
) -> None:
    session, target = recorded
    add_account(session, "admin@osce.org", "admin")
    sign_in(client, "admin@osce.org")
    page = text_of(client.get(f"/milestones/{target}"))
    assert "import by tjk@x.org" in page and "lola@mfa.tj" in page
    api = client.get(f"/api/v1/milestones/{target}", headers=make_token(session, "admin"))
    history = api.get_json()["history"]
    assert [h["recorded_by"] for h in history] == [
        "Timur K. <tjk@x.org>",
        "Coordinator (TJK) <lola@mfa.tj>",
    ]
    edits = [e["recorded_by"] for e in api.get_json()["edits"]]
    assert edits[-2:] == ["import by tjk@x.org", "Coordinator (TJK) <lola@mfa.tj>"]


def test_an_import_on_the_web_is_recorded_by_the_account_not_its_email(
    app: Flask, seeded: Session
) -> None:
    from tests.test_web_import import BISHKEK, review, review_form

    add_account(seeded, "coordinator@example.org", "coordinator", ["KGZ"])
    web = app.test_client()
    sign_in(web, "coordinator@example.org")
    assert web.post("/notes/import", data=review_form(review(web, BISHKEK))).status_code == 302
    seeded.expire_all()
    changes = seeded.scalars(select(StatusChange).where(StatusChange.recorded_by_id.is_not(None)))
    imported = [c for c in changes if c.recorded_by.email == "coordinator@example.org"]
    assert imported and all("@" not in c.recorded_by_label for c in imported)
    page = text_of(app.test_client().get(f"/milestones/{imported[0].milestone_id}"))
    assert "Coordinator (KGZ)" in page and "coordinator@example.org" not in page


def test_accounts_without_a_name_are_shown_by_role(session: Session) -> None:
    services.add_state(session, "TJK", "Tajikistan")
    services.add_state(session, "UZB", "Uzbekistan")
    coordinator = services.add_user(session, "lola@mfa.tj", PASSWORD, "coordinator", ["UZB", "TJK"])
    admin = services.add_user(session, "root@osce.org", PASSWORD, "admin")
    named = services.add_user(session, "aziz@mfa.uz", PASSWORD, "viewer", (), "Aziz R.")
    assert coordinator.public_name == "Coordinator (TJK, UZB)"
    assert admin.public_name == "Administrator"
    assert named.public_name == "Aziz R."


def test_user_add_takes_the_name_readers_see(runner: FlaskCliRunner, session: Session) -> None:
    result = runner.invoke(
        args=["user", "add", "aziz@mfa.uz", "--role", "viewer", "--name", "Aziz R."],
        env={"TRACKER_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    assert services.get_user(session, "aziz@mfa.uz").public_name == "Aziz R."


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_hides_email_derived_names_and_links_imports(
    backend: str, tmp_path: Path, postgres: PostgresDatabases | None
) -> None:
    url = fresh_database_url(backend, tmp_path, postgres)
    config = alembic_config(url)
    command.upgrade(config, "c6009be0554e")  # the revision before this one
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (id, email, display_name, password_hash, role, active, created_at) "
            "VALUES (1, 'tjk@x.org', 'tjk', 'h', 'coordinator', true, '2026-01-01'), "
            "(2, 'aziz@mfa.uz', 'Aziz R.', 'h', 'viewer', true, '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO milestones (id, kind, title, description, due_start, due_end, "
            "due_precision, due_text, venue, organisers, responsible_agency, status, version, "
            "created_at, updated_at) VALUES "
            "(1, 'approval_deadline', 'Imported', '', '2015-01-01', '2015-12-31', 'year', "
            "'2015', '', '', '', 'done', 2, '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO status_changes (id, milestone_id, old_status, new_status, effective_on, "
            "recorded_at, recorded_by_label, comment) VALUES "
            "(1, 1, NULL, 'done', '2015-02-01', '2026-01-01', 'import by tjk@x.org', ''), "
            "(2, 1, 'done', 'done', '2015-03-01', '2026-01-01', 'import by gone@x.org', '')"
        ))  # fmt: skip
    command.upgrade(config, "head")
    with engine.connect() as connection:
        names = connection.execute(text("SELECT id, display_name FROM users ORDER BY id"))
        assert list(names) == [(1, ""), (2, "Aziz R.")]
        links = connection.execute(
            text("SELECT id, recorded_by_id, recorded_by_label FROM status_changes ORDER BY id")
        )
        assert list(links) == [(1, 1, "import by tjk@x.org"), (2, None, "import by gone@x.org")]
    command.downgrade(config, "c6009be0554e")
    with engine.connect() as connection:
        names = connection.execute(text("SELECT id, display_name FROM users ORDER BY id"))
        assert list(names) == [(1, "tjk"), (2, "Aziz R.")]
        links = connection.execute(text("SELECT recorded_by_id FROM status_changes ORDER BY id"))
        assert list(links) == [(None,), (None,)]
    engine.dispose()


def test_production_hashes_passwords_at_full_cost(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suite hashes at a lower cost (tests/conftest.py); the service itself does not."""
    from tests.conftest import PRODUCTION_HASH_FUNCTION

    monkeypatch.setattr(user_services, "generate_password_hash", PRODUCTION_HASH_FUNCTION)
    user = services.add_user(session, "lola@mfa.tj", PASSWORD, "viewer")
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert services.authenticate(session, "lola@mfa.tj", PASSWORD) is user
