"""The participant documentation as HTML and Markdown text (PDF printing is in ``pdf``, the file export
in ``export``).

HTML is one self-contained file rendered from ``templates/documentation/page.html.j2`` (Jinja, autoescape
on): CSS inline (``static/netcourse.css`` + ``static/documentation.css``), the chart as a ``data:`` URI, a
Content-Security-Policy that allows no script and no outside request. Course texts from the kit's own data
files are rendered as Markdown with raw HTML off. Each part is rendered by the kind of its summary, never by
the module it comes from.
"""

from __future__ import annotations

from typing import Any, TypeVar

from netcourse.core.templates import render_template
from netcourse.exercises.summary import CardGroups, MapSummary, Quotes, RatingSummary, TraitAverage
from netcourse.outputs.documentation.model import ActivityPart, Documentation, number
from netcourse.outputs.exporters.markdown import md_escape

FORMATS = ("html", "pdf", "md")
SUFFIXES = {"html": ".html", "pdf": ".pdf", "md": ".md"}
CHROMIUM_ENV = "NETCOURSE_CHROMIUM"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
T = TypeVar("T")
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
KINDS = {CardGroups: "cards", RatingSummary: "ratings", MapSummary: "maps", Quotes: "quotes"}


def kind(summary: Any) -> str:
    """The kind of a part's summary: cards, ratings, maps, quotes (or none)."""
    return KINDS.get(type(summary), "none")


def _mean(doc: Documentation, trait: TraitAverage) -> str:
    return number(trait.mean, doc.lang) if trait.mean is not None else doc.t("not_rated")


# HTML -------------------------------------------------------------------------------------------------
def render_html(doc: Documentation) -> str:
    """The whole documentation as one self-contained HTML page."""
    return render_template(
        "documentation/page.html.j2", doc=doc, csp=CSP,
        parts=[p for p in doc.parts if kind(p.summary) != "quotes"], quotes=doc.parts_of(Quotes), kind=kind,
        mean=lambda trait: _mean(doc, trait), map_rows=lambda m: map_rows(doc, m))


def map_rows(doc: Documentation, maps: MapSummary | None = None) -> list[tuple[str, str]]:
    """(indicator, value) of the actor maps in aggregate, formatted for ``doc.lang``."""
    m, lang = maps if maps is not None else doc.maps, doc.lang
    if m is None or not m.maps:
        return []
    return [
        (doc.t("maps_count"), str(m.maps)),
        (doc.t("maps_actors"), number(m.mean_actors, lang)),
        (doc.t("maps_ties"), number(m.mean_ties, lang)),
        (doc.t("maps_sectors"), number(m.mean_sectors, lang)),
        (doc.t("maps_evenness"), number(m.mean_evenness, lang, 2)),
        (doc.t("maps_connected"), f"{round(m.mean_connected_share * 100)} %"),
        (doc.t("maps_density"), number(m.mean_density, lang, 2)),
    ]


# Markdown ---------------------------------------------------------------------------------------------
def render_markdown(doc: Documentation) -> str:
    """The documentation as Markdown; participant text escaped with ``md_escape``."""
    t = doc.t
    note = t("confidential") + (f" {t('anonymized')}" if doc.anonymized else "")
    lines = [f"*{t('doc_kicker')}*", "", f"# {t('event_title')}", "", t("event_title_note"), "",
             f"**{t('doc_title')}**", "", f"> {note}", "", f"## {t('event_heading')}", ""]
    lines += [f"- {fact}" for fact in doc.texts["event_facts"]]
    lines += ["", t("contributions", participants=doc.participants, answers=doc.answers), ""]
    if not doc.anonymized:
        lines += [f"## {t('participants_heading')}", ""]
        lines += [f"- {md_escape(name)}" for name in doc.contributors] or [t("participants_none")]
        lines.append("")
    lines += [f"## {t('modules_heading')}", "", t("modules_note"), ""]
    for m in doc.modules:
        lines += [f"### {m.title}", "", m.lead, "", f"**{t('objectives_label')}**", ""]
        lines += [f"- {o}" for o in m.objectives] + [""]
    for part in doc.parts:
        lines += _md_part(doc, part)
    quotes = doc.parts_of(Quotes)
    if quotes:
        lines += [f"## {t('reflections_heading')}", ""]
    for part in quotes:
        lines += [f"### {part.module_title} – {part.heading}", ""]
        if not part.summary.entries:  # type: ignore[union-attr]
            lines += [t("reflections_none"), ""]
        for entry in part.summary.entries:  # type: ignore[union-attr]
            quote = md_escape(entry.text)
            if entry.author:
                quote += "  \n— " + md_escape(entry.author)
            lines += ["> " + line for line in quote.split("\n")] + [""]
    lines += ["---", "", t("footer", date=doc.created.isoformat()), ""]
    return "\n".join(lines)


def _md_part(doc: Documentation, part: ActivityPart) -> list[str]:
    """One part that is not a quote, by the kind of its summary."""
    t, s = doc.t, part.summary
    if isinstance(s, CardGroups):
        lines = [f"## {part.title}", ""] + ([part.intro, ""] if part.intro else [])
        for group in s.groups:
            lines += [f"### {group.name} ({t('ideas_count', count=len(group.ideas))})", "", f"*{group.task}*", ""]
            if not group.ideas:
                lines += [t("ideas_none"), ""]
            for idea in group.ideas:
                lines += [f"#### {md_escape(idea.title) or '–'}", ""]
                if idea.text:
                    lines += [md_escape(idea.text), ""]
                if idea.author:
                    lines += [f"*{md_escape(t('by', author=idea.author))}*", ""]
        return lines
    if isinstance(s, RatingSummary):
        if not s.respondents:
            return [f"## {part.title}", "", t("ratings_none"), ""]
        lines = [f"## {part.title}", "", t("ratings_intro", min=s.minimum, max=s.maximum), "",
                 f"| {t('ratings_col_trait')} | {t('ratings_col_mean')} | {t('ratings_col_n')} |", "|---|---:|---:|"]
        return lines + [f"| {trait.label} | {_mean(doc, trait)} | {trait.n} |" for trait in s.traits] + [""]
    if isinstance(s, MapSummary):
        rows = map_rows(doc, s)
        if not rows:
            return [f"## {part.title}", "", t("maps_none"), ""]
        lines = [f"## {part.title}", "", t("maps_intro"), "",
                 f"| {t('maps_col_indicator')} | {t('maps_col_value')} |", "|---|---:|"]
        return lines + [f"| {label} | {value} |" for label, value in rows] + [""]
    return []
