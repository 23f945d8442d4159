"""Markdown journal: readable anywhere; participant text is escaped so it cannot become markup."""

from __future__ import annotations

import re

from netcourse.core.i18n import ui
from netcourse.outputs.exporters.base import Exporter, Journal

# Every ASCII punctuation character CommonMark lets a backslash escape that could start markup: inline
# (emphasis, code, links, images, raw HTML, entities), block markers at a line's start (#, >, -, +, *, =, |,
# 1. and 1)), and what extensions and renderers read: $ (MathJax in Jupyter), ^ ~ (super/subscript,
# strikethrough), : (definition lists, emoji short codes, autolinks).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&$=^:])")
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)


def md_escape(text: str) -> str:
    """Participant text for a Markdown document: shown literally, never read as Markdown, HTML or math.

    Special characters get a backslash; leading spaces of a line become character references (four would
    start a code block); a line break stays a line break (a hard break), a blank line a paragraph break.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", text.strip().replace("\r\n", "\n").replace("\r", "\n"))
    escaped = _LEADING_SPACE.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(0)), escaped)
    return escaped.replace("\n", "  \n")


class MarkdownExporter(Exporter):
    format_name = "markdown"
    suffix = ".md"
    media_type = "text/markdown"

    def render(self, journal: Journal) -> bytes:
        title = ui(journal.lang, "journal_file_title")
        lines = [f"# {title}", ""]
        for jm in journal.modules:
            lines += [f"## {md_escape(jm.title)}", ""]
            for entry in jm.entries:
                lines += [f"### {md_escape(entry.heading)}", ""]
                for question, answer in entry.pairs:
                    lines += [f"**{md_escape(question)}**", "", md_escape(answer) or "–", ""]
        return "\n".join(lines).encode("utf-8")
