"""Rating scale: several items rated on a small scale, each with an optional note; optional radar chart.

Config: ``items`` (ids), ``min``/``max`` (ints, default 1–5), ``note`` (bool), ``chart`` (``radar``/none).
Texts: ``heading``, ``prompt``, ``items`` (id → label), ``scale`` (value → anchor text), ``chart_caption``.
Answer: ``{"ratings": {item: int | None}, "notes": {item: str}}``.
Roles: ``documentation: summary`` (the mean per item) or ``chart`` (with a radar chart), ``journal``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import fmean
from typing import Any

from netcourse.core.errors import AnswerError
from netcourse.exercises.base import Exercise
from netcourse.exercises.charts import radar_svg
from netcourse.exercises.summary import Contribution, RatingSummary, TraitAverage


class RatingScale(Exercise):
    type_name = "rating"
    view_class = "netcourse.exercises.rating.view:RatingScaleView"  # loaded when a page shows it
    fills = {"board": (False,), "documentation": ("none", "summary", "chart"), "workbook": (False,),
             "journal": (True, False)}

    @property
    def item_ids(self) -> list[str]:
        return [str(i) for i in self.config.get("items", [])]

    @property
    def minimum(self) -> int:
        return int(self.config.get("min", 1))

    @property
    def maximum(self) -> int:
        return int(self.config.get("max", 5))

    @property
    def with_note(self) -> bool:
        return bool(self.config.get("note", True))

    @property
    def chart_kind(self) -> str | None:
        return self.config.get("chart")

    def item_label(self, item: str) -> str:
        return str((self.texts.get("items") or {}).get(item, item))

    def validate(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise AnswerError("ratings", self.t("rate_at_least_one"))
        given = raw.get("ratings") or {}
        if not isinstance(given, Mapping):
            raise AnswerError("ratings", self.t("rate_at_least_one"))
        ratings: dict[str, int | None] = {}
        for item in self.item_ids:
            value = given.get(item)
            if value is not None:
                if isinstance(value, bool) or not isinstance(value, int):
                    raise AnswerError(f"ratings.{item}", self.t("out_of_range", min=self.minimum, max=self.maximum))
                if not self.minimum <= value <= self.maximum:
                    raise AnswerError(f"ratings.{item}", self.t("out_of_range", min=self.minimum, max=self.maximum))
            ratings[item] = value
        unknown = set(given) - set(self.item_ids)
        if unknown:
            raise AnswerError(f"ratings.{sorted(unknown)[0]}", self.t("unknown_option"))
        if all(v is None for v in ratings.values()):
            raise AnswerError("ratings", self.t("rate_at_least_one"))
        notes = {}
        notes_in = raw.get("notes") or {}
        if not isinstance(notes_in, Mapping):
            raise AnswerError("notes", self.t("required"))
        for item, text in notes_in.items():
            if item not in self.item_ids:
                raise AnswerError(f"notes.{item}", self.t("unknown_option"))
            cleaned = self.clean_text(f"notes.{item}", text)
            if cleaned:
                notes[item] = cleaned
        return {"ratings": ratings, "notes": notes}

    def chart_alt(self, ratings: Mapping[str, int | None]) -> str:
        parts = [
            f"{self.item_label(i)}: {ratings.get(i) if ratings.get(i) is not None else self.t('not_rated')}"
            for i in self.item_ids
        ]
        return f"{self.t('chart_alt_prefix')} ({self.minimum}–{self.maximum}): " + "; ".join(parts)

    def chart_svg(self, ratings: Mapping[str, int | None]) -> bytes:
        labels = [self.item_label(i) for i in self.item_ids]
        return radar_svg(labels, [ratings.get(i) for i in self.item_ids], self.minimum, self.maximum,
                         title=self.chart_alt(ratings))

    def chart(self, answer: Mapping[str, Any]) -> tuple[bytes, str] | None:
        if self.chart_kind != "radar":
            return None
        ratings = answer.get("ratings") or {}
        return self.chart_svg(ratings), self.chart_alt(ratings)

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        ratings = answer.get("ratings") or {}
        notes = answer.get("notes") or {}
        pairs = []
        for item in self.item_ids:
            value = ratings.get(item)
            text = f"{value} / {self.maximum}" if value is not None else self.t("not_rated")
            if notes.get(item):
                text += f" — {notes[item]}"
            pairs.append((self.item_label(item), text))
        return pairs

    def summarise(self, answers: Sequence[Contribution], mode: str) -> RatingSummary | None:
        if mode not in ("summary", "chart"):
            return None
        lo, hi = self.minimum, self.maximum
        values: dict[str, list[int]] = {item: [] for item in self.item_ids}
        respondents = 0
        for answer in answers:
            ratings = answer.value.get("ratings") if isinstance(answer.value, Mapping) else None
            if not isinstance(ratings, Mapping):
                continue
            given = False
            for item, value in ratings.items():
                valid = isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
                if item in values and valid:
                    values[item].append(value)
                    given = True
            respondents += given
        traits = [TraitAverage(item, self.item_label(item), round(fmean(v), 2) if v else None, len(v))
                  for item, v in values.items()]
        return RatingSummary(lo, hi, respondents, traits)
