"""The glossary (src/netcourse/core/i18n/glossary.yaml): one term per idea, used the same way in both languages.

For every term and language: the preferred form is used in the modules the glossary names, none of the
variants to avoid appears in any built-in text (modules, interface, course, documentation and workbook
strings, the example plugin), and a module that uses a term in German uses it in English too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from netcourse.core.course import CourseModule
from netcourse.core.glossary import avoided, glossary, normalise, preferred, strings

ROOT = Path(__file__).resolve().parents[1]
MODULES_DIR = ROOT / "src" / "netcourse" / "modules"
I18N_DIR = ROOT / "src" / "netcourse" / "core" / "i18n"
EXAMPLE_DIR = ROOT / "examples" / "netcourse-lernraum" / "src" / "netcourse_lernraum"
LANGS = ("de", "en")
I18N_FILES = ("ui", "course", "documentation", "workbook")


@cache
def built_in_modules() -> dict[str, CourseModule]:
    found = {}
    for directory in sorted(p.parent for p in MODULES_DIR.glob("*/module.yaml")):
        module = CourseModule.from_directory(directory)
        found[module.id] = module
    return found


@cache
def module_text(module_id: str, lang: str) -> str:
    return normalise(" \n ".join(strings(built_in_modules()[module_id].texts(lang))))


@cache
def every_text(lang: str) -> dict[str, str]:
    """Every built-in text of one language, by where it comes from."""
    texts = {f"module {m}": module_text(m, lang) for m in built_in_modules()}
    for name in I18N_FILES:
        data = yaml.safe_load((I18N_DIR / f"{name}.{lang}.yaml").read_text(encoding="utf-8"))
        texts[f"i18n {name}.{lang}.yaml"] = normalise(" \n ".join(strings(data)))
    example = yaml.safe_load((EXAMPLE_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    texts["example plugin"] = normalise(" \n ".join(strings(example)))
    return texts


TERM_IDS = sorted(glossary())


# the glossary itself ------------------------------------------------------------------------------------
def test_every_term_is_complete_in_both_languages() -> None:
    assert len(TERM_IDS) >= 20
    for term_id, entry in glossary().items():
        assert entry.get("source") in ("report", "course"), term_id
        assert set(entry["modules"]) <= set(built_in_modules()), term_id
        for lang in LANGS:
            side = entry[lang]
            assert side["term"].strip() and side["definition"].strip(), f"{term_id} {lang}"
            preferred(entry, lang)  # compiles
            for pattern in avoided(entry, lang):
                assert not pattern.search(side["term"]), f"{term_id} {lang}: avoids its own term"


def test_the_issue_terms_are_there() -> None:
    wanted = {"netzwerk", "vernetzung", "netzwerkmanagement", "projektmanagement", "tausch", "ziele",
              "unterschiedlichkeit", "vertrauen", "ermoeglicher", "motor", "beobachter", "mehrwert", "bne",
              "lernraum"}
    assert wanted <= set(glossary())
    terms = glossary()
    assert terms["ermoeglicher"]["de"]["term"] == "Ermöglicher/-in"
    assert terms["beobachter"]["de"]["term"] == "Beobachter/-in"
    assert terms["akteurinnen_und_akteure"]["de"]["term"] == "Akteurinnen und Akteure"
    assert terms["netzwerkmanagerin"]["de"]["term"] == "Netzwerkmanagerin bzw. Netzwerkmanager"
    assert terms["bne"]["en"]["term"] == "municipal ESD network"
    assert terms["kursleitung"]["en"]["term"] == "trainer"


# the texts use the glossary ----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("term_id", TERM_IDS)
def test_the_preferred_form_is_used_where_the_term_belongs(term_id: str, lang: str) -> None:
    entry = glossary()[term_id]
    pattern = preferred(entry, lang)
    missing = [m for m in entry["modules"] if not pattern.search(module_text(m, lang))]
    assert not missing, f"{term_id} ({lang}): “{entry[lang]['term']}” not used in {missing}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("term_id", TERM_IDS)
def test_no_variant_to_avoid_appears(term_id: str, lang: str) -> None:
    entry = glossary()[term_id]
    found = []
    for where, text in every_text(lang).items():
        for pattern in avoided(entry, lang):
            for match in pattern.finditer(text):
                found.append(f"{where}: …{text[max(0, match.start() - 40):match.end() + 40]}…")
    assert not found, f"{term_id} ({lang}) uses a variant to avoid:\n" + "\n".join(found)


@pytest.mark.parametrize("term_id", TERM_IDS)
def test_a_module_uses_a_term_in_both_languages_or_in_neither(term_id: str) -> None:
    entry = glossary()[term_id]
    de, en = preferred(entry, "de"), preferred(entry, "en")
    for module_id in built_in_modules():
        in_de, in_en = bool(de.search(module_text(module_id, "de"))), bool(en.search(module_text(module_id, "en")))
        assert in_en or not in_de, f"{term_id}: {module_id} uses the German term but not the English one"
        if not entry.get("one_way"):
            assert in_de or not in_en, f"{term_id}: {module_id} uses the English term but not the German one"


# the test finds what it should --------------------------------------------------------------------------
def test_the_checks_catch_known_mistakes() -> None:
    terms = glossary()

    def hits(term_id: str, lang: str, text: str) -> bool:
        return any(p.search(normalise(text)) for p in avoided(terms[term_id], lang))

    assert hits("akteurinnen_und_akteure", "de", "Die Akteur:innen treffen sich.")
    assert hits("akteurinnen_und_akteure", "de", "Alle Akteure treffen sich.")
    assert not hits("akteurinnen_und_akteure", "de", "Alle Akteurinnen und\n  Akteure treffen sich.")
    assert hits("netzwerkmanagerin", "de", "Der Netzwerkmanager lädt ein.")
    assert not hits("netzwerkmanagerin", "de", "Eine Netzwerkmanagerin bzw. ein Netzwerkmanager lädt ein.")
    assert hits("ermoeglicher", "de", "als Ermöglicher wirken")
    assert not hits("ermoeglicher", "de", "als Ermöglicher/-in wirken")
    assert hits("gruppenraum", "de", "jede Gruppe im Breakout-Raum")
    assert not hits("gruppenraum", "de", "jede Gruppe im Gruppenraum (Breakout-Raum)")
    assert hits("kursleitung", "de", "Der Trainer erklärt den Auftrag.")
    assert not hits("kursleitung", "de", "In der Trainer-Ansicht sehen Sie die Tafel.")
    assert hits("bne", "en", "a municipality network")
    assert hits("kernbotschaft", "de", "Unter dem Titel „Zeit ist kostbar“ sprach er.")
    assert hits("ausgestaltung", "de", "kaum ausgeprägt")
