"""Course texts as data: both languages complete, the talk's terms taught, real umlauts in German."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
import yaml

from netcourse.core.course import CourseModule, flatten_keys
from netcourse.core.i18n import LANGUAGES, ui_keys
from netcourse.exercises import registry
from netcourse.pages.lesson import Lesson

TRAITS = {"tausch": ("Tausch", "Exchange"), "ziele": ("Ziele", "Goals"),
          "unterschiedlichkeit": ("Unterschiedlichkeit", "Diversity"), "vertrauen": ("Vertrauen", "Trust")}
ROLES = {"ermoeglicher": ("Ermöglicher/-in", "Enabler"), "motor": ("Motor", "Motor"),
         "beobachter": ("Beobachter/-in", "Observer")}
UI_FILES = ("ui", "course")

# ASCII spellings of umlaut words that would slip in from ids or keyboards without umlauts
SUBSTITUTE_STEMS = re.compile(
    r"(ermoeglich|einschaetz|schaetz|fuer|ueber|koenn|moecht|moeglich|waehl|naechst|spaeter|aender|oeffentl|"
    r"gespraech|rueck|zurueck|faehig|maessig|groess|haeufig|foerder|erklaer|beduerf|muess|wuerd|laeng|staerk|"
    r"raeum|uebung|praeg|gruen|hoeh|loes|fuehr|pruef|buerger|kuenft|taetig|verstaend|waehrend|gehoer)",
    re.IGNORECASE,
)
UMLAUT_TO_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def strings(data: Any) -> Iterator[str]:
    """Every text value (never a key: keys are ids and may be ASCII) of nested YAML data."""
    if isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)
    elif isinstance(data, str):
        yield data


def i18n_yaml(name: str, lang: str) -> dict[str, Any]:
    text = resources.files("netcourse.core.i18n").joinpath(f"{name}.{lang}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def all_modules() -> list[CourseModule]:
    return [obj for _, obj in registry.modules.items()]


def german_texts() -> list[str]:
    texts = [s for m in all_modules() for s in strings(m.texts("de"))]
    return texts + [s for name in UI_FILES for s in strings(i18n_yaml(name, "de"))]


def ascii_substitutes(texts: list[str]) -> set[str]:
    """Words written with ae/oe/ue/ss for an umlaut or ß: known stems, or the ASCII form of a word that
    the same texts also spell correctly."""
    words = {w for t in texts for w in re.findall(r"\w+", t)}
    ascii_forms = {w: w.translate(UMLAUT_TO_ASCII) for w in words}
    transliterated = {a.lower() for w, a in ascii_forms.items() if a != w}
    return {w for w in words if SUBSTITUTE_STEMS.search(w) or w.lower() in transliterated}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# both languages ---------------------------------------------------------------------------------------
def test_there_are_modules() -> None:
    ids = [m.id for m in all_modules()]
    assert "grundmerkmale" in ids


@pytest.mark.parametrize("module", all_modules(), ids=lambda m: m.id)
def test_module_texts_have_the_same_keys_in_every_language(module: CourseModule) -> None:
    assert module.missing_translations() == {}
    keys = [flatten_keys(module.texts(lang)) for lang in LANGUAGES]
    assert all(k == keys[0] for k in keys)


@pytest.mark.parametrize("module", all_modules(), ids=lambda m: m.id)
def test_module_texts_are_never_empty(module: CourseModule) -> None:
    for lang in LANGUAGES:
        texts = list(strings(module.texts(lang)))
        assert texts and all(t.strip() for t in texts), f"{module.id} {lang}: empty text"
        assert module.title(lang).strip()


def test_missing_translation_is_detected(tmp_path) -> None:
    source = registry.modules.get("grundmerkmale").directory
    for name in ("module.yaml", "de.yaml", "en.yaml"):
        (tmp_path / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    english = yaml.safe_load((tmp_path / "en.yaml").read_text(encoding="utf-8"))
    del english["kicker"]
    (tmp_path / "en.yaml").write_text(yaml.safe_dump(english, allow_unicode=True), encoding="utf-8")
    assert CourseModule.from_directory(tmp_path).missing_translations() == {"en": {"kicker"}}


@pytest.mark.parametrize("name", UI_FILES)
def test_interface_strings_match_across_languages(name: str) -> None:
    data = {lang: i18n_yaml(name, lang) for lang in LANGUAGES}
    assert flatten_keys(data["de"]) == flatten_keys(data["en"])
    for key, german in data["de"].items():
        if isinstance(german, str):
            assert placeholders(german) == placeholders(data["en"][key]), key


def test_ui_keys_helper_agrees() -> None:
    assert ui_keys("de") == ui_keys("en") == set(i18n_yaml("ui", "de"))


# what grundmerkmale teaches ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def grundmerkmale() -> CourseModule:
    return registry.modules.get("grundmerkmale")


def test_german_texts_use_the_gender_forms(grundmerkmale: CourseModule) -> None:
    text = " ".join(strings(grundmerkmale.texts("de")))
    assert "Ermöglicher/-in" in text
    assert "Beobachter/-in" in text


def test_the_four_traits_are_taught(grundmerkmale: CourseModule) -> None:
    de, en = grundmerkmale.texts("de"), grundmerkmale.texts("en")
    body_de = grundmerkmale.section_texts("merkmale", "de")["body"]
    body_en = grundmerkmale.section_texts("merkmale", "en")["body"]
    rating = grundmerkmale.activity("selbsteinschaetzung")
    assert rating.type == "rating"
    assert list(rating.config["items"]) == list(TRAITS)
    for trait, (german, english) in TRAITS.items():
        assert f"### {german}\n" in body_de
        assert re.search(rf"### {english} \({german}\)\n", body_en)
        assert de["activities"]["selbsteinschaetzung"]["items"][trait] == german
        assert en["activities"]["selbsteinschaetzung"]["items"][trait] == english
        assert german in " ".join(de["objectives"])


def test_the_three_roles_are_taught(grundmerkmale: CourseModule) -> None:
    de, en = grundmerkmale.texts("de"), grundmerkmale.texts("en")
    body_de = grundmerkmale.section_texts("rollen", "de")["body"]
    for activity_id in ("rolle-ich", "rolle-netzwerk"):
        spec = grundmerkmale.activity(activity_id)
        assert spec.type == "choice" and list(spec.config["options"]) == list(ROLES)
        for role, (german, english) in ROLES.items():
            assert de["activities"][activity_id]["options"][role] == german
            assert en["activities"][activity_id]["options"][role] == english
    assert grundmerkmale.activity("rolle-ich").config["multiple"] is False
    assert grundmerkmale.activity("rolle-netzwerk").config["multiple"] is True
    for german, _ in ROLES.values():
        assert f"### {german}\n" in body_de
        assert german in " ".join(de["objectives"])


def test_sections_render_as_headings_without_raw_html(grundmerkmale: CourseModule) -> None:
    page = Lesson("grundmerkmale", participant="p1", lang="de")
    markup = page.section_html("merkmale")
    for german, _ in TRAITS.values():
        assert f"<h3>{german}</h3>" in markup
    assert "<h3>Ermöglicher/-in</h3>" in page.section_html("rollen")


# real umlauts ----------------------------------------------------------------------------------------
def test_german_texts_have_no_ascii_umlaut_substitutes() -> None:
    texts = german_texts()
    assert any("ä" in t for t in texts) and any("ü" in t for t in texts)
    assert ascii_substitutes(texts) == set()


def test_the_substitute_check_finds_what_it_should() -> None:
    flagged = ascii_substitutes(["Die Ermoeglicher/-in", "Ihre Selbsteinschaetzung", "fuer alle",
                                 "Groessere Beteiligung", "größere Runde"])
    assert flagged == {"Ermoeglicher", "Selbsteinschaetzung", "fuer", "Groessere"}
    assert ascii_substitutes(["Vertrauen", "neue Steuerung", "zuerst", "aktuell", "Bauernhof", "Quelle",
                              "Ermöglicher/-in", "Selbsteinschätzung"]) == set()


def test_module_ids_may_stay_ascii(grundmerkmale: CourseModule) -> None:
    assert "selbsteinschaetzung" in [a.id for a in grundmerkmale.activities]
    assert "ermoeglicher" in grundmerkmale.activity("rolle-ich").config["options"]
