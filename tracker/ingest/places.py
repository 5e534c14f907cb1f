"""States and cities named in notes: names, adjectives and cities, mapped to ISO 3166-1 alpha-3."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A State, or a city of a State, as a note may name it."""

    code: str
    country: str
    city: str = ""

    @property
    def venue(self) -> str:
        """'City, Country' or 'Country'."""
        return f"{self.city}, {self.country}" if self.city else self.country


# Central Asia, its neighbours and the States of the regional 1540 projects.
# code: (name, other names and adjectives, cities)
_STATES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "TJK": ("Tajikistan", ("Tajik", "Tajikistani"), ("Dushanbe", "Khujand", "Bokhtar")),
    "UZB": ("Uzbekistan", ("Uzbek", "Uzbekistani"), ("Tashkent", "Samarkand", "Bukhara")),
    "KGZ": (
        "Kyrgyzstan",
        ("Kyrgyz Republic", "Kyrgyz", "Kirghiz", "Kyrgyzstani"),
        ("Bishkek", "Osh", "Cholpon-Ata", "Issyk-Kul"),
    ),
    "KAZ": ("Kazakhstan", ("Kazakh", "Kazakhstani"), ("Astana", "Nur-Sultan", "Almaty")),
    "TKM": ("Turkmenistan", ("Turkmen",), ("Ashgabat", "Ashkhabad")),
    "AFG": ("Afghanistan", ("Afghan",), ("Kabul",)),
    "BLR": ("Belarus", ("Belarusian", "Belarussian"), ("Minsk",)),
    "RUS": ("Russian Federation", ("Russia", "Russian"), ("Moscow",)),
    "CHN": ("China", ("Chinese",), ("Beijing",)),
    "MNG": ("Mongolia", ("Mongolian",), ("Ulaanbaatar",)),
    "AZE": ("Azerbaijan", ("Azerbaijani", "Azeri"), ("Baku",)),
    "ARM": ("Armenia", ("Armenian",), ("Yerevan",)),
    "GEO": ("Georgia", ("Georgian",), ("Tbilisi",)),
    "UKR": ("Ukraine", ("Ukrainian",), ("Kyiv", "Kiev")),
    "MDA": ("Republic of Moldova", ("Moldova", "Moldovan"), ("Chisinau",)),
    "IRN": ("Iran", ("Iranian",), ("Tehran",)),
    "PAK": ("Pakistan", ("Pakistani",), ("Islamabad",)),
    "SRB": ("Serbia", ("Serbian",), ("Belgrade",)),
    "MNE": ("Montenegro", ("Montenegrin",), ("Podgorica",)),
    "BIH": ("Bosnia and Herzegovina", (), ("Sarajevo",)),
}

# Seats of international organisations: a meeting there says nothing of which States
# take part, so these cities give a venue and never a State concerned.
_HUB_CITIES: dict[str, tuple[str, str]] = {
    "Vienna": ("AUT", "Austria"),
    "Geneva": ("CHE", "Switzerland"),
    "New York": ("USA", "United States"),
    "The Hague": ("NLD", "Netherlands"),
    "Brussels": ("BEL", "Belgium"),
    "Bangkok": ("THA", "Thailand"),
    "Kathmandu": ("NPL", "Nepal"),
}


def _table() -> dict[str, tuple[Place, bool]]:
    """Every name -> (place, whether it makes its State concerned)."""
    table: dict[str, tuple[Place, bool]] = {}
    for code, (name, others, cities) in _STATES.items():
        for word in (name, *others):
            table[word] = (Place(code, name), True)
        for city in cities:
            table[city] = (Place(code, name, city), True)
    for city, (code, country) in _HUB_CITIES.items():
        table[city] = (Place(code, country, city), False)
        table.setdefault(country, (Place(code, country), False))
    return table


_TABLE = _table()
# Longest names first, so that "Kyrgyz Republic" wins over "Kyrgyz".
_NAMES = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(_TABLE, key=len, reverse=True)) + r")"
    r"(?![\w-])"
)


@dataclass(frozen=True)
class PlaceMention:
    """A place named at a position of the plain text."""

    place: Place
    concerned: bool
    start: int
    end: int


def find_places(text: str, offset: int = 0) -> list[PlaceMention]:
    """Every State, adjective or city named in the text, in order."""
    mentions = []
    for match in _NAMES.finditer(text):
        place, concerned = _TABLE[match.group(1)]
        mentions.append(
            PlaceMention(place, concerned, offset + match.start(), offset + match.end())
        )
    return mentions


def states_named(text: str) -> list[str]:
    """ISO3 codes of the States a text concerns, in order of first mention."""
    codes: list[str] = []
    for mention in find_places(text):
        if mention.concerned and mention.place.code not in codes:
            codes.append(mention.place.code)
    return codes


def venue_in(text: str) -> Place | None:
    """The venue a text gives: a city (with its country), else a State after 'in'."""
    mentions = find_places(text)
    for mention in mentions:
        if mention.place.city:
            return mention.place
    for mention in mentions:
        if re.search(r"\b(?:in|at)\s+(?:the\s+)?$", text[: mention.start]):
            return mention.place
    return None
