"""Password rules: length, a deny-list of common passwords, not the account's own e-mail.

Pure: no Flask, no database. The services ask `password_problem` on every path that sets a
password (web forms, the CLI), so the rule is the same everywhere.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 10
MAX_LENGTH = 200
DENY_LIST = Path(__file__).resolve().parent / "data" / "common_passwords.txt"

# Digits and punctuation people put around a common word ("Password2024!", "!!qwerty123").
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@cache
def common_passwords() -> frozenset[str]:
    """The deny-list, lower-cased (one password or common base word a line; # comments)."""
    lines = DENY_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


def _core(password: str) -> str:
    """The password without the digits and punctuation around it, lower-cased, no spaces."""
    return _DECORATION.sub("", password.lower()).replace(" ", "")


def password_problem(password: str, email: str = "") -> str | None:
    """Why this password may not be used, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    lowered, core = password.lower(), _core(password)
    denied = common_passwords()
    if lowered in denied or lowered.replace(" ", "") in denied or (core and core in denied):
        return "is one of the most common passwords; choose a less guessable one"
    email = email.strip().lower()
    local = email.split("@")[0]
    if email and (
        email in lowered or core == local or (len(local) >= 5 and local in lowered.replace(" ", ""))
    ):
        return "must not contain the account's e-mail address or its name part"
    return None
