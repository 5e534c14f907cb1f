"""gzip for text responses when the client accepts it (issue 17): HTML, SVG, CSV, ICS, JSON.

A State's timeline is ~400 kB of markup and the full deadline report ~3 MB; both shrink about
tenfold. Responses already encoded, streamed or passed through from a file (static files,
downloads sent with send_file) are left alone, as are small ones (the header and the work cost
more than they save). `Vary: Accept-Encoding` goes on every response that could have been
compressed, so that a shared cache keeps the two forms apart.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

COMPRESSIBLE = frozenset(
    {"text/html", "image/svg+xml", "text/csv", "text/calendar", "application/json", "text/plain"}
)
MIN_BYTES = 1024
LEVEL = 5  # nearly the size of 9 at a fraction of the time


def _compress(response: Response) -> Response:
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or response.status_code in (204, 206, 304)
        or request.method == "HEAD"
        or not request.accept_encodings["gzip"]
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    tag, weak = response.get_etag()
    if tag:  # the same entity in another encoding: a different tag
        response.set_etag(f"{tag}-gzip", bool(weak))
    return response


def init_app(app: Flask) -> None:
    """Compress every view's text response, the API's included."""
    app.after_request(_compress)
