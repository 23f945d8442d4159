"""Models and views of the classify and balance exercise types (fazit, zeit-ist-kostbar)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from netcourse.core.course import ActivitySpec
from netcourse.core.errors import AnswerError
from netcourse.exercises.balance.model import Balance
from netcourse.exercises.classify.model import Classify
from netcourse.pages.lesson import Lesson

CLASSIFY = ActivitySpec("fall", "classify", {
    "categories": ["netzwerk", "kein-netzwerk"], "items": ["a", "b", "c"],
    "solution": {"a": "netzwerk", "b": "kein-netzwerk", "c": "netzwerk"}})
CLASSIFY_TEXTS = {"heading": "H", "prompt": "P",
                  "categories": {"netzwerk": "Netzwerk", "kein-netzwerk": "Kein Netzwerk"},
                  "items": {"a": "Fall A", "b": "Fall B", "c": "Fall C"},
                  "feedback": {"a": "Weil A.", "b": "Weil B.", "c": "Weil C."}}


def classify() -> Classify:
    return Classify(CLASSIFY, CLASSIFY_TEXTS, "de")


def test_classify_feedback_marks_right_and_wrong_with_explanation() -> None:
    answer = classify().validate({"choices": {"a": "netzwerk", "b": "netzwerk"}})
    feedback = classify().evaluate(answer)
    assert [(f.item, f.correct) for f in feedback] == [("a", True), ("b", False)]
    assert feedback[1].expected == "kein-netzwerk" and feedback[1].explanation == "Weil B."


@pytest.mark.parametrize(("raw", "field"), [
    ({"choices": {}}, "choices"),
    ({"choices": {"zz": "netzwerk"}}, "choices.zz"),
    ({"choices": {"a": "vielleicht"}}, "choices.a"),
    ("a", "choices"),
])
def test_classify_rejects_bad_input_naming_the_field(raw: object, field: str) -> None:
    with pytest.raises(AnswerError) as err:
        classify().validate(raw)
    assert err.value.field == field


def test_fazit_classify_view_shows_feedback_after_checking(store) -> None:
    lesson = Lesson("fazit", participant="p1", store=store)
    view = lesson.build_activity("ist-das-ein-netzwerk")
    first = next(iter(view.pickers))
    solution = view.exercise.solution[first]
    wrong = next(c for c in view.exercise.category_ids if c != solution)
    view.pickers[first].value = wrong
    view.save_button.click()
    assert store.load("p1", "fazit", "ist-das-ein-netzwerk") == {"choices": {first: wrong}}
    assert "Nicht ganz." in view.feedback[first].value
    assert "1 von" not in view.score.value and "0 von" in view.score.value
    view.pickers[first].value = solution
    view.save()
    assert "Richtig." in view.feedback[first].value


def test_every_fazit_case_has_a_solution_and_feedback_in_both_languages() -> None:
    for lang in ("de", "en"):
        lesson = Lesson("fazit", participant="p1", lang=lang)
        for activity in ("ist-das-ein-netzwerk", "netzwerk-oder-projekt"):
            exercise = lesson.exercise(activity)
            assert len(exercise.item_ids) >= 5
            for item in exercise.item_ids:
                assert exercise.solution[item] in exercise.category_ids
                assert exercise.texts["feedback"][item].strip()
                assert exercise.item_text(item) != item


BALANCE = ActivitySpec("zeitbilanz", "balance", {"member_types": ["verwaltung", "verein"], "max_hours": 20})
BALANCE_TEXTS = {"heading": "H", "prompt": "P", "member_types": {"verwaltung": "Verwaltung", "verein": "Verein"}}


def test_balance_reading_in_plain_words() -> None:
    balance = Balance(BALANCE, BALANCE_TEXTS, "de")
    answer = balance.validate({"rows": {"verwaltung": {"hours": 12, "value": 2},
                                        "verein": {"hours": 0, "value": None}}})
    assert answer == {"rows": {"verwaltung": {"hours": 12, "value": 2}}}
    assert balance.readings(answer["rows"]) == ["Verwaltung: viel Zeit für wenig Mehrwert – hier droht Rückzug."]
    assert "Verwaltung: 12 h, 2/5" in balance.chart_alt(answer["rows"])
    svg, alt = balance.chart(answer)
    assert svg.startswith(b"<svg") and alt
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == alt
    assert root.find("{http://www.w3.org/2000/svg}title").text == alt
    assert root.find("{http://www.w3.org/2000/svg}rect") is not None  # the shaded risk corner


@pytest.mark.parametrize(("rows", "field"), [
    ({"verwaltung": {"hours": 30, "value": 3}}, "rows.verwaltung.hours"),
    ({"verwaltung": {"hours": 3, "value": 9}}, "rows.verwaltung.value"),
    ({"verwaltung": {"hours": 3, "value": True}}, "rows.verwaltung.value"),
    ({"verwaltung": {"hours": 3, "value": None}}, "rows.verwaltung.value"),
    ({"unbekannt": {"hours": 3, "value": 3}}, "rows.unbekannt"),
    ({}, "rows"),
])
def test_balance_rejects_bad_rows(rows: dict, field: str) -> None:
    with pytest.raises(AnswerError) as err:
        Balance(BALANCE, BALANCE_TEXTS, "de").validate({"rows": rows})
    assert err.value.field == field


def test_zeitbilanz_view_redraws_and_stores(store) -> None:
    view = Lesson("zeit-ist-kostbar", participant="p1", store=store).build_activity("zeitbilanz")
    assert view.chart.value == ""
    mtype = view.exercise.type_ids[0]
    view.hours[mtype].value = 8
    view.values[mtype].value = 4
    assert "<img" in view.chart.value and "alt=" in view.chart.value
    assert view.save() is not None
    assert store.load("p1", "zeit-ist-kostbar", "zeitbilanz") == {"rows": {mtype: {"hours": 8, "value": 4}}}
    again = Lesson("zeit-ist-kostbar", participant="p1", store=store).build_activity("zeitbilanz")
    assert again.hours[mtype].value == 8 and again.values[mtype].value == 4
