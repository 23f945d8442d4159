"""Page pieces that look back and compare: earlier answers (``recall``) and, for self-learners, the self-study
task of a group activity and its example ideas, revealed only after the learner has saved an idea.

Which earlier answers a page shows is data (``recall: [module/activity, ...]`` in module.yaml), never a module
id in code. Texts come from the module's own texts: ``recall.{heading, intro, empty}``,
``self_study.{heading, task, reveal_button, reveal_hint, compare_prompt, example_note}`` and
``example_ideas.<group>: [{title, text}]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.core.binding import AnswerBinding
from netcourse.core.errors import NetcourseError, StoreError
from netcourse.core.store import AnswerStore
from netcourse.core.templates import render_macro
from netcourse.exercises import registry

PAGE = "pages/selfstudy.html.j2"


def earlier_answers(store: AnswerStore, participant_id: str, entries: tuple[str, ...],
                    lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(activity heading, describe() pairs) for each ``module/activity`` the participant has answered; modules
    that are not installed and activities without an answer are left out."""
    found = []
    for entry in entries:
        module_id, _, activity_id = entry.partition("/")
        try:
            module = registry.modules.get(module_id)
            spec = module.activity(activity_id)
            texts = module.activity_texts(activity_id, lang)
            exercise = registry.exercises.get(spec.type)(spec, texts, lang)
        except (NetcourseError, KeyError):
            continue
        answer = store.load(participant_id, module_id, activity_id)
        if answer:
            found.append((str(texts.get("heading", activity_id)), exercise.describe(answer)))
    return found


def recall_html(texts: Mapping[str, Any], answers: list[tuple[str, list[tuple[str, str]]]]) -> str:
    return render_macro(PAGE, "recall", texts, answers)


def self_study_html(texts: Mapping[str, Any]) -> str:
    return render_macro(PAGE, "self_study", texts)


class ExampleIdeas:
    """Example ideas per group, revealed once the learner has saved at least one idea of their own."""

    def __init__(self, binding: AnswerBinding, texts: Mapping[str, Any], examples: Mapping[str, Any],
                 group_names: Mapping[str, str]) -> None:
        self.binding = binding
        self.texts = texts
        self.examples = examples
        self.group_names = group_names
        self.hint = widgets.HTML(value="")
        self.button = widgets.Button(description=str(texts.get("reveal_button", "")), icon="lightbulb-o",
                                     tooltip=str(texts.get("reveal_button", "")),
                                     layout=widgets.Layout(width="auto"))
        self.button.add_class("nc-reveal")
        self.button.on_click(lambda _b: self.reveal())
        self.shown = widgets.HTML(value="")
        self.widget = widgets.VBox([self.hint, self.button, self.shown])
        self.widget.add_class("nc-examples")
        self.refresh()

    def own_groups(self) -> list[str]:
        """The groups the learner has saved ideas for (in the order of the example data)."""
        try:
            answer = self.binding.load() or {}
        except StoreError:
            return []
        groups = {str(c.get("group")) for c in answer.get("cards") or [] if isinstance(c, Mapping)}
        return [g for g in self.examples if g in groups]

    def refresh(self) -> None:
        has_ideas = bool(self.own_groups())
        self.button.disabled = not has_ideas
        self.hint.value = "" if has_ideas else render_macro(PAGE, "reveal_hint", self.texts.get("reveal_hint", ""))

    def reveal(self) -> None:
        own = self.own_groups()
        if not own:
            self.refresh()
            return
        name = lambda g: self.group_names.get(g, g)  # noqa: E731
        others = [(name(g), self._cards(g)) for g in self.examples if g not in own]
        self.shown.value = render_macro(PAGE, "examples", self.texts.get("example_note", ""),
                                        [(name(g), self._cards(g)) for g in own], others,
                                        self.texts.get("compare_prompt", ""))
        self.hint.value = ""
        self.button.layout.display = "none"  # shown once; the ideas stay on the page

    def _cards(self, group: str) -> list[Mapping[str, Any]]:
        return [i for i in self.examples.get(group) or [] if isinstance(i, Mapping)]
