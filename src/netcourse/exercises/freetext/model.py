"""Free text: one answer in a text area.

Config: ``required`` (bool, default true), ``max_length`` (int), ``rows`` (int).
Texts: ``heading``, ``prompt``, ``label`` (the field's accessible label), optional ``placeholder``.
Roles: ``documentation: list`` (every non-empty answer, quoted), ``journal``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from netcourse.exercises.base import MAX_TEXT, Exercise
from netcourse.exercises.summary import Contribution, Quotes, Reflection


class FreeText(Exercise):
    type_name = "freetext"
    view_class = "netcourse.exercises.freetext.view:FreeTextView"  # loaded when a page shows it
    fills = {"board": (False,), "documentation": ("none", "list"), "workbook": (False,), "journal": (True, False)}

    def validate(self, raw: Any) -> dict[str, Any]:
        value = raw.get("text") if isinstance(raw, Mapping) else raw
        required = bool(self.config.get("required", True))
        max_len = int(self.config.get("max_length", MAX_TEXT))
        return {"text": self.clean_text("text", value, required=required, max_len=max_len)}

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        return [(str(self.texts.get("prompt", self.texts.get("label", self.id))), str(answer.get("text", "")))]

    def summarise(self, answers: Sequence[Contribution], mode: str) -> Quotes | None:
        if mode != "list":
            return None
        entries = []
        for answer in answers:
            text = answer.value.get("text") if isinstance(answer.value, Mapping) else None
            if isinstance(text, str) and text.strip():
                entries.append(Reflection(text.strip(), answer.author))
        return Quotes(entries)
