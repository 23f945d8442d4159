"""Exercise models without widgets: validation names the field, describe() gives plain text."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from netcourse.core.course import ActivitySpec
from netcourse.core.errors import AnswerError, NetcourseError
from netcourse.exercises import registry
from netcourse.exercises.base import MAX_TEXT
from netcourse.exercises.choice.model import Choice
from netcourse.exercises.freetext.model import FreeText
from netcourse.exercises.rating.model import RatingScale

TRAITS = ["tausch", "ziele", "unterschiedlichkeit", "vertrauen"]


def module_exercise(activity_id: str, lang: str = "de") -> Any:
    """The real exercise of the built-in module, with its real texts."""
    module = registry.modules.get("grundmerkmale")
    spec = module.activity(activity_id)
    return registry.exercises.get(spec.type)(spec, module.activity_texts(activity_id, lang), lang)


@pytest.fixture
def rating() -> RatingScale:
    return module_exercise("selbsteinschaetzung")


@pytest.fixture
def single() -> Choice:
    return module_exercise("rolle-ich")


@pytest.fixture
def multiple() -> Choice:
    return module_exercise("rolle-netzwerk")


def freetext(lang: str = "de", **config: Any) -> FreeText:
    spec = ActivitySpec("gedanken", "freetext", config)
    return FreeText(spec, {"heading": "Gedanken", "prompt": "Was nehmen Sie mit?", "label": "Antwort"}, lang)


def error_field(exercise: Any, raw: Any) -> str:
    with pytest.raises(AnswerError) as info:
        exercise.validate(raw)
    assert isinstance(info.value, NetcourseError)
    return info.value.field


# rating ---------------------------------------------------------------------------------------------
def test_rating_accepts_partial_ratings_and_cleans_notes(rating: RatingScale) -> None:
    answer = rating.validate({"ratings": {"tausch": 1, "vertrauen": 5},
                              "notes": {"tausch": "  wenig Austausch  ", "ziele": "   "}})
    assert answer == {
        "ratings": {"tausch": 1, "ziele": None, "unterschiedlichkeit": None, "vertrauen": 5},
        "notes": {"tausch": "wenig Austausch"},
    }
    assert rating.validate(answer) == answer  # a stored answer validates again unchanged


@pytest.mark.parametrize(("raw", "field"), [
    ({"ratings": {"tausch": 6}}, "ratings.tausch"),
    ({"ratings": {"ziele": 0}}, "ratings.ziele"),
    ({"ratings": {"tausch": -3}}, "ratings.tausch"),
    ({"ratings": {"tausch": True}}, "ratings.tausch"),
    ({"ratings": {"tausch": 3.0}}, "ratings.tausch"),
    ({"ratings": {"tausch": "3"}}, "ratings.tausch"),
    ({"ratings": {"tausch": 3, "macht": 2}}, "ratings.macht"),
    ({"ratings": {}}, "ratings"),
    ({"ratings": {"tausch": None, "ziele": None}}, "ratings"),
    ({}, "ratings"),
    ("4", "ratings"),
    (None, "ratings"),
    ({"ratings": {"tausch": 3}, "notes": {"macht": "x"}}, "notes.macht"),
    ({"ratings": {"tausch": 3}, "notes": {"tausch": "x" * (MAX_TEXT + 1)}}, "notes.tausch"),
    ({"ratings": {"tausch": 3}, "notes": {"ziele": 42}}, "notes.ziele"),
])
def test_rating_rejects_bad_input_naming_the_field(rating: RatingScale, raw: Any, field: str) -> None:
    assert error_field(rating, raw) == field


def test_rating_messages_are_in_the_exercise_language() -> None:
    with pytest.raises(AnswerError, match="Bitte wählen Sie einen Wert von 1 bis 5"):
        module_exercise("selbsteinschaetzung", "de").validate({"ratings": {"tausch": 9}})
    with pytest.raises(AnswerError, match="Please choose a value from 1 to 5"):
        module_exercise("selbsteinschaetzung", "en").validate({"ratings": {"tausch": 9}})
    with pytest.raises(AnswerError, match="mindestens ein Merkmal"):
        module_exercise("selbsteinschaetzung", "de").validate({"ratings": {}})


def test_rating_respects_a_configured_range() -> None:
    spec = ActivitySpec("r", "rating", {"items": ["a"], "min": 0, "max": 10})
    exercise = RatingScale(spec, {"items": {"a": "A"}}, "de")
    assert exercise.validate({"ratings": {"a": 0}})["ratings"] == {"a": 0}
    assert exercise.validate({"ratings": {"a": 10}})["ratings"] == {"a": 10}
    assert error_field(exercise, {"ratings": {"a": 11}}) == "ratings.a"


def test_rating_describe_is_plain_text(rating: RatingScale) -> None:
    pairs = rating.describe({"ratings": {"tausch": 4, "ziele": None},
                             "notes": {"tausch": "<b>Räume</b> & Kontakte"}})
    assert pairs == [
        ("Tausch", "4 / 5 — <b>Räume</b> & Kontakte"),  # verbatim: escaping is the renderer's job
        ("Ziele", "nicht bewertet"),
        ("Unterschiedlichkeit", "nicht bewertet"),
        ("Vertrauen", "nicht bewertet"),
    ]
    assert all(isinstance(q, str) and isinstance(a, str) for q, a in pairs)


def test_rating_chart_alt_mentions_every_item(rating: RatingScale) -> None:
    alt = rating.chart_alt({"tausch": 2, "vertrauen": 5})
    assert alt.startswith("Netzdiagramm der Selbsteinschätzung (1–5)")
    for label in ("Tausch: 2", "Ziele: nicht bewertet", "Unterschiedlichkeit: nicht bewertet",
                  "Vertrauen: 5"):
        assert label in alt
    english = module_exercise("selbsteinschaetzung", "en").chart_alt({"ziele": 3})
    for label in ("Exchange: not rated", "Goals: 3", "Diversity: not rated", "Trust: not rated"):
        assert label in english


def test_rating_chart_is_an_svg_image_with_its_text_alternative(rating: RatingScale) -> None:
    svg = rating.chart_svg({"tausch": 3})
    root = ElementTree.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
    alt = rating.chart_alt({"tausch": 3})
    assert root.get("aria-label") == alt and root.find("{http://www.w3.org/2000/svg}title").text == alt
    assert len(root.findall("{http://www.w3.org/2000/svg}polygon")) == rating.maximum - rating.minimum + 2


# choice ---------------------------------------------------------------------------------------------
def test_single_choice_accepts_a_known_option(single: Choice) -> None:
    answer = single.validate({"choice": "motor", "note": "  lädt ein  "})
    assert answer == {"choice": "motor", "note": "lädt ein"}
    assert single.validate({"choice": "beobachter", "note": ""}) == {"choice": "beobachter"}
    assert single.validate("ermoeglicher") == {"choice": "ermoeglicher"}  # bare value is the choice


@pytest.mark.parametrize(("raw", "field"), [
    ({"choice": None}, "choice"),
    ({"choice": ""}, "choice"),
    ({}, "choice"),
    ({"choice": "chef"}, "choice"),
    ({"choice": ["motor"]}, "choice"),
    ({"choice": "motor", "note": "x" * (MAX_TEXT + 1)}, "note"),
    ({"choice": "motor", "note": 7}, "note"),
])
def test_single_choice_rejects_bad_input(single: Choice, raw: Any, field: str) -> None:
    assert error_field(single, raw) == field


def test_multiple_choice_keeps_order_and_drops_duplicates(multiple: Choice) -> None:
    answer = multiple.validate({"choice": ["motor", "ermoeglicher", "motor"]})
    assert answer == {"choice": ["motor", "ermoeglicher"]}


@pytest.mark.parametrize("raw", [
    {"choice": []}, {"choice": None}, {"choice": "motor"}, {"choice": ["motor", "chef"]}, {},
])
def test_multiple_choice_rejects_bad_input(multiple: Choice, raw: Any) -> None:
    assert error_field(multiple, raw) == "choice"


def test_unknown_option_message_is_cut_short(single: Choice) -> None:
    with pytest.raises(AnswerError) as info:
        single.validate({"choice": "x" * 500})
    assert "Diese Auswahl gibt es nicht." in str(info.value)
    assert len(str(info.value)) < 100


def test_choice_without_note_ignores_a_note() -> None:
    spec = ActivitySpec("c", "choice", {"options": ["a", "b"], "multiple": False})
    exercise = Choice(spec, {"options": {"a": "A", "b": "B"}}, "de")
    assert exercise.validate({"choice": "a", "note": "hier nicht gefragt"}) == {"choice": "a"}


def test_choice_describe_uses_labels(single: Choice, multiple: Choice) -> None:
    prompt, text = single.describe({"choice": "ermoeglicher", "note": "Ich lade ein."})[0]
    assert "Rollen" in prompt and text == "Ermöglicher/-in"
    assert single.describe({"choice": "ermoeglicher", "note": "Ich lade ein."})[1] == (
        "Woran merken Sie das?", "Ich lade ein.")
    assert multiple.describe({"choice": ["motor", "beobachter"]})[0][1] == "Motor, Beobachter/-in"
    english = module_exercise("rolle-netzwerk", "en").describe({"choice": ["ermoeglicher"]})
    assert english[0][1] == "Enabler"
    assert all(isinstance(x, str) for pair in english for x in pair)


# free text ------------------------------------------------------------------------------------------
def test_freetext_strips_and_accepts_plain_strings() -> None:
    assert freetext().validate({"text": "  Mehr Austausch.\n"}) == {"text": "Mehr Austausch."}
    assert freetext().validate("direkt") == {"text": "direkt"}


@pytest.mark.parametrize(("exercise", "raw"), [
    (freetext(), {"text": ""}),
    (freetext(), {"text": "   \n\t"}),
    (freetext(), {}),
    (freetext(), None),
    (freetext(), {"text": 42}),
    (freetext(), {"text": ["a"]}),
    (freetext(max_length=5), {"text": "sechs!"}),
    (freetext(required=False), {"text": "x" * (MAX_TEXT + 1)}),
])
def test_freetext_rejects_bad_input(exercise: FreeText, raw: Any) -> None:
    assert error_field(exercise, raw) == "text"


def test_freetext_optional_allows_empty_and_english_messages() -> None:
    assert freetext(required=False).validate({"text": "  "}) == {"text": ""}
    with pytest.raises(AnswerError, match="Please fill in this field"):
        freetext("en").validate({"text": ""})
    with pytest.raises(AnswerError, match="at most 5 characters"):
        freetext("en", max_length=5).validate({"text": "123456"})


def test_freetext_describe() -> None:
    assert freetext().describe({"text": "<i>so</i>"}) == [("Was nehmen Sie mit?", "<i>so</i>")]


@given(text=st.text(max_size=80), required=st.booleans(), max_length=st.integers(1, 60))
def test_freetext_validate_only_raises_answer_error(text: str, required: bool, max_length: int) -> None:
    exercise = freetext(required=required, max_length=max_length)
    stripped = text.strip()
    try:
        answer = exercise.validate({"text": text})
    except AnswerError as exc:
        assert exc.field == "text"
        assert len(stripped) > max_length or (required and not stripped)
    else:
        assert answer == {"text": stripped}
        assert exercise.validate(answer) == answer
        assert len(stripped) <= max_length and (stripped or not required)


FIELDS = st.sampled_from(["ratings", "notes", "choice", "note", "text", "tausch", "motor"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 9), st.floats(allow_nan=True),
                    st.text(max_size=8), st.sampled_from(TRAITS + ["motor", "ermoeglicher"]))
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(FIELDS, st.sampled_from(TRAITS), st.text(max_size=4)),
                                            inner, max_size=3)),
    max_leaves=8,
)
SHAPED = st.fixed_dictionaries({}, optional={"ratings": JUNK, "notes": JUNK, "choice": JUNK, "note": JUNK,
                                             "text": JUNK})


@pytest.mark.parametrize("activity_id", [
    "selbsteinschaetzung", "rolle-ich", "rolle-netzwerk", "freetext",
])
@given(raw=st.one_of(JUNK, SHAPED))
@example(raw={"ratings": "abc"})  # known failures are tried first, every run
@example(raw={"ratings": {"tausch": 3}, "notes": ["x"]})
@example(raw={"choice": 5})
@example(raw={"choice": True})
def test_validate_turns_any_junk_into_answer_error_only(activity_id: str, raw: Any) -> None:
    exercise = freetext() if activity_id == "freetext" else module_exercise(activity_id)
    try:
        answer = exercise.validate(raw)
    except AnswerError as exc:
        assert exc.field
    else:
        assert exercise.validate(answer) == answer  # whatever passes is a stable, normalised answer


@pytest.mark.parametrize(("raw", "field"), [
    ({"ratings": "abc"}, "ratings"), ({"ratings": [3]}, "ratings"),
    ({"ratings": {"tausch": 3}, "notes": ["x"]}, "notes"),
    ({"ratings": {"tausch": 3}, "notes": "x"}, "notes"),
])
def test_rating_rejects_non_mapping_parts(rating: RatingScale, raw: Any, field: str) -> None:
    """A damaged imported journal must give AnswerError, not AttributeError."""
    assert error_field(rating, raw) == field


@pytest.mark.parametrize("chosen", [5, True, {"motor": 1}, "motor"])
def test_multiple_choice_needs_a_list(multiple: Choice, chosen: Any) -> None:
    assert error_field(multiple, {"choice": chosen}) == "choice"
