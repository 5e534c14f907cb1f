"""Extract a note's fields and its dated facts as proposals, each with a verbatim quote (pure).

No Flask and no database: `extract(text)` is all a caller needs; matching against the
milestones already known is `tracker.ingest.matching`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date

from tracker.dates import DateParseError, DueWindow, Precision, parse_window
from tracker.enums import MilestoneKind, MilestoneStatus, NoteKind
from tracker.ingest.datefind import DateMention, find_dates, has_relative_date
from tracker.ingest.facts import ROUND_OF, Fact, kind_in, read_fact, skip_reason, title_for
from tracker.ingest.header import HeaderField, field_text, read_header
from tracker.ingest.language import language_of, language_warning
from tracker.ingest.places import find_places, states_named, venue_in
from tracker.ingest.proposals import Extraction, FactRole, NoteFields, Proposal
from tracker.ingest.text import PlainText, Span, check_note_text
from tracker.messages import Worded
from tracker.rules import RESOLUTION_1540_ADOPTED

MEETING_KINDS = frozenset(
    {
        MilestoneKind.PEER_REVIEW,
        MilestoneKind.ROUND_TABLE,
        MilestoneKind.WORKSHOP,
        MilestoneKind.REVIEW_MEETING,
    }
)
_DATELINE_BEFORE = re.compile(r"^\s*[A-ZА-ЯЁ][\w .'’-]{1,40},\s*$")
_DATELINE_AFTER = re.compile(r"^\s*(?:[-–—(/]|\(\w+\)\s*[-–—])")
# A date that opens a line and is followed by a dash ("04.10.2017 — In November ...").
_LEADING_DATELINE = re.compile(r"^\s*[-–—]")
_PUBLISHED = re.compile(
    r"(?:\b(?:published|issued|posted|released|updated|date of (?:issue|publication)"
    r"|letter dated)|(?<![а-яё])(?:опубликовано|обновлени[ея]|обновлено|дата публикации"
    r"|размещено|письм[а-яё]*[^.\n]{0,80}\sот))(?:\s+on)?\s*:?\s*$",
    re.IGNORECASE,
)
_ORGANISED_BY = re.compile(
    r"\b(?:organi[sz]ed|convened|co-organi[sz]ed) by (?P<who>[^.;]{3,300}?)"
    r"(?=,? with (?:the )?support|\.|;|$)",
    re.IGNORECASE | re.MULTILINE,
)
_RELATIVE_WORDS = re.compile(r"\b(?:past|last|previous|since)\b", re.IGNORECASE)
_SINCE = re.compile(
    r"(?:\bsince(?:\s+the)?|(?<![а-яё])(?:с|со|начиная с|после))\s+$", re.IGNORECASE
)
_EARLIER = re.compile(
    r"\b(?:previous|preceding|last|earlier|since|follow-up to|first)\b"
    r"|(?<![а-яё])(?:предыдущ|прошл|прежн|после)[а-яё]*",
    re.IGNORECASE,
)
# A note that opens with an official act or statement is that text, not news about it.
_OFFICIAL_TEXT = re.compile(
    r"\s*(?:statement by\b|(?:решение|постановление|указ|распоряжение|заявление)(?![а-яё]))",
    re.IGNORECASE,
)
_WORK_PROGRAMME = re.compile(r"\s*(?:programme of work|программа работы)\b", re.IGNORECASE)
_YEARLESS_FROM = re.compile(r"^\s*from\s+", re.IGNORECASE)
_TODAY = re.compile(r"\btoday\b|(?<![а-яё])сегодня(?![а-яё])", re.IGNORECASE)
_SENTENCE_STOP = re.compile(r"[.!?](?=\s|$)")
# A dateline stands in the note's first lines.
DATELINE_LINES = 8
_HOSTED_BY = re.compile(r"\bhosted by (?:the )?(?P<who>[^.;,]{3,120})", re.IGNORECASE)
# How far before a date the words that qualify it (a dateline, 'published on') are read.
LOOK_BACK = 300
LABEL_LOOK_BACK = 120
LEAD_CHARACTERS = 2000
# A line of so few words is a date, a byline or a place, not a paragraph of the lead.
SHORT_LINE_WORDS = 4
# Donors fund an event; they are not States whose plans it concerns.
_DONORS = re.compile(
    r"\b(?:funded|financed|sponsored|supported)\s+by\b[^.;]{0,200}"
    r"|\b(?:financial|funding)\s+(?:support|contributions?)\s+(?:from|of)\b[^.;]{0,200}"
    r"|\bfunding from\b[^.;]{0,200}"
    # Experts invited to speak come from other States; the note is not about those.
    r"|\bexperts? (?:from|of)\b[^.;]{0,200}",
    re.IGNORECASE,
)
# The States whose people take part in the event are the note's States, wherever named.
_TAKING_PART = re.compile(
    r"\bparticipa\w*|\b(?:take|took|taking) part\b|\battend\w*"
    r"|(?<![а-яё])(?:участ[а-яё]*|приня[а-яё]* участие)",
    re.IGNORECASE,
)


def extract(text: str, today: date | None = None) -> Extraction:
    """The note's fields and a proposal for every dated fact it states."""
    check_note_text(text)
    plain = PlainText(text)
    header = read_header(plain)
    today = today or date.today()
    published = _published(plain)
    header_window = _header_window(header)
    reference = header_window.end if header_window else published
    facts = _facts(plain, header, reference, today)
    if reference is None:
        reference = _first_meeting_end(facts)
        facts = _facts(plain, header, reference, today, facts) if reference else facts
    main = (
        _main_from_header(plain, header, today)
        or _main_from_text(plain, facts)
        or _main_from_dateline(plain, today)
    )
    everywhere = find_places(plain.plain)  # once: the whole note is long
    mentioned = tuple(states_named(plain.plain, everywhere))
    times = Counter(m.place.code for m in everywhere if m.concerned)
    note_states = _note_states(plain, header, main, times)
    series = main.kind if main and main.kind in MEETING_KINDS else None
    proposals = [_proposal(plain, fact, note_states, reference, series) for fact in facts]
    if main is not None:
        proposals = [main_with_states(main, note_states), *proposals]
    proposals = _without_repeated_yearless(_merged(proposals))
    note = _note_fields(plain, header, main, note_states, (reference, published), mentioned)
    return Extraction(note, tuple(proposals))


