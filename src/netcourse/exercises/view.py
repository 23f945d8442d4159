"""The exercise contract, view side: a thin ipywidgets layer over an :class:`Exercise` model.

:meth:`ExerciseView.collect` reads the widgets, :meth:`ExerciseView.fill` shows a stored answer, and the save
button does the bookkeeping (validate, store, status) in :meth:`ExerciseView.save` — a template method plugins
need not touch.
"""

from __future__ import annotations

import html
from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import ipywidgets as widgets

from netcourse.core.binding import AnswerBinding
from netcourse.core.errors import AnswerError, StoreError
from netcourse.core.store import Answer
from netcourse.core.templates import render_macro
from netcourse.exercises.base import Exercise


class ExerciseView(ABC):
    """Widgets for one exercise, bound to the store. Drivable in plain pytest: set values, call save()."""

    def __init__(self, exercise: Exercise, binding: AnswerBinding) -> None:
        self.exercise = exercise
        self.binding = binding
        self.save_button = widgets.Button(
            description=exercise.t("save"), button_style="primary", icon="check",
            tooltip=exercise.t("save"),
        )
        self.save_button.add_class("nc-save")
        self.status = widgets.HTML(value="")
        self.status.add_class("nc-status")
        self.last_error: AnswerError | StoreError | None = None
        self.build()
        self.save_button.on_click(lambda _button: self.save())
        self.widget = widgets.VBox(
            [*self.input_widgets(), widgets.HBox([self.save_button, self.status]), *self.footer_widgets()],
        )
        self.widget.add_class("nc-exercise")
        self.widget.add_class(f"nc-exercise-{exercise.type_name}")
        self._resume()

    # what a subclass provides ------------------------------------------------------------------
    @abstractmethod
    def build(self) -> None:
        """Create the input widgets."""

    @abstractmethod
    def input_widgets(self) -> list[widgets.Widget]:
        """The widgets shown above the save button."""

    def footer_widgets(self) -> list[widgets.Widget]:
        """Widgets shown below the save button (e.g. what has been saved so far)."""
        return []

    @abstractmethod
    def collect(self) -> Any:
        """Raw input as the exercise's ``validate`` expects it."""

    @abstractmethod
    def fill(self, answer: Mapping[str, Any]) -> None:
        """Show a stored answer in the widgets."""

    # bookkeeping -------------------------------------------------------------------------------
    def _resume(self) -> None:
        try:
            earlier = self.binding.load_with_time()
        except StoreError as exc:
            self._show_status(self.exercise.t("store_failed", reason=str(exc)), "error")
            return
        if earlier is not None:
            self.fill(earlier.value)
            when = _local_time(earlier.updated_at).strftime("%d.%m.%Y %H:%M")
            self._show_status(self.exercise.t("resumed", date=when), "info")

    def save(self) -> Answer | None:
        """Validate and store the current input; the status line says what happened."""
        try:
            answer = self.exercise.validate(self.collect())
            stored = self.binding.save(answer)
        except AnswerError as exc:
            self.last_error = exc
            self._show_status(self.exercise.t("not_saved", reason=str(exc).split(": ", 1)[-1]), "error")
            return None
        except StoreError as exc:
            self.last_error = exc
            self._show_status(self.exercise.t("store_failed", reason=str(exc)), "error")
            return None
        self.last_error = None
        time = _local_time(stored.updated_at).strftime("%H:%M")
        self._show_status(self.exercise.t("saved_at", time=time), "ok")
        self.on_saved(answer)
        return stored

    def on_saved(self, answer: Mapping[str, Any]) -> None:  # noqa: B027 - an optional hook, empty by design
        """Hook after a successful save (e.g. to refresh a summary)."""

    def _show_status(self, text: str, kind: str) -> None:
        self.status.value = render_macro("common.html.j2", "status", text, kind)

    @property
    def status_text(self) -> str:
        """The status line as a participant reads it (markup removed)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self.status.value))


def _local_time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).astimezone()
