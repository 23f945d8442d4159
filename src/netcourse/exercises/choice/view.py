"""Single or multiple choice: the widget view (ipywidgets) over the plain model in ``model``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.exercises.choice.model import Choice
from netcourse.exercises.view import ExerciseView


class ChoiceView(ExerciseView):
    exercise: Choice

    def build(self) -> None:
        ex = self.exercise
        options = [(ex.option_label(o), o) for o in ex.option_ids]
        label = str(ex.texts.get("label", ""))
        if ex.multiple:
            self.boxes = [widgets.Checkbox(value=False, description=text, indent=False) for text, _ in options]
            self.picker: widgets.Widget = widgets.VBox(
                [widgets.Label(value=label), *self.boxes], layout=widgets.Layout(margin="0 0 0.5em 0")
            )
        else:
            self.boxes = []
            self.picker = widgets.RadioButtons(
                options=options, value=None, description=label, style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
        self.picker.add_class("nc-choice")
        self.note = None
        if ex.config.get("with_note"):
            self.note = widgets.Textarea(
                description=str(ex.texts.get("note_label", ex.t("your_answer"))),
                placeholder=ex.t("note_placeholder"), rows=3,
                layout=widgets.Layout(width="100%"), style={"description_width": "initial"},
            )

    def input_widgets(self) -> list[widgets.Widget]:
        return [self.picker] + ([self.note] if self.note is not None else [])

    def collect(self) -> Any:
        ids = self.exercise.option_ids
        if self.exercise.multiple:
            chosen: Any = [oid for oid, box in zip(ids, self.boxes, strict=True) if box.value]
        else:
            chosen = self.picker.value
        return {"choice": chosen, "note": self.note.value if self.note is not None else ""}

    def fill(self, answer: Mapping[str, Any]) -> None:
        chosen = answer.get("choice")
        if self.exercise.multiple:
            for oid, box in zip(self.exercise.option_ids, self.boxes, strict=True):
                box.value = oid in (chosen or [])
        elif chosen in self.exercise.option_ids:
            self.picker.value = chosen
        if self.note is not None:
            self.note.value = str(answer.get("note", ""))
