"""The course as a whole: the seed's key concepts are taught where they belong, the agenda fits 3 hours."""

from __future__ import annotations

import re
from typing import Any

import pytest

from netcourse.core.course import flatten_keys
from netcourse.core.i18n import course_texts
from netcourse.core.plugins import BUILTIN_DISTRIBUTION
from netcourse.exercises.registry import course_modules, modules
from netcourse.pages.lesson import Lesson

BUILT_IN = ["einfuehrung", "grundmerkmale", "zeit-ist-kostbar", "gruppenarbeit", "akteurslandkarte", "fazit",
            "ausblick"]

# module → (German concepts, English concepts), each checked case-insensitively in that module's texts.
SEED_CONCEPTS: dict[str, tuple[list[str], list[str]]] = {
    "einfuehrung": (["Netzwerke erkennen lernen", "Chancen des Netzwerkmanagements", "Modellkommunen", "BNE"],
                    ["recognis", "network management", "model municipalities"]),
    "grundmerkmale": (["Tausch", "Ziele", "Unterschiedlichkeit", "Vertrauen", "Ermöglicher/-in", "Motor",
                       "Beobachter/-in"],
                      ["exchange", "goals", "diversity", "trust", "enabler", "motor", "observer"]),
    "zeit-ist-kostbar": (["Zeit ist kostbar", "Mehrwert", "menschlich angenehm"],
                         ["time is precious", "added value", "humanly pleasant"]),
    "gruppenarbeit": (["vier Gruppen", "Tausch", "Ziele", "Unterschiedlichkeit", "Vertrauen", "BNE-Netzwerk"],
                      ["four groups", "exchange", "goals", "diversity", "trust"]),
    "fazit": (["Organisationsform", "regelmäßig", "gemeinsame Ziele", "Themenfeld", "Projektmanagement",
               "Netzwerkmanagement", "Bedarf"],
              ["form of organisation", "regular", "shared goals", "field", "project management", "needs"]),
    "ausblick": (["Interkommunale", "Lernraum", "30. Juni 2022", "Erfahrungen"],
                 ["Lernraum", "30 June 2022", "experiences"]),
    "akteurslandkarte": (["Akteurinnen und Akteure", "Verbindungen"], ["actors", "ties"]),
}


def all_text(data: Any) -> str:
    if isinstance(data, dict):
        return " ".join(all_text(v) for v in data.values())
    if isinstance(data, list):
        return " ".join(all_text(v) for v in data)
    return str(data)


def test_the_seven_built_in_modules_in_course_order() -> None:
    ordered = [m.id for m in course_modules() if m.id in BUILT_IN]
    assert ordered == BUILT_IN
    records = {r.name: r for r in modules.records()}
    assert all(records[m].distribution == BUILTIN_DISTRIBUTION and records[m].error is None for m in BUILT_IN)


def test_the_programme_fills_three_hours() -> None:
    """The built-in modules (155 minutes) plus welcome round, break and feedback round (25) make the report's
    three-hour programme: no over-length warning on the default course."""
    from netcourse.core.agenda import build_agenda

    built_in = [m for m in course_modules() if m.id in BUILT_IN]
    assert sum(m.minutes for m in built_in) == 155
    for lang in ("de", "en"):
        agenda = build_agenda(((m.id, m.title(lang), m.minutes, m.notebook) for m in built_in), course_texts(lang))
        assert (agenda.total, agenda.planned, agenda.over) == (180, 180, 0)


@pytest.mark.parametrize("module_id", BUILT_IN)
def test_seed_concepts_are_taught_in_their_module(module_id: str) -> None:
    module = modules.get(module_id)
    german, english = SEED_CONCEPTS[module_id]
    for lang, concepts in (("de", german), ("en", english)):
        text = re.sub(r"\s+", " ", all_text(module.texts(lang))).lower()
        missing = [c for c in concepts if c.lower() not in text]
        assert not missing, f"{module_id} ({lang}) does not teach: {missing}"


@pytest.mark.parametrize("module_id", BUILT_IN)
def test_every_module_has_objectives_minutes_trainer_note_and_activities(module_id: str) -> None:
    module = modules.get(module_id)
    assert module.minutes > 0 and module.activities
    for lang in ("de", "en"):
        texts = module.texts(lang)
        assert len(texts["objectives"]) >= 2 and texts["trainer_note"].strip()
    assert module.missing_translations() == {}


def test_course_texts_exist_in_both_languages() -> None:
    assert flatten_keys(course_texts("de")) == flatten_keys(course_texts("en"))


def test_agenda_lists_every_module_and_the_session_items_with_cumulative_times() -> None:
    html = Lesson("einfuehrung", participant="p1").agenda_html()
    items = course_texts("de")["agenda_items"]
    assert html.count("<tr") == len(course_modules()) + len(items) + 2
    # welcome round first (10 minutes), then the first module; total = modules + items
    assert "0:00–0:10" in html and "0:10–0:20" in html
    total = sum(m.minutes for m in course_modules()) + sum(i["minutes"] for i in items.values())
    assert f">{total}<" in html.replace(" ", "")
    assert 'class="nc-current"' in html
    for item in items.values():
        assert item["title"] in html
    assert "nc-agenda-warning" not in html  # the over-length warning is for the trainer only


def test_course_notebooks_are_generated_from_the_module_data() -> None:
    """The MOOC lesson: sources and notebooks pair up; a hand-edited notebook fails here."""
    import subprocess
    import sys
    from pathlib import Path

    tool = Path(__file__).resolve().parents[1] / "tools" / "make_notebook.py"
    done = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
