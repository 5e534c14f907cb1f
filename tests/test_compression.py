"""Text responses travel gzipped when the client accepts it (issue 17, item 3)."""

from __future__ import annotations

import gzip

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
PAGES = [
    "/?as_of=2016-03-01",
    "/states/TJK?as_of=2016-03-01",
    "/report?as_of=2016-03-01&within=3660",
    "/report.csv?as_of=2016-03-01&within=3660",
    "/report.ics?as_of=2016-03-01&within=3660",
    "/api/v1/report?as_of=2016-03-01&within=3660",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_gzip_request_gets_the_same_page_gzipped(
    client: FlaskClient, seeded: Session, path: str
) -> None:
    plain = client.get(path)
    packed = client.get(path, headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert (
        "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    )
    body = gzip.decompress(packed.data)
    assert body == plain.data
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(body) / 2
    assert packed.mimetype == plain.mimetype


def test_no_gzip_unless_asked_and_never_for_tiny_or_binary_answers(
    client: FlaskClient, seeded: Session
) -> None:
    refused = client.get("/states/TJK", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and b"<svg" in refused.data
    tiny = client.get("/api/v1/milestones/999999", headers=GZIP)  # a short JSON error
    assert tiny.status_code == 404 and "Content-Encoding" not in tiny.headers
    assert tiny.get_json()["error"]
    xlsx = client.get("/report.xlsx?as_of=2016-03-01", headers=GZIP)  # already a zip file
    assert xlsx.status_code == 200 and "Content-Encoding" not in xlsx.headers
    css = client.get("/static/tracker.css", headers=GZIP)  # sent from the file as it is
    assert css.status_code == 200 and "Content-Encoding" not in css.headers
    css.close()
