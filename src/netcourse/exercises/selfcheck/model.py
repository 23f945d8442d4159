"""Self-check: short questions with one right option each and feedback that explains why, per option.

Config: ``texts`` (optional): the top-level text key holding the items (the built-in modules use
``self_check``); without it the texts come from ``activities.<id>`` like any activity.
Texts: ``heading``, ``intro``, ``items`` (id → ``question``, ``options`` {id: text}, ``answer`` (option id),
``feedback`` {option id: text}).
Answer: ``{"answers": {item id: option id}}`` for the items answered so far (at least one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netcourse.core.errors import AnswerError
from netcourse.exercises.base import Exercise


class SelfCheck(Exercise):
    type_name = "selfcheck"
    view_class = "netcourse.exercises.selfcheck.view:SelfCheckView"  # loaded when a page shows it

    @property
    def items(self) -> dict[str, Mapping[str, Any]]:
        return {str(k): v for k, v in (self.texts.get("items") or {}).items() if isinstance(v, Mapping)}

    def options(self, item_id: str) -> dict[str, str]:
        return {str(k): str(v) for k, v in (self.items[item_id].get("options") or {}).items()}

    def is_right(self, item_id: str, option: str) -> bool:
        return str(self.items[item_id].get("answer")) == option

    def feedback(self, item_id: str, option: str) -> str:
        return str((self.items[item_id].get("feedback") or {}).get(option, ""))

    def score(self, answer: Mapping[str, Any]) -> tuple[int, int]:
        """(right answers, number of items)."""
        chosen = answer.get("answers") or {}
        right = sum(1 for item_id, option in chosen.items() if item_id in self.items and self.is_right(item_id, option))
        return right, len(self.items)

    def validate(self, raw: Any) -> dict[str, Any]:
        chosen = raw.get("answers") if isinstance(raw, Mapping) else None
        if not isinstance(chosen, Mapping):
            raise AnswerError("answers", self.t("selfcheck_choose"))
        answers = {}
        for item_id, option in chosen.items():
            if option is None:
                continue
            if item_id not in self.items or option not in self.options(item_id):
                raise AnswerError(f"answers.{item_id}", self.t("selfcheck_unknown"))
            answers[str(item_id)] = str(option)
        if not answers:
            raise AnswerError("answers", self.t("selfcheck_choose"))
        return {"answers": answers}

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        pairs = []
        for item_id, option in (answer.get("answers") or {}).items():
            if item_id not in self.items or option not in self.options(item_id):
                continue
            # the feedback starts with its verdict ("Richtig: …" / "Nicht ganz: …") and says why
            text = self.t("selfcheck_your_answer", answer=self.options(item_id)[option].rstrip("."))
            question = str(self.items[item_id].get("question", item_id))
            pairs.append((question, f"{text} – {self.feedback(item_id, option)}"))
        return pairs

    @classmethod
    def check_texts(cls, config: Mapping[str, Any], texts: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Problems in the items: (key relative to the texts, problem)."""
        problems: list[tuple[str, str]] = []
        items = texts.get("items")
        if not isinstance(items, Mapping) or not items:
            return [("items", "no self-check items")]
        for item_id, item in items.items():
            key = f"items.{item_id}"
            if not isinstance(item, Mapping):
                problems.append((key, "expected question, options, answer and feedback"))
                continue
            if not str(item.get("question") or "").strip():
                problems.append((f"{key}.question", "missing question"))
            options = item.get("options")
            if not isinstance(options, Mapping) or len(options) < 2:
                problems.append((f"{key}.options", "needs at least two options"))
                continue
            if item.get("answer") not in options:
                problems.append((f"{key}.answer", f"the answer {item.get('answer')!r} is not one of the options"))
            feedback = item.get("feedback")
            if not isinstance(feedback, Mapping):
                problems.append((f"{key}.feedback", "no feedback: every option needs feedback that explains why"))
                continue
            for option in options:
                if not str(feedback.get(option) or "").strip():
                    problems.append((f"{key}.feedback.{option}", "no feedback for this option"))
        return problems