# --- the note's date and its main event ---------------------------------------------------


def _published(plain: PlainText) -> date | None:
    for line in plain.lines()[:15]:
        # A publication date stands near the top: a one-line note is not read whole for it.
        end = min(line.end, line.start + LOOK_BACK * 10)
        for mention in find_dates(plain.plain[line.start : end], None):
            absolute = _shift(mention, line.start)
            if mention.window and _is_publication(plain, absolute):
                return mention.window.end
    return None


def _shift(mention: DateMention, offset: int) -> DateMention:
    return replace(mention, start=mention.start + offset, end=mention.end + offset)


def _is_publication(plain: PlainText, mention: DateMention) -> bool:
    """A dateline ('Vienna, 26 June 2017 —') or a publication date is not an event."""
    # Only the words just before the date count: reading back to the line's start made a
    # one-line note quadratic (every date re-read everything before it).
    window_start = max(0, mention.start - LOOK_BACK)
    line_start = plain.plain.rfind("\n", window_start, mention.start) + 1
    if line_start == 0 and window_start > 0:
        line_start = window_start
        if plain.plain[window_start : mention.start].strip():
            # A dateline or a bare date line is never this long: only a label can apply.
            return _labelled_published(plain, mention)
    before = plain.plain[line_start : mention.start]
    after = plain.plain[mention.end : mention.end + 10]
    if _labelled_published(plain, mention):
        return True
    bare_line = not before.strip() and not after.split("\n")[0].strip()
    leading = not before.strip() and bool(_LEADING_DATELINE.match(after))
    dateline = bool(_DATELINE_BEFORE.match(before) and _DATELINE_AFTER.match(after))
    return dateline or bare_line or leading


def _labelled_published(plain: PlainText, mention: DateMention) -> bool:
    """'Published on', 'letter dated', 'опубликовано': the label stands just before the date.

    Only the last line's words up to LABEL_LOOK_BACK characters are read: the pattern is
    anchored at the date, and trying it from every character of a long line was slow.
    """
    start = max(0, mention.start - LABEL_LOOK_BACK)
    start = plain.plain.rfind("\n", start, mention.start) + 1 or start
    return bool(_PUBLISHED.search(plain.plain, start, mention.start))


