"""The trainer's live board for the group exercise, and a timer for the group phase.

The board polls the shared store once a second from a task on the kernel's event loop and sets its HTML
widget only when the cards changed (a kernel whose widgets keep changing is never culled). Participant text
is escaped: a card holding ``<img src=x onerror=…>`` shows exactly those characters.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from netcourse.core.i18n import ui
from netcourse.core.markup import esc
from netcourse.core.participants import TRAITS
from netcourse.core.store import AnswerStore

POLL_S = 0.5  # the board reads the store twice a second: a saved card shows within about a second under load


def collect_cards(store: AnswerStore, module: str = "gruppenarbeit",
                  exercise: str = "ideen") -> dict[str, list[dict[str, Any]]]:
    """Every participant's idea cards, grouped by trait, oldest first."""
    cards: dict[str, list[dict[str, Any]]] = {t: [] for t in TRAITS}
    from netcourse.core.identity import TRAINER_ID

    for answer in store.answers(module=module):
        if answer.exercise != exercise or answer.participant_id == TRAINER_ID:
            continue
        for card in answer.value.get("cards") or []:
            if isinstance(card, Mapping) and card.get("group") in cards:
                cards[card["group"]].append(dict(card))
    for group in cards.values():
        group.sort(key=lambda c: str(c.get("created_at", "")))
    return cards


def board_html(cards: Mapping[str, Sequence[Mapping[str, Any]]], names: Mapping[str, str], lang: str) -> str:
    """Four columns, one per trait, each with its count and cards (all participant text escaped)."""
    columns = []
    for group in TRAITS:
        items = cards.get(group, [])
        body = "".join(f'<li class="nc-card"><strong>{esc(c.get("title", ""))}</strong>{esc(c.get("text", ""))}</li>'
                       for c in items) or f'<li class="nc-empty">{esc(ui(lang, "board_empty"))}</li>'
        columns.append(f'<section class="nc-board-col" aria-label="{esc(names.get(group, group))}">'
                       f'<h3>{esc(names.get(group, group))} <span class="nc-count">{len(items)}</span></h3>'
                       f'<ul class="nc-board-cards">{body}</ul></section>')
    total = sum(len(v) for v in cards.values())
    return (f'<p class="nc-board-total" aria-live="polite">{esc(ui(lang, "board_total", count=total))}</p>'
            f'<div class="nc-board">{"".join(columns)}</div>')


class GroupBoard:
    """A widget showing all four groups' idea cards, refreshed live from the store."""

    def __init__(self, store: AnswerStore, names: Mapping[str, str], lang: str, poll_s: float = POLL_S) -> None:
        self.store, self.names, self.lang, self.poll_s = store, dict(names), lang, poll_s
        self.widget = widgets.HTML(value="")
        self.widget.add_class("nc-board-box")
        self._task: asyncio.Task[None] | None = None
        self.refresh()

    def refresh(self) -> bool:
        """Read the store; update the widget only if something changed. Returns whether it changed."""
        markup = board_html(collect_cards(self.store), self.names, self.lang)
        if markup == self.widget.value:
            return False
        self.widget.value = markup
        return True

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_s)
            try:
                self.refresh()
            except Exception as exc:  # noqa: BLE001 - keep polling; a busy store recovers
                print(f"netcourse board: {exc}", flush=True)

    def start(self) -> None:
        """Poll in the background (on the kernel's running event loop)."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._poll())

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
        label = esc(ui(self.lang, "timer_label"))
        self.display.value = (f'<span class="nc-timer-clock" role="timer" aria-label="{label}">'
                              f"{text}</span> {esc(state)}")
        self.start_button.description = ui(self.lang, "timer_pause" if self.running else "timer_start")
        self.start_button.icon = "pause" if self.running else "play"
