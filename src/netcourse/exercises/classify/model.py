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

from netcourse.core.errors import AnswerError
from netcourse.exercises.base import Exercise


@dataclass(frozen=True)
class ItemFeedback:
    item: str
    chosen: str
    expected: str
    correct: bool
    explanation: str


class Classify(Exercise):
    type_name = "classify"
    view_class = "netcourse.exercises.classify.view:ClassifyView"  # loaded when a page shows it

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
