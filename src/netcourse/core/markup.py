"""Course text to HTML: Markdown from trusted data files (raw HTML off) and chart images as ``data:`` URIs.

Everything else reaches HTML through the Jinja templates (:mod:`netcourse.core.templates`, autoescape on).
"""

from __future__ import annotations

import base64

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def markdown_html(text: str) -> str:
    """Render course Markdown; raw HTML in the source is shown as text, not interpreted."""
    return _md.render(text or "")


def markdown_inline_html(text: str) -> str:
    """Render one line of course Markdown without a paragraph around it (list items, table cells)."""
    return _md.renderInline(text or "")


def image_data_uri(image: bytes) -> str:
    """A ``data:`` URI for chart bytes: SVG (what the built-in charts draw) or PNG."""
    mime = "image/png" if image.startswith(b"\x89PNG") else "image/svg+xml"
    return f"data:{mime};base64," + base64.b64encode(image).decode("ascii")
