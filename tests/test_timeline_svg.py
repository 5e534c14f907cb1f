"""Tests for tracker.timeline_svg: the server-side SVG timeline of a State's milestones."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from tracker.dates import DueWindow, Precision
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.reports import ReportItem, facts_item
from tracker.rules import Flag
from tracker.services.milestones import MilestoneFacts
from tracker.timeline_svg import (
    COLOURS,
    DAY_MARK_WIDTH,
    MIN_BAR_WIDTH,
    PlanBand,
    render_timeline,
    zoom_span,
)

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = date(2026, 11, 23)


def item(
    ident: int,
    start: date,
    end: date | None = None,
    *,
    title: str = "A milestone",
    status: str = "planned",
    flag: str | None = None,
    text: str | None = None,
    precision: str = "day",
) -> ReportItem:
    """A milestone as tracker.reports builds it."""
    end = end or start
    return ReportItem(
        id=ident,
        ref=None,
        title=title,
        kind=MilestoneKind.OTHER,
        states=("TJ",),
        host=None,
        status=MilestoneStatus(status),
        due=DueWindow(
            start, end, Precision(precision), text if text is not None else start.isoformat()
        ),
        deadline=False,
        key_day=start,
        venue="",
        flag=Flag(flag) if flag else None,
        sources=(),
        warnings=(),
    )


def tajikistan() -> list[ReportItem]:
    return [
        item(1, date(2004, 1, 1), date(2004, 1, 31), status="done", text="January 2004"),
        item(2, date(2012, 4, 1), date(2012, 4, 30), status="done", text="April 2012"),
        item(3, date(2012, 10, 23), date(2012, 10, 24), status="done", text="23-24 October 2012"),
        item(4, date(2013, 1, 1), date(2015, 12, 31), status="in_progress", text="2013-2015"),
        item(
            5,
            date(2015, 12, 31),
            title="Approval of the National Action Plan",
            flag="overdue",
            text="31 December 2015",
        ),
        item(
            6,
            date(2018, 1, 1),
            date(2018, 12, 31),
            title="New round of peer review with Kyrgyzstan",
            flag="overdue",
            text="2018",
        ),
    ]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def rows(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if "tl-row" in e.get("class", "").split()]


def mark(row: ET.Element) -> ET.Element:
    (found,) = [e for e in row.iter() if "tl-bar" in e.get("class", "").split()]
    return found


def extent(element: ET.Element) -> tuple[float, float]:
    """The left and right edge of a mark, its outline included for a bar."""
    if element.tag == SVG + "polygon":
        xs = [float(p.split(",")[0]) for p in element.get("points", "").split()]
        return min(xs), max(xs)
    assert element.tag == SVG + "rect"
    x, width = float(element.get("x", "nan")), float(element.get("width", "nan"))
    half = float(element.get("stroke-width", "0")) / 2
    return x - half, x + width + half


def width_of(element: ET.Element) -> float:
    left, right = extent(element)
    return right - left


def asof_x(root: ET.Element) -> float:
    (group,) = [e for e in root.iter(SVG + "g") if e.get("class") == "tl-asof"]
    line = group.find(SVG + "line")
    assert line is not None
    return float(line.get("x1", "nan"))


def texts(element: ET.Element) -> str:
    return " ".join("".join(e.itertext()) for e in element.iter(SVG + "text"))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def blend(colour: str, opacity: float, under: str) -> str:
    """A colour drawn at an opacity over another."""
    mixed = (
        round(opacity * int(colour[i : i + 2], 16) + (1 - opacity) * int(under[i : i + 2], 16))
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{c:02x}" for c in mixed)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# ---------------------------------------------------------------- the document


def test_output_is_markup_and_well_formed_svg() -> None:
    svg = render_timeline(tajikistan(), AS_OF)
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert root.tag == SVG + "svg"
    assert root.get("width") == "100%"
    assert root.get("preserveAspectRatio") == "xMinYMin meet"
    assert root.get("viewBox", "").startswith("0 0 960 ")


def test_height_grows_with_the_rows() -> None:
    def height(n: int) -> float:
        items = [item(i, date(2010, 1, 1) + timedelta(days=30 * i)) for i in range(n)]
        return float(parse(render_timeline(items, AS_OF)).get("viewBox", "").split()[3])

    assert height(1) < height(5) < height(30)


def test_summary_title_and_description_label_the_image() -> None:
    root = parse(render_timeline(tajikistan(), AS_OF))
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby", "").split()
    assert len(ids) == 2
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    title, desc = by_id[ids[0]], by_id[ids[1]]
    assert title.tag == SVG + "title"
    assert desc.tag == SVG + "desc"
    assert title.text == "Timeline of 6 milestones from 2004 to 2018"
    assert desc.text is not None
    assert desc.text.startswith("2 overdue, 0 upcoming as of 2026-11-23")
    assert "3 done" in desc.text


def test_no_style_attributes_or_elements_anywhere() -> None:
    plans = [PlanBand("NAP 2016-2020", date(2016, 1, 1), date(2020, 12, 31))]
    statuses = ("planned", "in_progress", "done", "cancelled")
    items = [
        item(i, date(2010 + i, 1, 1), date(2010 + i, 6, 30), status=s)
        for i, s in enumerate(statuses)
    ]
    svg = str(render_timeline(items, AS_OF, plans, link=lambda i: f"/m/{i}"))
    root = parse(svg)
    assert all("style" not in e.attrib for e in root.iter())
    assert not list(root.iter(SVG + "style"))
    assert "style=" not in svg
    assert "<style" not in svg


def test_output_is_deterministic_with_unique_ids() -> None:
    plans = [PlanBand("NAP", date(2012, 1, 1), None)]
    first = render_timeline(tajikistan(), AS_OF, plans, link=str)
    assert first == render_timeline(tajikistan(), AS_OF, plans, link=str)
    ids = [e.get("id") for e in parse(first).iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i and i.startswith("timeline-") for i in ids)


def test_id_prefix_keeps_two_timelines_apart() -> None:
    root = parse(render_timeline(tajikistan(), AS_OF, id_prefix="tj"))
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert {"tj-title", "tj-desc"} <= ids
    assert root.get("aria-labelledby") == "tj-title tj-desc"
    with pytest.raises(ValueError, match="id_prefix"):
        render_timeline(tajikistan(), AS_OF, id_prefix='x" onload="alert(1)')


def test_too_narrow_a_width_is_refused() -> None:
    with pytest.raises(ValueError, match="width"):
        render_timeline(tajikistan(), AS_OF, width=100)


def test_windows_that_end_before_they_start_are_refused() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        render_timeline([item(1, date(2015, 1, 2), date(2015, 1, 1))], AS_OF)
    with pytest.raises(ValueError, match="ends before it starts"):
        PlanBand("NAP", date(2015, 1, 2), date(2015, 1, 1))


def test_the_items_the_reports_build_are_drawn_as_they_are() -> None:
    """The timeline reads the read model's own dates: no text in between."""
    window = DueWindow(date(2015, 3, 1), date(2015, 3, 31), Precision.MONTH, "March 2015")
    facts = MilestoneFacts(
        id=1, ref=None, title="A milestone", kind=MilestoneKind.OTHER, states=["TJ"], host=None,
        status=MilestoneStatus.DONE, window=window, venue="", sources=[],
    )  # fmt: skip
    built = facts_item(facts, AS_OF, 90)
    expected = item(
        1, date(2015, 3, 1), date(2015, 3, 31), status="done", text="March 2015", precision="month"
    )
    assert render_timeline([built], AS_OF) == render_timeline([expected], AS_OF)


