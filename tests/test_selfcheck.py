"""Issue 12, point 3: self-check with feedback that explains, recall of earlier answers, the self-study group work.

Drives the pages in plain pytest (widgets without a browser); the browser walk is in
tests/browser/test_self_study.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from netcourse.core.errors import AnswerError
from netcourse.core.plugins import BUILTIN_DISTRIBUTION
from netcourse.exercises.registry import modules
from netcourse.pages import lesson as lesson_page
from netcourse.pages.lesson import Lesson

BUILT_IN = [r.name for r in modules.records() if r.distribution == BUILTIN_DISTRIBUTION]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What a page displays, in order (markup strings and widgets)."""
    out: list[Any] = []
    monkeypatch.setattr(lesson_page, "show_html", out.append)
    monkeypatch.setattr(lesson_page, "display", lambda obj, **_: out.append(obj))
    return out


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


# the self-check ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("module_id", BUILT_IN)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_module_shows_a_self_check_whose_feedback_explains_the_chosen_option(store, module_id: str,
                                                                                    lang: str) -> None:
    module = modules.get(module_id)
    assert "activity:selbstcheck" in module.page_pieces
    view = Lesson(module_id, participant="p1", store=store, lang=lang).build_activity("selbstcheck")
    items = module.texts(lang)["self_check"]["items"]
    assert list(view.pickers) == list(items)
    for item_id, item in items.items():
        wrong = next(o for o in item["options"] if o != item["answer"])
        view.pickers[item_id].value = wrong
        feedback = view.feedbacks[item_id].value
        assert 'aria-live="polite"' in feedback and "nc-feedback-wrong" in feedback
        assert text_of(item["feedback"][wrong]) in text_of(feedback)
        view.pickers[item_id].value = item["answer"]
        assert "nc-feedback-right" in view.feedbacks[item_id].value
    assert view.save() is not None
    stored = store.load("p1", module_id, "selbstcheck")
    assert stored == {"answers": {i: item["answer"] for i, item in items.items()}}
    assert str(len(items)) in view.score.value


def test_the_self_check_resumes_escapes_and_rejects_what_it_does_not_know(store) -> None:
    view = Lesson("fazit", participant="p1", store=store).build_activity("selbstcheck")
    assert view.save() is None and "mindestens einer Frage" in view.status_text
    first = next(iter(view.pickers))
    view.pickers[first].value = "a"
    assert view.save() is not None
    again = Lesson("fazit", participant="p1", store=store).build_activity("selbstcheck")
    assert again.pickers[first].value == "a" and again.feedbacks[first].value
    with pytest.raises(AnswerError):
        again.exercise.validate({"answers": {first: "<script>"}})
    with pytest.raises(AnswerError):
        again.exercise.validate({"answers": {"no-such-item": "a"}})
    pairs = again.exercise.describe({"answers": {first: "a"}})
    assert pairs and pairs[0][0] == again.exercise.items[first]["question"]
    assert pairs[0][1].startswith("Ihre Antwort: ") and pairs[0][1].endswith(again.exercise.feedback(first, "a"))


def test_feedback_is_escaped_text(store) -> None:
    view = Lesson("fazit", participant="p1", store=store).build_activity("selbstcheck")
    first = next(iter(view.pickers))
    view.exercise.texts["items"][first]["feedback"]["a"] = "<img src=x onerror=alert(1)>"
    view.pickers[first].value = None
    view.pickers[first].value = "a"
    assert "<img" not in view.feedbacks[first].value and "&lt;img" in view.feedbacks[first].value


# recall ---------------------------------------------------------------------------------------------------
def test_the_group_work_and_the_conclusion_recall_the_trait_ratings(store, shown: list[Any]) -> None:
    Lesson("gruppenarbeit", participant="p1", store=store).recall()
    assert "Sie haben die Selbsteinschätzung noch nicht ausgefüllt" in text_of(shown[-1])
    rating = Lesson("grundmerkmale", participant="p1", store=store).build_activity("selbsteinschaetzung")
    rating.exercise.validate  # noqa: B018 - the model is there
    store.save("p1", "grundmerkmale", "selbsteinschaetzung",
               rating.exercise.validate({"ratings": {"tausch": 4, "ziele": 2, "unterschiedlichkeit": 3,
                                                     "vertrauen": 5}, "notes": {}}))
    for module_id in ("gruppenarbeit", "fazit"):
        Lesson(module_id, participant="p1", store=store).recall()
        seen = text_of(shown[-1])
        assert "Tausch 4 / 5" in seen and "Ziele 2 / 5" in seen and "Vertrauen 5 / 5" in seen, seen
    Lesson("fazit", participant="p2", store=store, lang="en").recall()
    assert "not filled in" in text_of(shown[-1]) or "not yet" in text_of(shown[-1])


def test_recall_is_data_not_module_ids_in_page_code() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "netcourse" / "pages").glob("selfstudy.py"))
    for module_id in BUILT_IN:
        assert f'"{module_id}"' not in code and f"'{module_id}'" not in code
    assert modules.get("gruppenarbeit").recall == ("grundmerkmale/selbsteinschaetzung",)


