"""The course's didactic material as data (content review, December 2026).

Every built-in module: key points, a worked example marked as invented, guiding questions, a Sources
section that says what the report does and does not say, and a self-check whose answers explain
themselves. Data prepared for code to come (self-check items, example ideas, recall texts, agenda items)
is complete and the same in both languages.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

from netcourse.core.course import CourseModule
from netcourse.core.plugins import BUILTIN_DISTRIBUTION
from netcourse.exercises.registry import modules

BUILT_IN = [r.name for r in modules.records() if r.distribution == BUILTIN_DISTRIBUTION]
MATERIAL_SECTIONS = ("beispiel", "kernpunkte", "leitfragen", "quellen")
EXAMPLE_MARK = {"de": ("erfunden", "Lehrmaterial dieses Kurses"),
                "en": ("invented", "teaching material of this course")}
SOURCES_SAY = {"de": ("Was der Rückblick sagt", "Was der Rückblick nicht sagt"),
               "en": ("What the report says", "What the report does not say")}


def module(module_id: str) -> CourseModule:
    return modules.get(module_id)


def i18n_yaml(name: str, lang: str) -> dict[str, Any]:
    return yaml.safe_load(resources.files("netcourse.core.i18n").joinpath(f"{name}.{lang}.yaml").read_text("utf-8"))


def test_all_seven_built_in_modules_are_checked() -> None:
    assert len(BUILT_IN) == 7


@pytest.mark.parametrize("module_id", BUILT_IN)
def test_every_module_has_example_key_points_questions_and_sources(module_id: str) -> None:
    m = module(module_id)
    for section in MATERIAL_SECTIONS:
        assert section in m.sections and f"section:{section}" in m.page_pieces, f"{module_id}: {section}"
    for lang in ("de", "en"):
        example = m.section_texts("beispiel", lang)["body"]
        assert any(mark in example for mark in EXAMPLE_MARK[lang]), f"{module_id} ({lang}): example not marked"
        sources = m.section_texts("quellen", lang)["body"]
        for phrase in SOURCES_SAY[lang]:
            assert phrase in sources, f"{module_id} ({lang}): Sources lack “{phrase}”"


@pytest.mark.parametrize("module_id", BUILT_IN)
def test_trainer_notes_give_timing_as_a_suggestion(module_id: str) -> None:
    texts = {lang: module(module_id).texts(lang)["trainer_note"] for lang in ("de", "en")}
    assert "Zeitvorschlag dieses Kurses" in texts["de"]
    assert "suggested timing" in texts["en"]


@pytest.mark.parametrize("module_id", BUILT_IN)
def test_every_module_has_a_self_check_that_explains_every_answer(module_id: str) -> None:
    checks = {lang: module(module_id).texts(lang)["self_check"] for lang in ("de", "en")}
    assert checks["de"]["items"].keys() == checks["en"]["items"].keys() and checks["de"]["items"]
    for item_id in checks["de"]["items"]:
        answers = set()
        for lang, check in checks.items():
            item = check["items"][item_id]
            assert item["question"].strip()
            assert len(item["options"]) >= 2
            assert item["answer"] in item["options"], f"{module_id}/{item_id} ({lang})"
            assert item["feedback"].keys() == item["options"].keys(), f"{module_id}/{item_id} ({lang})"
            right = "Richtig" if lang == "de" else "Correct"
            assert item["feedback"][item["answer"]].startswith(right), f"{module_id}/{item_id} ({lang})"
            wrong = [o for o in item["options"] if o != item["answer"]]
            assert all(not item["feedback"][o].startswith(right) for o in wrong), f"{module_id}/{item_id}"
            answers.add(item["answer"])
        assert len(answers) == 1, f"{module_id}/{item_id}: the right answer differs between languages"


def test_the_definition_frames_talk_one_and_returns_in_the_conclusion() -> None:
    pieces = list(module("grundmerkmale").page_pieces)
    assert pieces.index("section:vorbemerkung") < pieces.index("section:merkmale")
    for lang, words in (("de", ("Nicht jede Art der Vernetzung", "Organisationsform", "regelmäßig",
                                "gemeinsame Ziele", "gemeinsamen Themenfeld")),
                        ("en", ("not every kind of networking", "form of organisation", "regularly",
                                "shared goals", "shared field"))):
        start = module("grundmerkmale").section_texts("vorbemerkung", lang)["body"].replace("\n", " ")
        end = module("fazit").section_texts("netzwerk", lang)["body"].replace("\n", " ")
        for word in words:
            assert word.lower() in " ".join(start.split()).lower(), (lang, word)
            assert word.lower() in " ".join(end.split()).lower(), (lang, word)


def test_the_group_work_has_example_ideas_per_trait_and_a_self_study_text() -> None:
    gruppenarbeit = module("gruppenarbeit")
    traits = list(gruppenarbeit.activity("ideen").config["groups"])
    for lang in ("de", "en"):
        texts = gruppenarbeit.texts(lang)
        assert list(texts["example_ideas"]) == traits
        for ideas in texts["example_ideas"].values():
            assert len(ideas) >= 2 and all(i["title"].strip() and i["text"].strip() for i in ideas)
        assert {"heading", "task", "reveal_button", "reveal_hint", "compare_prompt", "example_note"} <= set(
            texts["self_study"])
    for module_id in ("gruppenarbeit", "fazit"):
        for lang in ("de", "en"):
            assert {"heading", "intro", "empty"} <= set(module(module_id).texts(lang)["recall"])


def test_agenda_items_for_a_live_session_are_data_in_both_languages() -> None:
    items = {lang: i18n_yaml("course", lang)["agenda_items"] for lang in ("de", "en")}
    assert list(items["de"]) == list(items["en"]) == ["begruessung", "pause", "feedback"]
    for item_id, item in items["de"].items():
        assert item["minutes"] == items["en"][item_id]["minutes"] and item["minutes"] > 0
        assert item["after"] == items["en"][item_id]["after"]
        assert item["after"] in ("start", "end", *BUILT_IN)


def test_the_agenda_no_longer_claims_the_event_timetable() -> None:
    assert i18n_yaml("ui", "de")["agenda_caption"] == "Ablauf dieses Kurses (Vorschlag)"
    assert i18n_yaml("ui", "en")["agenda_caption"] == "Agenda of this course (suggestion)"
    for lang in ("de", "en"):
        assert "3" not in i18n_yaml("ui", lang)["agenda_caption"]


def test_the_actor_map_says_density_is_not_trust() -> None:
    assert "misst kein Vertrauen" in i18n_yaml("ui", "de")["ind_vertrauen"]
    assert "does not measure trust" in i18n_yaml("ui", "en")["ind_vertrauen"]
    for lang, phrase in (("de", "Was sie nicht misst"), ("en", "What it does not measure")):
        assert phrase in module("akteurslandkarte").section_texts("kennzahlen", lang)["body"]


def test_zeit_ist_kostbar_is_a_core_message_not_a_title() -> None:
    for lang, word in (("de", "Kernbotschaft"), ("en", "core message")):
        assert word in module("zeit-ist-kostbar").section_texts("vortrag", lang)["body"]
    facts = " ".join(i18n_yaml("documentation", "de")["event_facts"])
    assert "Kernbotschaft „Zeit ist kostbar“" in facts and "Titel" not in facts
