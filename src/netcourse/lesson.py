"""The notebook API: one call per piece of a module page.

A course notebook does little more than::

    from netcourse.lesson import Lesson
    lesson = Lesson("grundmerkmale", lang=lang, participant=participant)
    lesson.header()
    lesson.section("tausch")
    lesson.activity("selbsteinschaetzung")

Texts come from the module's data files in the chosen language; answers go to the store under the
participant id (papermill parameter, server-side environment, or the local self-learner id).
"""

from __future__ import annotations

from typing import Any

from IPython.display import display

from netcourse import plugins
from netcourse.binding import AnswerBinding
from netcourse.course import CourseModule, course_modules
from netcourse.exercises.base import Exercise, ExerciseView
from netcourse.i18n import resolve_lang, ui
from netcourse.identity import resolve_mode, resolve_participant
from netcourse.rendering import bullet_list, esc, markdown_html, style_tag
from netcourse.store import AnswerStore


START_NOTEBOOK = "00-start.ipynb"


def show_html(markup: str) -> None:
    """Display trusted markup built by the kit (never raw participant text)."""
    display({"text/html": markup}, raw=True)


class Lesson:
    """A module page for one participant in one language."""

    def __init__(self, module_id: str, *, lang: str | None = None, participant: str | None = None,
                 store: AnswerStore | str | None = None, mode: str | None = None,
                 group: str | None = None) -> None:
        self.module: CourseModule = plugins.modules.get(module_id)
        self.lang = resolve_lang(lang)
        self.participant_id = resolve_participant(participant)
        self.store = store if isinstance(store, AnswerStore) else AnswerStore(store)
        self.mode = resolve_mode(mode)
        self.context = {"group": group} if group else {}
        self.views: dict[str, ExerciseView] = {}

    @property
    def texts(self) -> dict[str, Any]:
        return self.module.texts(self.lang)

    # page pieces ---------------------------------------------------------------------------------
    def nav_html(self, where: str = "top") -> str:
        """Previous / overview / next links between the modules in course order."""
        order = course_modules()
        ids = [m.id for m in order]
        index = ids.index(self.module.id) if self.module.id in ids else -1
        prev = order[index - 1] if index > 0 else None
        nxt = order[index + 1] if 0 <= index < len(order) - 1 else None
        label = ui(self.lang, "nav_label" if where == "top" else "nav_label_bottom")
        links = []
        if prev is not None:
            links.append(f'<a class="nc-prev" href="{esc(prev.notebook)}">← {esc(prev.title(self.lang))}</a>')
        links.append(f'<a class="nc-home" href="{START_NOTEBOOK}">{esc(ui(self.lang, "nav_overview"))}</a>')
        if nxt is not None:
            links.append(f'<a class="nc-next" href="{esc(nxt.notebook)}">{esc(nxt.title(self.lang))} →</a>')
        step = ui(self.lang, "nav_step", number=index + 1, total=len(order)) if index >= 0 else ""
        return (f'<nav class="nc-nav nc-nav-{where}" aria-label="{esc(label)}">'
                f'<span class="nc-step">{esc(step)}</span>{"".join(links)}</nav>')

    def footer(self) -> None:
        """Navigation at the end of the page."""
        show_html(self.nav_html("bottom"))

    def header_html(self) -> str:
        t = self.texts
        parts = [
            style_tag(),
            self.nav_html("top"),
            f'<header class="nc-header"><p class="nc-kicker">{esc(t.get("kicker", ""))}</p>',
            f"<h1>{esc(t['title'])}</h1>",
            f'<p class="nc-lead">{esc(t["lead"])}</p>',
            f'<p class="nc-meta">{esc(ui(self.lang, "minutes", minutes=self.module.minutes))}</p></header>',
            f'<section class="nc-objectives"><h2>{esc(ui(self.lang, "objectives"))}</h2>',
            bullet_list(t["objectives"]),
            "</section>",
        ]
        if self.mode == "trainer":
            parts.append(
                f'<aside class="nc-trainer-note" aria-label="{esc(ui(self.lang, "trainer_note"))}">'
                f'<p class="nc-trainer-title">{esc(ui(self.lang, "trainer_note"))}</p>'
                f'{markdown_html(t["trainer_note"])}</aside>'
            )
        return "".join(parts)

    def header(self) -> None:
        show_html(self.header_html())

    def section_html(self, section_id: str) -> str:
        s = self.module.section_texts(section_id, self.lang)
        return (f'<section class="nc-section" id="{esc(section_id)}"><h2>{esc(s["heading"])}</h2>'
                f'{markdown_html(s.get("body", ""))}</section>')

    def section(self, section_id: str) -> None:
        show_html(self.section_html(section_id))

    def agenda_html(self, highlight: bool = True) -> str:
        """The programme: every installed module in course order with its minutes and time slot."""
        rows, start = [], 0
        for module in course_modules():
            end = start + module.minutes
            current = ' class="nc-current"' if highlight and module.id == self.module.id else ""
            rows.append(f"<tr{current}><td>{_clock(start)}–{_clock(end)}</td><td>{esc(module.title(self.lang))}</td>"
                        f'<td class="nc-num">{module.minutes}</td></tr>')
            start = end
        t = lambda key: esc(ui(self.lang, key))  # noqa: E731
        return (f'<table class="nc-agenda"><caption>{t("agenda_caption")}</caption>'
                f'<thead><tr><th scope="col">{t("agenda_time")}</th><th scope="col">{t("agenda_module")}</th>'
                f'<th scope="col">{t("agenda_minutes")}</th></tr></thead><tbody>{"".join(rows)}</tbody>'
                f'<tfoot><tr><td></td><th scope="row">{t("agenda_total")}</th><td class="nc-num">{start}</td></tr>'
                "</tfoot></table>")

    def agenda(self) -> None:
        show_html(self.agenda_html())

    def exercise(self, activity_id: str) -> Exercise:
        spec = self.module.activity(activity_id)
        exercise_type = plugins.exercises.get(spec.type)
        return exercise_type(spec, self.module.activity_texts(activity_id, self.lang), self.lang, self.context)

    def build_activity(self, activity_id: str) -> ExerciseView:
        """Build (without displaying) the view of one activity, bound to this participant's answer."""
        binding = AnswerBinding(self.store, self.participant_id, self.module.id, activity_id)
        view = self.exercise(activity_id).view(binding)
        self.views[activity_id] = view
        return view

    def activity_intro_html(self, activity_id: str) -> str:
        t = self.module.activity_texts(activity_id, self.lang)
        return (f'<div class="nc-activity-intro"><h2>{esc(t["heading"])}</h2>'
                f'{markdown_html(t.get("prompt", ""))}</div>')

    def activity(self, activity_id: str) -> None:
        """Show one activity: its heading and prompt, then its widgets (kept in ``self.views``)."""
        view = self.build_activity(activity_id)
        show_html(self.activity_intro_html(activity_id))
        display(view.widget)


def _clock(minutes: int) -> str:
    """Minutes from the start as h:mm."""
    return f"{minutes // 60}:{minutes % 60:02d}"
