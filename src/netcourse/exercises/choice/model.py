"""Single or multiple choice, with optional explanatory feedback per option.

Config: ``options`` (list of option ids), ``multiple`` (bool), ``with_note`` (bool: a free-text field).
Texts: ``heading``, ``prompt``, ``label``, ``options`` (id → label), optional ``note_label``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netcourse.core.errors import AnswerError
from netcourse.exercises.base import Exercise


class Choice(Exercise):
    type_name = "choice"
    view_class = "netcourse.exercises.choice.view:ChoiceView"  # loaded when a page shows it

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
