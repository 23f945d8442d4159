"""Time/value balance: hours a member type invests per month against the added value it gets back.

Config: ``member_types`` (ids), ``max_hours`` (int, default 20), ``value_min``/``value_max`` (default 1–5).
Texts: ``heading``, ``prompt``, ``member_types`` (id → label), ``hours_label``, ``value_label``,
``value_scale`` (value → anchor text).
Answer: ``{"rows": {member_type: {"hours": int, "value": int}}}``; types left empty are omitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netcourse.core.errors import AnswerError
from netcourse.exercises.base import Exercise
from netcourse.exercises.charts import balance_svg


class Balance(Exercise):
    type_name = "balance"
    view_class = "netcourse.exercises.balance.view:BalanceView"  # loaded when a page shows it

    @property
    def type_ids(self) -> list[str]:
        return [str(t) for t in self.config.get("member_types", [])]

    @property
    def max_hours(self) -> int:
        return int(self.config.get("max_hours", 20))

    @property
    def value_min(self) -> int:
        return int(self.config.get("value_min", 1))

    @property
    def value_max(self) -> int:
        return int(self.config.get("value_max", 5))

    @property
    def risk_hours(self) -> int:
        """From this many hours a month on, little added value is a risk for participation."""
        return max(1, self.max_hours // 4)

    def type_label(self, mtype: str) -> str:
        return str((self.texts.get("member_types") or {}).get(mtype, mtype))

    def validate(self, raw: Any) -> dict[str, Any]:
        given = raw.get("rows") if isinstance(raw, Mapping) else None
        if not isinstance(given, Mapping):
            raise AnswerError("rows", self.t("fill_balance"))
        rows: dict[str, dict[str, int]] = {}
        for mtype, row in given.items():
            if mtype not in self.type_ids or not isinstance(row, Mapping):
                raise AnswerError(f"rows.{str(mtype)[:40]}", self.t("unknown_option"))
            hours, value = row.get("hours", 0), row.get("value")
            if value is None and not hours:
                continue
            for name, number, low, high in (("hours", hours, 0, self.max_hours),
                                            ("value", value, self.value_min, self.value_max)):
                if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
                    raise AnswerError(f"rows.{mtype}.{name}", self.t("out_of_range", min=low, max=high))
            rows[mtype] = {"hours": hours, "value": value}
        if not rows:
            raise AnswerError("rows", self.t("fill_balance"))
        return {"rows": rows}

    def reading_kind(self, hours: int, value: int) -> str:
        if value >= 3:
            return "balance_good"
        return "balance_risk" if hours >= self.risk_hours else "balance_light"

    def readings(self, rows: Mapping[str, Mapping[str, int]]) -> list[str]:
        """A plain-language reading of each entered member type."""
        return [self.t(self.reading_kind(r["hours"], r["value"]), item=self.type_label(t))
                for t in self.type_ids if (r := rows.get(t))]

    def chart_alt(self, rows: Mapping[str, Mapping[str, int]]) -> str:
        parts = [f"{self.type_label(t)}: {r['hours']} h, {r['value']}/{self.value_max}"
                 for t in self.type_ids if (r := rows.get(t))]
        return f"{self.t('balance_alt_prefix')}: " + "; ".join(parts)

    def chart_svg(self, rows: Mapping[str, Mapping[str, int]]) -> bytes:
        points = [(self.type_label(t), r["hours"], r["value"]) for t in self.type_ids if (r := rows.get(t))]
        return balance_svg(points, self.max_hours, self.value_min, self.value_max,
                           self.t("balance_x"), self.t("balance_y"), self.risk_hours, title=self.chart_alt(rows))

    def chart(self, answer: Mapping[str, Any]) -> tuple[bytes, str] | None:
        rows = answer.get("rows") or {}
        return (self.chart_svg(rows), self.chart_alt(rows)) if rows else None

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        rows = answer.get("rows") or {}
        readings = dict(zip([t for t in self.type_ids if t in rows], self.readings(rows), strict=True))
        return [(self.type_label(t), f"{r['hours']} h · {r['value']}/{self.value_max} – {readings[t]}")
                for t in self.type_ids if (r := rows.get(t))]
