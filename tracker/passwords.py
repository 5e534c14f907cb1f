"""Password rules: length, a deny-list of common passwords, not the account's own e-mail.

Pure: no Flask, no database. The services ask `password_problem` on every path that sets a
password (web forms, the CLI), so the rule is the same everywhere.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from tracker import messages

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
    """Why this password may not be used (in English), or None when it is acceptable."""
    refused = password_refusal(password, email)
    return None if refused is None else messages.word(*refused, english=True)


def password_refusal(password: str, email: str = "") -> tuple[str, dict[str, object]] | None:
    """The code (of `tracker.messages`) and parameters refusing this password, or None."""
    if len(password) < MIN_LENGTH:
        return "password_too_short", {"least": MIN_LENGTH}
    if len(password) > MAX_LENGTH:
        return "password_too_long", {"most": MAX_LENGTH}
    lowered, core = password.lower(), _core(password)
    denied = common_passwords()
    if lowered in denied or lowered.replace(" ", "") in denied or (core and core in denied):
        return "password_common", {}
    email = email.strip().lower()
    local = email.split("@")[0]
    if email and (
        email in lowered or core == local or (len(local) >= 5 and local in lowered.replace(" ", ""))
    ):
        return "password_has_email", {}
    return None
