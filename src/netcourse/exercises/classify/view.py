"""Classify: the widget view (ipywidgets) over the plain model in ``model``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.core.templates import render_macro
from netcourse.exercises.classify.model import Classify
from netcourse.exercises.view import ExerciseView

TEMPLATE = "exercises/classify.html.j2"


class ClassifyView(ExerciseView):
    exercise: Classify

    def build(self) -> None:
        ex = self.exercise
        self.save_button.description = ex.t("check")
        self.save_button.tooltip = ex.t("check")
        options = [(ex.category_label(c), c) for c in ex.category_ids]
        self.pickers: dict[str, widgets.ToggleButtons] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        rows = []
        for number, item in enumerate(ex.item_ids, start=1):
            case = widgets.HTML(value=render_macro(TEMPLATE, "case", number, ex.item_text(item)))
            picker = widgets.ToggleButtons(options=options, value=None, description=f"{number}.",
                                           style={"description_width": "2em", "button_width": "auto"})
            picker.add_class("nc-classify")
            feedback = widgets.HTML(value="")
            feedback.add_class("nc-feedback")
            self.pickers[item], self.feedback[item] = picker, feedback
            rows.append(widgets.VBox([case, picker, feedback], layout=widgets.Layout(margin="0 0 .8em 0")))
        self.score = widgets.HTML(value="")
        self.rows = rows

    def input_widgets(self) -> list[widgets.Widget]:
        return [*self.rows, self.score]

    def collect(self) -> Any:
        return {"choices": {item: p.value for item, p in self.pickers.items() if p.value is not None}}

    def fill(self, answer: Mapping[str, Any]) -> None:
        for item, category in (answer.get("choices") or {}).items():
            if item in self.pickers and category in self.exercise.category_ids:
                self.pickers[item].value = category
        self.show_feedback(answer)

    def on_saved(self, answer: Mapping[str, Any]) -> None:
        self.show_feedback(answer)

    def show_feedback(self, answer: Mapping[str, Any]) -> None:
        ex = self.exercise
        results = ex.evaluate(answer)
        for item in self.feedback:
            self.feedback[item].value = ""
        for fb in results:
            verdict = ex.t("correct") if fb.correct else ex.t("incorrect")
            kind = "ok" if fb.correct else "hint"
            self.feedback[fb.item].value = render_macro(TEMPLATE, "feedback", kind, verdict, fb.explanation)
        if results:
            correct = sum(fb.correct for fb in results)
            score = ex.t("classify_score", correct=correct, total=len(ex.item_ids))
            self.score.value = render_macro(TEMPLATE, "score", score)