# the self-study group work ------------------------------------------------------------------------------
def test_self_study_shows_its_task_no_board_and_reveals_example_ideas_after_a_saved_idea(store,
                                                                                       shown: list[Any]) -> None:
    page = Lesson("gruppenarbeit", participant="p1", store=store)
    assert page.self_study
    page.board()
    page.section("so-arbeiten")
    page.section("beispiel")
    assert shown == []  # no board, no live instructions, no example ideas up front
    page.selfstudy("ideen")
    texts = page.texts["self_study"]
    assert texts["task"] in text_of(shown[-1]) and texts["heading"] in shown[-1]
    page.activity("ideen")
    page.examples("ideen")
    examples = page.example_ideas
    assert examples.button.disabled and texts["reveal_hint"] in examples.hint.value
    examples.reveal()
    assert examples.shown.value == ""
    view = page.views["ideen"]
    view.group_picker.value = "vertrauen"
    view.title.value = "Quartalsfrühstück"
    view.text.value = "Einmal im Quartal"
    assert view.save() is not None
    assert not examples.button.disabled  # enabled by the saved idea, without reloading
    examples.reveal()
    revealed = text_of(examples.shown.value)
    for idea in page.texts["example_ideas"]["vertrauen"]:
        assert idea["title"] in revealed
    assert texts["compare_prompt"] in revealed and texts["example_note"] in revealed
    assert "Quartalsfrühstück" not in revealed


def test_a_live_session_keeps_its_instructions_and_shows_no_self_study_items(store, shown: list[Any]) -> None:
    from netcourse.core.participants import Profile  # noqa: F401 - a roster participant has a profile

    trainer = Lesson("gruppenarbeit", participant="trainer", store=store, mode="trainer")
    assert not trainer.self_study
    trainer.section("so-arbeiten")
    trainer.selfstudy("ideen")
    trainer.examples("ideen")
    assert len(shown) == 1 and "Tafel" in shown[0]


# agenda ---------------------------------------------------------------------------------------------------
EXAMPLE_MODULE = ROOT / "examples" / "netcourse-lernraum" / "src" / "netcourse_lernraum"


@pytest.fixture
def over_length(monkeypatch: pytest.MonkeyPatch) -> None:
    """The installed course plus the example plugin's module (15 minutes): over the planned 180 minutes."""
    from netcourse.core.course import CourseModule
    from netcourse.exercises import registry

    installed = registry.course_modules()
    extra = CourseModule.from_directory(EXAMPLE_MODULE)
    assert extra.id not in {m.id for m in installed}
    monkeypatch.setattr(registry, "course_modules",
                        lambda: sorted([*installed, extra], key=lambda m: (m.order, m.id)))


def over_length_total() -> int:
    from netcourse.exercises.registry import course_agenda

    agenda = course_agenda("de")
    assert agenda.over > 0
    return agenda.total


def test_the_built_in_course_shows_no_over_length_warning(store) -> None:
    from netcourse.pages.present import agenda_warning

    trainer = Lesson("einfuehrung", participant="trainer", store=store, mode="trainer").agenda_html()
    assert "nc-agenda-warning" not in trainer and ">180<" in trainer.replace(" ", "")
    assert agenda_warning("de") == [] and agenda_warning("en") == []


def test_the_agenda_warns_the_trainer_only_when_over_the_planned_length(store, over_length: None) -> None:
    from netcourse.core.agenda import build_agenda

    course = {"agenda_items": {"pause": {"after": "b", "minutes": 10, "title": "Pause"},
                               "hallo": {"after": "start", "minutes": 5, "title": "Hallo"},
                               "weg": {"after": "not-installed", "minutes": 5, "title": "Verwaist"},
                               "ende": {"after": "end", "minutes": 5, "title": "Feedback"}}}
    agenda = build_agenda([("a", "A", 60, "a.ipynb"), ("b", "B", 90, "b.ipynb")], course)
    assert [(r.id, r.start, r.minutes) for r in agenda.rows] == [
        ("hallo", 0, 5), ("a", 5, 60), ("b", 65, 90), ("pause", 155, 10), ("weg", 165, 5), ("ende", 170, 5)]
    assert agenda.total == 175 and agenda.over == 0 and agenda.planned == 180
    longer = build_agenda([("a", "A", 200, "a.ipynb")], {**course, "planned_minutes": 240})
    assert longer.planned == 240 and longer.total == 225 and longer.over == 0
    assert build_agenda([("a", "A", 200, "a.ipynb")], course).over == 200 + 25 - 180
    trainer = Lesson("einfuehrung", participant="trainer", store=store, mode="trainer").agenda_html()
    assert "nc-agenda-warning" in trainer and f"{over_length_total()} Minuten" in trainer
    assert "nc-agenda-warning" not in Lesson("einfuehrung", participant="p1", store=store).agenda_html()


def test_the_present_banner_warns_when_over_length(over_length: None) -> None:
    from netcourse.pages.present import agenda_warning

    [line] = agenda_warning("de")
    assert f"{over_length_total()} Minuten" in line and "180" in line


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_new_parts_speak_the_page_language(store, shown: list[Any], lang: str) -> None:
    """de/en parity of what the new pieces show: the same structure, each in its own language."""
    page = Lesson("gruppenarbeit", participant="p1", store=store, lang=lang)
    page.selfstudy("ideen")
    page.recall()
    page.activity("ideen")
    page.examples("ideen")
    texts = page.texts
    assert texts["self_study"]["heading"] in shown[0] and texts["recall"]["empty"] in text_of(shown[1])
    assert page.example_ideas.button.description == texts["self_study"]["reveal_button"]
    other = "en" if lang == "de" else "de"
    assert page.module.texts(other)["self_study"]["heading"] not in shown[0]
    check = Lesson("gruppenarbeit", participant="p1", store=store, lang=lang).build_activity("selbstcheck")
    assert check.save_button.description == ("Antworten speichern" if lang == "de" else "Save answers")
    assert set(page.module.texts("de")["example_ideas"]) == set(page.module.texts("en")["example_ideas"])
