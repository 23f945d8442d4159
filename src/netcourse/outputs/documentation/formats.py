"""The participant documentation as HTML and Markdown text (PDF printing is in ``pdf``, the file export
in ``export``).

HTML is one self-contained file: CSS inline, the chart as a ``data:`` URI, a Content-Security-Policy that
allows no script and no outside request. Every piece of participant text (ideas, reflections, names) is
escaped; course texts from the kit's own data files are rendered as Markdown with raw HTML off.
"""

from __future__ import annotations

import html
from typing import TypeVar

from netcourse.core.markup import bullet_list, course_css, markdown_html
from netcourse.exercises.charts import image_html
from netcourse.outputs.documentation.model import Documentation, number
from netcourse.outputs.exporters.markdown import md_escape

FORMATS = ("html", "pdf", "md")
SUFFIXES = {"html": ".html", "pdf": ".pdf", "md": ".md"}
CHROMIUM_ENV = "NETCOURSE_CHROMIUM"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
T = TypeVar("T")
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_DOC_CSS = """
body{font-family:var(--nc-font);max-width:52rem;margin:2rem auto;padding:0 1.5rem;color:#1a1a1a;
line-height:1.55}
h1{color:#1f5f8b;font-size:1.9rem;line-height:1.25;margin:.3rem 0 .4rem}
h2{border-bottom:2px solid #e8f1f7;margin-top:2.2rem;padding-bottom:.2rem;break-after:avoid}
h3{color:#1f5f8b;margin:1.4rem 0 .3rem;break-after:avoid} h4{margin:.8rem 0 .2rem}
.doc-subtitle{font-size:1.25rem;font-weight:600;margin:.2rem 0}
.doc-note{background:#fdf3e6;border-left:5px solid #8a4b08;padding:.4rem .9rem;border-radius:6px}
.doc-task{color:#4a4a4a;font-style:italic}
.nc-card{break-inside:avoid} .nc-card p{margin:.3rem 0;white-space:pre-wrap}
.doc-by{color:#4a4a4a;font-size:.9rem} .doc-module{break-inside:avoid}
blockquote{margin:.6rem 0;padding:.3rem 1rem;border-left:4px solid #d5dbe1;white-space:pre-wrap;
break-inside:avoid}
table{border-collapse:collapse;margin:.8rem 0} caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #d5dbe1;padding:.3rem .7rem;text-align:left} td.num{text-align:right}
.nc-chart{max-width:22rem;height:auto;display:block;margin:.6rem 0}
footer{margin-top:3rem;color:#4a4a4a;font-size:.85rem}
@page{size:A4;margin:18mm 16mm}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _inline_md(text: str) -> str:
    """Trusted course text as inline Markdown (raw HTML shown as text)."""
    return markdown_html(text).strip().removeprefix("<p>").removesuffix("</p>")


# HTML -------------------------------------------------------------------------------------------------
def render_html(doc: Documentation) -> str:
    """The whole documentation as one self-contained HTML page."""
    t, e = doc.t, _e
    parts = [
        f'<!DOCTYPE html><html lang="{e(doc.lang)}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{e(t('doc_title'))} – {e(t('event_title'))}</title>",
        f"<style>{course_css()}{_DOC_CSS}</style></head><body><main>",
        f'<header><p class="nc-kicker">{e(t("doc_kicker"))}</p><h1>{e(t("event_title"))}</h1>',
        f'<p class="nc-lead">{e(t("event_title_note"))}</p><p class="doc-subtitle">{e(t("doc_title"))}</p>',
        f'<p class="doc-note">{e(t("confidential"))}',
        f" {e(t('anonymized'))}" if doc.anonymized else "",
        "</p></header>",
        f'<section><h2>{e(t("event_heading"))}</h2><ul>',
        *(f"<li>{e(fact)}</li>" for fact in doc.texts["event_facts"]),
        f'</ul><p>{e(t("contributions", participants=doc.participants, answers=doc.answers))}</p></section>',
    ]
    if not doc.anonymized:
        parts.append(f'<section><h2>{e(t("participants_heading"))}</h2>')
        parts.append("<ul>" + "".join(f"<li>{e(name)}</li>" for name in doc.contributors) + "</ul>"
                     if doc.contributors else f'<p>{e(t("participants_none"))}</p>')
        parts.append("</section>")
    parts.append(f'<section><h2>{e(t("modules_heading"))}</h2><p>{e(t("modules_note"))}</p>')
    for m in doc.modules:
        parts.append(f'<article class="doc-module"><h3>{e(m.title)}</h3><p>{_inline_md(m.lead)}</p>'
                     f'<h4>{e(t("objectives_label"))}</h4>{bullet_list(m.objectives)}</article>')
    parts.append("</section>")
    parts.append(_ideas_html(doc))
    parts.append(_ratings_html(doc))
    parts.append(_maps_html(doc))
    parts.append(_reflections_html(doc))
    parts.append(f'<footer><p>{e(t("footer", date=doc.created.isoformat()))}</p></footer>')
    parts.append("</main></body></html>")
    return "".join(parts)


def _by(doc: Documentation, author: str | None) -> str:
    return f'<p class="doc-by">{_e(doc.t("by", author=author))}</p>' if author else ""


def _ideas_html(doc: Documentation) -> str:
    t, e = doc.t, _e
    parts = [f'<section><h2>{e(t("ideas_heading"))}</h2><p>{e(t("ideas_intro"))}</p>']
    for group in doc.groups:
        count = t("ideas_count", count=len(group.ideas))
        parts.append(f'<h3>{e(group.name)} <small>({e(count)})</small></h3>'
                     f'<p class="doc-task">{e(group.task)}</p>')
        if not group.ideas:
            parts.append(f'<p class="nc-empty">{e(t("ideas_none"))}</p>')
            continue
        parts.append('<ul class="nc-cards">')
        for idea in group.ideas:
            text = f"<p>{e(idea.text)}</p>" if idea.text else ""
            by = _by(doc, idea.author)
            parts.append(f'<li class="nc-card"><strong>{e(idea.title)}</strong>{text}{by}</li>')
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def _ratings_html(doc: Documentation) -> str:
    t, e, r = doc.t, _e, doc.ratings
    parts = [f'<section><h2>{e(t("ratings_heading"))}</h2>']
    if r is None or not r.respondents:
        return "".join(parts) + f'<p>{e(t("ratings_none"))}</p></section>'
    parts.append(f'<p>{e(t("ratings_intro", min=r.minimum, max=r.maximum))}</p>')
    if r.chart_png:
        parts.append(image_html(r.chart_png, r.chart_alt))
    parts.append(f'<table><caption>{e(t("ratings_caption"))}</caption><thead><tr>'
                 + "".join(f'<th scope="col">{e(t(key))}</th>'
                           for key in ("ratings_col_trait", "ratings_col_mean", "ratings_col_n"))
                 + "</tr></thead><tbody>")
    for trait in r.traits:
        mean = number(trait.mean, doc.lang) if trait.mean is not None else t("not_rated")
        parts.append(f'<tr><th scope="row">{e(trait.label)}</th><td class="num">{e(mean)}</td>'
                     f'<td class="num">{trait.n}</td></tr>')
    parts.append("</tbody></table></section>")
    return "".join(parts)


def map_rows(doc: Documentation) -> list[tuple[str, str]]:
    """(indicator, value) of the actor maps in aggregate, formatted for ``doc.lang``."""
    m, lang = doc.maps, doc.lang
    if m is None:
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


def _maps_html(doc: Documentation) -> str:
    t, e = doc.t, _e
    parts = [f'<section><h2>{e(t("maps_heading"))}</h2>']
    rows = map_rows(doc)
    if not rows:
        return "".join(parts) + f'<p>{e(t("maps_none"))}</p></section>'
    parts.append(f'<p>{e(t("maps_intro"))}</p><table><caption>{e(t("maps_caption"))}</caption><thead><tr>'
                 f'<th scope="col">{e(t("maps_col_indicator"))}</th>'
                 f'<th scope="col">{e(t("maps_col_value"))}</th></tr></thead><tbody>')
    parts += [f'<tr><th scope="row">{e(label)}</th><td class="num">{e(value)}</td></tr>'
              for label, value in rows]
    parts.append("</tbody></table></section>")
    return "".join(parts)


def _reflections_html(doc: Documentation) -> str:
    t, e = doc.t, _e
    parts = [f'<section><h2>{e(t("reflections_heading"))}</h2>']
    for group in doc.reflections:
        parts.append(f"<h3>{e(group.module_title)} – {e(group.heading)}</h3>")
        if group.prompt:
            parts.append(f'<div class="doc-task">{markdown_html(group.prompt)}</div>')
        if not group.entries:
            parts.append(f'<p class="nc-empty">{e(t("reflections_none"))}</p>')
        for entry in group.entries:
            parts.append(f"<blockquote>{e(entry.text)}{_by(doc, entry.author)}</blockquote>")
    parts.append("</section>")
    return "".join(parts)


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
    lines += [f"## {t('ideas_heading')}", "", t("ideas_intro"), ""]
    for group in doc.groups:
        lines += [f"### {group.name} ({t('ideas_count', count=len(group.ideas))})", "", f"*{group.task}*", ""]
        if not group.ideas:
            lines += [t("ideas_none"), ""]
        for idea in group.ideas:
            lines += [f"#### {md_escape(idea.title) or '–'}", ""]
            if idea.text:
                lines += [md_escape(idea.text), ""]
            if idea.author:
                lines += [f"*{md_escape(t('by', author=idea.author))}*", ""]
    lines += [f"## {t('ratings_heading')}", ""]
    r = doc.ratings
    if r is None or not r.respondents:
        lines += [t("ratings_none"), ""]
    else:
        lines += [t("ratings_intro", min=r.minimum, max=r.maximum), "",
                  f"| {t('ratings_col_trait')} | {t('ratings_col_mean')} | {t('ratings_col_n')} |",
                  "|---|---:|---:|"]
        for trait in r.traits:
            mean = number(trait.mean, doc.lang) if trait.mean is not None else t("not_rated")
            lines.append(f"| {trait.label} | {mean} | {trait.n} |")
        lines.append("")
    lines += [f"## {t('maps_heading')}", ""]
    rows = map_rows(doc)
    if rows:
        lines += [t("maps_intro"), "", f"| {t('maps_col_indicator')} | {t('maps_col_value')} |", "|---|---:|"]
        lines += [f"| {label} | {value} |" for label, value in rows] + [""]
    else:
        lines += [t("maps_none"), ""]
    lines += [f"## {t('reflections_heading')}", ""]
    for group in doc.reflections:
        lines += [f"### {group.module_title} – {group.heading}", ""]
        if not group.entries:
            lines += [t("reflections_none"), ""]
        for entry in group.entries:
            quote = md_escape(entry.text)
            if entry.author:
                quote += "  \n— " + md_escape(entry.author)
            lines += ["> " + line for line in quote.split("\n")] + [""]
    lines += ["---", "", t("footer", date=doc.created.isoformat()), ""]
    return "\n".join(lines)
