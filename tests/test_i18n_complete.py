"""Issue 12, the check: the Russian interface is complete.

Pages are rendered in a pseudo-locale: the Russian catalogue with every translation wrapped in
marks (⟦…⟧). Whatever a page shows outside the marks must then be data (titles, quotes, names,
State codes, dates, numbers, e-mail addresses: anything stored in the database) or one of a
few technical words; an English word left over is an interface string that skipped gettext.
The catalogues themselves must have no empty, fuzzy or ill-formed entry.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Enum, select
from sqlalchemy.orm import Session

from tests.web_helpers import add_account, csrf_token, ref_id, sign_in
from tracker import services, timezones
from tracker.i18n import LOCALES, TRANSLATIONS
from tracker.models import ActionPlan, Base, User

OPEN, CLOSE = "\u27e6", "\u27e7"
RU = {"Accept-Language": "ru-RU,ru;q=0.9"}

# Latin words an interface may show untranslated: formats, standards, brands, the switcher.
TECHNICAL = {
    "A4", "API", "Atom", "CSV", "Excel", "ICS", "JSON", "PDF", "SHA", "UTC", "XLSX",
    "EN", "RU", "English", "TRACKER_SMTP_URL",
}  # fmt: skip


# English still shown because another lane of issue 12 words it. Each entry is a stretch's
# words with data and numbers taken out. It must still be seen: the test fails on an entry
# nothing shows any more, so the list only shrinks. Every lane has landed: it stays empty.
OTHER_LANES: set[str] = set()


# --- the catalogues ---------------------------------------------------------------------------


def catalogues() -> list[Path]:
    return sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def test_every_language_has_a_catalogue() -> None:
    assert {p.parent.parent.name for p in catalogues()} == set(LOCALES) - {"en"}


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: p.parent.parent.name)
def test_no_catalogue_entry_is_empty_fuzzy_or_ill_formed(path: Path) -> None:
    catalogue = read(path)
    empty, fuzzy = [], []
    for message in catalogue:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(forms) or len(forms) != (catalogue.num_plurals if message.pluralizable else 1):
            empty.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not empty, f"untranslated in {path}: {empty}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert not problems, problems  # placeholders as in the English, plural forms complete


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: p.parent.parent.name)
def test_every_extracted_string_is_in_the_catalogue(path: Path) -> None:
    template = read(TRANSLATIONS / "messages.pot")
    catalogue = read(path)
    missing = [m.id for m in template if m.id and (m.id, m.context) not in _keys(catalogue)]
    assert not missing, f"run `make messages` and translate: {missing}"


def _keys(catalogue: Catalog) -> set[tuple[object, object]]:
    return {(m.id, m.context) for m in catalogue if m.id}


# --- the pseudo-locale ------------------------------------------------------------------------


def pseudo_translations() -> Translations:
    """The Russian catalogue, every translation wrapped in marks."""
    catalogue = read(TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po")
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.string, tuple):
            message.string = tuple(f"{OPEN}{s}{CLOSE}" for s in message.string)
        else:
            message.string = f"{OPEN}{message.string}{CLOSE}"
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return Translations(buffer)


SEPARATOR = re.compile(r"[·—–;|]")
SPACE = re.compile(r"\s+")
TAG = re.compile(r"<[^>]+>")
SNIPPET = re.compile(r'<span class="snippet">.*?</span>', re.S)
FOOTNOTE = re.compile(r"\[\d+\]")  # a note's numbered links to the passages cited
MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(rf"\b(?:\d{{1,2}}\s+)?(?:{MONTH})(?:\s+\d{{4}})?\b")  # dates: issue 12's rud
WORD = re.compile(r"[A-Za-z]+(?:[-_][A-Za-z]+)*")
HEX = re.compile(r"\b[0-9a-f]{8,}\b")  # digests
ADDRESS = re.compile(r"\b(?:https?://|tag:)\S+")  # links and feed ids are not words
# IANA time-zone names offered as they are (the common ones are named by city per language).
ZONE = re.compile(
    "|".join(re.escape(z) for z in sorted(timezones.known() - set(timezones.CITIES), key=len)[::-1])
)


class _Text(HTMLParser):
    """The text a reader sees or hears, a line per block (SVG text too), and the labelling
    attributes; inline elements (links, marks, emphasis) stay within their line."""

    SPOKEN = ("title", "placeholder", "aria-label", "alt")
    INLINE = frozenset(
        [
            "a",
            "abbr",
            "b",
            "code",
            "em",
            "i",
            "mark",
            "q",
            "small",
            "span",
            "strong",
            "sub",
            "sup",
            "tspan",
        ]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        found = dict(attrs)
        spoken = [v for k, v in attrs if k in self.SPOKEN and v]
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            spoken.append(found["value"] or "")
        self.parts.extend(f"\n{v}\n" for v in spoken)
        if tag not in self.INLINE:
            self.parts.append("\n")
        elif tag == "tspan":
            self.parts.append(" ")  # a wrapped line of SVG text

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        self.parts.append("" if tag in self.INLINE else "\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(SPACE.sub(" ", data))


def outside_marks(page: str) -> list[str]:
    """The page's visible lines with every marked (translated) stretch taken out."""
    parser = _Text()
    parser.feed(page)
    text = "".join(parser.parts)
    marked = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while True:  # innermost first: a translation may carry another as a parameter
        shorter = marked.sub("\n", text)
        if shorter == text:
            break
        text = shorter
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def stored_text(session: Session) -> list[str]:
    """Every text the database holds (data a page shows as it is), longest first.

    Enumerations are left out: a status or kind is stored as a code, and a page must word it.
    """
    found: set[str] = set()
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if not isinstance(c.type, Enum)]
        for row in session.execute(select(*columns)):
            for value in row:
                _collect(value, found)
    return sorted((t for t in found if len(t) > 1), key=len, reverse=True)


