"""Classify: sort items (cases, tasks) into categories and get explanatory feedback per item.

Config: ``categories`` (ids), ``items`` (ids), ``solution`` (item id → category id).
Texts: ``heading``, ``prompt``, ``categories`` (id → label), ``items`` (id → text),
``feedback`` (item id → explanation shown after answering).
Answer: ``{"choices": {item: category}}``; the feedback is computed, never stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from netcourse.errors import AnswerError
from netcourse.exercises.base import Exercise, ExerciseView
from netcourse.rendering import esc


@dataclass(frozen=True)
class ItemFeedback:
    item: str
    chosen: str
    expected: str
    correct: bool
    explanation: str


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
            case = widgets.HTML(value=f'<p class="nc-case"><strong>{number}.</strong> {esc(ex.item_text(item))}</p>')
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
            self.feedback[fb.item].value = (
                f'<p class="nc-feedback-{kind}"><strong>{esc(verdict)}</strong> {esc(fb.explanation)}</p>'
            )
        if results:
            correct = sum(fb.correct for fb in results)
            score = ex.t("classify_score", correct=correct, total=len(ex.item_ids))
            self.score.value = f'<p class="nc-score">{esc(score)}</p>'


class Classify(Exercise):
    type_name = "classify"
    view_class = ClassifyView

    @property
    def item_ids(self) -> list[str]:
        return [str(i) for i in self.config.get("items", [])]

    @property
    def category_ids(self) -> list[str]:
        return [str(c) for c in self.config.get("categories", [])]

    @property
    def solution(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in (self.config.get("solution") or {}).items()}

    def item_text(self, item: str) -> str:
        return str((self.texts.get("items") or {}).get(item, item))

    def category_label(self, category: str) -> str:
        return str((self.texts.get("categories") or {}).get(category, category))

    def validate(self, raw: Any) -> dict[str, Any]:
        choices = raw.get("choices") if isinstance(raw, Mapping) else None
        if not isinstance(choices, Mapping) or not choices:
            raise AnswerError("choices", self.t("choose_category"))
        cleaned: dict[str, str] = {}
        for item, category in choices.items():
            if item not in self.item_ids:
                raise AnswerError(f"choices.{str(item)[:40]}", self.t("unknown_option"))
            if category not in self.category_ids:
                raise AnswerError(f"choices.{item}", self.t("unknown_option"))
            cleaned[item] = category
        return {"choices": cleaned}

    def evaluate(self, answer: Mapping[str, Any]) -> list[ItemFeedback]:
        """Feedback for every answered item, in item order."""
        choices = answer.get("choices") or {}
        feedback = self.texts.get("feedback") or {}
        return [
            ItemFeedback(item, choices[item], self.solution.get(item, ""),
                         choices[item] == self.solution.get(item), str(feedback.get(item, "")))
            for item in self.item_ids if item in choices
        ]

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        pairs = []
        for fb in self.evaluate(answer):
            verdict = self.t("correct") if fb.correct else self.t("incorrect")
            pairs.append((self.item_text(fb.item), f"{self.category_label(fb.chosen)} – {verdict} {fb.explanation}"))
        return pairs