def _header_window(header: dict[str, HeaderField]) -> DueWindow | None:
    return _header_dates(header)[1]


def _header_dates(
    header: dict[str, HeaderField],
) -> tuple[HeaderField | None, DueWindow | None, str]:
    """The header field that dates the event, its window and its date as written.

    "Start Date: Aug 2 2016" and "End Date: Aug 5 2016" are one event of four days.
    """
    dated = header.get("when_where") or header.get("date") or header.get("start_date")
    if dated is None:
        return None, None, ""
    first = next((m for m in find_dates(dated.value) if m.window), None)
    if first is None or first.window is None:
        return dated, None, ""
    window, due_text = first.window, first.text
    last = next((m for m in find_dates(field_text(header, "end_date")) if m.window), None)
    if dated.name == "start_date" and last and last.window and last.window.end > window.end:
        due_text = f"{first.text} – {last.text}"
        window = DueWindow(window.start, last.window.end, window.precision, due_text)
    return dated, window, due_text


def _main_from_header(
    plain: PlainText, header: dict[str, HeaderField], today: date
) -> Proposal | None:
    dated, window, due_text = _header_dates(header)
    if dated is None or "event" not in header:
        return None
    event = header["event"].value.rstrip(" .")
    found = kind_in(event)
    kind = found[0] if found else MilestoneKind.OTHER
    venue = _header_venue(header, due_text)
    status = MilestoneStatus.DONE if window and window.end <= today else MilestoneStatus.PLANNED
    warnings = () if window else (Worded("import_header_undated", {"text": dated.value}),)
    quote = plain.quote(dated.first_line.start, dated.first_line.end)
    event_quote = plain.quote(header["event"].first_line.start, header["event"].first_line.end)
    return Proposal(
        role=FactRole.MAIN_EVENT,
        kind=kind,
        title=event[:300],
        due_text=due_text,
        window=window,
        quote=quote,
        confidence=0.95 if window and found else 0.6,
        reported_status=status,
        venue=venue,
        organisers=field_text(header, "organisers").rstrip(" ."),
        participants=field_text(header, "participants"),
        host=_host(field_text(header, "organisers"), venue),
        warnings=warnings,
        other_quotes=(event_quote,) if event_quote and event_quote != quote else (),
    )


def _header_venue(header: dict[str, HeaderField], due_text: str) -> str:
    if "venue" in header:
        return header["venue"].value.strip(" .,")
    dated = field_text(header, "when_where")
    return dated.replace(due_text, "", 1).strip(" .,;–—-") if due_text else dated.strip(" .,")


def _host(text: str, venue: str) -> str | None:
    hosted = _HOSTED_BY.search(text)
    government = re.search(r"\bGovernment of (?:the )?([A-Z][\w ]{2,40})", text)
    for source in (
        hosted.group("who") if hosted else "",
        government.group(0) if government else "",
    ):
        codes = states_named(source)
        if codes:
            return codes[0]
    place = venue_in(venue) if venue else None
    return place.code if place and states_named(venue) else None


def _first_meeting_end(facts: list[Fact]) -> date | None:
    for fact in facts:
        if fact.kind in MEETING_KINDS and fact.mention.window:
            return fact.mention.window.end
    return None


def _main_from_text(plain: PlainText, facts: list[Fact]) -> Proposal | None:
    """A note without a header (a press release): the first meeting it reports or announces.

    A meeting named as an earlier one ("the previous round", "since the 2017 peer
    review") is cited in passing; it is the main event only if nothing else is.
    """
    meetings = [f for f in facts if f.kind in MEETING_KINDS and f.mention.window]
    own = [
        f for f in meetings if not _EARLIER.search(plain.plain[f.segment.start : f.mention.start])
    ]
    done = [f for f in meetings if f.status is MilestoneStatus.DONE]
    if not (own or done):
        return None
    fact = (own or done)[0]
    sentence = plain.plain[fact.sentence.start : fact.sentence.end]
    proposal = _proposal(plain, fact, tuple(states_named(sentence)), None)
    organisers = _ORGANISED_BY.search(plain.plain)
    hosted = _HOSTED_BY.search(plain.plain)
    host = _host(hosted.group(0), "") if hosted else proposal.host
    return replace(
        proposal,
        role=FactRole.MAIN_EVENT,
        confidence=0.85,
        organisers=organisers.group("who").strip() if organisers else "",
        host=host,
    )