# ---------------------------------------------------------------- empty input


def test_empty_input_says_so() -> None:
    svg = render_timeline([], AS_OF)
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert "No milestones to show." in texts(root)
    assert root.get("role") == "img"
    assert not rows(root)


# ---------------------------------------------------------------- the bars


def test_a_year_is_about_twelve_times_as_wide_as_a_month() -> None:
    items = [
        item(1, date(2018, 1, 1), date(2018, 12, 31), text="2018", precision="year"),
        item(2, date(2018, 4, 1), date(2018, 4, 30), text="April 2018", precision="month"),
    ]
    year, month = (width_of(mark(r)) for r in rows(parse(render_timeline(items, date(2018, 6, 1)))))
    assert month > MIN_BAR_WIDTH
    assert 11 < year / month < 13.5


def test_a_quarter_is_about_three_months() -> None:
    items = [
        item(1, date(2018, 1, 1), date(2018, 3, 31), text="Q1 2018", precision="quarter"),
        item(2, date(2018, 4, 1), date(2018, 4, 30), text="April 2018", precision="month"),
    ]
    root = parse(render_timeline(items, date(2018, 6, 1)))
    quarter, month = (width_of(mark(r)) for r in rows(root))
    assert 2.6 < quarter / month < 3.4


def test_a_single_day_is_a_diamond_of_the_minimum_width() -> None:
    items = [item(1, date(2005, 6, 1)), item(2, date(2020, 6, 1), date(2020, 12, 31))]
    day = mark(rows(parse(render_timeline(items, AS_OF)))[0])
    assert day.tag == SVG + "polygon"
    assert "tl-day" in day.get("class", "").split()
    assert width_of(day) == pytest.approx(DAY_MARK_WIDTH)


