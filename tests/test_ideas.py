"""Idea cards of the group exercise: group from the workbook or chosen, cards stored and shown escaped."""

from __future__ import annotations

import pytest

from netcourse.core.errors import AnswerError
from netcourse.pages.lesson import Lesson

PAYLOAD = '<img src=x onerror="alert(1)">{{ 7*7 }}'


def ideas(store, group=None, participant="p1", lang=None):
    return Lesson("gruppenarbeit", participant=participant, store=store, group=group, lang=lang).build_activity("ideen")


def test_group_from_parameters_is_fixed_and_its_task_shown(store) -> None:
    view = ideas(store, group="vertrauen")
    assert view.group_picker.value == "vertrauen"
    assert view.group_picker.layout.display == "none"
    assert "Vertrauen" in view.group_note.value
    assert view.exercise.group_task("vertrauen") and view.exercise.group_task("vertrauen")[:20] in view.task.value


def test_without_group_the_participant_chooses(store) -> None:
    view = ideas(store)
    assert view.group_picker.value is None
    assert view.save() is None and "Gruppe" in view.status_text
    view.group_picker.value = "tausch"
    view.title.value = "Tauschbörse"
    view.text.value = "Material und Räume teilen"
    assert view.save() is not None
    stored = store.load("p1", "gruppenarbeit", "ideen")
    assert stored["group"] == "tausch"
    assert [(c["group"], c["title"], c["text"]) for c in stored["cards"]] == [
        ("tausch", "Tauschbörse", "Material und Räume teilen")]


def test_cards_accumulate_are_shown_back_escaped_and_resume(store) -> None:
    view = ideas(store, group="ziele")
    for title in ("Jahresziele", PAYLOAD):
        view.title.value = title
        view.text.value = PAYLOAD
        view.save_button.click()
    assert view.title.value == "" and len(view.cards) == 2
    assert "<img src=x" not in view.board.value and "&lt;img src=x" in view.board.value
    assert "{{ 7*7 }}" in view.board.value
    again = ideas(store, group="ziele")
    assert [c["title"] for c in again.cards] == ["Jahresziele", PAYLOAD]
    again.remove_last()
    assert [c["title"] for c in store.load("p1", "gruppenarbeit", "ideen")["cards"]] == ["Jahresziele"]


def test_card_without_title_is_refused_and_nothing_written(store) -> None:
    view = ideas(store, group="tausch")
    view.text.value = "nur Text"
    assert view.save() is None
    assert view.last_error.field == "cards[0].title"
    assert store.load("p1", "gruppenarbeit", "ideen") is None


def test_unknown_group_in_answer_is_refused(store) -> None:
    exercise = Lesson("gruppenarbeit", participant="p1", store=store).exercise("ideen")
    with pytest.raises(AnswerError) as err:
        exercise.validate({"group": "macht", "cards": []})
    assert err.value.field == "group"


def test_four_groups_one_per_trait_in_both_languages() -> None:
    for lang in ("de", "en"):
        exercise = Lesson("gruppenarbeit", participant="p1", lang=lang).exercise("ideen")
        assert exercise.group_ids == ["tausch", "ziele", "unterschiedlichkeit", "vertrauen"]
        assert all(exercise.group_task(g) for g in exercise.group_ids)


def test_board_counts_ideas_in_correct_german_and_english() -> None:
    from netcourse.pages.board import board_html

    def total(count: int, lang: str) -> str:
        cards = {"tausch": [{"column": "tausch", "title": f"Idee {i}", "text": ""} for i in range(count)]}
        return board_html([("tausch", "Tausch")], cards, lang)

    assert "1 Idee insgesamt" in total(1, "de") and "1 idea in total" in total(1, "en")
    assert "0 Ideen insgesamt" in total(0, "de") and "2 Ideen insgesamt" in total(2, "de")
    assert "2 ideas in total" in total(2, "en")
