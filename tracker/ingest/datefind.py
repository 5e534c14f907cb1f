"""Find the date expressions in running text and read them with parse_window (pure).

Candidate runs of date-like words are cut into the longest pieces that
`tracker.dates.parse_window` reads, so the project has one date grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.dates import DateParseError, DueWindow, Precision, parse_window
from tracker.messages import MESSAGES, Worded

MAX_RUN_TOKENS = 16
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:tember|t)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# Russian: months in every case, year words ("года", "г."), quarters ("IV квартал"),
# "с ... по ..." ranges; tracker.dates reads them, this only finds where they are.
_RU_MONTH = (
    r"(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)"
    r"(?:ь|я|е|ю|й|а|ом|ем|у)?(?![а-яё])"
)
_RU_TOKEN = (
    r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}(?![0-9])"
    r"|(?:iv|i{1,3}|[1-4](?:-?(?:й|го|м))?)[ \t]?(?:квартал[а-яё]*|кв\.)"
    r"|(?:перв|втор|трет|четв[её]рт)[а-яё]*[ \t]+квартал[а-яё]*"
    rf"|{_RU_MONTH}|(?:года|году|годах|годов|годы|год|гг\.?|г\.?)(?![а-яё])|(?:с|со|по|и)(?![а-яё])"
)
# Atomic, and digits never split inside a number: a run of digits has one reading, so the
# run pattern below cannot backtrack exponentially ("1111…1x" once took seconds).
_EN_TOKEN = (
    rf"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}|[0-9]{{1,4}}(?![0-9])(?:st|nd|rd|th)?|{_MONTH}"
    r"|from|between|to|and|until|till|through|on|in|[-\u2010-\u2015\u2212,]"
)


def _runs(token: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The pattern of a run of date tokens, and of one token."""
    atomic = f"(?>{token})"
    run = rf"(?<![\w/@.]){atomic}(?:[ \t\u00a0]*{atomic})*(?![\w@/])"
    return re.compile(run, re.IGNORECASE), re.compile(atomic, re.IGNORECASE)