def test_a_day_on_a_short_axis_is_as_wide_as_the_day() -> None:
    # One year over about 540px: a day is under 2px, so still the minimum.
    items = [item(1, date(2026, 6, 1)), item(2, date(2026, 1, 1), date(2026, 12, 31))]
    day = mark(rows(parse(render_timeline(items, date(2026, 6, 1))))[0])
    assert width_of(day) == pytest.approx(DAY_MARK_WIDTH)


def test_a_short_window_gets_the_minimum_bar_width_centred_on_it() -> None:
    items = [
        item(1, date(2012, 10, 23), date(2012, 10, 24), text="23-24 October 2012"),
        item(2, date(2012, 10, 1), date(2012, 10, 31), text="October 2012"),
        item(3, date(2000, 1, 1), date(2025, 12, 31), text="2000-2025"),
    ]
    root = parse(render_timeline(items, AS_OF))
    two_days, october, _ = (mark(r) for r in rows(root))
    assert two_days.tag == SVG + "rect"
    assert width_of(two_days) == pytest.approx(MIN_BAR_WIDTH)
    left, right = extent(october)
    middle = (left + right) / 2
    assert extent(two_days)[0] < middle < extent(two_days)[1]


def test_bars_follow_the_dates_from_left_to_right() -> None:
    marks = [mark(r) for r in rows(parse(render_timeline(tajikistan(), AS_OF)))]
    lefts = [extent(m)[0] for m in marks]
    assert lefts == sorted(lefts)
    drafting = extent(marks[3])
    assert drafting[1] - drafting[0] > 3 * MIN_BAR_WIDTH  # "2013-2015" is a long span


def test_one_row_per_milestone_in_the_given_order() -> None:
    items = list(reversed(tajikistan()))
    root = parse(render_timeline(items, AS_OF))
    found = rows(root)
    assert len(found) == len(items)
    tops = [float(mark(r).get("y", "0")) for r in found if mark(r).tag == SVG + "rect"]
    assert tops == sorted(tops)
    labels = [texts(r) for r in found]
    assert labels[0].startswith("Overdue · 2018 · New round of peer review")
    assert labels[-1].startswith("Done · January 2004")


