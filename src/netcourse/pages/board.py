"""The trainer's live board of one activity, and a timer for the working phase.

Any activity whose ``roles.board`` is true in its module.yaml has a board; its exercise type says what the
columns are and which cards an answer puts there (``Exercise.board_columns`` / ``board_cards``). A task on
the kernel's event loop follows the run's change feed (``AnswerStore.changes``: LISTEN/NOTIFY on PostgreSQL,
a cheap look at the file on SQLite), so an idea saved by any process, on any hub server, shows within a
moment; it re-reads every ``RESYNC_S`` seconds in any case. The HTML widget is set only when the cards
changed (a kernel whose widgets keep changing is never culled). The markup comes from
``templates/pages/board.html.j2`` (autoescape): a card holding ``<img src=x onerror=…>`` shows exactly those
characters.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from netcourse.core.course import CourseModule
from netcourse.core.errors import ContentError, StoreError
from netcourse.core.i18n import ui
from netcourse.core.store import AnswerStore
from netcourse.core.templates import render_macro, render_template
from netcourse.exercises import registry
from netcourse.exercises.base import Exercise
from netcourse.exercises.registry import activity_roles

RESYNC_S = 15.0  # the board re-reads this often even without a signal (and retries an unusable store)


def board_exercise(module: CourseModule, activity_id: str | None, lang: str) -> Exercise:
    """The exercise behind the board of ``activity_id`` (default: the module's first board activity)."""
    boards = [spec for spec in module.activities if activity_roles(module, spec).board]
    if activity_id is None and boards:
        activity_id = boards[0].id
    if activity_id is None or activity_id not in {spec.id for spec in boards}:
        raise ContentError(module.directory / "module.yaml",
                           f"module {module.id!r}: activity {activity_id!r} has no board (roles.board); "
                           f"activities with a board: {', '.join(s.id for s in boards) or '(none)'}")
    spec = module.activity(activity_id)
    return registry.exercises.get(spec.type)(spec, module.activity_texts(activity_id, lang), lang)


def collect_cards(store: AnswerStore, module_id: str, exercise: Exercise) -> dict[str, list[dict[str, Any]]]:
    """Every participant's cards for one board activity, by column, oldest first (the trainer's left out)."""
    from netcourse.core.identity import TRAINER_ID

    cards: dict[str, list[dict[str, Any]]] = {column: [] for column, _ in exercise.board_columns()}
    for answer in store.answers(module=module_id):
        if answer.exercise != exercise.id or answer.participant_id == TRAINER_ID:
            continue
        if not isinstance(answer.value, Mapping):
            continue
        for card in exercise.board_cards(answer.value):
            if card.get("column") in cards:
                cards[card["column"]].append(dict(card))
    for column in cards.values():
        column.sort(key=lambda c: str(c.get("created_at", "")))
    return cards


def board_html(columns: Sequence[tuple[str, str]], cards: Mapping[str, Sequence[Mapping[str, Any]]],
               lang: str) -> str:
    """One column per (id, name), each with its count and cards; all participant text escaped."""
    total = sum(len(cards.get(column, [])) for column, _ in columns)
    return render_template("pages/board.html.j2", columns=list(columns), cards=cards, total=total,
                           ui=lambda key, **values: ui(lang, key, **values))


def board_intro_html(exercise: Exercise, lang: str) -> str:
    """The heading above the board: the activity's own ``board.heading`` text, else "Live board: <activity>"."""
    own = (exercise.texts.get("board") or {}).get("heading")
    heading = own or ui(lang, "board_heading", activity=exercise.texts.get("heading", exercise.id))
    return render_template("pages/board_intro.html.j2", heading=heading, ui=lambda key, **v: ui(lang, key, **v))


class LiveBoard:
    """A widget showing every participant's cards of one board activity, refreshed live from the store."""

    def __init__(self, store: AnswerStore, module_id: str, exercise: Exercise, lang: str,
                 resync_s: float = RESYNC_S) -> None:
        self.store, self.module_id, self.exercise, self.lang = store, module_id, exercise, lang
        self.resync_s = resync_s
        self.columns = exercise.board_columns()
        self.widget = widgets.HTML(value="")
        self.widget.add_class("nc-board-box")
        self._task: asyncio.Task[None] | None = None
        self.refresh()

    def refresh(self) -> bool:
        """Read the store; update the widget only if something changed. Returns whether it changed."""
        markup = board_html(self.columns, collect_cards(self.store, self.module_id, self.exercise), self.lang)
        if markup == self.widget.value:
            return False
        self.widget.value = markup
        return True

    async def _follow(self) -> None:
        feed = None
        try:
            while True:
                if feed is None:
                    try:
                        feed = self.store.changes()
                    except StoreError as exc:  # unreachable for now: say so once per try, try again later
                        print(f"netcourse board: {exc}", flush=True)
                        await asyncio.sleep(self.resync_s)
                        continue
                await feed.changed(self.resync_s)
                try:
                    self.refresh()
                except Exception as exc:  # noqa: BLE001 - keep following; a busy store recovers
                    print(f"netcourse board: {exc}", flush=True)
        finally:
            if feed is not None:
                feed.close()

    def start(self) -> None:
        """Follow the store's changes in the background (on the kernel's running event loop)."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._follow())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None


class PhaseTimer:
    """A countdown for the group phase: minutes, start/pause, reset; ticks only while running."""

    def __init__(self, lang: str, minutes: int = 25) -> None:
        self.lang = lang
        self.minutes = widgets.BoundedIntText(value=minutes, min=1, max=180, description=ui(lang, "timer_minutes"),
                                              style={"description_width": "initial"},
                                              layout=widgets.Layout(width="14em"))
        self.display = widgets.HTML(value="")
        self.display.add_class("nc-timer")
        self.start_button = widgets.Button(description=ui(lang, "timer_start"), icon="play", button_style="primary",
                                           tooltip=ui(lang, "timer_start"))
        self.reset_button = widgets.Button(description=ui(lang, "timer_reset"), icon="undo",
                                           tooltip=ui(lang, "timer_reset"))
        self.start_button.on_click(lambda _b: self.toggle())
        self.reset_button.on_click(lambda _b: self.reset())
        self.minutes.observe(lambda _c: self.reset(), names="value")
        self.widget = widgets.HBox([self.minutes, self.start_button, self.reset_button, self.display],
                                   layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        self.remaining = float(minutes * 60)
        self._ends_at: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._show()

    @property
    def running(self) -> bool:
        return self._ends_at is not None

    def toggle(self) -> None:
        if self.running:
            self.remaining = max(0.0, self._ends_at - time.monotonic())  # type: ignore[operator]
            self._ends_at = None
            self._cancel()
        else:
            self._ends_at = time.monotonic() + self.remaining
            self._task = asyncio.ensure_future(self._tick())
        self._show()

    def reset(self) -> None:
        self._ends_at = None
        self._cancel()
        self.remaining = float(self.minutes.value * 60)
        self._show()

    def tick(self) -> None:
        """Update the display from the clock; stops at zero."""
        if self._ends_at is not None:
            self.remaining = max(0.0, self._ends_at - time.monotonic())
            if self.remaining <= 0:
                self._ends_at = None
        self._show()

    async def _tick(self) -> None:
        while self.running:
            await asyncio.sleep(1)
            self.tick()

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _show(self) -> None:
        seconds = int(round(self.remaining))
        text = f"{seconds // 60:02d}:{seconds % 60:02d}"
        state = ui(self.lang, "timer_over") if seconds == 0 else ""
        self.display.value = render_macro("pages/timer.html.j2", "clock", text, ui(self.lang, "timer_label"), state)
        self.start_button.description = ui(self.lang, "timer_pause" if self.running else "timer_start")
        self.start_button.icon = "pause" if self.running else "play"
