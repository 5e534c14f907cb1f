"""Settings from the environment (TRACKER_*)."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import available_timezones

INSTANCE_DIR = Path(os.environ.get("TRACKER_INSTANCE_PATH", Path(__file__).parent / "instance"))


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way (postgresql://...)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def database_url() -> str:
    """The database URL: TRACKER_DATABASE_URL, or a SQLite file in the instance folder."""
    url = _env("TRACKER_DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite3'}"
    return normalise_url(url)


def _whole_number(name: str, default: int) -> int:
    raw = _env(name, str(default)) or str(default)
    if not raw.isdigit():
        raise ConfigError(f"{name}={raw!r}: give a whole number")
    return int(raw)


def _development_secret() -> str:
    # A per-checkout random key keeps sessions stable across restarts without a shared default.
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


@dataclass(frozen=True)
class SmtpSettings:
    """Where mail goes: smtp:// (STARTTLS required) or smtps:// (TLS from the start)."""

    scheme: str
    host: str
    port: int
    username: str
    password: str

    @property
    def implicit_tls(self) -> bool:
        """TLS from the first byte (smtps://), rather than STARTTLS."""
        return self.scheme == "smtps"


def parse_smtp_url(url: str) -> SmtpSettings:
    """TRACKER_SMTP_URL as settings: smtp://user:pass@host:587 or smtps://user:pass@host:465."""
    problem = f"TRACKER_SMTP_URL={_without_password(url)!r}: "
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ConfigError(problem + "give smtp://user:pass@host:587 or smtps://user:pass@host:465")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError:
        raise ConfigError(problem + "the port must be a number from 1 to 65535") from None
    if not parts.hostname:
        raise ConfigError(problem + "name the server's host")
    return SmtpSettings(
        parts.scheme,
        parts.hostname,
        port,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
    )


def _without_password(url: str) -> str:
    return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", url)


class Config:
    """Settings read from the environment when the app starts."""

    def __init__(self, require_secret: bool = True) -> None:
        self.ENV = _env("TRACKER_ENV", "production")
        self.DATABASE_URL = database_url()
        self.SQL_ECHO = _env("TRACKER_SQL_ECHO") == "1"
        self.ANONYMOUS_READ = _env("TRACKER_ANONYMOUS_READ", "1") == "1"
        # Rendered pages kept per worker process until the data changes; 0 turns it off.
        cache_mb = _env("TRACKER_PAGE_CACHE_MB", "64") or "64"
        if not cache_mb.isdigit():
            raise ConfigError(
                f"TRACKER_PAGE_CACHE_MB={cache_mb!r}: give a whole number of megabytes (0: off)"
            )
        self.PAGE_CACHE_MB = int(cache_mb)
        # Sign-in throttle (failures kept in the database, shared by every worker): at most
        # this many failed sign-ins per account and per client address within the window.
        self.LOGIN_THROTTLE = _env("TRACKER_LOGIN_THROTTLE", "1") == "1"
        self.LOGIN_MAX_FAILURES_PER_ACCOUNT = _whole_number("TRACKER_LOGIN_MAX_FAILURES", 5)
        self.LOGIN_MAX_FAILURES_PER_ADDRESS = _whole_number(
            "TRACKER_LOGIN_MAX_FAILURES_PER_ADDRESS", 50
        )
        self.LOGIN_THROTTLE_SECONDS = _whole_number("TRACKER_LOGIN_THROTTLE_SECONDS", 900)
        # An item overdue for more than this many days is listed as needing review
        # (tracker.rules.DEFAULT_REVIEW_AFTER_DAYS).
        self.REVIEW_AFTER_DAYS = _whole_number("TRACKER_REVIEW_AFTER_DAYS", 180)
        # Proxies in front of the app that set X-Forwarded-For (the client address the
        # throttle counts); 0 when gunicorn faces the clients itself.
        self.TRUSTED_PROXIES = _whole_number("TRACKER_TRUSTED_PROXIES", 0)
        secret = _env("TRACKER_SECRET_KEY")
        if secret is None:
            if self.ENV in ("development", "test"):
                secret = _development_secret()
            elif not require_secret:
                # Commands that sign nothing (migrate, seed, report) run without a key.
                secret = secrets.token_hex(32)
            else:
                raise ConfigError(
                    "TRACKER_SECRET_KEY is not set. Set it to a long random string "
                    "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                    "or set TRACKER_ENV=development on a developer machine."
                )
        self.SECRET_KEY = secret
        # E-mail (tracker.mail). Without an SMTP URL mail stays in the outbox (/admin/outbox).
        smtp_url = _env("TRACKER_SMTP_URL")
        self.SMTP = parse_smtp_url(smtp_url) if smtp_url else None
        self.SMTP_CA_FILE = _env("TRACKER_SMTP_CA_FILE")  # a private CA's certificates (PEM)
        self.MAIL_FROM = _env("TRACKER_MAIL_FROM", "NAP tracker <nap-tracker@localhost>")
        self.BASE_URL = (_env("TRACKER_BASE_URL") or "http://localhost:5000").rstrip("/")
        # The interface language when neither the reader's choice nor their browser's says
        # (tracker.i18n); an unknown code is a one-line error at start.
        locale = (_env("TRACKER_DEFAULT_LOCALE") or "en").lower()
        if locale not in ("en", "ru"):
            raise ConfigError(f"TRACKER_DEFAULT_LOCALE={locale!r}: give en or ru")
        self.BABEL_DEFAULT_LOCALE = locale
        # The zone timestamps are shown in to readers whose account and States name none
        # (tracker.timezones); an unknown name is a one-line error at start.
        zone = _env("TRACKER_DEFAULT_TIMEZONE") or "UTC"
        if zone not in available_timezones():
            raise ConfigError(
                f"TRACKER_DEFAULT_TIMEZONE={zone!r}: give an IANA time zone name, "
                "e.g. Asia/Dushanbe, Asia/Tashkent, Asia/Bishkek or UTC"
            )
        self.DEFAULT_TIMEZONE = zone
        # A note may be 1 MB; the form around it needs a little more. Larger bodies get 413.
        self.MAX_CONTENT_LENGTH = 2 * 1024 * 1024
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.ENV == "production"

    def as_dict(self) -> dict[str, Any]:
        """The settings as a mapping for Flask's config."""
        return {k: v for k, v in vars(self).items() if k.isupper()}


class TestConfig(Config):
    __test__ = False  # a settings class, not a pytest test class

    """Settings for the test suite: a given database, a fixed key."""

    def __init__(self, database_url: str) -> None:
        os.environ.setdefault("TRACKER_SECRET_KEY", "test-secret-key")
        super().__init__()
        self.ENV = "test"
        self.TESTING = True
        self.DATABASE_URL = normalise_url(database_url)
        self.SESSION_COOKIE_SECURE = False
