"""The access log format shipped in the README never keeps a personal token."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from tracker.access_log import TokenRedactingLogger

SECRET = "nap_Zx-9_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd"
FORMAT = '%(h)s "%(r)s" %(s)s "%(f)s" "%(a)s" %(U)s %(q)s "%({authorization}i)s"'


def _log_line(logger_class: type[Logger], tmp_path: Path, path: str, query: str) -> str:
    log = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log))
    config.set("access_log_format", FORMAT)
    logger = logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}" if query else path,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_REFERER": f"https://tracker.example.org{path}",
        "HTTP_USER_AGENT": "Outlook",
    }
    request = SimpleNamespace(headers=[("AUTHORIZATION", f"Bearer {SECRET}")])
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    for handler in [*logger.access_log.handlers, *logger.error_log.handlers]:
        handler.close()
    return log.read_text()


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (f"/calendar/{SECRET}.ics", ""),
        (f"/states/KGZ/calendar/{SECRET}.ics", ""),
        ("/states/KGZ/calendar.ics", f"token={SECRET}"),
        ("/api/v1/milestones", "state=TJK"),  # the token only in the Authorization header
    ],
)
def test_access_log_keeps_the_request_but_not_the_token(
    tmp_path: Path, path: str, query: str
) -> None:
    line = _log_line(TokenRedactingLogger, tmp_path, path, query)
    assert SECRET not in line and "nap_[redacted]" in line
    assert "192.0.2.7" in line and '" 200 "' in line and "Outlook" in line
    assert path.replace(SECRET, "nap_[redacted]") in line  # which feed, still readable


def test_the_stock_access_log_would_keep_it(tmp_path: Path) -> None:
    """Why the logger class is needed at all."""
    assert SECRET in _log_line(Logger, tmp_path, f"/calendar/{SECRET}.ics", "")