def test_the_as_of_line_lies_between_earlier_and_later_windows() -> None:
    items = [
        item(1, date(2026, 1, 1), date(2026, 10, 31), status="done"),
        item(2, date(2026, 11, 22), status="done"),
        item(3, date(2026, 11, 24)),
        item(4, date(2027, 1, 1), date(2027, 3, 31), flag="upcoming"),
    ]
    root = parse(render_timeline(items, AS_OF))
    x = asof_x(root)
    before, day_before, day_after, after = (extent(mark(r)) for r in rows(root))
    assert before[1] <= x
    assert (day_before[0] + day_before[1]) / 2 < x < (day_after[0] + day_after[1]) / 2
    assert after[0] >= x
    assert "as of 2026-11-23" in texts(root)


def test_the_axis_covers_the_as_of_date_and_the_plans() -> None:
    items = [item(1, date(2012, 4, 1), date(2012, 4, 30))]
    plans = [PlanBand("Old plan", date(2008, 1, 1), date(2010, 12, 31))]
    root = parse(render_timeline(items, AS_OF, plans))
    years = [int(t) for t in texts_in(root, "tl-axis")]
    assert min(years) <= 2008
    assert max(years) >= 2027
    view_width = float(root.get("viewBox", "").split()[2])
    assert 0 < asof_x(root) < view_width


def texts_in(root: ET.Element, css_class: str) -> list[str]:
    groups = [e for e in root.iter(SVG + "g") if e.get("class") == css_class]
    return ["".join(t.itertext()) for g in groups for t in g.iter(SVG + "text")]


@pytest.mark.parametrize(
    ("first", "last", "step"),
    [(2024, 2026, 1), (2004, 2026, 2), (1990, 2026, 5), (1960, 2026, 10), (1900, 2200, 50)],
)
def test_year_ticks_thin_out_on_long_ranges(first: int, last: int, step: int) -> None:
    items = [item(1, date(first, 3, 1)), item(2, date(last, 3, 1))]
    root = parse(render_timeline(items, date(first, 6, 1)))
    axis = [e for g in root.iter(SVG + "g") if g.get("class") == "tl-axis" for e in g]
    labels = [e for e in axis if e.tag == SVG + "text"]
    ticks = sorted({(int(e.text or ""), float(e.get("x", "nan"))) for e in labels})
    years = [year for year, _ in ticks]
    # The axis starts and ends on a labelled tick, around the milestones.
    assert years[0] <= first
    assert years[-1] > last
    assert all(b - a == step for a, b in itertools.pairwise(years))
    assert all(b - a >= 40 for (_, a), (_, b) in itertools.pairwise(ticks))


# ---------------------------------------------------------------- colour, pattern, words


def test_overdue_and_upcoming_rows_say_so_in_words() -> None:
    items = [
        item(1, date(2018, 1, 1), date(2018, 12, 31), flag="overdue", text="2018"),
        item(2, date(2027, 1, 1), flag="upcoming"),
        item(3, date(2010, 1, 1), status="done"),
        item(4, date(2011, 1, 1), status="cancelled"),
        item(5, date(2030, 1, 1), status="in_progress"),
        item(6, date(2031, 1, 1)),
    ]
    root = parse(render_timeline(items, AS_OF))
    labels = [texts(r) for r in rows(root)]
    words = ["Overdue", "Upcoming", "Done", "Cancelled", "In progress", "Planned"]
    for label, word in zip(labels, words, strict=True):
        assert label.startswith(word + " · ")
    assert "overdue" in " ".join(r.get("class", "") for r in rows(root)[:1])
    assert "Overdue" in texts_in(root, "tl-legend")


def test_statuses_differ_by_pattern_not_only_by_colour() -> None:
    items = [
        item(1, date(2010, 1, 1), date(2010, 12, 31), status="done"),
        item(2, date(2011, 1, 1), date(2011, 12, 31), status="in_progress"),
        item(3, date(2012, 1, 1), date(2012, 12, 31), status="planned"),
        item(4, date(2013, 1, 1), date(2013, 12, 31), status="cancelled"),
    ]
    root = parse(render_timeline(items, AS_OF))
    done, in_progress, planned, cancelled = (mark(r) for r in rows(root))
    assert done.get("fill") == done.get("stroke") == COLOURS["done"]
    assert in_progress.get("fill", "").startswith("url(#")
    pattern_id = in_progress.get("fill", "")[5:-1]
    assert [e for e in root.iter(SVG + "pattern") if e.get("id") == pattern_id]
    assert planned.get("fill") == "#ffffff"
    assert cancelled.get("stroke-dasharray")
    paints = {(m.get("fill"), m.get("stroke-dasharray")) for m in (done, in_progress, planned)}
    assert len(paints) == 3


