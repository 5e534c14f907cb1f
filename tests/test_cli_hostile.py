"""Hostile values on the command line: a one-line error naming the value, exit 2, no traceback.

Every number and date parameter of every `tracker` command is found from the Click command
tree (the project's commands, not Flask's `run`), so a new command is covered, or the test
asks for its baseline arguments.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, make_url, select
from sqlalchemy.orm import Session

from tracker import services
from tracker.commands import COMMANDS
from tracker.models import ActionPlan, ApiToken, Milestone, StatusChange

HOSTILE_NUMBERS = [
    "99999999999999999999999",  # past 64 bits: SQLite's driver overflows
    "9223372036854775808",  # 2**63
    "2147483648",  # 2**31: past PostgreSQL's integer
    "99999999999",
    "-1",
    "-99999999999999999999999",
    "1e9",
    "12abc",
]
HOSTILE_DATES = [
    "9999-12-31",  # as_of + within passes date.max
    "0001-01-01",
    "1899-12-31",
    "2201-01-01",
    "10000-01-01",
    "2016-02-30",
]

# Valid arguments for each command with a number or date parameter; one is swapped for a
# hostile value at a time. "{milestone}" and "{token}" stand for existing records.
BASELINE: dict[str, dict[str, str]] = {
    "report": {},
    "remind": {},
    "timeline": {"state": "TJK"},
    "status": {"milestone_id": "{milestone}", "new_status": "done", "on": "2015-10-09"},
    "token revoke": {"token_id": "{token}"},
    "import-measures": {"plan_id": "{plan}", "file": "measures.csv"},
    "body focal-point add": {"body_id": "1", "email": "lola@example.tj"},
    "body focal-point remove": {"body_id": "1", "email": "lola@example.tj"},
    "body focal-point list": {"body_id": "1"},
}


TRACKER = click.Group("tracker", commands=COMMANDS)  # the project's own, not Flask's run/shell


def commands(group: click.Group = TRACKER, prefix: str = "") -> dict[str, click.Command]:
    """Every command of the tree by its full name, e.g. 'token revoke'."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update(commands(command, f"{prefix}{name} "))
        else:
            found[f"{prefix}{name}"] = command
    return found


def is_number_or_date(param: click.Parameter) -> bool:
    """Ids, counts and dates, however the parameter declares them."""
    kind = type(param.type).__name__.lower()
    metavar = getattr(param, "metavar", None) or ""
    return (
        any(word in kind for word in ("int", "float", "number", "date"))
        or "YYYY" in metavar
        or (param.name or "").endswith("id")
    )


def hostile_cases() -> list[tuple[str, str]]:
    """(command, parameter) for every number or date parameter of every command."""
    cases = []
    for name, command in sorted(commands().items()):
        for param in command.params:
            if is_number_or_date(param):
                assert name in BASELINE, f"`tracker {name}` takes {param.name}: add it to BASELINE"
                cases.append((name, param.name or ""))
    return cases


def hostile_values(name: str, target: str) -> list[str]:
    param = next(p for p in commands()[name].params if p.name == target)
    return HOSTILE_DATES if "YYYY" in (getattr(param, "metavar", None) or "") else HOSTILE_NUMBERS


def argv(name: str, target: str, value: str, records: dict[str, str]) -> list[str]:
    """The command line: the baseline, with the TARGET parameter set to VALUE."""
    command = commands()[name]
    args = name.split()
    for param in command.params:
        given = value if param.name == target else BASELINE[name].get(param.name or "")
        if given is None:
            continue
        given = given.format(**records)
        if isinstance(param, click.Option):
            args += [param.opts[0], given]
        elif given.startswith("-"):
            args += ["--", given]  # a negative number is an argument, not an option
        else:
            args.append(given)
    return args


@pytest.fixture
def records(seeded: Session) -> dict[str, str]:
    """A milestone that may become done, and a live token."""
    milestone = seeded.scalar(select(Milestone.id).where(Milestone.ref.like("tjk-wg-session%")))
    user = services.add_user(seeded, "lola@example.tj", "a long password", "admin")
    token, _secret = services.create_token(seeded, user, "api", "dashboard")
    seeded.commit()
    plan = seeded.scalar(select(ActionPlan.id).order_by(ActionPlan.id).limit(1))
    return {"milestone": str(milestone), "token": str(token.id), "plan": str(plan)}


def writes(session: Session) -> tuple[int, int]:
    session.expire_all()
    changes = session.scalar(select(func.count()).select_from(StatusChange)) or 0
    revoked = session.scalar(select(func.count()).where(ApiToken.revoked_at.is_not(None))) or 0
    return changes, revoked


@pytest.mark.parametrize(("name", "target"), hostile_cases())
def test_every_number_and_date_parameter_refuses_hostile_values(
    runner: FlaskCliRunner, seeded: Session, records: dict[str, str], name: str, target: str
) -> None:
    before = writes(seeded)
    for value in hostile_values(name, target):
        result = runner.invoke(args=argv(name, target, value, records))
        shown = f"tracker {name} with {target} = {value!r}: {result.output}"
        assert result.exit_code == 2, shown
        assert isinstance(result.exception, SystemExit), shown  # not an uncaught error
        assert value in result.output, shown
    assert writes(seeded) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["report", "--as-of", "9999-12-31"],
            "as-of '9999-12-31': must be between 1900-01-01 and 2200-12-31",
        ),
        (["timeline", "TJK", "--within", "99999999999"], "within '99999999999': must be"),
        (
            ["status", "99999999999999999999999", "done", "--on", "2020-01-01"],
            "milestone '99999999999999999999999': no such milestone",
        ),
    ],
)
def test_the_probes_commands_get_one_line_naming_the_value(
    runner: FlaskCliRunner, seeded: Session, args: list[str], expected: str
) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"Error: {expected}"] or (
        expected in result.output and len(result.output.strip().splitlines()) == 1
    )


