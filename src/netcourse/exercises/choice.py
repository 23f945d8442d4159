"""Single or multiple choice, with optional explanatory feedback per option.

Config: ``options`` (list of option ids), ``multiple`` (bool), ``with_note`` (bool: a free-text field).
Texts: ``heading``, ``prompt``, ``label``, ``options`` (id → label), optional ``note_label``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.errors import AnswerError
from netcourse.exercises.base import Exercise, ExerciseView


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


class Choice(Exercise):
    type_name = "choice"
    view_class = ChoiceView

    @property
    def option_ids(self) -> list[str]:
        return [str(o) for o in self.config.get("options", [])]

    @property
    def multiple(self) -> bool:
        return bool(self.config.get("multiple", False))

    def option_label(self, option_id: str) -> str:
        return str((self.texts.get("options") or {}).get(option_id, option_id))

    def validate(self, raw: Any) -> dict[str, Any]:
        raw = raw if isinstance(raw, Mapping) else {"choice": raw}
        chosen = raw.get("choice")
        if self.multiple:
            if not isinstance(chosen, (list, tuple)) or not chosen:
                raise AnswerError("choice", self.t("choose_some"))
            chosen = list(dict.fromkeys(str(c) for c in chosen))
            unknown = [c for c in chosen if c not in self.option_ids]
        else:
            if chosen is None or chosen == "":
                raise AnswerError("choice", self.t("choose_one"))
            unknown = [] if chosen in self.option_ids else [chosen]
        if unknown:
            raise AnswerError("choice", self.t("unknown_option") + f" ({unknown[0]!s:.40})")
        note = self.clean_text("note", raw.get("note", "")) if self.config.get("with_note") else ""
        answer: dict[str, Any] = {"choice": chosen}
        if note:
            answer["note"] = note
        return answer

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        chosen = answer.get("choice")
        chosen = chosen if isinstance(chosen, list) else [chosen]
        text = ", ".join(self.option_label(str(c)) for c in chosen if c is not None)
        pairs = [(str(self.texts.get("prompt", self.texts.get("label", self.id))), text)]
        if answer.get("note"):
            pairs.append((str(self.texts.get("note_label", self.t("your_answer"))), str(answer["note"])))
        return pairs