def _main_from_dateline(plain: PlainText, today: date) -> Proposal | None:
    """'ASHGABAT, 24 July 2014 – A round table ... ended in Ashgabat today': the dateline's day.

    A dateline dates the note, not an event; only when the sentence it opens reports a
    meeting happening 'today' is that day the meeting's, and nothing else dates it.
    """
    for line in plain.lines()[:DATELINE_LINES]:
        first = _SENTENCE_STOP.search(plain.plain, line.start, line.end)
        sentence = Span(line.start, first.start() + 1 if first else line.end)
        words = plain.plain[sentence.start : sentence.end]
        if not _TODAY.search(words):
            continue
        mention = next((m for m in find_dates(words) if m.window), None)
        found = kind_in(words)
        if mention is None or found is None or found[0] not in MEETING_KINDS:
            continue
        absolute = _shift(mention, sentence.start)
        if mention.window is None or not _is_publication(plain, absolute):
            continue
        window = mention.window
        place = venue_in(words)
        status = MilestoneStatus.DONE if window.end < today else MilestoneStatus.PLANNED
        return Proposal(
            role=FactRole.MAIN_EVENT,
            kind=found[0],
            title=title_for(found[0], FactRole.MAIN_EVENT, words, place.venue if place else ""),
            due_text=mention.text,
            window=window,
            quote=plain.quote(sentence.start, sentence.end),
            confidence=0.7,
            reported_status=status,
            states=tuple(states_named(words)),
            venue=place.venue if place else "",
        )
    return None


def main_with_states(main: Proposal, note_states: tuple[str, ...]) -> Proposal:
    """The main event concerns the note's States (and its host)."""
    states = tuple(dict.fromkeys([*note_states, *main.states, *([main.host] if main.host else [])]))
    return replace(main, states=states, confidence=main.confidence if states else 0.4)


def _note_states(
    plain: PlainText,
    header: dict[str, HeaderField],
    main: Proposal | None,
    times: Counter[str],
) -> tuple[str, ...]:
    named = states_named(field_text(header, "event", "when_where", "venue", "organisers"))
    named += states_named(field_text(header, "participants"))
    if main is not None:
        named += list(main.states)
    if not named:
        # A press release names its States in its title and first paragraphs; later they
        # are named again, or only in passing (donors, earlier hosts).
        named = states_named(_DONORS.sub(" ", _lead(plain)))
        named += states_named(_DONORS.sub(" ", _taking_part(plain)))
        named += [code for code, n in times.items() if n >= 2]
    return tuple(dict.fromkeys(named))


def _lead(plain: PlainText) -> str:
    """The title and the first two paragraphs of a note (a date or byline line not counted)."""
    lines = [p for p in plain.plain[:LEAD_CHARACTERS].split("\n") if p.strip()]
    paragraphs = [p for p in lines if len(p.split()) > SHORT_LINE_WORDS]
    return "\n".join(paragraphs[:3])


def _taking_part(plain: PlainText) -> str:
    """The sentences of the note's first paragraphs that say who takes part."""
    head = plain.plain[: LEAD_CHARACTERS * 2]
    sentences = re.split(r"(?<=[.!?])\s+|\n", head)
    return "\n".join(s for s in sentences if _TAKING_PART.search(s))


# --- the other dated facts ----------------------------------------------------------------


