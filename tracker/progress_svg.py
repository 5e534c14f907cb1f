"""A plan's progress quarter by quarter as a server-side SVG bar chart (pure; no Flask, no
database).

Each quarter is one column of the measures not cancelled: done (bottom), open and on track,
open and overdue (top), each as a share of the plan. Like the timeline, it uses presentation
attributes and class names only (the site's Content-Security-Policy allows no ``style``):
``pg-done``, ``pg-open``, ``pg-overdue`` for the segments, ``pg-axis``, ``pg-label``. The
chart has a title and a description read out by screen readers, and every column a
``<title>`` with its figures; the page beside it gives the same figures as a table.

Its words go through gettext (the reader's language inside a request, or under
``flask_babel.force_locale``; English elsewhere); quarters and days are written by
`tracker.datefmt` in the `locale` given: "III кв." under a column, "III квартал 2015 г.".
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from tracker import datefmt
from tracker.progress import QuarterPoint

__all__ = ["render_progress"]

COLOURS = {"done": "#1e6b32", "open": "#8fb3d9", "overdue": "#a4161a"}
_INK = "#1b1f24"
_GRID = "#c9d1d9"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
_HEIGHT = 160  # the 100% line's height
_TOP = 24
_LEFT = 40
_BOTTOM = 44
_COLUMN = 28
_GAP = 10


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _column_text(point: QuarterPoint, locale: str) -> str:
    t = point.tally
    return str(
        _(
            "%(quarter)s (as of %(day)s): %(done)s of %(total)s done (%(percent)s%%), "
            "%(on_time)s on time, %(overdue)s overdue, %(not_started)s not started",
            quarter=point.label_in(locale),
            day=datefmt.format_day(point.on, locale),
            done=t.done,
            total=t.total,
            percent=t.percent(t.done),
            on_time=t.done_on_time,
            overdue=t.overdue,
            not_started=t.not_started,
        )
    )


def render_progress(
    points: Sequence[QuarterPoint], title: str, prefix: str = "pg", locale: str = "en"
) -> Markup:
    """The chart as an inline SVG, in the reader's language (`locale` writes the dates); an
    empty chart says there are no measures yet."""
    width = _LEFT + max(1, len(points)) * (_COLUMN + _GAP) + _GAP
    height = _TOP + _HEIGHT + _BOTTOM
    last = points[-1] if points else None
    summary = _column_text(last, locale) if last else _("No measures recorded yet.")
    desc = _(
        "Share of measures done, open and overdue at the end of each quarter. Latest: %(summary)s",
        summary=summary,
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="{escape(_FONT)}" '
        f'font-size="11" fill="{_INK}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
    ]
    for percent in (0, 50, 100):
        y = _TOP + _HEIGHT * (1 - percent / 100)
        parts.append(
            f'<line class="pg-axis" x1="{_LEFT - 4}" x2="{width}" y1="{_num(y)}" '
            f'y2="{_num(y)}" stroke="{_GRID}"/>'
            f'<text class="pg-label" x="{_LEFT - 6}" y="{_num(y + 4)}" '
            f'text-anchor="end">{percent}%</text>'
        )
    for index, point in enumerate(points):
        parts.append(_column(point, _LEFT + _GAP + index * (_COLUMN + _GAP), index, locale))
    parts.append("</svg>")
    return Markup("".join(parts))


def _column(point: QuarterPoint, x: int, index: int, locale: str) -> str:
    t = point.tally
    open_on_track = t.total - t.done - t.overdue
    segments = (("done", t.done), ("open", open_on_track), ("overdue", t.overdue))
    y = float(_TOP + _HEIGHT)
    rects = []
    for name, value in segments:
        h = _HEIGHT * t.share(value)
        if h <= 0:
            continue
        y -= h
        rects.append(
            f'<rect class="pg-{name}" x="{x}" y="{_num(y)}" width="{_COLUMN}" '
            f'height="{_num(h)}" fill="{COLOURS[name]}"/>'
        )
    # The quarter under each column; the year under the first column and every first quarter.
    centre = _num(x + _COLUMN / 2)
    label = (
        f'<text class="pg-label" x="{centre}" y="{_TOP + _HEIGHT + 14}" '
        f'text-anchor="middle">{escape(point.label_in(locale, short=True))}</text>'
    )
    if index == 0 or point.quarter == 1:
        label += (
            f'<text class="pg-label" x="{centre}" y="{_TOP + _HEIGHT + 28}" '
            f'text-anchor="middle">{point.year}</text>'
        )
    return (
        f'<g class="pg-column"><title>{escape(_column_text(point, locale))}</title>'
        f"{''.join(rects)}{label}</g>"
    )
