"""A gunicorn access log that never keeps a personal token.

Calendar feeds carry their token in the address (`/calendar/<token>.ics`, or `?token=` in
older subscriptions) and API clients send it in the Authorization header, so a stock access
log would keep working credentials in the request line, the path, the query string and the
headers. Serve with `gunicorn --access-logfile - --logger-class
tracker.access_log.TokenRedactingLogger ...` to log every request with the tokens cut.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from tracker.services.users import TOKEN_PREFIX

# A token is the prefix and URL-safe base64 (secrets.token_urlsafe), which needs no escaping.
_TOKEN = re.compile(re.escape(TOKEN_PREFIX) + "[A-Za-z0-9_-]+")
REDACTED = TOKEN_PREFIX + "[redacted]"


def redact(text: str) -> str:
    """The text with every personal token replaced."""
    return _TOKEN.sub(REDACTED, text)


class TokenRedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with tokens cut from every value an access log format can name."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> Any:
        """The format's values (request line, path, query, headers, environ), tokens cut."""
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
