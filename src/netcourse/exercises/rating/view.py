"""Rating scale: the widget view (ipywidgets) over the plain model in ``model``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.core.templates import render_macro
from netcourse.exercises.rating.model import RatingScale
from netcourse.exercises.view import ExerciseView


class RatingScaleView(ExerciseView):
    exercise: RatingScale

    def build(self) -> None:
        ex = self.exercise
        values = self.values = list(range(ex.minimum, ex.maximum + 1))
        anchors = ex.texts.get("scale") or {}
        tooltips = [str(anchors.get(v, anchors.get(str(v), v))) for v in values]
        self.scales: dict[str, widgets.ToggleButtons] = {}
        self.notes: dict[str, widgets.Textarea] = {}
        rows = []
        for item in ex.item_ids:
            label = ex.item_label(item)
            scale = widgets.ToggleButtons(
                options=[(str(v), v) for v in values], value=None, description=label,
                tooltips=tooltips, style={"description_width": "11em", "button_width": "3em"},
            )
            scale.add_class("nc-rating")
            self.scales[item] = scale
            row: list[widgets.Widget] = [scale]
            if ex.with_note:
                note = widgets.Textarea(
                    description=ex.t("note_label", item=label), placeholder=ex.t("note_placeholder"),
                    rows=2, layout=widgets.Layout(width="100%"),
                    style={"description_width": "11em"},
                )
                note.add_class("nc-note")
                self.notes[item] = note
                row.append(note)
            rows.append(widgets.VBox(row, layout=widgets.Layout(margin="0 0 0.8em 0")))
        self.form = widgets.VBox(rows, layout=widgets.Layout(flex="1 1 28em"))
        self.chart = widgets.HTML(value="")
        self.chart.add_class("nc-chart-box")
        for scale in self.scales.values():
            scale.observe(lambda _change: self.redraw(), names="value")
        self.redraw()

    def input_widgets(self) -> list[widgets.Widget]:
        if self.exercise.chart_kind != "radar":
            return [self.form]
        return [widgets.HBox([self.form, self.chart], layout=widgets.Layout(flex_flow="row wrap"))]

    def ratings(self) -> dict[str, int | None]:
        return {item: scale.value for item, scale in self.scales.items()}

    def collect(self) -> Any:
        return {
            "ratings": self.ratings(),
            "notes": {item: note.value for item, note in self.notes.items()},
        }

    def fill(self, answer: Mapping[str, Any]) -> None:
        for item, value in (answer.get("ratings") or {}).items():
            if item in self.scales and value in self.values:
                self.scales[item].value = value
        for item, text in (answer.get("notes") or {}).items():
            if item in self.notes:
                self.notes[item].value = str(text)

    def redraw(self) -> None:
        """Draw the radar chart for the current ratings (called on every change)."""
        if self.exercise.chart_kind != "radar":
            return
        ex, ratings = self.exercise, self.ratings()
        # short alt, values in the visible caption: screen readers hear the values once
        self.chart.value = render_macro("common.html.j2", "chart", ex.chart_svg(ratings), ex.t("chart_alt_prefix"),
                                        ex.chart_alt(ratings))