@pytest.mark.parametrize("name", ["report", "timeline"])
@pytest.mark.parametrize("as_of", ["1900-01-01", "2200-12-31"])
def test_the_outermost_dates_and_the_longest_horizon_still_answer(
    runner: FlaskCliRunner, seeded: Session, name: str, as_of: str
) -> None:
    args = [name, *(["TJK"] if name == "timeline" else []), "--as-of", as_of, "--within", "3660"]
    for fmt in ("text", "json"):
        result = runner.invoke(args=[*args, "--format", fmt])
        assert result.exit_code == 0, result.output


def test_arguments_that_are_not_utf8_are_refused_before_any_command_runs(
    tmp_path: Path,
) -> None:
    database = tmp_path / "t.sqlite3"
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{database}"}
    tracker = str(Path(sys.executable).parent / "tracker")
    for args in (
        [b"timeline", b"T\xffJ"],
        [b"report", b"--state", b"\xc0"],
        [b"user", b"add", b"--role", b"admin", b"\xff@example.tj"],
    ):
        done = subprocess.run(
            [tracker, *args], env=env, capture_output=True, timeout=120, cwd=tmp_path
        )
        assert done.returncode == 2
        shown = args[-1].decode("utf-8", "backslashreplace")
        assert done.stderr.decode().splitlines() == [
            f"Error: argument {len(args)} '{shown}': is not UTF-8 text"
        ]
    password = [b"user", b"add", b"a@example.tj", b"--role", b"admin"]
    password += [b"--password", b"pass\xff word"]
    done = subprocess.run(
        [tracker, *password], env=env, capture_output=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 2  # the password is not shown
    assert done.stderr.decode().splitlines() == ["Error: argument 7 '***': is not UTF-8 text"]
    env_password = {**env, "TRACKER_PASSWORD": os.fsdecode(b"pass\xff word")}
    done = subprocess.run(
        [tracker, *password[:5]], env=env_password, capture_output=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == ["Error: TRACKER_PASSWORD: is not UTF-8 text"]
    assert not database.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x7fELF\x02\x01\xd0\xff", "not a readable TOML seed file"),
        (b"root:x:0:0:root:/root:/bin/bash\n", "not a readable TOML seed file"),
        (b'states = "TJK"\n', "not a seed file's shape"),
        (b"[[states]]\nname = 'Tajikistan'\n", "not a seed file's shape"),
    ],
)
def test_seed_refuses_a_file_that_is_not_a_seed_file(
    runner: FlaskCliRunner, session: Session, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "seed.toml"
    path.write_bytes(content)
    result = runner.invoke(args=["seed", "--file", str(path)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert f"file '{path}': {expected}" in result.output
    assert session.scalar(select(func.count()).select_from(Milestone)) == 0


# --- backup and restore ----------------------------------------------------------------------


@pytest.fixture
def on_sqlite(app: Flask) -> None:
    if make_url(app.config["DATABASE_URL"]).get_backend_name() != "sqlite":
        pytest.skip("backup and restore copy SQLite files; PostgreSQL uses pg_dump")


@pytest.mark.usefixtures("on_sqlite")
def test_backup_with_force_leaves_a_file_that_is_not_a_database_alone(
    runner: FlaskCliRunner, seeded: Session, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Minutes of the Vienna session\n")
    result = runner.invoke(args=["backup", str(notes), "--force"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {notes} exists and is not a SQLite database; --force only replaces an old backup"
    ]
    assert notes.read_text() == "Minutes of the Vienna session\n"
    old = tmp_path / "old-backup.sqlite3"
    assert runner.invoke(args=["backup", str(old)]).exit_code == 0
    assert runner.invoke(args=["backup", str(old), "--force"]).exit_code == 0


@pytest.mark.usefixtures("on_sqlite")
@pytest.mark.parametrize("folder", ["we#ird?dir", "100%25 sure", "a?mode=rwc"])
def test_restore_reads_a_backup_whose_path_looks_like_a_uri(
    runner: FlaskCliRunner, seeded: Session, tmp_path: Path, folder: str
) -> None:
    (tmp_path / folder).mkdir()
    backup = tmp_path / folder / "b.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    before = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("tracker."))
    seeded.close()
    result = runner.invoke(args=["restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    after = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("tracker."))
    assert after == before and [p.name for p in backup.parent.iterdir()] == ["b.sqlite3"]
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT count(*) FROM milestones").fetchone() == (16,)
    copy.close()


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_on_postgresql_the_printed_command_keeps_a_quote_in_the_path_one_word(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, command: str
) -> None:
    if make_url(app.config["DATABASE_URL"]).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only")
    path = tmp_path / "it's; touch pwned"
    path.write_bytes(b"")
    result = runner.invoke(args=[command, str(path)])
    assert result.exit_code == 0, result.output
    words = shlex.split(result.stdout.strip())
    assert words[0] in ("pg_dump", "pg_restore")
    assert str(path) in words or f"--file={path}" in words
    assert all(not w.startswith("touch") for w in words)