# The Russian tokens are tried only in a text with Cyrillic letters: they made every
# English note slower to read.
_EN_RUN, _EN_TOKENS = _runs(_EN_TOKEN)
_RUN, _TOKENS = _runs(f"{_EN_TOKEN.split('|', 1)[0]}|{_RU_TOKEN}|{_EN_TOKEN.split('|', 1)[1]}")
_CYRILLIC = re.compile("[А-Яа-яЁё]")
_HAS_DATE_WORD = re.compile(
    rf"\b{_MONTH}(?!\w)|\b(?:19|20|21)[0-9]{{2}}\b|(?<![а-яё]){_RU_MONTH}", re.IGNORECASE
)
_RELATIVE = re.compile(
    r"\b(?:over|for|within|during|in)?\s*the (?:past|last|previous) "
    r"(?:(?:[0-9]{1,2}|one|two|three|four|five|six|seven|eight|nine|ten) )?years?\b",
    re.IGNORECASE,
)
# "resolution 1540 (2004)", "UNSCR 1977 (2011)": a year in brackets after a number
# is how resolutions are cited, never an event.
_CITED_YEAR = re.compile(r"(?:[0-9]{3,4}|resolutions?)\s*\(\s*$", re.IGNORECASE)
_RESOLUTION_NUMBER = re.compile(
    r"(?:\b(?:resolutions?|UNSCR|S/RES/)|резолюци[а-яё]*)\s*(?:[0-9]{3,4}[, and]*)*$", re.IGNORECASE
)
_BARE_YEAR_BEFORE = re.compile(
    r"\b(?:in|of|by|until|till|since|the|for|during|early|late|mid|end of|from"
    r"|spring|summer|autumn|fall|winter"
    r"|в|во|на|до|к|с|по|от|начал[еау]|конц[еау]|середин[еы]|течение|периоде?"
    # a list of years: "in 2015 and 2017 respectively", "в 2016 и 2018 годах"
    r"|(?:19|20)[0-9]{2},?\s+(?:and|or|и|или))\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date expression at [start, end) of a text; window is None when unreadable."""

    start: int
    end: int
    text: str
    window: DueWindow | None
    problem: str = ""

    @property
    def yearless(self) -> bool:
        """A day or month written without its year (flagged, never guessed)."""
        return self.window is None and "year is missing" in self.problem


def find_dates(text: str, reference: date | None = None) -> list[DateMention]:
    """Every date expression in the text, in order: readable windows and yearless ones."""
    lowered = text.lower()
    # Cheap word tests first: these two patterns, tried at every character, were a third
    # of the time spent reading a long note.
    split = _split_quarters(text) if "quarter" in lowered or "квартал" in lowered else []
    run_pattern, token_pattern = (
        (_RUN, _TOKENS) if _CYRILLIC.search(text) else (_EN_RUN, _EN_TOKENS)
    )
    mentions = [
        m for run in run_pattern.finditer(text) for m in _read_run(text, run, token_pattern)
    ]
    mentions = [m for m in mentions if not any(q.start < m.end and m.start < q.end for q in split)]
    mentions += split
    if _may_be_relative(lowered):
        mentions += _relative(text, reference, mentions)
    mentions = [m for m in mentions if _is_a_date(text, m)]
    return sorted(mentions, key=lambda m: m.start)


# A NAP table flattened into text puts other columns between a quarter and its year:
# "Third quarter Ministry of Foreign Affairs of 2015", "IV квартал Минэкономики 2015 г.".
_SPLIT_QUARTER = re.compile(
    r"\b(?P<q>first|second|third|fourth|1st|2nd|3rd|4th) quarter\b(?P<gap>[^0-9.;\n]{1,80}?)"
    r"\bof (?P<y>(?:19|20|21)[0-9]{2})\b"
    r"|(?<![\w])(?P<rq>IV|I{1,3}) квартал[а-яё]*(?P<rgap>[^0-9.;\n]{1,80}?)"
    r"(?P<ry>(?:19|20|21)[0-9]{2}) ?(?:года|г\.)",
    re.IGNORECASE,
)


def _split_quarters(text: str) -> list[DateMention]:
    mentions = []
    for match in _SPLIT_QUARTER.finditer(text):
        if not (match["gap"] or match["rgap"] or "").strip():
            continue  # not split: the run reader takes it
        quarter, year = (
            (match["q"], match["y"]) if match["q"] else (f"{match['rq']} квартал", match["ry"])
        )
        written = f"{quarter} quarter of {year}" if match["q"] else f"{quarter} {year} г."
        try:
            window = parse_window(written)
        except DateParseError:
            continue
        mentions.append(DateMention(match.start(), match.end(), written, window))
    return mentions


def _read_run(
    text: str, run: re.Match[str], token_pattern: re.Pattern[str] = _TOKENS
) -> list[DateMention]:
    if not _HAS_DATE_WORD.search(run.group()):
        return []
    found = token_pattern.finditer(run[0])
    tokens = [(run.start() + t.start(), run.start() + t.end()) for t in found]
    return _longest_readings(text, tokens[:MAX_RUN_TOKENS])


def _longest_readings(text: str, tokens: list[tuple[int, int]]) -> list[DateMention]:
    """Split a run of tokens into the longest pieces that read as dates."""
    for size in range(len(tokens), 0, -1):
        for first in range(len(tokens) - size + 1):
            start, end = tokens[first][0], tokens[first + size - 1][1]
            mention = _reading(text[start:end], start)
            if mention is not None:
                before = _longest_readings(text, tokens[:first])
                after = _longest_readings(text, tokens[first + size :])
                return [*before, mention, *after]
    return []


def _reading(piece: str, start: int) -> DateMention | None:
    if not _HAS_DATE_WORD.search(piece) or piece[-1] in ",-\u2013\u2014 " or piece[0] in ",-":
        return None
    connector = r"(?:and|to|until|till|through|on|in|по|и)"
    if re.match(rf"{connector}\b", piece, re.I) or re.search(
        rf"\b(?:{connector}|from|between|с|со)$", piece, re.I
    ):
        return None
    try:
        window = parse_window(piece)
    except DateParseError as error:
        if "year is missing" in error.reason and _looks_like_a_day(piece):
            return DateMention(start, start + len(piece), piece, None, _problem(error))
        return None
    return DateMention(start, start + len(piece), piece, window)


def _looks_like_a_day(piece: str) -> bool:
    """A yearless day ('1 March') or a capitalised month name; not the verbs 'may', 'march'."""
    if re.search(r"[0-9]", piece):
        return True
    return bool(re.fullmatch(r"(?!May|March)[A-Z][a-z]{2,8}", piece))


def has_relative_date(text: str) -> bool:
    """Whether the text dates something relative to the note ('over the past two years')."""
    return _may_be_relative(text.lower()) and _RELATIVE.search(text) is not None


def _may_be_relative(lowered: str) -> bool:
    """Whether a lower-cased text has a word _RELATIVE needs (a quick test before it)."""
    return "past" in lowered or "last" in lowered or "previous" in lowered


def _relative(text: str, reference: date | None, found: list[DateMention]) -> list[DateMention]:
    mentions = []
    for match in _RELATIVE.finditer(text):
        piece = match.group().strip()
        start = match.end() - len(piece)
        try:
            window = parse_window(piece, reference)
        except DateParseError as error:
            mentions.append(DateMention(start, match.end(), piece, None, _problem(error)))
            continue
        mentions.append(DateMention(start, match.end(), piece, window))
    return [m for m in mentions if not any(f.start < m.end and m.start < f.end for f in found)]


def _is_a_date(text: str, mention: DateMention) -> bool:
    """Drop numbers that only look like years: resolution numbers and their years."""
    before = text[max(0, mention.start - 40) : mention.start]
    if _CITED_YEAR.search(before) or _RESOLUTION_NUMBER.search(before):
        return False
    window = mention.window
    if window is None or window.precision is not Precision.YEAR:
        return True
    # A bare year counts only after a word that dates something, or before a plan.
    after = text[mention.end : mention.end + 40]
    plan_next = re.match(r"\s+(?:National|NAP|Action|plan|national|[Пп]лан|[Нн]ациональн)", after)
    return bool(_BARE_YEAR_BEFORE.search(before) or plan_next) and window.start.year >= 1990


def _problem(error: DateParseError) -> str:
    """Why a date cannot be read: English as a str, the reader's language through `words`."""
    return Worded(error.code, error.params) if error.code in MESSAGES else error.reason
