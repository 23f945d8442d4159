"""HTML journal: one self-contained file (CSS and charts inline, no outside requests), rendered by
``templates/outputs/journal.html.j2`` with autoescape, so all participant text is escaped."""

from __future__ import annotations

from netcourse.core.i18n import ui
from netcourse.core.templates import render_template
from netcourse.outputs.exporters.base import Exporter, Journal


class HtmlExporter(Exporter):
    format_name = "html"
    suffix = ".html"
    media_type = "text/html"

    def render(self, journal: Journal) -> bytes:
        return render_template("outputs/journal.html.j2", journal=journal,
                               title=ui(journal.lang, "journal_file_title"),
                               subtitle=ui(journal.lang, "journal_file_subtitle")).encode("utf-8")
