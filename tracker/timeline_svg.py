"""A State's milestones drawn as a server-side SVG timeline (pure: no database, no request).

The input is the list of typed items (:class:`tracker.reports.ReportItem`). Every
window is drawn as the span of days it stands for ("2018" is a year-long bar), one lane per
milestone, with the as-of date as a vertical line and plan periods as background bands.

The output obeys the site's Content-Security-Policy: no ``style`` attributes and no
``<style>`` elements, only presentation attributes and class names the page CSS can target:

``tl-row``    each milestone's row (an ``<a>`` when ``link`` is given, else a ``<g>``);
``tl-focus``  an invisible rect in each row, for a visible focus style, e.g.
              ``.tl-row:focus-visible .tl-focus { stroke: #f0b400; stroke-width: 3; }``;
``tl-bar``    the mark of a window (a ``<rect>``, or a ``<polygon>`` diamond for one day),
              also ``tl-day`` for a single day and ``tl-<status>`` / ``tl-<flag>``;
``tl-label``  the row's text; ``tl-asof``, ``tl-plan``, ``tl-axis``, ``tl-legend``.

Titles wrap over up to :data:`MAX_LINES` lines (cut with an ellipsis past that, whole in
the row's ``<title>``, which is also the link's accessible name read out on focus). A plan
label is cut to its band; a band too narrow for its label gets a number, and the legend
names the plans. ``span`` zooms: only that range of days is drawn (see :func:`zoom_span`).

Its words (legend, status words, titles, the as-of label) go through gettext: in the
reader's language inside a request (or under ``flask_babel.force_locale``), English elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup, escape

from tracker.i18n import as_of_day, kept, translations

if TYPE_CHECKING:  # only for the annotations: drawing needs no database or report code
    from tracker.reports.items import ReportItem

__all__ = ["BAR_STYLES", "ZOOMS", "PlanBand", "render_timeline", "stylesheet", "zoom_span"]

MIN_WIDTH = 320
MIN_BAR_WIDTH = 12.0  # a window shorter than this many pixels is widened to it, centred
DAY_MARK_WIDTH = 14.0  # a single day is a diamond at least this wide
MAX_LINES = 4  # a row's label wraps over at most this many lines
_LINE = 15  # height of each further line of a wrapped label

_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
_FONT_SIZE = 12
_LANE = 22  # height of one row
_BAR = 14  # height of a bar within its row
_HEAD_LINE = 16  # height of one header line (as-of label, axis labels, plan labels)
_PAD_X = 10  # blank pixels at either end of the time axis
_RIGHT = 22  # room right of the axis, for the last year label
_SEP = " \u00b7 "  # middle dot between the parts of a row label
_ELLIPSIS = "\u2026"
_TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)

# Text colours are the site's (tracker.css): at least 6.5:1 on white, so they stay above
# WCAG AA's 4.5:1 on the tinted stripes and bands too.
COLOURS: Mapping[str, str] = {
    "overdue": "#a4161a",
    "upcoming": "#7a4a00",
    "done": "#1e6b32",
    "planned": "#0b4f8a",
    "in_progress": "#0b4f8a",
    "cancelled": "#4a5560",
}
_INK = "#1b1f24"
_MUTED = "#4a5560"
_GRID = "#c9d1d9"
_GRID_MINOR = "#e6eaee"
_STRIPE = "#1b1f24"  # drawn at a very low opacity
_BAND_FILLS = ("#5b6b8c", "#8c6b3f")  # alternate so that adjacent plans can be told apart

# Lazy: each drawing words them in the language in effect when it is rendered.
_LABELS: Mapping[str, Any] = {
    "overdue": _l("Overdue"),
    "upcoming": _l("Upcoming"),
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}
_LEGEND_ORDER = ("overdue", "upcoming", "planned", "in_progress", "done", "cancelled")

# A compact drawing (a web page's) leaves a bar's paint to the page CSS: these rules, in this
# order (a flag's outline after the status's), are in static/tracker.css (tests keep them so).
# A drawing on its own (the PDF's, the tests') writes the same paint as attributes.
BAR_STYLES: tuple[tuple[str, Mapping[str, str]], ...] = (
    ("tl-bar", {"rx": "2px", "stroke-width": "1.5px"}),
    ("tl-day", {"stroke-linejoin": "round"}),
    ("tl-planned", {"fill": "#ffffff", "stroke": COLOURS["planned"]}),
    ("tl-in_progress", {"stroke": COLOURS["in_progress"]}),  # its hatching stays an attribute
    ("tl-done", {"fill": COLOURS["done"], "stroke": COLOURS["done"]}),
    (
        "tl-cancelled",
        {"fill": "#eef0f2", "stroke": COLOURS["cancelled"], "stroke-dasharray": "4 2"},
    ),
    ("tl-upcoming", {"stroke": COLOURS["upcoming"]}),
    ("tl-overdue", {"stroke": COLOURS["overdue"], "stroke-width": "2px"}),
)


def stylesheet() -> str:
    """The page CSS a compact drawing needs, one rule a line (kept in static/tracker.css)."""
    lines = []
    for name, props in BAR_STYLES:
        selector = ".tl-bar" if name == "tl-bar" else f".tl-bar.{name}"
        body = " ".join(f"{key}: {value};" for key, value in props.items())
        lines.append(f"svg {selector} {{ {body} }}")
    return "\n".join(lines)


_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class PlanBand:
    """A plan period drawn as a background band; ``end`` is its last day, None if open."""

    label: str
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"plan period {self.label!r} ends before it starts")

    @classmethod
    def from_years(cls, label: str, start_year: int, end_year: int | None = None) -> PlanBand:
        """A band from 1 January of the first year to 31 December of the last, if any."""
        return cls(
            label, date(start_year, 1, 1), None if end_year is None else date(end_year, 12, 31)
        )


ZOOMS: Mapping[str, Any] = {
    "all": _l("Everything"),
    "plan": _l("The plan period"),
    "year": _l("12 months either side of the date"),
}


def zoom_span(zoom: str, as_of: date, plans: Sequence[PlanBand]) -> tuple[date, date] | None:
    """The first and last day a zoom preset shows; None for everything.

    "plan" is the plan period around the date (else the latest begun, else the first); an
    open-ended plan runs a year past the date. "year" is the 12 months before and after it.
    """
    if zoom == "year":
        return _add_months(as_of, -12), _add_months(as_of, 12)
    if zoom != "plan" or not plans:
        return None
    begun = [p for p in plans if p.start <= as_of]
    current = [p for p in begun if p.end is None or as_of <= p.end]
    plan = (current or begun)[-1] if begun else min(plans, key=lambda p: p.start)
    end = plan.end or max(_add_months(as_of, 12), plan.start + timedelta(days=365))
    return plan.start, end


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    if not date.min.year <= year <= date.max.year:
        return date.min if months < 0 else date.max
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("not reached")


@dataclass(frozen=True)
class _Row:
    id: int | None  # None for a legend swatch
    title: str
    status: str
    flag: str | None
    text: str
    start: int  # ordinal of the first day
    stop: int  # ordinal of the day after the last

    @property
    def key(self) -> str:
        """What decides the colour: the flag if any, else the status."""
        return self.flag or self.status

    @property
    def word(self) -> str:
        return _word(self.key)

    @property
    def classes(self) -> str:
        """Class names for the page CSS, e.g. 'tl-planned tl-overdue'."""
        names = [self.status] + ([self.flag] if self.flag else [])
        return " ".join("tl-" + re.sub(r"[^A-Za-z0-9_-]+", "-", name) for name in names)


def render_timeline(
    items: Sequence[ReportItem],
    as_of: date,
    plans: Sequence[PlanBand] = (),
    *,
    link: Callable[[int], str] | None = None,
    width: int = 960,
    id_prefix: str = "timeline",
    span: tuple[date, date] | None = None,
    compact: bool = False,
) -> Markup:
    """The milestones as an accessible SVG timeline, one row each in the given order.

    ``items`` are report items, each with its due window. ``link(id)`` makes each row a
    link. ``id_prefix`` keeps
    the element ids unique when a page shows more than one timeline. ``span`` (first and
    last day) draws only that range: milestones outside it are left out, bars cut at its
    edges. ``compact`` draws for a page that carries :func:`stylesheet`: each row placed by one
    ``transform``, its background and focus outline one ``<use>``, a bar's paint by its classes
    (about a third shorter; the same rows, titles, labels and links).
    """
    if width < MIN_WIDTH:
        raise ValueError(f"width must be at least {MIN_WIDTH}, not {width}")
    if not _ID.match(id_prefix):
        raise ValueError(f"id_prefix must be a plain XML name, not {id_prefix!r}")
    rows = [_row(item) for item in items]
    if span is not None:
        if span[1] < span[0]:
            raise ValueError("the span ends before it starts")
        low, high = span[0].toordinal(), span[1].toordinal() + 1
        rows = [r for r in rows if r.start < high and r.stop > low]
        plans = [p for p in plans if p.start.toordinal() < high and (_plan_stop(p) or high) > low]
    if not rows:
        return _empty(width, id_prefix)
    return _Drawing(rows, as_of, list(plans), link, width, id_prefix, span, compact).render()


# ---------------------------------------------------------------- reading the items


def _(text: str, **params: object) -> str:
    """The text in the current language, with its %(name)s parameters filled in (the
    catalogue looked up once per drawing's context: a page asks for thousands of words)."""
    found = str(translations().ugettext(text))
    return found % params if params else found


def _word(key: str) -> str:
    """A status or flag as a word in the current language."""
    label = kept("tracker_timeline_words", _words).get(key)
    return label if label is not None else key.replace("_", " ").capitalize()


def _words() -> dict[str, str]:
    """The statuses' and flags' words in the current language (worded once per context)."""
    return {key: str(label) for key, label in _LABELS.items()}


def _row(item: ReportItem) -> _Row:
    start, end = item.due.start, item.due.end
    if end < start:
        raise ValueError(f"milestone {item.id!r} ends before it starts")
    return _Row(
        id=item.id,
        title=_clean(item.title) or _("(untitled)"),
        status=_clean(item.status.value) or "planned",
        flag=item.flag.value if item.flag else None,
        text=_clean(item.due.text) or _span_text(start, end),
        start=start.toordinal(),
        stop=end.toordinal() + 1,
    )


def _clean(value: Any) -> str:
    """Text as XML can carry it: no control characters, no surrogates, single-spaced."""
    if value is None:
        return ""
    return " ".join(_NOT_XML.sub("", str(value)).split())


def _span_text(start: date, end: date) -> str:
    if start == end:
        return start.isoformat()
    return _("%(first)s to %(last)s", first=start.isoformat(), last=end.isoformat())


# ---------------------------------------------------------------- small helpers


def _num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(**attributes: str | float | None) -> str:
    """Attributes in the given order; a trailing underscore is dropped, '_' becomes '-'."""
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        shown = _num(value) if isinstance(value, float | int) else str(escape(value))
        parts.append(f' {_attr_name(name)}="{shown}"')
    return "".join(parts)


@lru_cache(maxsize=128)  # a few dozen names, each used thousands of times a page
def _attr_name(name: str) -> str:
    return name.rstrip("_").replace("_", "-")


_NARROW = frozenset("fijlrtI.,:;'!|()[] ")
_WIDE = frozenset("mwMW@%")


@lru_cache(maxsize=4096)  # titles repeat the same few letters; this ran 800 000 times a page
def _em(char: str) -> float:
    """A rough advance of a character in a sans-serif font, in ems, erring wide."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if unicodedata.combining(char):
        return 0.0
    if char in _NARROW:
        return 0.32
    if char in _WIDE:
        return 0.9
    if char.isupper() or char.isdigit():
        return 0.66
    return 0.56


def _text_width(text: str, size: float = _FONT_SIZE) -> float:
    return (sum(map(_word_em, text.split(" "))) + text.count(" ") * _em(" ")) * size


@lru_cache(maxsize=16384)  # titles are made of the same few hundred words
def _word_em(word: str) -> float:
    return sum(map(_em, word))


def _truncate(text: str, room: float, size: float = _FONT_SIZE) -> str:
    """The text, cut with an ellipsis to fit ``room`` pixels."""
    if _text_width(text, size) <= room:
        return text
    room -= _text_width(_ELLIPSIS, size)
    used = 0.0
    for end, char in enumerate(text):
        used += _em(char) * size
        if used > room:
            kept = text[:end].rstrip()
            return kept + _ELLIPSIS if kept or room >= 0 else ""
    return text  # not reached


def _wrap(text: str, first: float, room: float) -> list[str]:
    """The text in lines: ``first`` pixels for the first, ``room`` for the others.

    At most MAX_LINES; the last is cut with an ellipsis if the text is longer still. A first
    line with no room for a word is left empty, the text starting on the next.
    """
    if _text_width(text) <= first:
        return [text]
    lines: list[str] = []
    words = text.split(" ")
    line, width, limit = "", 0.0, first
    space = _text_width(" ")
    for i, word in enumerate(words):
        wide = _text_width(word)
        if line and width + space + wide <= limit:
            line, width = f"{line} {word}", width + space + wide
            continue
        if not line and (wide <= limit or limit == room):
            line, width = word, wide
            continue
        lines.append(line)
        if len(lines) == MAX_LINES - 1:
            lines.append(_truncate(" ".join(words[i:]), room))
            return lines
        line, width, limit = word, wide, room
    lines.append(line)
    return [_truncate(each, first if n == 0 else room) for n, each in enumerate(lines)]


def _year_start(year: int) -> int:
    """Ordinal of 1 January of the year; works one year past date.max."""
    if year > date.max.year:
        return date.max.toordinal() + 1
    return date(max(year, 1), 1, 1).toordinal()


def _year_of(ordinal: int) -> int:
    return date.fromordinal(min(ordinal, date.max.toordinal())).year


def _tick_step(years: int, room: float) -> int:
    most = max(1, int(room // 44))  # a year label needs about 44px
    for step in _TICK_STEPS:
        if years / step <= most:
            return step
    return _TICK_STEPS[-1]


def _empty(width: int, prefix: str) -> Markup:
    message = escape(_("No milestones to show."))
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg"{_attrs(class_="timeline timeline-empty")}'
        f"{_attrs(viewBox=f'0 0 {width} 40', width='100%')}"
        f"{_attrs(preserveAspectRatio='xMinYMin meet', role='img')}"
        f"{_attrs(aria_labelledby=f'{prefix}-title')}>"
        f'<title id="{prefix}-title">{message}</title>'
        f"<text{_attrs(x=_PAD_X, y=24, font_family=_FONT, font_size=_FONT_SIZE + 2)}"
        f"{_attrs(fill=_MUTED, class_='tl-empty')}>{message}</text></svg>"
    )


# ---------------------------------------------------------------- the drawing


class _Drawing:
    def __init__(
        self,
        rows: list[_Row],
        as_of: date,
        plans: list[PlanBand],
        link: Callable[[int], str] | None,
        width: int,
        prefix: str,
        span: tuple[date, date] | None = None,
        compact: bool = False,
    ) -> None:
        self.compact = compact
        self.rows = rows
        self.as_of = as_of
        self.plans = plans
        self.link = link
        self.width = width
        self.prefix = prefix

        if span is None:
            first = min([r.start for r in rows] + [p.start.toordinal() for p in plans])
            last = max([r.stop for r in rows] + [_plan_stop(p) or 0 for p in plans])
            first = min(first, as_of.toordinal())
            last = max(last, as_of.toordinal() + 1)
        else:
            first, last = span[0].toordinal(), span[1].toordinal() + 1
        self.label_width = min(420.0, max(140.0, round(width * 0.4)))
        self.x0 = self.label_width + _PAD_X
        self.x1 = width - _RIGHT - _PAD_X
        # Whole multiples of the tick step, so that the axis starts and ends on a label.
        low, high = _year_of(first), _year_of(last - 1) + 1
        self.step = 1
        while True:
            self.first_year = low - low % self.step
            self.last_year = high + -high % self.step
            step = _tick_step(self.last_year - self.first_year, self.x1 - self.x0)
            if step <= self.step:
                break
            self.step = step
        self.d0 = _year_start(self.first_year)
        self.d1 = max(_year_start(self.last_year), self.d0 + 1)
        if span is not None:  # zoomed: exactly the days asked for
            self.d0, self.d1 = first, max(last, first + 1)

        self.plan_labels = [self._plan_label(plan) for plan in plans]
        self.plan_lanes = self._plan_lanes()
        lanes = max(self.plan_lanes, default=-1) + 1
        self.axis_y = 2 * _HEAD_LINE  # baseline of the year labels
        self.top = self.axis_y + 8 + lanes * _HEAD_LINE  # first row
        self.labels = [self._label_lines(row) for row in rows]
        self.tops = []
        top = self.top
        for lines in self.labels:
            self.tops.append(top)
            top += _LANE + (len(lines[1]) - 1) * _LINE
        self.bottom = top
        self.bottom_axis = len(rows) > 12
        self.legend_y = self.bottom + (_HEAD_LINE + 6 if self.bottom_axis else 6) + 16
        numbered = [label for label in self.plan_labels if label.startswith("[")]
        self.height = self.legend_y + 10 + (_HEAD_LINE if numbered else 0)
        self.patterns: dict[str, str] = {}

    # -- scale

    def x(self, ordinal: float) -> float:
        return self.x0 + (ordinal - self.d0) / (self.d1 - self.d0) * (self.x1 - self.x0)

    def _plan_span(self, plan: PlanBand) -> tuple[float, float]:
        stop = _plan_stop(plan)
        left = max(self.x(plan.start.toordinal()), self.x0 - _PAD_X)
        right = self.x1 + _PAD_X if stop is None else min(self.x(stop), self.x1 + _PAD_X)
        return left, max(right, left + 1)

    def _plan_label(self, plan: PlanBand) -> str:
        """The label cut to fit its band; a number ("[2]") if too little of it would fit."""
        left, right = self._plan_span(plan)
        room = min(right, self.width - 2.0) - max(left, self.x0 - _PAD_X) - 6
        label = _clean(plan.label)
        cut = _truncate(label, room, _FONT_SIZE - 1)
        if cut and (cut == label or len(cut) >= min(len(label), 8)):
            return cut  # (a blank label is numbered too, so that every band is named)
        return f"[{self.plans.index(plan) + 1}]"

    def _plan_label_x(self, index: int) -> float:
        """Just inside the band, but never past the right edge of the drawing."""
        left, _ = self._plan_span(self.plans[index])
        wide = _text_width(self.plan_labels[index], _FONT_SIZE - 1)
        return max(min(left + 4, self.width - 2 - wide), self.x0 - _PAD_X)

    def _plan_lanes(self) -> list[int]:
        """A header line for each plan label, so that labels never overlap."""
        ends: list[float] = []  # right end of the last label in each lane
        lanes = []
        for index in range(len(self.plans)):
            left = self._plan_label_x(index)
            right = left + _text_width(self.plan_labels[index] or " ", _FONT_SIZE - 1)
            for lane, end in enumerate(ends):
                if left >= end + 8:
                    ends[lane] = right
                    lanes.append(lane)
                    break
            else:
                ends.append(right)
                lanes.append(len(ends) - 1)
        return lanes

    # -- output

    def render(self) -> Markup:
        body = [
            *self._bands(),
            *self._axis(),
            *self._asof(),
            *(self._row(i, row) for i, row in enumerate(self.rows)),
            *self._legend(),
        ]
        grounds = self._grounds() if self.compact else ""
        defs = f"<defs>{''.join(self.patterns.values())}{grounds}</defs>"
        defs = "" if defs == "<defs></defs>" else defs
        p = self.prefix
        # role="img" makes its content presentational, which would hide the links from
        # assistive technology; a linked timeline is a labelled group instead.
        role = "group" if self.link else "img"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg"{_attrs(class_="timeline")}'
            f"{_attrs(viewBox=f'0 0 {self.width} {_num(self.height)}', width='100%')}"
            f"{_attrs(preserveAspectRatio='xMinYMin meet', role=role)}"
            f"{_attrs(aria_labelledby=f'{p}-title {p}-desc')}"
            f"{_attrs(font_family=_FONT, font_size=_FONT_SIZE, fill=_INK)}>"
            f'<title id="{p}-title">{escape(self._title())}</title>'
            f'<desc id="{p}-desc">{escape(self._desc())}</desc>'
        )
        return Markup(head + defs + "".join(body) + "</svg>")

    def _title(self) -> str:
        n = len(self.rows)
        first = _year_of(min(r.start for r in self.rows))
        last = _year_of(max(r.stop for r in self.rows) - 1)
        years = str(first) if first == last else _("%(first)s to %(last)s", first=first, last=last)
        return str(
            ngettext(
                "Timeline of %(num)d milestone from %(years)s",
                "Timeline of %(num)d milestones from %(years)s",
                n,
                years=years,
            )
        )

    def _desc(self) -> str:
        count = {key: sum(1 for r in self.rows if key in (r.flag, r.status)) for key in _LABELS}
        text = _(
            "%(overdue)s overdue, %(upcoming)s upcoming as of %(day)s; %(done)s done, "
            "%(cancelled)s cancelled, %(open)s open.",
            overdue=count["overdue"],
            upcoming=count["upcoming"],
            day=as_of_day(self.as_of),
            done=count["done"],
            cancelled=count["cancelled"],
            open=count["planned"] + count["in_progress"],
        )
        if self.plans:
            periods = "; ".join(_plan_period(p) for p in self.plans)
            text += " " + _("Plan periods: %(periods)s.", periods=periods)
        return text

    def _bands(self) -> Iterable[str]:
        for i, (plan, lane) in enumerate(zip(self.plans, self.plan_lanes, strict=True)):
            left, right = self._plan_span(plan)
            top = self.axis_y + 8 + lane * _HEAD_LINE
            colour = _BAND_FILLS[i % len(_BAND_FILLS)]
            shown = self.plan_labels[i]
            period = _plan_period(plan)
            yield (
                f"<g{_attrs(class_='tl-plan')}>"
                f"<title>{escape(period)}</title>"
                f"<rect{_attrs(x=left, y=top, width=right - left, height=self.bottom - top)}"
                f"{_attrs(fill=colour, fill_opacity='0.1')}/>"
                f"<line{_attrs(x1=left, y1=top, x2=left, y2=self.bottom, stroke=colour)}"
                f"{_attrs(stroke_width='1.5')}/>"
                f"<text{_attrs(x=self._plan_label_x(i), y=top + 12, fill=_INK)}"
                f"{_attrs(font_size=_FONT_SIZE - 1, stroke='#ffffff', stroke_width=3)}"
                f"{_attrs(paint_order='stroke', class_='tl-plan-label')}>{escape(shown)}</text></g>"
            )

    def _axis(self) -> Iterable[str]:
        yield f"<g{_attrs(class_='tl-axis', font_size=_FONT_SIZE - 1, fill=_MUTED)}>"
        yield (
            f"<line{_attrs(x1=self.x0 - _PAD_X, y1=self.axis_y + 6, x2=self.x1 + _PAD_X)}"
            f"{_attrs(y2=self.axis_y + 6, stroke=_GRID)}/>"
        )
        if self.last_year - self.first_year <= 4:  # short: quarters as minor lines
            for year in range(self.first_year, self.last_year):
                for month in (4, 7, 10):
                    x = self.x(date(year, month, 1).toordinal())
                    if not self.x0 - 0.5 <= x <= self.x1 + 0.5:
                        continue
                    yield (
                        f"<line{_attrs(x1=x, y1=self.axis_y + 6, x2=x, y2=self.bottom)}"
                        f"{_attrs(stroke=_GRID_MINOR)}/>"
                    )
        for year in range(self.first_year, self.last_year + 1):
            major = year % self.step == 0
            if not major and self.step > 5:
                continue
            x = self.x(_year_start(year))
            if not self.x0 - 0.5 <= x <= self.x1 + 0.5:
                continue
            yield (
                f"<line{_attrs(x1=x, y1=self.axis_y + (2 if major else 6), x2=x)}"
                f"{_attrs(y2=self.bottom, stroke=_GRID if major else _GRID_MINOR)}/>"
            )
            if major:
                label = _attrs(x=x, y=self.axis_y, text_anchor="middle")
                yield f"<text{label}>{year}</text>"
                if self.bottom_axis:
                    below = _attrs(x=x, y=self.bottom + _HEAD_LINE - 2, text_anchor="middle")
                    yield f"<text{below}>{year}</text>"
        yield "</g>"

    def _asof(self) -> Iterable[str]:
        x = self.x(self.as_of.toordinal())
        if not self.x0 - _PAD_X <= x <= self.x1 + _PAD_X:
            return  # zoomed to a range without the date
        anchor = "end" if x > self.x1 - 60 else "middle"
        text = _("as of %(day)s", day=as_of_day(self.as_of))
        yield (
            f"<g{_attrs(class_='tl-asof')}>"
            f"<line{_attrs(x1=x, y1=_HEAD_LINE + 2, x2=x, y2=self.bottom, stroke=_INK)}"
            f"{_attrs(stroke_width='1.5', stroke_dasharray='6 3')}/>"
            f"<text{_attrs(x=x + (4 if anchor == 'end' else 0), y=_HEAD_LINE - 3)}"
            f"{_attrs(text_anchor=anchor, font_weight='bold')}>{escape(text)}</text></g>"
        )

    def _ground(self, index: int, high: float, top: float) -> str:
        """A row's stripe (every other one shaded; the others clear but still take the
        pointer) and the outline shown when its link has the keyboard's focus."""
        stripe = _attrs(y=top, width=self.width - 0.5 * _RIGHT, height=high)  # x: 0
        shade = _attrs(fill=_STRIPE if index % 2 == 0 else None)
        shade += _attrs(fill_opacity="0.045" if index % 2 == 0 else "0")
        focus = _attrs(x=1, y=top + 1, width=self.width - 0.5 * _RIGHT - 2, height=high - 2)
        if not self.compact:
            return f"<rect{stripe}{shade}/><rect{focus}{_attrs(fill='none', class_='tl-focus')}/>"
        # Used by reference, the focus outline takes its stroke from the <use> (class tl-focus).
        return f'<rect{stripe}{shade} stroke="none"/><rect{focus} fill="none"/>'

    def _grounds(self) -> str:
        """The grounds of one-line rows, shaded and clear, for compact rows to use."""
        return "".join(
            f'<g id="{self.prefix}-r{n}">{self._ground(n, _LANE, 0)}</g>' for n in (0, 1)
        )

    def _row(self, index: int, row: _Row) -> str:
        top = self.tops[index]
        high = _LANE + (len(self.labels[index][1]) - 1) * _LINE
        colour = COLOURS.get(row.key, COLOURS["planned"])
        tooltip = _(
            "%(title)s \u2014 %(word)s, due %(due)s", title=row.title, word=row.word, due=row.text
        )
        if row.flag and row.status in _LABELS and row.flag != row.status:
            status = _word(row.status).lower()
            tooltip += " " + _("(status: %(status)s)", status=status)
        place = ""
        if self.compact:  # one offset for the row; inside it, the same few coordinates
            place = f' transform="translate(0 {top})"'
            top = 0
            if high == _LANE:
                ground = f'<use href="#{self.prefix}-r{index % 2}" class="tl-focus"/>'
            else:
                ground = self._ground(index, high, 0).replace(
                    ' fill="none"/>', ' fill="none" class="tl-focus"/>'
                )
        else:
            ground = self._ground(index, high, top)
        label = self._label(row, colour, top, self.labels[index])
        mark = self._mark(row, colour, top)
        inner = f"<title>{escape(tooltip)}</title>{ground}{label}{mark}"
        classes = f"tl-row {row.classes}"
        if self.link is not None and isinstance(row.id, int):
            href = self.link(row.id)
            return f"<a{_attrs(href=href, class_=classes)}{place}>{inner}</a>"
        return f"<g{_attrs(class_=classes)}{place}>{inner}</g>"

    def _label_lines(self, row: _Row) -> tuple[str, list[str]]:
        """The date as shown, and the title wrapped: its first line follows the date."""
        room = self.label_width - 2 * _PAD_X
        when = _truncate(row.text, room / 2)
        bold = 1.08  # the status word is bold
        first = room - bold * _text_width(row.word) - _text_width(when + _SEP + _SEP)
        return when, _wrap(row.title, first, room)

    def _label(self, row: _Row, colour: str, top: int, lines: tuple[str, list[str]]) -> str:
        when, title = lines
        decoration = "line-through" if row.status == "cancelled" else None
        y = top + _LANE / 2 + _FONT_SIZE * 0.35
        more = "".join(
            f'<tspan x="{_PAD_X}" dy="{_LINE}">{escape(line)}</tspan>' for line in title[1:]
        )
        # The title in ink, the status word and the date in the status colour.
        return (
            f"<text{_attrs(x=_PAD_X, y=y, fill=None if self.compact else _INK, class_='tl-label')}"
            f"{_attrs(text_decoration=decoration)}>"
            f'<tspan fill="{colour}"><tspan font-weight="bold">{escape(row.word)}</tspan>'
            f"{escape(_SEP + when + (_SEP if title[0] else ''))}</tspan>"
            f"{escape(title[0])}{more}</text>"
        )

    def _fill(self, row: _Row, colour: str) -> dict[str, str]:
        """Fill and stroke by status, so that the kinds differ in greyscale too."""
        if row.status == "done":
            return {"fill": colour, "stroke": colour}
        if row.status == "cancelled":
            return {"fill": "#eef0f2", "stroke": colour, "stroke_dasharray": "4 2"}
        if row.status == "in_progress":
            return {"fill": self._hatch(row.key, colour), "stroke": colour}
        return {"fill": "#ffffff", "stroke": colour}  # planned: an outline

    def _hatch(self, key: str, colour: str) -> str:
        pattern_id = f"{self.prefix}-hatch-{re.sub(r'[^A-Za-z0-9_-]', '', key) or 'x'}"
        if pattern_id not in self.patterns:
            self.patterns[pattern_id] = (
                f"<pattern{_attrs(id=pattern_id, width=5, height=5)}"
                f"{_attrs(patternUnits='userSpaceOnUse', patternTransform='rotate(45)')}>"
                f"<rect{_attrs(width=5, height=5, fill='#ffffff')}/>"
                f"<line{_attrs(x1=0, y1=0, x2=0, y2=5, stroke=colour, stroke_width=3)}/>"
                f"</pattern>"
            )
        return f"url(#{pattern_id})"

    def _mark(self, row: _Row, colour: str, top: int) -> str:
        left, right = self.x(row.start), self.x(row.stop)
        left, right = max(left, self.x0 - _PAD_X), min(right, self.x1 + _PAD_X)  # zoomed
        middle = (left + right) / 2
        paint = self._fill(row, colour)
        stroke_width = 2 if row.flag == "overdue" else 1.5
        classes = f"tl-bar {row.classes}"
        # Compact: only the hatching (its pattern's id is this drawing's) is not in the CSS.
        hatch = _attrs(fill=paint["fill"]) if row.status == "in_progress" else ""
        if row.stop - row.start == 1:
            half = max(DAY_MARK_WIDTH, right - left) / 2
            y0, y1, ym = top + (_LANE - _BAR) / 2 - 1, top + (_LANE + _BAR) / 2 + 1, top + _LANE / 2
            points = " ".join(
                f"{_num(px)},{_num(py)}"
                for px, py in ((middle, y0), (middle + half, ym), (middle, y1), (middle - half, ym))
            )
            if self.compact:
                return f"<polygon{_attrs(points=points, class_=classes + ' tl-day')}{hatch}/>"
            return (
                f"<polygon{_attrs(points=points, class_=classes + ' tl-day')}"
                f"{_attrs(**paint, stroke_width=stroke_width, stroke_linejoin='round')}/>"
            )
        if right - left < MIN_BAR_WIDTH:
            left = min(max(middle - MIN_BAR_WIDTH / 2, self.x0 - _PAD_X), self.x1 + _PAD_X)
            right = left + MIN_BAR_WIDTH
        inset = stroke_width / 2  # keep the outline inside the window
        bar = _attrs(
            x=left + inset,
            y=top + (_LANE - _BAR) / 2,
            width=max(right - left - 2 * inset, 1.0),
            height=_BAR,
            rx=None if self.compact else 2,
        )
        if self.compact:
            return f"<rect{bar}{_attrs(class_=classes)}{hatch}/>"
        return f"<rect{bar}{_attrs(**paint, stroke_width=stroke_width, class_=classes)}/>"

    def _legend(self) -> Iterable[str]:
        present = {r.key for r in self.rows} | {r.status for r in self.rows}
        x = float(_PAD_X)
        y = self.legend_y
        yield f"<g{_attrs(class_='tl-legend', font_size=_FONT_SIZE - 1)}>"
        for key in _LEGEND_ORDER:
            if key not in present:
                continue
            # The legend shows a swatch of each status in its own colour, and each flag
            # in the pattern of a planned milestone.
            status = key if key in ("planned", "in_progress", "done", "cancelled") else "planned"
            sample = _Row(None, "", status, key if key != status else None, "", 0, 1)
            colour = COLOURS[key]
            paint = self._fill(sample, colour)
            yield (
                f"<rect{_attrs(x=x, y=y - 10, width=22, height=12, rx=2, **paint)}"
                f"{_attrs(stroke_width=1.5)}/>"
            )
            word = _word(key)
            yield f"<text{_attrs(x=x + 28, y=y, fill=colour)}>{escape(word)}</text>"
            x += 28 + _text_width(word, _FONT_SIZE - 1) + 18
        one_day = escape(_("one day"))  # not inside the f-string: extraction would miss it
        yield (
            f"<polygon{_attrs(points=self._diamond_points(x + 6, y - 4), fill='#ffffff')}"
            f"{_attrs(stroke=_MUTED, stroke_width=1.5)}/>"
            f"<text{_attrs(x=x + 18, y=y, fill=_MUTED)}>{one_day}</text></g>"
        )
        numbered = [
            f"{shown} {_clean(plan.label)}"
            for plan, shown in zip(self.plans, self.plan_labels, strict=True)
            if shown.startswith("[")
        ]
        if numbered:  # the plans whose bands are too narrow for their labels
            plans = _("Plans: %(plans)s", plans="; ".join(numbered))
            text = _truncate(plans, self.width - 2 * _PAD_X)
            yield (
                f"<text{_attrs(x=_PAD_X, y=y + _HEAD_LINE, fill=_INK, font_size=_FONT_SIZE - 1)}"
                f"{_attrs(class_='tl-plan-legend')}>{escape(text)}</text>"
            )

    @staticmethod
    def _diamond_points(cx: float, cy: float) -> str:
        half_w, half_h = DAY_MARK_WIDTH / 2, 7.0
        corners = ((cx, cy - half_h), (cx + half_w, cy), (cx, cy + half_h), (cx - half_w, cy))
        return " ".join(f"{_num(px)},{_num(py)}" for px, py in corners)


def _plan_period(plan: PlanBand) -> str:
    """A plan and its period in words, e.g. 'NAP 2017-2021 (2017-01-01 to 2021-12-31)'."""
    if plan.end is None:
        return _(
            "%(plan)s (from %(first)s, open-ended)",
            plan=_clean(plan.label),
            first=plan.start.isoformat(),
        )
    return _(
        "%(plan)s (%(first)s to %(last)s)",
        plan=_clean(plan.label),
        first=plan.start.isoformat(),
        last=plan.end.isoformat(),
    )


def _plan_stop(plan: PlanBand) -> int | None:
    return None if plan.end is None else plan.end.toordinal() + 1
