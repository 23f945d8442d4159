"""The exercise contract, model side: plain data and validation, no widget library.

An :class:`Exercise` is built from an activity's configuration and its texts in one language. Its
:meth:`Exercise.validate` turns raw input into a JSON-able answer or raises :class:`AnswerError` naming the
field; :meth:`Exercise.describe` and :meth:`Exercise.chart` give journals and the documentation plain text
and a picture. The widget view (:class:`netcourse.exercises.view.ExerciseView`) sits beside the model and is
named by ``view_class``; it is imported only when a page shows the exercise, so the store, the journal, the
documentation and ``netcourse collect`` never load ipywidgets.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from netcourse.core.binding import AnswerBinding
from netcourse.core.course import ActivitySpec
from netcourse.core.errors import AnswerError
from netcourse.core.i18n import resolve_lang, ui
from netcourse.exercises.summary import Contribution, Summary

MAX_TEXT = 5000


class Exercise(ABC):
    """An exercise type. Subclasses set ``type_name`` and ``view_class`` and implement ``validate`` and
    ``describe``."""

    type_name: ClassVar[str] = ""

    #: The roles this type can fill (``roles:`` of an activity in module.yaml) and the values it accepts for
    #: each; the first value is the default. A type that may feed the board implements ``board_columns`` and
    #: ``board_cards``; one that may feed the documentation implements ``summarise`` for its modes; one that
    #: may feed the workbook implements ``workbook_groups``.
    fills: ClassVar[Mapping[str, tuple[Any, ...]]] = {
        "board": (False,),
        "documentation": ("none",),
        "workbook": (False,),
        "journal": (True, False),
    }

    def __init__(self, activity: ActivitySpec, texts: Mapping[str, Any], lang: str | None = None,
                 context: Mapping[str, Any] | None = None) -> None:
        self.activity = activity
        self.config = activity.config
        self.texts = texts
        self.lang = resolve_lang(lang)
        self.context: Mapping[str, Any] = context or {}

    @property
    def id(self) -> str:
        return self.activity.id

    def t(self, key: str, **values: Any) -> str:
        """An interface string in this exercise's language."""
        return ui(self.lang, key, **values)

    @abstractmethod
    def validate(self, raw: Any) -> dict[str, Any]:
        """Return the normalised answer for ``raw`` or raise :class:`AnswerError` naming the field."""

    @abstractmethod
    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(question, answer) text pairs for journals and documentation; plain text, never markup."""

    @classmethod
    def check_texts(cls, config: Mapping[str, Any], texts: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Problems in an activity's texts in one language, as (key relative to the texts, problem).
        ``netcourse check`` and the module registry ask every type; a module with problems is not loaded."""
        return []

    def chart(self, answer: Mapping[str, Any]) -> tuple[bytes, str] | None:
        """A picture of the answer for journals and documentation: (image bytes, SVG or PNG, shown by
        the ``chart`` macro of ``templates/common.html.j2`` as an ``<img>``; text alternative)."""
        return None

    # roles ---------------------------------------------------------------------------------------
    def summarise(self, answers: Sequence[Contribution], mode: str) -> Summary:
        """Every participant's answer in one piece of the documentation (``mode``: one of ``fills``)."""
        return None

    def board_columns(self) -> list[tuple[str, str]]:
        """(column id, column name) of the trainer's live board."""
        return []

    def board_cards(self, value: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The cards one stored answer puts on the board: each with ``column``, ``title``, ``text``,
        ``created_at``."""
        return []

    def workbook_groups(self) -> list[tuple[str, str, str]]:
        """(group id, name, task) the personal workbook lists, the participant's group first."""
        return []

    #: The widget view: an ``ExerciseView`` subclass, or its import path ``"package.module:ClassName"`` so that
    #: the model module need not import the view (and ipywidgets) at all.
    view_class: ClassVar[type | str]

    def view(self, binding: AnswerBinding) -> Any:
        """Build the widget view (an ``ExerciseView``) bound to where the answer is stored; shows an earlier
        answer. The view's module is imported here, on first use."""
        return self.view_type()(self, binding)

    @classmethod
    def view_type(cls) -> type:
        view_class = cls.view_class
        if isinstance(view_class, str):
            module, _, name = view_class.partition(":")
            view_class = getattr(importlib.import_module(module), name)
        return view_class

    # shared validation helpers -----------------------------------------------------------------
    def clean_text(self, field: str, value: Any, *, required: bool = False, max_len: int = MAX_TEXT) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise AnswerError(field, self.t("required"))
        text = value.strip()
        if required and not text:
            raise AnswerError(field, self.t("required"))
        if len(text) > max_len:
            raise AnswerError(field, self.t("too_long", max=max_len))
        return text