def test_text_colours_meet_wcag_aa_on_the_stripes_and_bands() -> None:
    # The darkest background a label can sit on: a stripe over two overlapping bands.
    root = parse(render_timeline(tajikistan(), AS_OF, [PlanBand("A", date(2016, 1, 1), None)]))
    (stripe,) = [r for r in rows(root)[0] if r.get("fill-opacity") not in (None, "0")]
    (band,) = [e for g in root if g.get("class") == "tl-plan" for e in g if e.tag.endswith("rect")]
    band_opacity = float(band.get("fill-opacity", "1"))
    darkest = "#ffffff"
    for fill in ("#5b6b8c", "#8c6b3f"):
        darkest = blend(fill, band_opacity, darkest)
    darkest = blend(stripe.get("fill", ""), float(stripe.get("fill-opacity", "1")), darkest)
    assert contrast(darkest, "#ffffff") > 1.1  # the test does look at tinted ground
    for colour in COLOURS.values():
        assert contrast(colour, "#ffffff") >= 6.5
        assert contrast(colour, darkest) >= 4.5
    assert contrast("#1b1f24", darkest) >= 4.5  # the titles


def test_long_titles_are_cut_with_an_ellipsis_and_kept_whole_in_the_tooltip() -> None:
    title = "New round of peer review " + "with a great many partners " * 10 + "END"
    root = parse(render_timeline([item(1, date(2018, 1, 1), title=title)], AS_OF))
    (row,) = rows(root)
    label = texts(row)
    assert label.endswith("…")
    assert "END" not in label
    tooltip = row.find(SVG + "title")
    assert tooltip is not None
    assert tooltip.text is not None
    assert title in tooltip.text


def test_titles_are_escaped() -> None:
    title = "<script>alert(1)</script> & \"quotes\" 'too' ]]> <!-- x -->"
    svg = str(render_timeline([item(1, date(2018, 1, 1), title=title)], AS_OF, link=str))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    (row,) = rows(root)
    tooltip = row.find(SVG + "title")
    assert tooltip is not None
    assert tooltip.text is not None
    assert title in tooltip.text


def test_characters_xml_cannot_carry_are_dropped() -> None:
    title = "Bell\x07 and NUL\x00 and \ud800 surrogate"
    root = parse(render_timeline([item(1, date(2018, 1, 1), title=title)], AS_OF))
    assert "Bell and NUL and surrogate" in texts(root)


# ---------------------------------------------------------------- plans


def test_plan_periods_are_labelled_bands_behind_the_rows() -> None:
    plans = [
        PlanBand.from_years("NAP 2016-2020", 2016, 2020),
        PlanBand.from_years("NAP 2021-", 2021),
    ]
    root = parse(render_timeline(tajikistan(), AS_OF, plans))
    assert texts_in(root, "tl-plan") == ["NAP 2016-2020", "NAP 2021-"]
    children = list(root)
    first_plan = next(i for i, e in enumerate(children) if e.get("class") == "tl-plan")
    first_row = next(i for i, e in enumerate(children) if "tl-row" in e.get("class", ""))
    assert first_plan < first_row
    bands = [g.find(SVG + "rect") for g in root.iter(SVG + "g") if g.get("class") == "tl-plan"]
    closed, open_ended = (b for b in bands if b is not None)
    assert closed.get("fill-opacity") == "0.1"
    # The open-ended plan runs to the right edge of the axis, past the as-of line.
    right = float(open_ended.get("x", "0")) + float(open_ended.get("width", "0"))
    assert right > asof_x(root)
    assert float(closed.get("x", "0")) + float(closed.get("width", "0")) < right


