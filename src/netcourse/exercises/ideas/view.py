"""Idea cards for the group exercise: the widget view (ipywidgets) over the plain model in ``model``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.core.store import utc_now
from netcourse.core.templates import render_macro
from netcourse.exercises.ideas.model import Ideas
from netcourse.exercises.view import ExerciseView

TEMPLATE = "exercises/ideas.html.j2"


class IdeasView(ExerciseView):
    exercise: Ideas

    def build(self) -> None:
        ex = self.exercise
        self.save_button.description = ex.t("add_idea")
        self.save_button.tooltip = ex.t("add_idea")
        self.save_button.icon = "plus"
        self.cards: list[dict[str, Any]] = []
        fixed = ex.fixed_group
        self.group_picker = widgets.ToggleButtons(
            options=[(ex.group_name(g), g) for g in ex.group_ids], value=fixed,
            description=str(ex.texts.get("group_label", "")), style={"description_width": "initial",
                                                                     "button_width": "auto"},
        )
        self.group_picker.layout.display = "none" if fixed else None
        self.group_note = widgets.HTML(value="")
        self.task = widgets.HTML(value="")
        self.title = widgets.Text(description=str(ex.texts.get("title_label", "")), placeholder="",
                                  style={"description_width": "8em"}, layout=widgets.Layout(width="100%"))
        self.text = widgets.Textarea(description=str(ex.texts.get("text_label", "")), rows=3,
                                     style={"description_width": "8em"}, layout=widgets.Layout(width="100%"))
        self.board = widgets.HTML(value="")
        self.remove_button = widgets.Button(description=ex.t("remove_last_idea"), icon="undo",
                                            tooltip=ex.t("remove_last_idea"))
        self.remove_button.on_click(lambda _b: self.remove_last())
        self.group_picker.observe(lambda _c: self.refresh(), names="value")
        self.refresh()

    def input_widgets(self) -> list[widgets.Widget]:
        return [self.group_picker, self.group_note, self.task, self.title, self.text]

    def footer_widgets(self) -> list[widgets.Widget]:
        return [self.board, self.remove_button]

    def collect(self) -> Any:
        draft = {"group": self.group_picker.value, "title": self.title.value, "text": self.text.value,
                 "created_at": utc_now()}
        return {"group": self.group_picker.value, "cards": [*self.cards, draft]}

    def fill(self, answer: Mapping[str, Any]) -> None:
        self.cards = [dict(c) for c in answer.get("cards") or []]
        if self.exercise.fixed_group is None and answer.get("group") in self.exercise.group_ids:
            self.group_picker.value = answer["group"]
        self.refresh()

    def on_saved(self, answer: Mapping[str, Any]) -> None:
        self.cards = [dict(c) for c in answer["cards"]]
        self.title.value = ""
        self.text.value = ""
        self.refresh()

    def remove_last(self) -> None:
        if not self.cards:
            return
        remaining = self.cards[:-1]
        self.binding.save({"group": self.group_picker.value, "cards": remaining})
        self.cards = remaining
        self.refresh()

    def refresh(self) -> None:
        ex = self.exercise
        group = self.group_picker.value
        if group is None:
            self.group_note.value = ""
            self.task.value = render_macro(TEMPLATE, "task", ex.t("choose_group"))
        else:
            self.group_note.value = (render_macro(TEMPLATE, "group", ex.t("group_fixed", group=ex.group_name(group)))
                                     if ex.fixed_group else "")
            self.task.value = render_macro(TEMPLATE, "task", ex.group_task(group))
        heading = ex.t("your_ideas", group=ex.group_name(group)) if group else ""
        mine = [c for c in self.cards if c.get("group") == group] if group else self.cards
        self.board.value = render_macro(TEMPLATE, "board", heading, mine, ex.t("no_ideas_yet"))
        self.remove_button.disabled = not self.cards