def _facts(
    plain: PlainText,
    header: dict[str, HeaderField],
    reference: date | None,
    today: date,
    without_reference: list[Fact] | None = None,
) -> list[Fact]:
    """The dated facts; read again with a reference, only sentences with a relative date change."""
    dated = ("when_where", "date", "start_date", "end_date")
    skipped = [header[n].first_line.start for n in dated if n in header]
    earlier: dict[Span, list[Fact]] = defaultdict(list)
    for fact in without_reference or ():
        earlier[fact.sentence].append(fact)
    facts: list[Fact] = []
    lead_kind = kind_in(_lead(plain))
    default = lead_kind[0] if lead_kind else None
    for line in plain.blocks():
        if any(line.start <= s <= line.end for s in skipped) or _is_date_field(plain, line):
            continue
        for sentence in plain.sentences(line):
            words = plain.plain[sentence.start : sentence.end]
            if without_reference is not None and not has_relative_date(words):
                facts += earlier.get(sentence, [])
            else:
                facts += _sentence_facts(plain, sentence, reference, today, default)
    return facts


def _is_date_field(plain: PlainText, line: Span) -> bool:
    text = plain.plain[line.start : line.end]
    return bool(re.match(r"\s*(?:(?:start|end)(?:ing)? )?dates?\b[^:]{0,30}:", text, re.IGNORECASE))


def _sentence_facts(
    plain: PlainText,
    sentence: Span,
    reference: date | None,
    today: date,
    default: MilestoneKind | None = None,
) -> list[Fact]:
    text = plain.plain[sentence.start : sentence.end]
    mentions = [_shift(m, sentence.start) for m in find_dates(text, reference)]
    mentions = [m for m in mentions if not _is_publication(plain, m)]
    facts = []
    for index, mention in enumerate(mentions):
        before = mentions[index - 1].end if index else sentence.start
        after = mentions[index + 1].start if index + 1 < len(mentions) else sentence.end
        fact = read_fact(plain, sentence, mention, (before, after), today, default)
        if _is_background(plain, fact):
            continue
        # The clause, and the words just before it: "a plan approved by decree" is a plan.
        around = plain.plain[max(sentence.start, fact.segment.start - LOOK_BACK) : fact.segment.end]
        if fact.quote and not skip_reason(
            plain.plain[fact.segment.start : fact.segment.end], around
        ):
            facts.append(fact)
    return facts


def _is_background(plain: PlainText, fact: Fact) -> bool:
    """A date that names no step of a plan: a statistic's year, 'since 2010', a past aside.

    A dated fact with no kind is proposed only when the note announces it (a project
    'will run until January 2022'); a bare year without a kind, or after 'since', never.
    """
    window = fact.mention.window
    if window is None:
        return False  # yearless: flagged for a person to read
    before = plain.plain[max(0, fact.mention.start - 20) : fact.mention.start]
    if window.precision is Precision.YEAR and _SINCE.search(before):
        return True
    if fact.role is not FactRole.OTHER or window.precision in (
        Precision.QUARTER,
        Precision.HALF_YEAR,
    ):
        return False  # a quarter or a half-year is a measure's time frame in a plan
    return window.precision is Precision.YEAR or fact.status is not MilestoneStatus.PLANNED


def _proposal(
    plain: PlainText,
    fact: Fact,
    note_states: tuple[str, ...],
    reference: date | None,
    series: MilestoneKind | None = None,
) -> Proposal:
    """A proposal for one fact; 'a previous/next round of' is a round of the main event."""
    words = plain.plain[fact.segment.start : fact.segment.end]
    if series is not None and ROUND_OF.search(words):
        fact = replace(fact, kind=series)
    places = find_places(words)  # once for the venue and the States
    place = venue_in(words, places)
    venue = place.venue if place else ""
    window = fact.mention.window
    named = states_named(words, places)
    states = tuple(dict.fromkeys([*note_states, *named]))
    if fact.kind not in MEETING_KINDS and named:
        states = tuple(named)  # a plan, report or deadline is that of the State named
    return Proposal(
        role=fact.role,
        kind=fact.kind or MilestoneKind.OTHER,
        title=title_for(fact.kind, fact.role, words, venue),
        due_text=_as_written(fact.mention),
        window=window,
        quote=fact.quote,
        confidence=_confidence(fact, states),
        reported_status=fact.status,
        states=states,
        host=place.code if place and place.code in states else None,
        venue=venue,
        due_reference=reference if _RELATIVE_WORDS.search(fact.mention.text) else None,
        warnings=_warnings(fact),
    )


