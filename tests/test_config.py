"""Settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

import config
from tracker import create_app


def test_production_without_a_secret_key_is_refused_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    monkeypatch.setenv("TRACKER_ENV", "production")
    with pytest.raises(config.ConfigError, match="TRACKER_SECRET_KEY is not set"):
        create_app()
    # Commands that sign nothing still run (migrate, seed, report).
    assert len(config.Config(require_secret=False).SECRET_KEY) == 64


def test_development_keeps_one_random_key_per_instance(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    monkeypatch.setenv("TRACKER_ENV", "development")
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    first, second = config.Config().SECRET_KEY, config.Config().SECRET_KEY
    assert first == second == (tmp_path / "secret_key").read_text() and len(first) == 64


def test_database_url_defaults_to_sqlite_and_reads_postgres_urls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    assert (
        config.database_url().startswith("sqlite:///")
        and "tracker.sqlite3" in config.database_url()
    )
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql://tracker@db/nap")
    assert config.database_url() == "postgresql+psycopg://tracker@db/nap"


def test_production_cookies_are_secure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("TRACKER_ENV", "production")
    settings = config.Config()
    assert settings.SESSION_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert create_app(settings).debug is False
