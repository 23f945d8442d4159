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
from netcourse.core.markup import esc
from netcourse.core.store import AnswerStore
from netcourse.exercises import registry
from netcourse.exercises.ideas.view import cards_html


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
    parts = [f'<section class="nc-recall" aria-label="{esc(texts.get("heading", ""))}">'
             f'<h2>{esc(texts.get("heading", ""))}</h2>']
    if not answers:
        parts.append(f'<p class="nc-empty">{esc(texts.get("empty", ""))}</p></section>')
        return "".join(parts)
    parts.append(f'<p>{esc(texts.get("intro", ""))}</p>')
    for heading, pairs in answers:
        rows = "".join(f'<tr><th scope="row">{esc(q)}</th><td>{esc(a)}</td></tr>' for q, a in pairs)
        parts.append(f"<h3>{esc(heading)}</h3><table>{rows}</table>")
    parts.append("</section>")
    return "".join(parts)


def self_study_html(texts: Mapping[str, Any]) -> str:
    return (f'<section class="nc-self-study"><h2>{esc(texts.get("heading", ""))}</h2>'
            f'<p>{esc(texts.get("task", ""))}</p></section>')


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
        self.hint.value = ("" if has_ideas else
                           f'<p class="nc-reveal-hint" role="status">{esc(self.texts.get("reveal_hint", ""))}</p>')

    def reveal(self) -> None:
        own = self.own_groups()
        if not own:
            self.refresh()
            return
        parts = [f'<p class="nc-example-note"><em>{esc(self.texts.get("example_note", ""))}</em></p>']
        for group in own:
            parts.append(f"<h3>{esc(self.group_names.get(group, group))}</h3>{cards_html(self._cards(group), '')}")
        others = [g for g in self.examples if g not in own]
        if others:
            inner = "".join(f"<h4>{esc(self.group_names.get(g, g))}</h4>{cards_html(self._cards(g), '')}"
                            for g in others)
            parts.append(f"<details><summary>{esc(', '.join(self.group_names.get(g, g) for g in others))}"
                         f"</summary>{inner}</details>")
        parts.append(f'<p class="nc-compare"><strong>{esc(self.texts.get("compare_prompt", ""))}</strong></p>')
        self.shown.value = f'<div role="region" aria-live="polite">{"".join(parts)}</div>'
        self.hint.value = ""
        self.button.layout.display = "none"  # shown once; the ideas stay on the page

    def _cards(self, group: str) -> list[Mapping[str, Any]]:
        return [i for i in self.examples.get(group) or [] if isinstance(i, Mapping)]