def _as_written(mention: DateMention) -> str:
    """The date as the note writes it; a yearless one without its 'from' and full stop."""
    if mention.window is not None:
        return mention.text
    return _YEARLESS_FROM.sub("", mention.text).rstrip(".,; ") or mention.text


def _confidence(fact: Fact, states: tuple[str, ...]) -> float:
    window = fact.mention.window
    if window is None:
        return 0.2
    score = {
        FactRole.OTHER: 0.35,
        FactRole.PLAN_PERIOD: 0.6,
        FactRole.PLAN_ADOPTION: 0.55,
        FactRole.PROCESS: 0.6,
    }.get(fact.role, 0.8)
    if window.precision.value == "year":
        score -= 0.1
    return round(max(0.1, score - (0 if states else 0.2)), 2)


def _warnings(fact: Fact) -> tuple[str, ...]:
    mention, warnings = fact.mention, []
    if mention.yearless:
        warnings.append(Worded("import_no_year", {"text": mention.text}))
    elif mention.window is None:
        warnings.append(
            Worded("import_undatable", {"text": mention.text, "problem": mention.problem})
        )
    window = mention.window
    if (
        fact.kind is MilestoneKind.NATIONAL_REPORT
        and window
        and window.end < RESOLUTION_1540_ADOPTED
    ):
        warnings.append(Worded("import_report_before_1540", {"text": mention.text}))
    return tuple(warnings)


def _merged(proposals: list[Proposal]) -> list[Proposal]:
    """One proposal per fact: later mentions of the same event become extra quotes."""
    kept: list[Proposal] = []
    # Facts merge only when their windows overlap, so each proposal is compared with the
    # kept ones sharing a year of its window, not with all of them (that was quadratic).
    by_year: dict[int, list[int]] = defaultdict(list)
    for proposal in proposals:
        index = next(
            (i for i in _candidates(by_year, proposal) if _same_fact(kept[i], proposal)), None
        )
        if index is None:
            index = len(kept)
            kept.append(proposal)
        else:
            kept[index] = _combine(kept[index], proposal)
        for year in _years(kept[index]):
            if index not in by_year[year]:
                by_year[year].append(index)
    return kept


def _without_repeated_yearless(proposals: list[Proposal]) -> list[Proposal]:
    """A day without its year that repeats one already flagged is a quote of that flag.

    The title's "24-28 October", the text's "from 24 to 28 October" and "the course opened
    on 24 October": one flag for a person to date, not three. A flag is kept even when a
    dated proposal covers its days: the year is never added, not even by merging.
    """
    kept: list[Proposal] = []
    for proposal in proposals:
        days = _days_of(proposal)
        index = None
        if proposal.window is None and days is not None:
            index = next(
                (i for i, k in enumerate(kept) if k.window is None and _covers(_days_of(k), days)),
                None,
            )
        if index is None:
            kept.append(proposal)
            continue
        other = kept[index]
        quotes = (*other.other_quotes, proposal.quote, *proposal.other_quotes)
        unique = tuple(q for q in dict.fromkeys(quotes) if q and q != other.quote)
        kept[index] = replace(other, other_quotes=unique)
    return kept


DayRange = tuple[tuple[int, int], tuple[int, int]]


def _days_of(proposal: Proposal) -> DayRange | None:
    """(month, day) of a flagged proposal's first and last day, read without a year."""
    if proposal.window is not None:
        return None
    # A leap year, only to read day and month; nothing of it is kept.
    try:
        read = parse_window(f"{_YEARLESS_FROM.sub('', proposal.due_text).rstrip('.,; ')} 2000")
    except DateParseError:
        return None
    if read.precision is not Precision.DAY:
        return None
    return (read.start.month, read.start.day), (read.end.month, read.end.day)


def _covers(outer: DayRange | None, inner: DayRange) -> bool:
    return outer is not None and outer[0] <= inner[0] and inner[1] <= outer[1]


def _years(proposal: Proposal) -> range:
    window = proposal.window
    if window is None:
        return range(0)  # never merged
    if proposal.role in (FactRole.PLAN_PERIOD, FactRole.PLAN_ADOPTION):
        return range(window.start.year, window.start.year + 1)  # merged only when equal
    return range(window.start.year, window.end.year + 1)