def test_overlapping_plan_labels_get_their_own_lines() -> None:
    plans = [
        PlanBand("First plan with a long name", date(2016, 1, 1), date(2020, 12, 31)),
        PlanBand("Second plan", date(2016, 6, 1), date(2022, 12, 31)),
    ]
    root = parse(render_timeline(tajikistan(), AS_OF, plans))
    ys = {
        float(t.get("y", "0"))
        for g in root.iter(SVG + "g")
        if g.get("class") == "tl-plan"
        for t in g.iter(SVG + "text")
    }
    assert len(ys) == 2


def test_plan_band_from_years() -> None:
    assert PlanBand.from_years("NAP", 2017, 2021) == PlanBand(
        "NAP", date(2017, 1, 1), date(2021, 12, 31)
    )
    assert PlanBand.from_years("NAP", 2017).end is None


# ---------------------------------------------------------------- links


def test_rows_are_links_when_a_link_function_is_given() -> None:
    root = parse(render_timeline(tajikistan(), AS_OF, link=lambda i: f"/milestones/{i}?a=1&b=2"))
    links = list(root.iter(SVG + "a"))
    assert [a.get("href") for a in links] == [f"/milestones/{i}?a=1&b=2" for i in range(1, 7)]
    assert all("tl-row" in a.get("class", "").split() for a in links)
    # Each link has a name (its <title>) and a focus outline the page CSS can show.
    for a in links:
        assert a.find(SVG + "title") is not None
        assert [e for e in a if e.get("class") == "tl-focus"]
    # An image's content is presentational, which would hide the links.
    assert root.get("role") == "group"


def test_no_links_without_a_link_function() -> None:
    root = parse(render_timeline(tajikistan(), AS_OF))
    assert not list(root.iter(SVG + "a"))
    assert len(rows(root)) == 6


def test_five_hundred_milestones_are_all_drawn() -> None:
    # How fast this is, is measured by `make bench` (bench/README), not by a timed test.
    items = [
        item(
            i, date(2000, 1, 1) + timedelta(days=17 * i), date(2000, 1, 1) + timedelta(days=19 * i)
        )
        for i in range(500)
    ]
    svg = render_timeline(items, AS_OF, [PlanBand.from_years("NAP", 2005, 2010)], link=str)
    assert len(rows(parse(svg))) == 500


# ---------------------------------------------------------------- any input


DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
ITEMS = st.lists(
    st.tuples(
        DAYS,
        st.integers(min_value=0, max_value=4000),
        st.sampled_from(["planned", "in_progress", "done", "cancelled"]),
        st.sampled_from([None, "overdue", "upcoming"]),
        st.text(max_size=120),
        st.text(max_size=40),
    ),
    max_size=12,
)
PLANS = st.lists(
    st.tuples(st.text(max_size=30), DAYS, st.none() | st.integers(min_value=0, max_value=4000)),
    max_size=3,
)


def build(raw: Sequence[tuple[date, int, str, str | None, str, str]]) -> list[ReportItem]:
    return [
        item(i, start, start + timedelta(days=length), status=s, flag=f, title=t, text=x)
        for i, (start, length, s, f, t, x) in enumerate(raw)
    ]


@settings(max_examples=150, deadline=None)
@given(
    raw=ITEMS,
    raw_plans=PLANS,
    as_of=DAYS,
    width=st.integers(min_value=320, max_value=2400),
    linked=st.booleans(),
)
def test_any_timeline_parses_and_its_bars_stay_in_view(
    raw: list[tuple[date, int, str, str | None, str, str]],
    raw_plans: list[tuple[str, date, int | None]],
    as_of: date,
    width: int,
    linked: bool,
) -> None:
    plans = [
        PlanBand(label, start, None if length is None else start + timedelta(days=length))
        for label, start, length in raw_plans
    ]
    svg = render_timeline(
        build(raw), as_of, plans, link=(lambda i: f"/m/{i}") if linked else None, width=width
    )
    root = parse(svg)
    assert all("style" not in e.attrib for e in root.iter())
    view_width = float(root.get("viewBox", "").split()[2])
    marks = [mark(r) for r in rows(root)]
    assert len(marks) == len(raw)
    for m in marks:
        if m.tag == SVG + "rect":
            assert float(m.get("x", "-1")) >= 0
            assert float(m.get("width", "0")) > 0
        left, right = extent(m)
        assert 0 <= left < right <= view_width
    if raw:
        assert 0 <= asof_x(root) <= view_width


