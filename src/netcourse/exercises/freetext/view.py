"""Free text: the widget view (ipywidgets) over the plain model in ``model``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.exercises.freetext.model import FreeText
from netcourse.exercises.view import ExerciseView


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