def _collect(value: object, found: set[str]) -> None:
    if isinstance(value, str):
        for text in (value, TAG.sub("", value)):  # a note's text is shown with its markup
            found.add(" ".join(text.split()))  # as a page shows it: white space collapsed
            for line in text.splitlines():
                found.add(" ".join(line.split()))
                found.add(" ".join(line.strip("#>*_- ").split()))  # a Markdown heading
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, found)


def english_words(page: str, data: list[str]) -> set[str]:
    """Stretches of English shown outside the marks that are neither data nor technical, each
    as its words ('planned → done, effective 1 March 2016' gives 'planned done effective')."""
    words = set()
    compact = SPACE.sub("", "\n".join(data))
    page = SNIPPET.sub("", page)  # a search hit's snippet: stored fields run together
    for line in outside_marks(page):
        line = ZONE.sub(" ", HEX.sub(" ", ADDRESS.sub(" ", FOOTNOTE.sub("", line))))
        if _stored_part(line, compact):
            continue
        for stored in data:  # whole sentences first: a name inside would break them up
            if stored in line and len(stored.split()) >= 3:
                line = _without(line, stored)
        pieces = re.split(f"({SEPARATOR.pattern})", line)  # separators kept
        line = "".join(" " if _stored_part(p, compact) else p for p in pieces)
        for stored in data:
            if stored in line:
                line = _without(line, stored)
        line = DATE.sub(" ", line)
        for part in SEPARATOR.split(line):
            found = [w for w in WORD.findall(part) if len(w) > 1 and w not in TECHNICAL]
            if found and not _stored_part(part, compact):
                words.add(" ".join(found))
    return words


def _without(line: str, stored: str) -> str:
    """The line with a stored text taken out where it stands as whole words ('en', a
    language code, is data; the 'en' inside 'implementing' is not)."""
    return re.sub(rf"(?<!\w){re.escape(stored)}(?!\w)", " ", line)


def _stored_part(part: str, compact: str) -> bool:
    """Whether a stretch of a line is part of a stored text (a wrapped or shortened title,
    a passage of a note); a word or two alone might be an interface word, so not those."""
    core = part.strip(" :,.()[]“”«»\"'…")
    return len(core.split()) >= 3 and SPACE.sub("", core) in compact


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def pseudo(app: Flask) -> Iterator[Flask]:
    """The app, with Russian replaced by the marked pseudo-locale."""
    with app.app_context():
        domain = app.extensions["babel"].instance.domain_instance
    domain.cache[("ru", "messages")] = pseudo_translations()
    yield app
    domain.cache.clear()


def pages(client: FlaskClient, admin: FlaskClient, session: Session) -> Iterator[tuple[str, str]]:
    """(what, html) of every kind of page, as anonymous, coordinator or admin sees it."""
    meeting = ref_id(session, "tjk-approval-deadline-2015")
    viewer = session.scalar(select(User).where(User.email == "viewer@example.org"))
    assert viewer is not None
    body = _focal_point(session, viewer)  # its page lists them; /users names their role
    get = [
        (client, "/"),
        (client, "/?as_of=2016-03-01"),
        (client, "/states/TJK?as_of=2016-03-01"),
        (client, "/states/TJK?zoom=year"),
        (client, "/report?as_of=2016-03-01"),
        (client, f"/milestones/{meeting}"),
        (client, f"/milestones/{meeting}/edit"),
        (client, "/milestones/new"),
        (client, "/states/TJK/bulk-status"),
        (client, "/notes"),
        (client, f"/notes/{_slug(session)}"),
        (client, "/notes/new"),
        (client, "/search?q=peer+review"),
        (client, "/search?q=zzzz&kind=drafting"),
        (client, "/account"),
        (client, "/account/mail"),
        (client, "/saved-views"),
        (client, "/saved-views/new?page=report&as_of=2016-03-01&within=90"),
        (client, "/activity"),
        (client, "/unsubscribe/not-a-token"),
        (admin, "/users"),
        (admin, f"/users/{viewer.id}"),
        (admin, "/admin/states"),
        (admin, "/admin/outbox"),
        (client, "/activity.atom"),
        (client, f"/plans/{_plan_with_measures(session)}?as_of=2016-06-30"),  # progress chart
        (admin, f"/bodies/{body}"),
        (client, "/users"),  # 403
        (client, "/milestones/999999"),  # 404
    ]
    for who, path in get:
        response = who.get(path, headers=RU)
        assert response.status_code in (200, 400, 403, 404), (path, response.status_code)
        yield path, response.get_data(as_text=True)
    yield "review of an import", _import_review(client)
    plan_id = session.scalar(select(ActionPlan.id).where(ActionPlan.state_code == "UZB"))
    yield "upload of measures", admin.get(f"/plans/{plan_id}/measures/upload", headers=RU).text
    yield "review of measures", _measures_review(admin, plan_id)
    yield "409 conflict", _conflict(client, session, meeting)
    anonymous = client.application.test_client()
    yield "/login", anonymous.get("/login", headers=RU).get_data(as_text=True)


