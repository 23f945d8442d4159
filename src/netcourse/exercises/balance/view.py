"""Time/value balance: the widget view (ipywidgets) over the plain model in ``model``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.core.templates import render_macro
from netcourse.exercises.balance.model import Balance
from netcourse.exercises.view import ExerciseView

TEMPLATE = "exercises/balance.html.j2"


class BalanceView(ExerciseView):
    exercise: Balance

    def build(self) -> None:
        ex = self.exercise
        values = list(range(ex.value_min, ex.value_max + 1))
        scale = ex.texts.get("value_scale") or {}
        tooltips = [str(scale.get(v, scale.get(str(v), v))) for v in values]
        self.hours: dict[str, widgets.BoundedIntText] = {}
        self.values: dict[str, widgets.ToggleButtons] = {}
        rows = []
        for mtype in ex.type_ids:
            label = ex.type_label(mtype)
            hours = widgets.BoundedIntText(value=0, min=0, max=ex.max_hours, step=1,
                                           description=ex.t("hours_label", item=label),
                                           style={"description_width": "15em"},
                                           layout=widgets.Layout(width="22em"))
            value = widgets.ToggleButtons(options=[(str(v), v) for v in values], value=None,
                                          description=ex.t("value_label", item=label), tooltips=tooltips,
                                          style={"description_width": "15em", "button_width": "3em"})
            hours.observe(lambda _c: self.redraw(), names="value")
            value.observe(lambda _c: self.redraw(), names="value")
            self.hours[mtype], self.values[mtype] = hours, value
            rows.append(widgets.VBox([widgets.HTML(render_macro(TEMPLATE, "type_heading", label)), hours, value]))
        self.rows = rows
        self.chart = widgets.HTML(value="")
        self.chart.add_class("nc-chart-box")
        self.reading = widgets.HTML(value="")
        self.redraw()

    def input_widgets(self) -> list[widgets.Widget]:
        return [*self.rows, self.chart, self.reading]

    def collect(self) -> Any:
        return {"rows": {t: {"hours": self.hours[t].value, "value": self.values[t].value}
                         for t in self.exercise.type_ids}}

    def fill(self, answer: Mapping[str, Any]) -> None:
        for mtype, row in (answer.get("rows") or {}).items():
            if mtype in self.hours:
                self.hours[mtype].value = int(row.get("hours", 0))
                self.values[mtype].value = row.get("value")

    def current(self) -> dict[str, dict[str, int]]:
        return {t: {"hours": self.hours[t].value, "value": self.values[t].value}
                for t in self.exercise.type_ids if self.values[t].value is not None}

    def redraw(self) -> None:
        rows = self.current()
        ex = self.exercise
        # short alt, values in the visible caption: screen readers hear the values once
        self.chart.value = (render_macro(TEMPLATE, "chart", ex.chart_svg(rows), ex.t("balance_alt_prefix"),
                                         ex.chart_alt(rows)) if rows else "")
        self.reading.value = render_macro(TEMPLATE, "readings", ex.readings(rows))
