"""Read one dated fact from the words around its date: kind, status, quote, title (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.dates import Precision
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.ingest.datefind import DateMention
from tracker.ingest.proposals import FactRole
from tracker.ingest.text import Caseless, PlainText, Span

MIN_WORDS_BEFORE = 3
MAX_QUOTE = 300
# A 'sentence' longer than this (a note without full stops) is not read whole for each date.
MAX_KIND_LOOK_BACK = 2000
# How far before a period the words that make it a plan's period are read ("Programme
# of co-operation ... for 2005-2007").
PLAN_LOOK_BACK = 200
# A range of days this long ("from 1 February 2017 to 31 January 2018") is a period too.
PERIOD_DAYS = 180
# "the Council adopted resolution 1540 (2004) unanimously on 28 April 2004": the clause
# of the date may start after the resolution's number; read this far before it.
RESOLUTION_LOOK_BACK = 80
# The kind word nearest before a date is looked for this far back.
NEAREST_LOOK_BACK = 160

# Most specific first: "round table meeting" is a round table, not a meeting.
_KINDS: list[tuple[MilestoneKind, Caseless]] = [
    (kind, Caseless(pattern))
    for kind, pattern in [
        (
            MilestoneKind.PEER_REVIEW,
            r"\bpeer[- ]?reviews?\b|партн[её]рск[а-яё]* обзор[а-яё]*|взаимн[а-яё]* оценк[а-яё]*"
            r"|(?<![а-яё])пир-ревью",
        ),
        (MilestoneKind.ROUND_TABLE, r"\bround[- ]?tables?\b|\broundtables?\b|кругл[а-яё]* стол"),
        (
            MilestoneKind.WORKSHOP,
            r"\b(?:training (?:sessions?|workshops?|courses?)|workshops?|training|seminars?"
            r"|courses?|exercises?|webinars?)\b"
            r"|(?<![а-яё])(?:семинар|тренинг|курс[аыо]?(?![а-яё])|учени[йяе]|вебинар|обучени)",
        ),
        (
            MilestoneKind.NATIONAL_REPORT,
            r"\bnational reports?\b|\badditional information\b"
            r"|\bsubmi(?:t|tted|ssion)\b[^.]{0,60}\breports?\b"
            r"|национальн[а-яё]* (?:доклад|отч[её]т)",
        ),
        (
            MilestoneKind.APPROVAL_DEADLINE,
            r"\bdeadline\b|\bapprov\w*|\badopt\w*|(?<![а-яё])(?:утвер[дж]|одобр)[а-яё]*"
            r"|(?<![а-яё])(?:принять|принятие|срок[а-яё]*)(?![а-яё])",
        ),
        (
            MilestoneKind.REVIEW_MEETING,
            r"\b(?:review\w*|meetings?|sessions?|consultations?|conferences?|visits?"
            r"|dialogues?|round of|meet|met|briefing|plenary|discuss(?:ed|ions?))\b"
            r"|(?<![а-яё])(?:заседани|встреч|совещани|конференци|сесси|консультаци|визит"
            r"|форум|обзор)[а-яё]*",
        ),
        (
            MilestoneKind.DRAFTING,
            r"\bdraft\w*|\bdevelop\w*|\bprepar\w* (?:its|a|the) (?:NAP|plan)"
            r"|(?<![а-яё])разраб[а-яё]*",
        ),
    ]
]
_MEETING_KINDS = frozenset(
    {
        MilestoneKind.PEER_REVIEW,
        MilestoneKind.ROUND_TABLE,
        MilestoneKind.WORKSHOP,
        MilestoneKind.REVIEW_MEETING,
    }
)
_MEETING_VERBS = frozenset({"met", "meet", "discussed"})
_KIND_ORDER = {kind: index for index, (kind, _) in enumerate(_KINDS)}
ROUND_OF = Caseless(r"\b(?:previous|next|new|first|second|third|last) round\b")
_FUTURE = Caseless(
    r"\b(?:plans? to|planned|will|shall|to be (?:held|submitted|adopted|approved)|next"
    r"|upcoming|agreed to|intends? to|scheduled|is to|are to|would|proposal to|proposed"
    r"|due (?:by|on|in)|expected|foreseen|envisaged|subject to|to take place)\b"
    r"|(?<![а-яё])(?:состоится|состоятся|пройд[её]т|пройдут|будет|будут|планир[а-яё]*"
    r"|запланир[а-яё]*|намечен[а-яё]*|следующ[а-яё]*|предстоящ[а-яё]*|ожида[а-яё]*"
    r"|предусм[а-яё]*|проведет|проведут|до)(?![а-яё])"
)
# A relative clause opened just before a future word: "on which the Committee will".
_RELATIVE_CLAUSE = re.compile(
    r"\b(?:which|whom|whose)\b[^,;.()]{0,50}$|(?<![а-яё])котор[а-яё]*[^,;.()]{0,50}$",
    re.IGNORECASE,
)
_ONGOING = Caseless(
    r"\b(?:has been|have been|is|are) (?:developing|drafting|preparing|working)\b|\bongoing\b"
    r"|\bover the (?:past|last)\b|в настоящее время|продолжа[а-яё]*|ведется|ведётся"
)
_PLAN_NEXT = re.compile(
    r"\s*(?:National|national|NAP|Action|action|Plan|plan)\b|\s*(?:[Пп]лан|[Нн]ациональн|НПД)"
)
_RESOLUTION_ADOPTION = Caseless(
    r"\badopt\w*\b.{0,40}\bresolutions?\s+[0-9]{3,4}|\bresolutions?\s+[0-9]{3,4}\b.{0,40}\badopt"
)
# A law, decree or government decision: background unless it adopts a plan or programme.
_LEGAL_ACT = Caseless(
    r"\b(?:law|act|decree|ordinance|code|order)\b|(?<![а-яё])(?:закон|указ|постановлени"
    r"|распоряжени|кодекс|приказ)[а-яё]*"
)
_PLAN_ACT = Caseless(
    r"\bNAP\b|\bN?IAP\b|\b(?:action )?plan\b|\bprogramme\b|\broadmap\b"
    r"|(?<![а-яё])(?:план|программ|дорожн|НПД)[а-яё]*"
)
# "In July 2013 Belarus will mark the 20th anniversary": the day is remembered, not done.
_TAKES_PLACE = Caseless(
    r"\b(?:the event|this event|(?:was|were|is|be|been) held|takes? place|took place"
    r"|taking place)\b|(?<![а-яё])(?:мероприяти[а-яё]*|состоится|состоялс[а-яё]*"
    r"|прош[её]л|прошл[аи]|пройд[её]т|проходил[а-яё]*|проведен[а-яё]*)"
)
_ANNIVERSARY = Caseless(
    r"\bmark\w*\b.{0,40}\banniversary\b|(?<![а-яё])(?:отмет|празднов)[а-яё]*.{0,40}"
    r"(?:годовщин|юбиле)"
)
# "adopted by the General Assembly in 2006": a UN organ's act is background to a State's plan.
_ASSEMBLY_ACT = Caseless(
    r"\bGeneral Assembly\b.{0,80}\b(?:adopt|support|endors|proclaim|approv)\w*"
    r"|\b(?:adopt|support|endors|proclaim|approv)\w*.{0,80}\bGeneral Assembly\b"
    r"|Генеральн[а-яё]* Ассамбле[а-яё]*.{0,80}(?:принял|поддержал|одобрил|провозгласил)[а-яё]*"
    r"|(?:принят|поддержан|одобрен|провозглаш)[а-яё]*.{0,80}Генеральн[а-яё]* Ассамбле",
    re.DOTALL,
)
# "approved by Government Decree No. 340 of 24 December 2021", "утвержден постановлением
# Кабинета Министров от ...": the act that adopts something is the adoption, not background.
_APPROVED_BY_ACT = Caseless(
    r"\b(?:approved|adopted|endorsed)\s+by\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,3}"
    r"(?:decree|resolution|decision|order|ordinance)"
    r"|(?<![а-яё])(?:утвержд[её]н[а-яё]*|одобрен[а-яё]*|принят[а-яё]*)\s+(?:[а-яё]+\s+){0,2}"
    r"(?:постановлени|указ|распоряжени|решени|приказ)[а-яё]*"
)
# The words just before a date that make it a time limit: "no later than 30 November
# 2016", "by the end of 2027", "до 31 декабря 2015 года", "не позднее IV квартала".
_DEADLINE_BEFORE = re.compile(
    r"(?:\b(?:no|not) later than|\bby(?: the end of| end-| the end)?|\bbefore|\buntil"
    r"|\bdue (?:by|on|in)|\bdeadline (?:of|is|was)?"
    r"|(?<![а-яё])(?:не позднее|до конца|к концу|до|к))\s*(?:the\s+)?$",
    re.IGNORECASE,
)
_SUBMISSION = Caseless(
    r"\b(?:submit\w*|complet\w*|present\w*|finali[sz]\w*|approv\w*|adopt\w*)"
    r"|(?<![а-яё])(?:представ|подготов|заверш|утвер[дж]|приня|приня|внес)[а-яё]*"
)
_APPROVAL_WORDS = Caseless(r"\bapprov\w*|\badopt\w*|(?<![а-яё])(?:утвер[дж]|одобр|прин[ия])[а-яё]*")
# A plan's period is planned while the note reports the plan; only these words end it.
_PERIOD_DONE = Caseless(
    r"\b(?:was|were|has been|had been) (?:completed|implemented|fulfilled)\b|\bexpired\b"
    r"|(?<![а-яё])(?:выполнен[а-яё]*|заверш[её]н[а-яё]*|исполнен[а-яё]*|истек[а-яё]*)"
)
_NAP_WORDS = Caseless(r"\bNAP\b|action plan|план[а-яё]* действий|НПД")
_START = re.compile(r",\s+|;\s*|\s+and\s+|\(|\)\s*|:\s+|\s+[-–—]\s+")
_END = re.compile(r"\s+and\s+|;|\.(?:\s|$)|\)|,\s+(?:which|where|who|while|but)\b|\s+[-–—]\s+")


@dataclass(frozen=True)
class Fact:
    """A date mention read in its context."""

    mention: DateMention
    sentence: Span
    segment: Span
    quote: str
    kind: MilestoneKind | None
    role: FactRole
    status: MilestoneStatus


def skip_reason(context: str, sentence: str = "") -> str:
    """Why a date in this context is not a milestone ('' when it may be one)."""
    near = sentence[-(len(context) + RESOLUTION_LOOK_BACK) :] if sentence else context
    if _RESOLUTION_ADOPTION.search(near) and not _NAP_WORDS.search(context):
        return "the adoption of a resolution is not a milestone"
    if _ASSEMBLY_ACT.search(context) and not _NAP_WORDS.search(context):
        return "an act of the General Assembly is background, not a step of a plan"
    adopting = _adopting_act(sentence or context)
    if _LEGAL_ACT.search(context) and not (_PLAN_ACT.search(sentence or context) or adopting):
        return "a law or decree cited as background is not a milestone"
    if _ANNIVERSARY.search(context):
        return "an anniversary is not a milestone"
    return ""


def _adopting_act(text: str) -> bool:
    """'Approved by decree of ...': true unless what was approved is itself a law or code."""
    match = _APPROVED_BY_ACT.search(text)
    if match is None:
        return False
    return not _LEGAL_ACT.search(text[max(0, match.start() - 60) : match.start()])


def segment_of(
    plain: PlainText, sentence: Span, mention: DateMention, before: int, after: int
) -> Span:
    """The clause around a date: from a clause boundary before it to one after it."""
    text = plain.plain
    start = before
    # The last boundary with enough words after it; read from the date backwards, so a long
    # run without a full stop is not re-split for every boundary in it.
    for boundary in reversed(list(_START.finditer(text, before, mention.start))):
        if len(text[boundary.end() : mention.start].split()) >= MIN_WORDS_BEFORE:
            start = boundary.end()
            break
    if len(text[start : mention.start].split()) < MIN_WORDS_BEFORE:
        return Span(start, min(after, start + MAX_QUOTE))
    end_mark = _END.search(text, mention.end, after)
    end = after if end_mark is None else end_mark.start()
    if end_mark is not None and end_mark.group() == ")":
        end += 1
    start = max(start, mention.start - MAX_QUOTE // 2)
    return Span(start, min(end, mention.end + MAX_QUOTE // 2))


def kind_in(text: str) -> tuple[MilestoneKind, str] | None:
    """The most specific milestone kind the words name, with the words."""
    for kind, pattern in _KINDS:
        match = pattern.search(text)
        if match:
            return kind, match.group()
    return None


def nearest_kind(text: str) -> tuple[MilestoneKind, str] | None:
    """The kind named last before a date ("the course builds on the conference held on").

    A more specific kind wins when it ends just before the generic word it qualifies
    ("round table meeting", "peer review meeting").
    """
    # Verbs ("met", "discussed") say a meeting took place, not which: the nouns decide.
    found = [
        (m.end(), m.start(), kind, m.group())
        for kind, p in _KINDS
        for m in p.finditer(text)
        if m.group().lower() not in _MEETING_VERBS
    ]
    if not found:
        return None
    _, start, kind, words = max(found, key=lambda f: f[0])
    for other_end, _, other, other_words in found:
        if (
            other is not kind
            and 0 <= start - other_end <= 2
            and _KIND_ORDER[other] < _KIND_ORDER[kind]
        ):
            return other, other_words
    return kind, words


def read_fact(
    plain: PlainText,
    sentence: Span,
    mention: DateMention,
    bounds: tuple[int, int],
    today: date,
    default: MilestoneKind | None = None,
) -> Fact:
    """Kind, role, status and quote of one date mention.

    A sentence that names no kind but speaks of an event taking place ("The event will
    take place from 16 to 19 September", "the first was held in 2015") is of the kind
    the note's title and lead name (`default`).
    """
    segment = segment_of(plain, sentence, mention, *bounds)
    words = plain.plain[segment.start : segment.end]
    sentence_start = max(sentence.start, mention.start - MAX_KIND_LOOK_BACK)
    before = plain.plain[max(segment.start, mention.start - NEAREST_LOOK_BACK) : mention.start]
    found = (
        nearest_kind(before)
        or kind_in(words)
        # "The course builds on the conference ..., convened on 6 and 7 April 2016": the
        # kind named last before the date, not the most specific one in the sentence.
        or nearest_kind(plain.plain[sentence_start : mention.start])
    )
    kind = found[0] if found else None
    if kind is None and default is not None:
        said = plain.plain[sentence_start : segment.end]
        kind = default if _TAKES_PLACE.search(said) else None
    if ROUND_OF.search(words):
        kind = MilestoneKind.REVIEW_MEETING if kind is None else kind
    lead = plain.plain[max(sentence.start, mention.start - PLAN_LOOK_BACK) : mention.start]
    role = _role(plain, mention, f"{lead} {words}", kind)
    limit = _DEADLINE_BEFORE.search(plain.plain, max(0, mention.start - 30), mention.start)
    # "to be adopted by the end of 2027" is a time limit; "на 2022-2025 годы" a period.
    precision = mention.window.precision if mention.window else None
    period = role is FactRole.PLAN_PERIOD and precision is Precision.PERIOD
    if limit and role is not FactRole.PLAN_ADOPTION and not period:
        kind, role = _deadline_kind(words, kind), FactRole.DEADLINE
        status = _deadline_status(words)
        return Fact(
            mention, sentence, segment, plain.quote(segment.start, segment.end), kind, role, status
        )
    if role is FactRole.PLAN_ADOPTION:
        kind = MilestoneKind.APPROVAL_DEADLINE
    if role is FactRole.PLAN_PERIOD:
        kind = MilestoneKind.OTHER
    status = _status(words, mention, kind, today)
    quote = plain.quote(segment.start, segment.end)
    return Fact(mention, sentence, segment, quote, kind, role, status)


def _deadline_kind(words: str, kind: MilestoneKind | None) -> MilestoneKind:
    """A time limit: for an approval, a report, a meeting to be held, or another step."""
    if kind in _MEETING_KINDS and not _SUBMISSION.search(words):
        return kind
    if _APPROVAL_WORDS.search(words):
        return MilestoneKind.APPROVAL_DEADLINE
    if kind is MilestoneKind.NATIONAL_REPORT:
        return kind
    return MilestoneKind.OTHER


def _deadline_status(words: str) -> MilestoneStatus:
    """A time limit is planned: it says nothing of whether it was met, unless the note does."""
    return MilestoneStatus.DONE if _PERIOD_DONE.search(words) else MilestoneStatus.PLANNED


def _role(
    plain: PlainText, mention: DateMention, words: str, kind: MilestoneKind | None
) -> FactRole:
    window = mention.window
    after = plain.plain[mention.end : mention.end + 30]
    if window and window.precision is Precision.YEAR and _PLAN_NEXT.match(after):
        return FactRole.PLAN_ADOPTION
    is_span = window is not None and (
        window.precision is Precision.PERIOD or (window.end - window.start).days > PERIOD_DAYS
    )
    plan_words = r"period|plan|NAP|programme|program|период|план|программ|НПД"
    if is_span and not _ONGOING.search(words) and re.search(plan_words, words, re.I):
        return FactRole.PLAN_PERIOD
    if kind is MilestoneKind.APPROVAL_DEADLINE:
        return FactRole.DEADLINE
    if kind is MilestoneKind.NATIONAL_REPORT:
        return FactRole.REPORT
    if kind is MilestoneKind.DRAFTING:
        return FactRole.PROCESS
    if kind is None:
        return FactRole.OTHER
    return FactRole.FOLLOW_UP if _FUTURE.search(words) else FactRole.EARLIER_EVENT


def _status(
    words: str, mention: DateMention, kind: MilestoneKind | None, today: date
) -> MilestoneStatus:
    """What the note reports: planned, under way, or done (only when its dates are past)."""
    window = mention.window
    if window is None or window.end > today or _says_future(words):
        return MilestoneStatus.PLANNED
    if _ONGOING.search(words):
        return MilestoneStatus.IN_PROGRESS
    if kind is MilestoneKind.APPROVAL_DEADLINE and re.search(r"deadline|срок", words, re.I):
        return MilestoneStatus.PLANNED  # a deadline says nothing of whether it was met
    return MilestoneStatus.DONE


def _says_future(words: str) -> bool:
    """A future word about the dated fact, not one inside a clause about something else.

    "30 April 2024: The Working Group held a discussion of the aspects on which the
    Committee will focus": the 'will' is the Committee's, the discussion was held.
    """
    for match in _FUTURE.finditer(words):
        if not _RELATIVE_CLAUSE.search(words[max(0, match.start() - 60) : match.start()]):
            return True
    return False


def title_for(kind: MilestoneKind | None, role: FactRole, words: str, venue: str) -> str:
    """A short title made of the note's own words; no facts are added."""
    if role is FactRole.PLAN_ADOPTION:
        return "Adoption of the National Action Plan"
    if role is FactRole.PLAN_PERIOD:
        return "National Action Plan period"
    if kind is MilestoneKind.NATIONAL_REPORT:
        extra = re.search(r"additional information", words, re.I)
        ordinal = re.search(r"\b(first|second|third|new|next|regular) national report", words, re.I)
        if extra:
            return "Additional information to the national report"
        return f"{ordinal.group(1).capitalize()} national report" if ordinal else "National report"
    if kind is MilestoneKind.DRAFTING:
        return "Drafting of the National Action Plan"
    if kind is MilestoneKind.APPROVAL_DEADLINE:
        return "Approval deadline" if re.search("deadline", words, re.I) else "Approval"
    label = (kind.label if kind else "dated fact").replace("workshop / training", "workshop")
    found = kind_in(words)
    own_words = found is not None and found[0] is kind is not MilestoneKind.REVIEW_MEETING
    noun = found[1].lower() if found and own_words else label
    title = noun[:1].upper() + noun[1:]
    return f"{title}, {venue}" if venue else title