def _focal_point(session: Session, account: User) -> int:
    """A body with the account as its focal point (issue 15), by its id."""
    from tracker.services.bodies import add_body, add_focal_point

    body = add_body(session, "UZB", "State Customs Committee", "Государственный таможенный комитет")
    add_focal_point(session, body, account)
    session.commit()
    return body.id


def _plan_with_measures(session: Session) -> int:
    from tracker.models import ActionPlan, Milestone

    found = session.scalars(
        select(ActionPlan.id).join(Milestone, Milestone.plan_id == ActionPlan.id).limit(1)
    ).first()
    assert found is not None, "the seed has a plan with measures"
    return found


def _slug(session: Session) -> str:
    from tracker.models import SourceNote

    slug = session.scalars(select(SourceNote.slug).order_by(SourceNote.id)).first()
    assert slug is not None
    return slug


NOTE = (
    "Event: Workshop on the national report of Kyrgyzstan\n"
    "Date and venue: 14-15 April 2027, Bishkek\n"
    "Organizers: OSCE\n\n"
    "The workshop will prepare the second national report of Kyrgyzstan, due by the end of 2027.\n"
)


def _import_review(client: FlaskClient) -> str:
    token = csrf_token(client, "/notes/new")
    data = {"csrf_token": token, "name": "005_bishkek", "text": NOTE}
    response = client.post("/notes/new", data=data, headers=RU)
    assert response.status_code == 200
    return response.get_data(as_text=True)


MEASURES = (
    "№,Мероприятие,Срок исполнения,Ответственные,Примечание\n"
    "1,Принять закон,III квартал 2015 г.,Агентство по атомной энергии,\n"
    "1,Повтор,когда-нибудь,,\n"
    "2,Провести круглый стол,2030,,\n"
)


def _measures_review(client: FlaskClient, plan_id: int | None) -> str:
    """The review of an uploaded measures table: mapping, an unknown name, problems, a warning."""
    path = f"/plans/{plan_id}/measures/upload"
    file = (io.BytesIO(MEASURES.encode()), "меры.csv")
    data = {"csrf_token": csrf_token(client, path), "file": file}
    response = client.post(path, data=data, content_type="multipart/form-data", headers=RU)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _conflict(client: FlaskClient, session: Session, milestone_id: int) -> str:
    milestone = services.get_milestone(session, milestone_id)
    stale = milestone.version
    services.change_status(session, milestone, "cancelled", date(2026, 1, 5), comment="Hers")
    session.commit()
    token = csrf_token(client, f"/milestones/{milestone_id}")
    form = {"csrf_token": token, "version": str(stale), "status": "done"}
    form |= {"effective_on": "2026-02-01", "comment": "", "quote": "", "note": ""}
    response = client.post(f"/milestones/{milestone_id}/status", data=form, headers=RU)
    assert response.status_code == 409
    return response.get_data(as_text=True)


def test_every_page_in_russian_shows_no_english_interface_words(
    pseudo: Flask, seeded: Session
) -> None:
    add_account(seeded, "tjk@example.org", "coordinator", ["TJK"])
    add_account(seeded, "admin@example.org", "admin")
    add_account(seeded, "viewer@example.org", "viewer")
    client, admin = pseudo.test_client(), pseudo.test_client()
    sign_in(client, "tjk@example.org")
    sign_in(admin, "admin@example.org")
    shown = list(pages(client, admin, seeded))
    uploaded = [cell for line in MEASURES.splitlines() for cell in line.split(",") if cell]
    data = sorted(
        [*stored_text(seeded), *filter(None, NOTE.splitlines()), *uploaded], key=len, reverse=True
    )
    assert all(OPEN in html for _, html in shown), "the pseudo-locale is not in use"
    leftovers, seen = {}, set()
    for what, html in shown:
        words = english_words(html, data)
        seen |= words
        if words - OTHER_LANES:
            leftovers[what] = sorted(words - OTHER_LANES)
    assert not leftovers, "English outside the catalogue:\n" + "\n".join(
        f"{what}: {' | '.join(words)}" for what, words in leftovers.items()
    )
    stale = sorted(OTHER_LANES - seen)
    assert not stale, f"now translated: remove from OTHER_LANES {stale}"
