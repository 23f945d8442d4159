"""The notebook API: one call per piece of a module page.

A course notebook does little more than::

    from netcourse.pages.lesson import Lesson
    lesson = Lesson("<module id>", lang=lang, participant=participant)
    lesson.header()
    lesson.section("<section id>")
    lesson.activity("<activity id>")
    lesson.board()                     # trainer only: the live board of the module's board activity

Texts come from the module's data files in the chosen language; answers go to the store under the
participant id decided on the server side (see :mod:`netcourse.pages.session`). A page opened with a missing or
invalid personal link shows a German notice and no activity, so nothing is written. Errors in a page
piece are logged to the server log and shown to the participant as a short German message, never as a
traceback.
"""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from IPython.display import display

from netcourse.core.agenda import Agenda, clock
from netcourse.core.binding import AnswerBinding
from netcourse.core.course import CourseModule
from netcourse.core.i18n import course_texts, resolve_lang, ui
from netcourse.core.paths import START_NOTEBOOK
from netcourse.core.store import AnswerStore
from netcourse.core.templates import render_macro
from netcourse.exercises import registry
from netcourse.exercises.base import Exercise
from netcourse.exercises.registry import course_agenda, course_modules, role_activities
from netcourse.exercises.view import ExerciseView
from netcourse.pages.session import Visit, resolve_visit

log = logging.getLogger("netcourse")
F = TypeVar("F", bound=Callable[..., Any])
LESSON = "pages/lesson.html.j2"


def show_html(markup: str) -> None:
    """Display trusted markup built by the kit (never raw participant text)."""
    display({"text/html": markup}, raw=True)