# ---------------------------------------------------------------- issue 14: zoom, titles, labels


def plan_labels(root: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    """Each plan band's rect and label."""
    found = []
    for g in root.iter(SVG + "g"):
        if g.get("class") == "tl-plan":
            rect, text = g.find(SVG + "rect"), g.find(SVG + "text")
            assert rect is not None and text is not None
            found.append((rect, text))
    return found


def label_width(text: ET.Element) -> float:
    from tracker.timeline_svg import _text_width

    return _text_width("".join(text.itertext()), float(text.get("font-size", "12")))


@pytest.mark.parametrize("length", [40, 80, 120, 160])
def test_titles_are_shown_whole_wrapped_over_lines(length: int) -> None:
    title = " ".join(f"word{i:03d}" for i in range(length // 8))
    root = parse(render_timeline([item(1, date(2018, 1, 1), title=title)], AS_OF))
    (row,) = rows(root)
    (label,) = [t for t in row.iter(SVG + "text") if t.get("class") == "tl-label"]
    shown = " ".join(" ".join(label.itertext()).split())
    assert title in shown and "…" not in shown  # every word, in order


def test_wrapped_rows_never_overlap_and_the_drawing_grows() -> None:
    long = "Trilateral peer review meeting of Belarus, Kyrgyzstan and Tajikistan, Dushanbe " * 2
    items = [item(i, date(2015, 1, 1 + i), title=long if i % 2 else "Short") for i in range(6)]
    root = parse(render_timeline(items, AS_OF))
    previous_bottom = 0.0
    for row in rows(root):
        stripe = row.find(SVG + "rect")
        assert stripe is not None
        top, high = float(stripe.get("y", "0")), float(stripe.get("height", "0"))
        assert top >= previous_bottom  # each row starts below the last one's lines
        (label,) = [t for t in row.iter(SVG + "text") if t.get("class") == "tl-label"]
        lines = 1 + len([t for t in label if t.get("dy")])
        baseline = float(label.get("y", "0")) + (lines - 1) * 15
        assert top < float(label.get("y", "0")) and baseline <= top + high  # inside its row
        previous_bottom = top + high
    short = parse(render_timeline([item(1, date(2015, 1, 1))] * 6, AS_OF))
    assert float(root.get("viewBox", "").split()[3]) > float(short.get("viewBox", "").split()[3])


@pytest.mark.parametrize("days", [1, 2, 3])
def test_short_events_stay_readable_on_a_long_axis(days: int) -> None:
    """A meeting of one to three days on a 2004-2020 axis is a mark at least 12 px wide."""
    items = [
        item(1, date(2004, 1, 1), date(2004, 12, 31)),
        item(2, date(2012, 5, 7), date(2012, 5, 6 + days)),
        item(3, date(2020, 1, 1), date(2020, 12, 31)),
    ]
    root = parse(render_timeline(items, date(2012, 1, 1)))
    assert width_of(mark(rows(root)[1])) >= 12


def test_zoom_span_presets() -> None:
    plans = [
        PlanBand.from_years("NAP 2014", 2014, 2016),
        PlanBand.from_years("NAP 2017-2021", 2017, 2021),
        PlanBand.from_years("Next", 2023),
    ]
    as_of = date(2018, 2, 28)
    assert zoom_span("all", as_of, plans) is None
    assert zoom_span("year", as_of, plans) == (date(2017, 2, 28), date(2019, 2, 28))
    assert zoom_span("year", date(2020, 2, 29), []) == (date(2019, 2, 28), date(2021, 2, 28))
    assert zoom_span("plan", as_of, plans) == (date(2017, 1, 1), date(2021, 12, 31))
    # Between plans: the last one begun; before any: the first; open-ended: a year on.
    assert zoom_span("plan", date(2022, 6, 1), plans) == (date(2017, 1, 1), date(2021, 12, 31))
    assert zoom_span("plan", date(2010, 1, 1), plans) == (date(2014, 1, 1), date(2016, 12, 31))
    assert zoom_span("plan", date(2024, 3, 1), plans) == (date(2023, 1, 1), date(2025, 3, 1))
    assert zoom_span("plan", as_of, []) is None


def test_a_zoomed_timeline_draws_only_its_range() -> None:
    span = (date(2015, 3, 1), date(2017, 3, 1))
    root = parse(render_timeline(tajikistan(), date(2016, 3, 1), span=span))
    drawn = rows(root)
    # January 2004, April 2012, October 2012 and 2018 lie outside: left out.
    assert len(drawn) == 2
    whole = parse(render_timeline(tajikistan(), date(2016, 3, 1)))
    # Zoomed in, a milestone of one day is far wider than on the whole axis.
    day = [m for m in map(mark, drawn) if m.tag == SVG + "polygon"]
    assert day
    years = [float(t.get("x", "0")) for t in root.iter(SVG + "text") if (t.text or "").isdigit()]
    assert years and all(400 <= x <= 960 for x in years)  # no tick outside the range
    assert len(list(whole.iter(SVG + "text"))) > len(list(root.iter(SVG + "text")))
    for m in map(mark, drawn):
        left, right = extent(m)
        assert 0 <= left < right <= 960


def test_zoomed_to_nothing_says_so() -> None:
    span = (date(1990, 1, 1), date(1990, 12, 31))
    svg = render_timeline(tajikistan(), AS_OF, span=span)
    assert "No milestones to show." in svg


@settings(max_examples=150, deadline=None)
@given(
    raw_plans=st.lists(
        st.tuples(
            st.text(min_size=1, max_size=60),
            DAYS,
            st.none() | st.integers(min_value=0, max_value=6000),
        ),
        min_size=1,
        max_size=5,
    ),
    width=st.integers(min_value=320, max_value=1600),
    zoomed=st.booleans(),
)
def test_plan_labels_never_overlap_and_stay_in_their_bands(
    raw_plans: list[tuple[str, date, int | None]], width: int, zoomed: bool
) -> None:
    plans = [
        PlanBand(label, start, None if length is None else start + timedelta(days=length))
        for label, start, length in raw_plans
    ]
    as_of = plans[0].start
    span = (as_of - timedelta(days=365), as_of + timedelta(days=365)) if zoomed else None
    items = [item(1, as_of)]
    root = parse(render_timeline(items, as_of, plans, width=width, span=span))
    boxes = []
    for rect, text in plan_labels(root):
        left = float(text.get("x", "0"))
        right = left + label_width(text)
        shown = "".join(text.itertext())
        band_left = float(rect.get("x", "0"))
        band_right = band_left + float(rect.get("width", "0"))
        if not (shown.startswith("[") and shown.endswith("]")):  # a number: named below
            assert band_left - 0.5 <= left and right <= max(band_right, left) + 0.5, shown
        assert right <= width
        boxes.append((float(text.get("y", "0")), left, right))
    for (y1, l1, r1), (y2, l2, r2) in itertools.combinations(boxes, 2):
        assert y1 != y2 or r1 <= l2 or r2 <= l1  # same line: side by side
    numbered = [t for _, t in plan_labels(root) if "".join(t.itertext()).startswith("[")]
    if numbered:
        legend = [t for t in root.iter(SVG + "text") if t.get("class") == "tl-plan-legend"]
        assert legend and "Plans: [" in "".join(legend[0].itertext())
