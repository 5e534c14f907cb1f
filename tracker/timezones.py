"""Which time zone a reader sees timestamps in (pure: no Flask, no database).

Timestamps are stored in UTC. A reader sees them in the zone saved on their account; without
one, in the zone of the first of the States they coordinate that has one here; else in the
site default (TRACKER_DEFAULT_TIMEZONE, UTC when unset).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT = "UTC"
# The zone of each State's capital, where its coordinators work.
STATE_ZONES = {
    "TJK": "Asia/Dushanbe",
    "UZB": "Asia/Tashkent",
    "KGZ": "Asia/Bishkek",
    "KAZ": "Asia/Almaty",
    "TKM": "Asia/Ashgabat",
    "BLR": "Europe/Minsk",
}
# Offered first on the account page: the zones of the States above, then UTC and the rest.
COMMON = ("Asia/Dushanbe", "Asia/Tashkent", "Asia/Bishkek", "Asia/Almaty", "Europe/Minsk")


# The common zones named by their city in each language (the rest keep their IANA names).
CITIES = {
    "Asia/Dushanbe": {"en": "Dushanbe", "ru": "Душанбе"},
    "Asia/Tashkent": {"en": "Tashkent", "ru": "Ташкент"},
    "Asia/Bishkek": {"en": "Bishkek", "ru": "Бишкек"},
    "Asia/Almaty": {"en": "Almaty", "ru": "Алматы"},
    "Asia/Ashgabat": {"en": "Ashgabat", "ru": "Ашхабад"},
    "Europe/Minsk": {"en": "Minsk", "ru": "Минск"},
}


def label(name: str, locale: str, now: datetime | None = None) -> str:
    """A zone as a reader recognises it: 'Душанбе (UTC+5)', 'Europe/Vienna (UTC+1)', 'UTC'."""
    city = CITIES.get(name, {}).get(locale) or CITIES.get(name, {}).get("en") or name
    if name == DEFAULT:
        return city
    offset = (now or datetime.now(UTC)).astimezone(zone(name)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    shown = f"{hours}" + (f":{rest:02d}" if rest else "")
    return f"{city} (UTC{sign}{shown})"


@cache
def known() -> frozenset[str]:
    """Every IANA zone name this system knows (tzdata)."""
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    """An IANA zone name such as 'Asia/Dushanbe' or 'UTC'."""
    return name in known()


def choices() -> list[str]:
    """The zones a reader may choose from, the Central Asian ones first."""
    rest = sorted(known() - {*COMMON, DEFAULT})
    return [*COMMON, DEFAULT, *rest]


def reader_zone(preference: str | None, state_codes: Iterable[str], default: str) -> str:
    """The zone a reader's timestamps are shown in (see the module's docstring)."""
    if preference and is_zone(preference):
        return preference
    for code in state_codes:
        if code in STATE_ZONES:
            return STATE_ZONES[code]
    return default if is_zone(default) else DEFAULT


@cache
def zone(name: str) -> ZoneInfo:
    """The zone of a name; an unknown name is UTC (a setting checked at start never is)."""
    return ZoneInfo(name if is_zone(name) else DEFAULT)
