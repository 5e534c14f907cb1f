"""`python -m bench.signin`: how long a failed sign-in takes, for known and unknown e-mails.

The probe of issue 10 found unknown e-mails answered in 13 ms and known ones in 354 ms: the
timing told which e-mails have accounts. Every failed sign-in now checks one password hash,
so the medians printed here should be close. Runs in-process on a temporary SQLite database,
with the throttle off (it would answer 429 after five failures); a last line times the 429.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask.testing import FlaskClient

REPEAT = 15


def _token(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "no CSRF token on /login"
    return match.group(1)


def _median_ms(client: FlaskClient, email: str, password: str, status: int) -> float:
    times = []
    for _ in range(REPEAT):
        data = {"email": email, "password": password, "csrf_token": _token(client)}
        start = time.perf_counter()
        response = client.post("/login", data=data)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == status, response.status_code
    return statistics.median(times)


def main() -> None:
    """Print the median time of a failed sign-in per case."""
    from alembic import command

    from config import TestConfig
    from tracker import create_app, services
    from tracker.schema_changes import alembic_config

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'signin.sqlite3'}"
        command.upgrade(alembic_config(url), "head")
        app = create_app(TestConfig(url), LOGIN_THROTTLE=False)
        session = app.extensions["tracker.sessionmaker"]()
        services.add_user(session, "known@example.org", "a long password", "viewer")
        gone = services.add_user(session, "gone@example.org", "a long password", "viewer")
        gone.active = False
        session.commit()
        client = app.test_client()
        cases = {
            "known e-mail, wrong password": ("known@example.org", "wrong password!", 400),
            "unknown e-mail": ("nobody@example.org", "wrong password!", 400),
            "deactivated account": ("gone@example.org", "a long password", 400),
            "right password": ("known@example.org", "a long password", 302),
        }
        print(f"median of {REPEAT} POST /login, in-process, SQLite ({sys.platform})")
        for name, (email, password, status) in cases.items():
            print(f"  {name:<30} {_median_ms(client, email, password, status):7.1f} ms")
        app.config["LOGIN_THROTTLE"] = True
        throttled = app.test_client()
        for _ in range(5):
            throttled.post(
                "/login",
                data={
                    "email": "x@example.org",
                    "password": "wrong one!!",
                    "csrf_token": _token(throttled),
                },
            )
        blocked = _median_ms(throttled, "x@example.org", "x" * 10, 429)
        print(f"  {'throttled (429)':<30} {blocked:7.1f} ms")
        session.close()
        app.extensions["tracker.engine"].dispose()


if __name__ == "__main__":
    main()
