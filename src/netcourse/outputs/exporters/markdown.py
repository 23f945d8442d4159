"""Markdown journal: readable anywhere; participant text is escaped so it cannot become markup."""

from __future__ import annotations

import re

from netcourse.core.i18n import ui
from netcourse.outputs.exporters.base import Exporter, Journal

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def md_escape(text: str) -> str:
    """Escape Markdown and HTML-significant characters in participant text."""
    return _MD_SPECIAL.sub(r"\\\1", text.strip()).replace("\n", "  \n")


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
