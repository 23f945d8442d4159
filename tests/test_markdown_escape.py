"""Participant text in the Markdown journal and documentation: read back by a Markdown renderer, it is the
same text, never a heading, list, quote, code block, link, image, HTML or math."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt
from tests.hostile import HOSTILE

from netcourse.outputs.exporters.markdown import md_escape

RENDERERS = {
    "commonmark": MarkdownIt("commonmark"),
    "gfm-ish": MarkdownIt("commonmark").enable(["table", "strikethrough"]),
}
TAG = re.compile(r"<(/?)([a-z0-9]+)[^>]*>")


def words(text: str) -> str:
    """The text with runs of whitespace made one space (line breaks and paragraphs are layout)."""
    return " ".join(text.replace("\x00", "\ufffd").split())


def rendered_text(markup: str) -> tuple[set[str], str]:
    tags = {m.group(2) for m in TAG.finditer(markup)}
    return tags, html.unescape(TAG.sub(" ", markup))


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_comes_back_literal(renderer: str, text: str) -> None:
    markup = RENDERERS[renderer].render(md_escape(text))
    tags, shown = rendered_text(markup)
    assert tags <= {"p", "br"}, (tags, markup[:300])
    assert words(shown) == words(text)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_no_math_delimiter_and_no_line_marker_is_left(text: str) -> None:
    escaped = md_escape(text)
    assert not re.search(r"(?<!\\)[$=^:]", escaped)  # MathJax, setext headings, extensions
    for line in escaped.split("\n"):
        assert not re.match(r"\s*([#>+*\-=|]|\d+[.)])", line), line  # no block marker starts a line
        assert not line.startswith(" " * 4)  # no indented code block


def test_line_breaks_and_umlauts_stay() -> None:
    rendered = RENDERERS["commonmark"].render(md_escape("Erste Zeile\nzweite: Größe $5 = 5^1"))
    assert rendered == "<p>Erste Zeile<br />\nzweite: Größe $5 = 5^1</p>\n"
