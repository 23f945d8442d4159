"""Where one exercise's answer lives: a store, a participant and the (module, exercise) key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netcourse.core.store import Answer, AnswerStore


@dataclass(frozen=True)
class AnswerBinding:
    store: AnswerStore
    participant_id: str
    module: str
    exercise: str

    def load(self) -> dict[str, Any] | None:
        return self.store.load(self.participant_id, self.module, self.exercise)

    def load_with_time(self) -> Answer | None:
        found = self.store.answers(self.participant_id, self.module, self.exercise)
        return found[0] if found else None

    def save(self, value: dict[str, Any]) -> Answer:
        return self.store.save(self.participant_id, self.module, self.exercise, value)
