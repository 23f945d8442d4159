"""Self-check: the widget view. Labelled radio buttons per question; the chosen option's feedback appears at once
(escaped text in a live region); the save button stores the answers like any activity."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.core.templates import render_macro
from netcourse.exercises.selfcheck.model import SelfCheck
from netcourse.exercises.view import ExerciseView

TEMPLATE = "exercises/selfcheck.html.j2"


class SelfCheckView(ExerciseView):
    exercise: SelfCheck

    def build(self) -> None:
        ex = self.exercise
        self.save_button.description = ex.t("selfcheck_save")
        self.save_button.tooltip = ex.t("selfcheck_save")
        self.pickers: dict[str, widgets.RadioButtons] = {}
        self.feedbacks: dict[str, widgets.HTML] = {}
        self.boxes: list[widgets.Widget] = []
        for number, (item_id, item) in enumerate(ex.items.items(), start=1):
            question = widgets.HTML(value=render_macro(TEMPLATE, "question", ex.id, item_id, number,
                                                       item.get("question", "")))
            picker = widgets.RadioButtons(options=[(text, oid) for oid, text in ex.options(item_id).items()],
                                          value=None, layout=widgets.Layout(width="auto"),
                                          description="", tooltip=str(item.get("question", "")))
            picker.add_class("nc-selfcheck-options")
            feedback = widgets.HTML(value="")
            feedback.add_class("nc-feedback-region")
            picker.observe(lambda change, i=item_id: self.show_feedback(i, change["new"]), names="value")
            self.pickers[item_id], self.feedbacks[item_id] = picker, feedback
            box = widgets.VBox([question, picker, feedback])
            box.add_class("nc-selfcheck-item")
            self.boxes.append(box)
        self.score = widgets.HTML(value="")

    def input_widgets(self) -> list[widgets.Widget]:
        return self.boxes

    def footer_widgets(self) -> list[widgets.Widget]:
        return [self.score]

    def show_feedback(self, item_id: str, option: str | None) -> None:
        ex = self.exercise
        if option is None:
            self.feedbacks[item_id].value = ""
            return
        right = ex.is_right(item_id, option)
        kind = "right" if right else "wrong"
        self.feedbacks[item_id].value = render_macro(TEMPLATE, "feedback", kind, ex.t("selfcheck_feedback"),
                                                     ex.feedback(item_id, option))

    def collect(self) -> Any:
        return {"answers": {item_id: picker.value for item_id, picker in self.pickers.items()}}

    def fill(self, answer: Mapping[str, Any]) -> None:
        for item_id, option in (answer.get("answers") or {}).items():
            if item_id in self.pickers and option in self.exercise.options(item_id):
                self.pickers[item_id].value = option
        self.show_score(answer)

    def on_saved(self, answer: Mapping[str, Any]) -> None:
        self.show_score(answer)

    def show_score(self, answer: Mapping[str, Any]) -> None:
        right, total = self.exercise.score(answer)
        text = self.exercise.t("selfcheck_score", right=right, total=total)
        self.score.value = render_macro(TEMPLATE, "score", text)
