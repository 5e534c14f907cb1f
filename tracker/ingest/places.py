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
    # States of the 1540 regional projects and trainings further afield (Asia-Pacific,
    # Africa, Latin America): a note naming them concerns them as much as Central Asia.
    "THA": ("Thailand", ("Thai",), ()),
    "NPL": ("Nepal", ("Nepalese", "Nepali"), ()),
    "KHM": ("Cambodia", ("Cambodian",), ("Phnom Penh",)),
    "IND": ("India", ("Indian",), ("New Delhi",)),
    "BGD": ("Bangladesh", ("Bangladeshi",), ("Dhaka",)),
    "LKA": ("Sri Lanka", ("Sri Lankan",), ("Colombo",)),
    "MDV": ("Maldives", ("Maldivian",), ("Male",)),
    "TLS": ("Timor-Leste", ("East Timor",), ("Dili",)),
    "VNM": ("Viet Nam", ("Vietnam", "Vietnamese"), ("Hanoi",)),
    "LAO": ("Lao People's Democratic Republic", ("Laos", "Lao PDR"), ("Vientiane",)),
    "MMR": ("Myanmar", (), ("Yangon", "Nay Pyi Taw")),
    "PHL": ("Philippines", ("Philippine",), ("Manila",)),
    "MYS": ("Malaysia", ("Malaysian",), ("Kuala Lumpur",)),
    "ETH": ("Ethiopia", ("Ethiopian",), ("Addis Ababa",)),
    "CHL": ("Chile", ("Chilean",), ("Santiago",)),
    "TUR": ("Türkiye", ("Turkey", "Turkish"), ("Ankara", "Istanbul")),
}

# The same States as Russian notes name them, in every case: "Республики Таджикистан",
# "Кыргызской Республики", "Киргизии", "таджикской стороны". Forms are listed, not
# guessed by a stemmer, so that a word is a State only in a form that exists.
_NOUN_ENDINGS = ("", "а", "у", "ом", "е")
_FEMININE_ENDINGS = ("я", "и", "ю", "ей")
_ADJECTIVE_ENDINGS = ("ий", "ая", "ое", "ие", "ого", "ой", "ому", "ую", "им", "ом", "их", "ими")
_RUSSIAN: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # code: (nouns taking -а/-у/-ом/-е, nouns in -ия, adjective stems in -ский)
    "TJK": (("Таджикистан", "Душанбе", "Худжанд"), (), ("таджикск",)),
    "UZB": (("Узбекистан", "Ташкент", "Самарканд"), (), ("узбекск", "узбекистанск")),
    "KGZ": (
        ("Кыргызстан", "Бишкек", "Ош", "Чолпон-Ата", "Иссык-Куль"),
        ("Киргизи",),
        ("кыргызск", "киргизск", "кыргызстанск", "иссык-кульск"),
    ),
    "KAZ": (("Казахстан", "Алматы", "Нур-Султан"), (), ("казахстанск", "казахск")),
    "TKM": (("Туркменистан", "Ашхабад"), (), ("туркменск",)),
    "AFG": (("Афганистан", "Кабул"), (), ("афганск",)),
    "BLR": (("Минск",), ("Белорусс",), ("белорусск",)),
    "RUS": ((), ("Росси",), ("российск",)),
    "CHN": (("Китай", "Пекин"), (), ("китайск",)),
    "MNG": (("Улан-Батор",), ("Монголи",), ("монгольск",)),
    "AZE": (("Азербайджан", "Баку"), (), ("азербайджанск",)),
    "ARM": (("Ереван",), ("Армени",), ("армянск",)),
    "GEO": (("Тбилиси",), ("Грузи",), ("грузинск",)),
    "UKR": (("Киев",), (), ("украинск",)),
    "SRB": (("Белград",), ("Серби",), ("сербск",)),
}
# Forms that the endings above do not make: indeclinable names and irregular stems.
_RUSSIAN_EXTRA: dict[str, tuple[str, ...]] = {
    "KAZ": ("Астана", "Астаны", "Астане", "Астану", "Астаной", "РК"),
    "KGZ": ("Кыргызская Республика", "Кыргызской Республики", "Кыргызскую Республику", "КР"),
    "BLR": ("Беларусь", "Беларуси", "Беларусью"),
    "RUS": ("Российская Федерация", "Российской Федерации", "Москва", "Москвы", "Москве"),
    "UKR": ("Украина", "Украины", "Украине", "Украину", "Украиной"),
    "MDA": ("Молдова", "Молдовы", "Молдове", "Молдавия", "Молдавии", "Кишинев", "Кишинёв"),
    "CHN": ("Китая", "Китае", "Китаю"),
    "ARM": ("Армения",),
}
_RUSSIAN_HUBS = {"AUT": ("Вена", "Вены", "Вене"), "CHE": ("Женева", "Женевы", "Женеве")}

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
    for code, forms in _russian_forms().items():
        name = _STATES[code][0]
        for form in forms:
            table.setdefault(form, (Place(code, name), True))
    for code, cities in _RUSSIAN_HUBS.items():
        country = next(c for h, (k, c) in _HUB_CITIES.items() if k == code)
        for city in cities:
            table.setdefault(city, (Place(code, country, cities[0]), False))
    return table


