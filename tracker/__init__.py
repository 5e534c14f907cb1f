"""The NAP tracker: UNSCR 1540 National Action Plans, their milestones and sources."""

from __future__ import annotations

from typing import Any

from flask import Flask

from config import INSTANCE_DIR, Config


def create_app(config: Config | None = None, *, web: bool = True, **overrides: Any) -> Flask:
    """Build the Flask application (the schema comes from Alembic, never from here).

    With web=False it has the database and the commands only: what `tracker report` and the
    other commands need, without loading the pages, the API and sign-in.
    """
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="static",
    )
    app.config.update((config or Config()).as_dict())
    app.config.update(overrides)
    app.debug = app.config.get("ENV") == "development" and app.config.get("DEBUG", False)

    from tracker import commands, db, i18n

    db.init_app(app)
    i18n.init_app(app)
    commands.init_app(app)
    if not web:
        return app

    from tracker import api, auth, views
    from tracker.extensions import csrf

    csrf.init_app(app)
    auth.init_app(app)
    views.init_app(app)
    api.init_app(app)
    return app
