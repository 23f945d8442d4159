"""Free text: one answer in a text area.

Config: ``required`` (bool, default true), ``max_length`` (int), ``rows`` (int).
Texts: ``heading``, ``prompt``, ``label`` (the field's accessible label), optional ``placeholder``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.exercises.base import MAX_TEXT, Exercise, ExerciseView


class FreeTextView(ExerciseView):
    exercise: FreeText

    def build(self) -> None:
        ex = self.exercise
        self.text = widgets.Textarea(
            description=str(ex.texts.get("label", "")),
            placeholder=str(ex.texts.get("placeholder") or ex.t("text_placeholder")),
            rows=int(ex.config.get("rows", 4)),
            layout=widgets.Layout(width="100%"),
            style={"description_width": "initial"},
        )
        self.text.add_class("nc-textarea")

    def input_widgets(self) -> list[widgets.Widget]:
        return [self.text]

    def collect(self) -> Any:
        return {"text": self.text.value}

    def fill(self, answer: Mapping[str, Any]) -> None:
        self.text.value = str(answer.get("text", ""))


class FreeText(Exercise):
    type_name = "freetext"
    view_class = FreeTextView

    def validate(self, raw: Any) -> dict[str, Any]:
        value = raw.get("text") if isinstance(raw, Mapping) else raw
        required = bool(self.config.get("required", True))
        max_len = int(self.config.get("max_length", MAX_TEXT))
        return {"text": self.clean_text("text", value, required=required, max_len=max_len)}

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        return [(str(self.texts.get("prompt", self.texts.get("label", self.id))), str(answer.get("text", "")))]
