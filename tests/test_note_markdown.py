"""Note Markdown rendered safely, with highlights on exactly the quoted characters (issue 14)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from tracker.note_markdown import render_note
from tracker.quotes import segments

NOTES = Path(__file__).resolve().parent.parent / "seeds" / "notes"


def _link(citations: tuple[int, ...]) -> str:
    return "".join(f'<a class="cite-link" href="/m/{c}">[{c}]</a>' for c in citations)


def _marked(html: str) -> dict[str, str]:
    """The text highlighted for each citation id, runs joined (links left out)."""
    html = re.sub(r'<a class="cite-link"[^>]*>.*?</a>', "", html)
    found: dict[str, str] = {}
    current = ""
    for match in re.finditer(r'<mark(?: id="q(\d+)")?>(.*?)</mark>', html, re.S):
        current = match.group(1) or current
        found[current] = (
            found.get(current, "") + " " + unescape(re.sub(r"<[^>]+>", "", match.group(2)))
        )
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def test_markdown_is_rendered_not_shown_raw() -> None:
    text = "#### Information Note<sup>1</sup>\n\n# Prepared by an expert\n\n- one\n- *two*\n"
    html = render_note(segments(text, []))
    assert "<h4>Information Note<sup>1</sup></h4>" in html
    assert "<h1>Prepared by an expert</h1>" in html
    assert "<li><em>two</em></li>" in html
    assert "####" not in html and "&lt;sup" not in html


def test_escaped_superscript_debris_is_read_as_the_superscript_it_was() -> None:
    html = render_note(segments("<sup>&</sup>lt;sup>1</sup> For information", []))
    assert "<p><sup>1</sup> For information</p>" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="https://tracker.example/x.png" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<p onclick="alert(1)" style="color:red">x</p>',
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_html_in_a_note_is_sanitised(hostile: str) -> None:
    html = render_note(segments(f"Before {hostile} after", []))
    for bad in ("<script", "<img", 'href="javascript', "onclick", "onerror", "style=", "<iframe"):
        assert bad not in html.lower()
    assert "Before" in html and "after" in html


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Plain words, and the quoted part here.", "the quoted part"),
        ("Some **bold quote here** and more.", "bold quote"),  # inside emphasis
        ("A quote **across** emphasis ends here.", "quote **across** emphasis"),
        ("# A heading\n\nBody.", "# A heading"),  # the syntax itself is not shown
        ("Para one ends.\n\nPara two starts here.", "ends.\n\nPara two"),  # two blocks
        ("- item one\n- item two\n", "item one\n- item two"),  # two list items
        ("Text with <sup>1</sup> a footnote.", "with <sup>1</sup> a"),
        ("Ampersands & <angles> stay text.", "& <angles>"),
    ],
)
def test_highlight_covers_exactly_the_quoted_characters(text: str, quote: str) -> None:
    html = render_note(segments(text, [(7, quote)]), _link)
    shown = quote.replace("**", "").replace("# ", "").replace("- ", "")
    shown = re.sub(r"<[^>]+>", "", shown)
    assert _words(_marked(html)["7"]) == _words(shown)
    assert html.count('id="q7"') == 1 and html.count('href="/m/7"') == 1
    # Well nested: each <mark> closes before its parent element does.
    assert not re.search(r"<mark[^>]*>[^<]*<(?:/?p|/?li|/?h\d|/?ul)>", html)


def test_overlapping_quotes_each_get_their_target_and_link() -> None:
    text = "The plan was approved on 1 March 2016 by the government."
    html = render_note(segments(text, [(1, "approved on 1 March"), (2, "1 March 2016")]), _link)
    assert 'id="q1"' in html and 'id="q2"' in html
    assert html.count('href="/m/1"') == 1 and html.count('href="/m/2"') == 1
    marked = _marked(html)
    assert _words(marked["1"] + marked.get("2", "")).startswith("approved on")


@pytest.mark.parametrize("path", sorted(NOTES.glob("*.txt")), ids=lambda p: p.stem)
def test_every_seeded_note_renders_with_its_text_intact(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    html = render_note(segments(text, []))
    visible = _words(unescape(re.sub(r"<[^>]+>", " ", html)))
    assert "<sup>" not in visible and "</sup>" not in visible  # no escaped-tag debris
    assert "#### " not in visible
