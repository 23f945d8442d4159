"""HTML journal: one self-contained file (charts inline, no outside requests), all participant text escaped."""

from __future__ import annotations

import html

from netcourse.core.markup import course_css
from netcourse.exercises.charts import image_html
from netcourse.outputs.exporters.base import Exporter, Journal

TITLES = {"de": "Mein Lernjournal", "en": "My learning journal"}
SUBTITLES = {"de": "Netzwerke erkennen lernen. Chancen des Netzwerkmanagements",
             "en": "Learning to recognise networks. Opportunities of network management"}


class HtmlExporter(Exporter):
    format_name = "html"
    suffix = ".html"
    media_type = "text/html"

    def render(self, journal: Journal) -> bytes:
        e = html.escape
        parts = [
            f'<!DOCTYPE html><html lang="{journal.lang}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(TITLES[journal.lang])}</title><style>{course_css()}",
            "body{font-family:var(--nc-font);max-width:52rem;margin:2rem auto;padding:0 1.5rem;color:#1a1a1a;"
            "line-height:1.55} dt{font-weight:600;margin-top:.6rem} dd{margin:0 0 .3rem 0;white-space:pre-wrap}"
            "h1{color:#1f5f8b} h2{border-bottom:2px solid #e8f1f7;margin-top:2rem}</style></head><body><main>",
            f'<p class="nc-kicker">{e(SUBTITLES[journal.lang])}</p><h1>{e(TITLES[journal.lang])}</h1>',
        ]
        for jm in journal.modules:
            parts.append(f"<section><h2>{e(jm.title)}</h2>")
            for entry in jm.entries:
                parts.append(f"<h3>{e(entry.heading)}</h3><dl>")
                for question, answer in entry.pairs:
                    parts.append(f"<dt>{e(question)}</dt><dd>{e(answer) or '–'}</dd>")
                parts.append("</dl>")
                if entry.chart_image:
                    parts.append(image_html(entry.chart_image, entry.chart_alt or ""))
            parts.append("</section>")
        parts.append("</main></body></html>")
        return "".join(parts).encode("utf-8")