def _candidates(by_year: dict[int, list[int]], proposal: Proposal) -> list[int]:
    """The kept proposals that share a year with this one, in the order they were kept."""
    return sorted({i for year in _years(proposal) for i in by_year.get(year, ())})


def _same_fact(first: Proposal, second: Proposal) -> bool:
    a, b = first.window, second.window
    plan_roles = (FactRole.PLAN_PERIOD, FactRole.PLAN_ADOPTION)
    if first.role in plan_roles or second.role in plan_roles:
        # The title and the body name the same plan's period: one proposal, two quotes.
        same = a is not None and b is not None and (a.start, a.end) == (b.start, b.end)
        return same and first.role is second.role and first.kind is second.kind
    if a is None or b is None or (first.quote == second.quote and a != b):
        return False
    if (a.start, a.end) == (b.start, b.end) and MilestoneKind.OTHER in (first.kind, second.kind):
        return True
    overlap = a.start <= b.end and b.start <= a.end
    shared = set(first.states) & set(second.states) or not (first.states and second.states)
    return first.kind == second.kind and overlap and bool(shared)


def _combine(first: Proposal, second: Proposal) -> Proposal:
    """Keep the main or more precise proposal; the other's quote supports it."""
    assert first.window and second.window
    keep, other = first, second
    span = (first.window.end - first.window.start, second.window.end - second.window.start)
    if first.role is not FactRole.MAIN_EVENT and span[1] < span[0]:
        keep, other = second, first
    quotes = tuple(dict.fromkeys([*keep.other_quotes, other.quote, *other.other_quotes]))
    title = keep.title
    if not keep.venue and other.venue and keep.role is not FactRole.MAIN_EVENT:
        title = f"{title}, {other.venue}"
    return replace(
        keep,
        title=title,
        other_quotes=tuple(q for q in quotes if q != keep.quote),
        venue=keep.venue or other.venue,
        host=keep.host or other.host,
        confidence=max(keep.confidence, other.confidence),
    )


def _note_fields(
    plain: PlainText,
    header: dict[str, HeaderField],
    main: Proposal | None,
    states: tuple[str, ...],
    dates: tuple[date | None, date | None],
    mentioned: tuple[str, ...],
) -> NoteFields:
    """The note's own fields; dates are its reference and publication dates."""
    reference, published = dates
    kind = _note_kind(plain, header)
    language = language_of(plain.plain)
    label = {NoteKind.PRESS_RELEASE: "Press release", NoteKind.REPORT: "Report"}.get(
        kind, "Information Note"
    )
    event = header["event"].value if "event" in header else ""
    where = ", ".join(p for p in (main.venue.split(",")[0], main.due_text) if p) if main else ""
    if not event and main is not None:
        event = f"{main.title}, {main.due_text}"
        where = ""
    title = f"{label}: {event.rstrip('.')}" + (f", {where}" if where else "")
    return NoteFields(
        title=title[:300] if event else label,
        kind=kind,
        event=event[:1000],
        states=states,
        text=plain.source,
        sha256=hashlib.sha256(plain.source.encode("utf-8", "surrogatepass")).hexdigest(),
        reference=reference,
        published=published,
        mentioned_states=mentioned,
        language=language,
        warnings=tuple(w for w in (language_warning(language),) if w),
    )


def _note_kind(plain: PlainText, header: dict[str, HeaderField]) -> NoteKind:
    top = plain.plain[:600]
    if re.search(r"\binformation note\b", top, re.IGNORECASE):
        return NoteKind.INFORMATION_NOTE
    if re.search(r"\bpress release\b|\bnews release\b|\bmedia advisory\b", top, re.I):
        return NoteKind.PRESS_RELEASE
    if re.match(r"\s*(?:final |summary )?report\b", top, re.IGNORECASE):
        return NoteKind.REPORT
    if _OFFICIAL_TEXT.match(top):
        return NoteKind.INFORMATION_NOTE  # an act or a statement, not news of an event
    if _WORK_PROGRAMME.match(top):
        return NoteKind.REPORT
    return NoteKind.INFORMATION_NOTE if header else NoteKind.PRESS_RELEASE