def friendly(method: F) -> F:
    """Show a short message instead of a traceback; the details go to the server log (stderr)."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception:  # noqa: BLE001 - a participant must never see a traceback
            print(f"netcourse: error in {method.__qualname__}{args!r}:\n{traceback.format_exc()}",
                  file=sys.__stderr__, flush=True)
            lang = getattr(self, "lang", "de")
            show_html(render_macro("common.html.j2", "problem", "", ui(lang, "page_error")))
            return None

    return wrapper  # type: ignore[return-value]


class Lesson:
    """A module page for one participant in one language."""

    def __init__(self, module_id: str, *, lang: str | None = None, participant: str | None = None,
                 store: AnswerStore | str | None = None, mode: str | None = None,
                 group: str | None = None) -> None:
        self.module: CourseModule = registry.modules.get(module_id)
        self.lang = resolve_lang(lang)
        self.store = store if isinstance(store, AnswerStore) else AnswerStore(store)
        self.visit: Visit = resolve_visit(self.store, participant, mode)
        self.participant_id = self.visit.participant_id
        self.mode = self.visit.mode
        profile_group = self.visit.profile.group if self.visit.profile else ""
        self.context = {"group": group or profile_group} if (group or profile_group) else {}
        self.views: dict[str, ExerciseView] = {}

    @property
    def blocked(self) -> bool:
        """True when the page was opened without a valid personal link: nothing is shown or written."""
        return self.visit.problem is not None

    def link(self, notebook: str) -> str:
        """A link to another page that keeps this visitor's identity (``?p=`` or ``?trainer=``)."""
        return f"{notebook}?{self.visit.link_query}" if self.visit.link_query else notebook

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
        step = ui(self.lang, "nav_step", number=index + 1, total=len(order)) if index >= 0 else ""
        return render_macro(
            LESSON, "nav", where, label, step,
            (self.link(prev.notebook), prev.title(self.lang)) if prev is not None else None,
            (self.link(START_NOTEBOOK), ui(self.lang, "nav_overview")),
            (self.link(nxt.notebook), nxt.title(self.lang)) if nxt is not None else None)

    @friendly
    def footer(self) -> None:
        """Navigation at the end of the page."""
        if not self.blocked:
            show_html(self.nav_html("bottom"))

    def header_html(self) -> str:
        labels = {"minutes": ui(self.lang, "minutes", minutes=self.module.minutes),
                  "objectives": ui(self.lang, "objectives"), "trainer_note": ui(self.lang, "trainer_note")}
        return render_macro(LESSON, "header", self.nav_html("top"), self.texts, labels, self.mode == "trainer")

    def problem_html(self) -> str:
        """The notice for a page opened without a valid personal link."""
        return render_macro(LESSON, "problem", ui(self.lang, "link_title"),
                            ui(self.lang, self.visit.problem or "unknown_link"))

    @friendly
    def header(self) -> None:
        show_html(self.problem_html() if self.blocked else self.header_html())

    def section_html(self, section_id: str) -> str:
        s = self.module.section_texts(section_id, self.lang)
        return render_macro(LESSON, "section", section_id, s["heading"], s.get("body", ""))

    @property
    def self_study(self) -> bool:
        """A self-learner: no trainer, no roster (a live session's participants come with a profile)."""
        return self.mode != "trainer" and self.visit.problem is None and self.visit.profile is None

    def hidden(self, piece: str) -> bool:
        """True when the page piece is not for this visitor (``live_only`` pieces for a self-learner)."""
        return self.blocked or (self.self_study and piece in self.module.live_only)

    @friendly
    def section(self, section_id: str) -> None:
        if not self.hidden(f"section:{section_id}"):
            show_html(self.section_html(section_id))

    @friendly
    def recall(self) -> None:
        """The participant's earlier answers named in module.yaml ``recall`` (e.g. trait ratings)."""
        if self.blocked or self.mode == "trainer" or self.participant_id is None or not self.module.recall:
            return  # the trainer has no earlier answers of their own
        from netcourse.pages.selfstudy import earlier_answers, recall_html

        answers = earlier_answers(self.store, self.participant_id, self.module.recall, self.lang)
        show_html(recall_html(self.texts.get("recall") or {}, answers))

    @friendly
    def selfstudy(self, activity_id: str) -> None:
        """Self-learners only: the self-study task of a group activity (instead of the board)."""
        if self.hidden(f"selfstudy:{activity_id}") or not self.self_study:
            return
        from netcourse.pages.selfstudy import self_study_html

        show_html(self_study_html(self.texts.get("self_study") or {}))

    @friendly
    def examples(self, activity_id: str) -> None:
        """Self-learners only: example ideas to compare with, revealed after the first saved idea."""
        if self.hidden(f"examples:{activity_id}") or not self.self_study or self.participant_id is None:
            return
        from netcourse.pages.selfstudy import ExampleIdeas

        groups = self.module.activity_texts(activity_id, self.lang).get("groups") or {}
        names = {g: str(info.get("name", g)) for g, info in groups.items()}
        binding = AnswerBinding(self.store, self.participant_id, self.module.id, activity_id)
        self.example_ideas = ExampleIdeas(binding, self.texts.get("self_study") or {},
                                          self.texts.get("example_ideas") or {}, names)
        view = self.views.get(activity_id)
        if view is not None:  # the activity above: a saved idea enables the reveal at once
            view.status.observe(lambda _change: self.example_ideas.refresh(), names="value")
        display(self.example_ideas.widget)

    @friendly
    def board(self, activity: str | None = None) -> None:
        """Trainer mode only: the live board of ``activity`` (default: this module's first activity whose
        ``roles.board`` is true) and a timer for the working phase."""
        if self.blocked or self.mode != "trainer":
            return
        from netcourse.pages.board import LiveBoard, PhaseTimer, board_exercise, board_intro_html

        exercise = board_exercise(self.module, activity, self.lang)
        self.live_board = LiveBoard(self.store, self.module.id, exercise, self.lang)
        self.phase_timer = PhaseTimer(self.lang)
        show_html(board_intro_html(exercise, self.lang))
        display(self.phase_timer.widget)
        display(self.live_board.widget)
        self.live_board.start()

    def agenda_data(self) -> Agenda:
        """This course's agenda: the installed modules plus welcome round, break and feedback round."""
        return course_agenda(self.lang)

    def agenda_html(self, highlight: bool = True) -> str:
        """The agenda as a table: time from the start, title, minutes; a warning in trainer mode when it
        exceeds the planned length."""
        agenda = self.agenda_data()
        rows = []
        boards = {module.id for module, _, _ in role_activities("board")}  # shown to the trainer
        for row in agenda.rows:
            module_row = row.kind == "module"
            rows.append({
                "time": f"{clock(row.start)}–{clock(row.end)}", "title": row.title, "minutes": row.minutes,
                "css": "nc-agenda-item" if row.kind == "item" else
                       ("nc-current" if highlight and row.id == self.module.id else ""),
                "href": self.link(row.notebook) if module_row and highlight else "",
                "note": row.note if row.kind == "item" else "",
                "badge": ui(self.lang, "agenda_board") if self.mode == "trainer" and module_row
                         and row.id in boards else "",
            })
        labels = {key: ui(self.lang, key) for key in
                  ("agenda_caption", "agenda_time", "agenda_module", "agenda_minutes", "agenda_total")}
        warning = ""
        if self.mode == "trainer" and agenda.over:
            warning = ui(self.lang, "agenda_over", total=agenda.total, planned=agenda.planned, over=agenda.over)
        return render_macro(LESSON, "agenda", rows, labels, agenda.total,
                            course_texts(self.lang).get("agenda_note", ""), warning)

    @friendly
    def agenda(self) -> None:
        if not self.blocked:
            show_html(self.agenda_html())

    def exercise(self, activity_id: str) -> Exercise:
        spec = self.module.activity(activity_id)
        exercise_type = registry.exercises.get(spec.type)
        return exercise_type(spec, self.module.activity_texts(activity_id, self.lang), self.lang, self.context)

    def build_activity(self, activity_id: str) -> ExerciseView:
        """Build (without displaying) the view of one activity, bound to this participant's answer."""
        if self.participant_id is None:
            raise PermissionError("no valid personal link: activities are not available")
        binding = AnswerBinding(self.store, self.participant_id, self.module.id, activity_id)
        view = self.exercise(activity_id).view(binding)
        self.views[activity_id] = view
        return view

    def activity_intro_html(self, activity_id: str) -> str:
        t = self.module.activity_texts(activity_id, self.lang)
        return render_macro(LESSON, "activity_intro", t["heading"], t.get("prompt") or t.get("intro", ""))

    @friendly
    def activity(self, activity_id: str) -> None:
        """Show one activity: its heading and prompt, then its widgets (kept in ``self.views``)."""
        if self.hidden(f"activity:{activity_id}"):
            return
        view = self.build_activity(activity_id)
        show_html(self.activity_intro_html(activity_id))
        display(view.widget)


