"""The web page's compact timeline draws what the standalone one draws (issue 17, item 2).

A compact drawing places each row with one transform, takes its ground (stripe and focus
outline) from a <use>, and leaves its bar's paint to the page CSS. Resolved, every row must
have the same title, link, label, geometry and paint as the standalone drawing's (which the
PDF uses and tests/test_timeline_svg.py checks), in about three quarters of the markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from tests.test_timeline_svg import AS_OF, SVG, item, tajikistan
from tracker.timeline_svg import BAR_STYLES, PlanBand, render_timeline, stylesheet

CSS = Path(__file__).resolve().parents[1] / "tracker" / "static" / "tracker.css"
PAINT = ("fill", "stroke", "stroke-width", "stroke-dasharray")


def many() -> list:  # every status and flag, one-day marks, wrapped titles
    long = "Trilateral peer review meeting of Belarus, Kyrgyzstan and Tajikistan " * 2
    statuses = ["planned", "in_progress", "done", "cancelled"]
    items = [
        item(
            10 + n,
            date(2010 + n % 12, 1 + n % 12, 1),
            date(2010 + n % 12, 12, 31),
            status=statuses[n % 4],
            title=long if n % 5 == 0 else f"Milestone {n}",
            flag=None if n % 4 > 1 or n % 2 == 0 else ("overdue" if n % 3 == 0 else "upcoming"),
        )
        for n in range(40)
    ]
    return [*tajikistan(), *items, item(99, date(2016, 3, 1), status="done")]


def resolved(svg: str) -> list[dict[str, object]]:
    """Each row as drawn: title, link, label, its ground's boxes, its bar's place and paint."""
    root = ET.fromstring(svg)
    grounds = {g.get("id"): list(g) for g in root.iter(SVG + "g") if g.get("id")}
    found = []
    for row in (e for e in root if "tl-row" in e.get("class", "").split()):
        dy = float(
            re.findall(r"translate\(0 ([0-9.]+)\)", row.get("transform", "translate(0 0)"))[0]
        )
        boxes = []
        for e in row:
            if e.tag == SVG + "use":
                assert "tl-focus" in e.get("class", "").split()
                parts = grounds[e.get("href", "")[1:]]
            elif e.tag == SVG + "rect" and "tl-bar" not in e.get("class", ""):
                parts = [e]
            else:
                continue
            for p in parts:
                y = float(p.get("y", "0")) + dy
                box = (p.get("x", "0"), y, p.get("width"), p.get("height"), p.get("fill"))
                boxes.append((*box, p.get("fill-opacity")))
        (bar,) = [e for e in row if "tl-bar" in e.get("class", "").split()]
        paint = {k: bar.get(k) for k in PAINT if bar.get(k) is not None}
        classes = bar.get("class", "").split()
        for name, props in BAR_STYLES:  # the page CSS, in its order
            if name in classes:
                paint.update({k: v.removesuffix("px") for k, v in props.items() if k in PAINT})
        if bar.get("fill", "").startswith("url("):  # no CSS rule fills a hatched bar
            paint["fill"] = bar.get("fill")
        shape = {k: bar.get(k) for k in ("x", "width", "height", "points")}
        if bar.get("y") is not None:
            shape["y"] = float(bar.get("y", "0")) + dy
        if shape["points"]:
            shape["points"] = [
                (float(x), float(y) + dy)
                for x, y in (p.split(",") for p in (shape["points"] or "").split())
            ]
        label = row.find(SVG + "text")
        assert label is not None
        found.append({
            "title": "".join(row.find(SVG + "title").itertext()),  # type: ignore[union-attr]
            "href": row.get("href"), "classes": row.get("class"),
            "label": "".join(label.itertext()), "label_y": float(label.get("y", "0")) + dy,
            "struck": label.get("text-decoration"), "ground": boxes, "shape": shape,
            "paint": {k: paint.get(k) for k in PAINT},
        })  # fmt: skip
    return found


def test_compact_rows_resolve_to_the_standalone_drawing() -> None:
    items = many()
    bands = [PlanBand("NAP 2015-2016", date(2015, 1, 1), date(2016, 12, 31))]
    link = "/milestones/{}".format
    plain = render_timeline(items, AS_OF, bands, link=link)
    compact = render_timeline(items, AS_OF, bands, link=link, compact=True)
    standalone, paged = resolved(plain), resolved(compact)
    assert len(standalone) == len(paged) == len(items)
    for one, other in zip(standalone, paged, strict=True):
        assert one == other
    # The rest of the drawing (title, description, axis, bands, legend) is the same markup.
    for part in (
        "<title id=",
        "<desc id=",
        'class="tl-axis"',
        'class="tl-plan"',
        'class="tl-legend"',
    ):
        assert plain.count(part) == compact.count(part)
    assert len(compact) < 0.9 * len(plain)  # ~0.75 for a State's 658 short rows


def test_the_page_css_carries_the_compact_paint() -> None:
    css = CSS.read_text(encoding="utf-8")
    for line in stylesheet().splitlines():
        assert line in css


def test_a_state_page_sends_the_compact_drawing(client, seeded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/states/TJK?as_of=2016-03-01").get_data(as_text=True)
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    root = ET.fromstring(svg)
    bars = [e for e in root.iter() if "tl-bar" in e.get("class", "").split()]
    assert bars and not [b for b in bars if b.get("stroke") or b.get("stroke-width")]  # CSS
    rows = resolved(svg)
    assert rows and all(r["href"].startswith("/milestones/") for r in rows)  # type: ignore[union-attr]
    assert all(r["title"] and r["label"] for r in rows)  # every row still named and labelled
