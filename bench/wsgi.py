"""The tracker and a bare Flask app, as gunicorn serves them in the benchmark."""

from __future__ import annotations

from flask import Flask

from config import Config
from tracker import create_app

app = create_app(Config(require_secret=False))

bare = Flask("bare")


@bare.get("/")
def hello() -> str:
    """The framework's own limit: a short string, no database, no template."""
    return "Hello, 1540!"