def _russian_forms() -> dict[str, list[str]]:
    """Every Russian form of each State's names, cities and adjectives."""
    forms: dict[str, list[str]] = {}
    for code, (nouns, feminine, adjectives) in _RUSSIAN.items():
        words = [n + e for n in nouns for e in _NOUN_ENDINGS if not n.endswith(("е", "ы", "и"))]
        words += [n for n in nouns if n.endswith(("е", "ы", "и"))]
        words += [n + e for n in feminine for e in _FEMININE_ENDINGS]
        for stem in adjectives:
            for ending in _ADJECTIVE_ENDINGS:
                words += [stem + ending, stem[:1].upper() + stem[1:] + ending]
        forms[code] = words + list(_RUSSIAN_EXTRA.get(code, ()))
    for code, extra in _RUSSIAN_EXTRA.items():
        forms.setdefault(code, list(extra))
    return forms


_TABLE = _table()
# Names are looked up by their first word in a table: one pattern of all the names in
# every case (hundreds of alternatives) made reading a 1 MB note several times slower.
# Only words that can begin a name are looked at: capitalised ones and Russian adjectives.
_WORD = re.compile(r"[\w'’]+(?:-[\w'’]+)*")
_LOWER_FIRST = sorted({n.split()[0] for n in _TABLE if not n[:1].isupper()}, key=len, reverse=True)
_CANDIDATE = re.compile(
    r"(?<![\w'’-])(?=[A-ZА-ЯЁ]|(?:" + "|".join(map(re.escape, _LOWER_FIRST)) + r")(?![\w-]))"
    r"[\w'’]+(?:-[\w'’]+)*"
)
_AFTER_NAME = re.compile(r"[\w-]")


def _names_by_first_word() -> dict[str, list[str]]:
    """First word -> the names it begins, longest first."""
    table: dict[str, list[str]] = {}
    for name in _TABLE:
        table.setdefault(_WORD.findall(name)[0], []).append(name)
    for names in table.values():
        names.sort(key=len, reverse=True)
    return table


_BY_FIRST_WORD = _names_by_first_word()


@dataclass(frozen=True)
class PlaceMention:
    """A place named at a position of the plain text."""

    place: Place
    concerned: bool
    start: int
    end: int


def find_places(text: str, offset: int = 0) -> list[PlaceMention]:
    """Every State, adjective or city named in the text, in order (the longest name wins)."""
    mentions: list[PlaceMention] = []
    covered = 0
    for word in _CANDIDATE.finditer(text):
        start = word.start()
        if start < covered:
            continue  # inside a longer name found already ("Kyrgyz Republic")
        name = next((n for n in _BY_FIRST_WORD.get(word.group(), ()) if _at(text, n, start)), None)
        if name is None:
            continue
        place, concerned = _TABLE[name]
        covered = start + len(name)
        mentions.append(PlaceMention(place, concerned, offset + start, offset + covered))
    return mentions


def _at(text: str, name: str, start: int) -> bool:
    """Whether the name stands at this position as whole words."""
    end = start + len(name)
    return text.startswith(name, start) and not _AFTER_NAME.match(text, end, end + 1)


def states_named(text: str, mentions: list[PlaceMention] | None = None) -> list[str]:
    """ISO3 codes of the States a text concerns, in order of first mention."""
    codes: list[str] = []
    for mention in find_places(text) if mentions is None else mentions:
        if mention.concerned and mention.place.code not in codes:
            codes.append(mention.place.code)
    return codes


def venue_in(text: str, mentions: list[PlaceMention] | None = None) -> Place | None:
    """The venue a text gives: a city (with its country), else a State after 'in'."""
    mentions = find_places(text) if mentions is None else mentions
    for mention in mentions:
        if mention.place.city:
            return mention.place
    for mention in mentions:
        if re.search(r"\b(?:in|at)\s+(?:the\s+)?$", text[: mention.start]):
            return mention.place
    return None
