"""Course text to HTML: Markdown from trusted data files (raw HTML off), everything else escaped."""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable
from functools import cache
from importlib import resources

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def markdown_html(text: str) -> str:
    """Render course Markdown; raw HTML in the source is shown as text, not interpreted."""
    return _md.render(text or "")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def bullet_list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{markdown_html(i).strip().removeprefix('<p>').removesuffix('</p>')}</li>"
                            for i in items) + "</ul>"


@cache
def course_css() -> str:
    return resources.files("netcourse").joinpath("static/netcourse.css").read_text(encoding="utf-8")


def style_tag() -> str:
    return f"<style>{course_css()}</style>"


def image_data_uri(image: bytes) -> str:
    """A ``data:`` URI for chart bytes: SVG (what the built-in charts draw) or PNG."""
    mime = "image/png" if image.startswith(b"\x89PNG") else "image/svg+xml"
    return f"data:{mime};base64," + base64.b64encode(image).decode("ascii")
