"""Issue 12: the self-study path of the group work, walked alone in Chromium as a self-learner sees it.

Rate the four traits, open the group work: no board and no live instructions, the self-study task and the
learner's own ratings; the example ideas stay hidden until an idea is saved, then appear for the learner's
trait (the others behind one click) with the prompt to compare. The self-check explains the chosen answer;
the conclusion shows the ratings again. Screenshots: ``docs/screenshots/self-study-gruppenarbeit.png``,
``self-check.png`` and ``agenda-trainer.png`` (the trainer's agenda: the built-in course fits 180 minutes).
"""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from netcourse.core.store import AnswerStore
from netcourse.exercises.registry import modules

from .conftest import SELF_LEARNER, VoilaServer, save_full_page, screenshot_dir, wait_rendered

SAVE_TIMEOUT_MS = 15_000
LOAD_TIMEOUT_MS = 90_000


def open_page(page: Page, url: str, module_id: str) -> None:
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    wait_rendered(page, len(modules.get(module_id).activities), timeout_ms=LOAD_TIMEOUT_MS)


def rate(page: Page, server: VoilaServer, ratings: dict[str, str]) -> None:
    open_page(page, server.url("01-grundmerkmale.ipynb"), "grundmerkmale")
    for label, value in ratings.items():
        row = page.locator(".nc-rating").filter(has=page.locator(".widget-label", has_text=label))
        row.get_by_role("button", name=value, exact=True).click()
    exercise = page.locator(".nc-exercise-rating")
    exercise.get_by_role("button", name="Speichern").click()
    expect(exercise.locator(".nc-status")).to_contain_text("Gespeichert", timeout=SAVE_TIMEOUT_MS)


def test_the_self_study_group_work_end_to_end(page: Page, self_study_server: VoilaServer, tmp_path: Path) -> None:
    target = screenshot_dir() or tmp_path
    rate(page, self_study_server, {"Tausch": "4", "Ziele": "3", "Unterschiedlichkeit": "4", "Vertrauen": "2"})

    open_page(page, self_study_server.url("03-gruppenarbeit.ipynb"), "gruppenarbeit")
    texts = modules.get("gruppenarbeit").texts("de")
    study = texts["self_study"]
    # what a self-learner reads: the self-study task, no board, no live instructions
    expect(page.get_by_role("heading", name=study["heading"])).to_be_visible()
    expect(page.locator(".nc-self-study")).to_contain_text(study["task"])
    expect(page.locator(".nc-board, .nc-trainer-board, .nc-timer, .nc-trainer-note")).to_have_count(0)
    expect(page.get_by_role("heading", name=texts["sections"]["so-arbeiten"]["heading"])).to_have_count(0)
    expect(page.locator("#rendered_cells")).not_to_contain_text("Tafel der Kursleitung")
    # the learner's own ratings, where they plan
    recall = page.locator(".nc-recall")
    expect(recall).to_contain_text(texts["recall"]["heading"])
    expect(recall).to_contain_text("Vertrauen")
    expect(recall.locator("tr", has_text="Vertrauen")).to_contain_text("2 / 5")
    # the example ideas wait for an own idea
    reveal = page.get_by_role("button", name=study["reveal_button"])
    expect(reveal).to_be_disabled()
    expect(page.locator(".nc-examples")).to_contain_text(study["reveal_hint"])
    first_example = texts["example_ideas"]["vertrauen"][0]["title"]
    expect(page.locator("#rendered_cells")).not_to_contain_text(first_example)

    ideas = page.locator(".nc-exercise-ideas")
    ideas.get_by_role("radio", name="Vertrauen").or_(ideas.get_by_role("button", name="Vertrauen")).first.click()
    ideas.get_by_label("Titel der Idee").fill("Quartalsfrühstück im Rathaus")
    ideas.get_by_label("Beschreibung").fill("Alle drei Monate ein Frühstück, bei dem jede Einrichtung kurz berichtet.")
    ideas.get_by_role("button", name="Idee hinzufügen").click()
    expect(ideas.locator(".nc-status")).to_contain_text("Gespeichert", timeout=SAVE_TIMEOUT_MS)
    expect(reveal).to_be_enabled(timeout=SAVE_TIMEOUT_MS)
    reveal.click()
    shown = page.locator(".nc-examples")
    for idea in texts["example_ideas"]["vertrauen"]:
        expect(shown).to_contain_text(idea["title"], timeout=SAVE_TIMEOUT_MS)
        expect(shown).to_contain_text(idea["text"])
    expect(shown).to_contain_text(study["compare_prompt"])
    expect(shown).to_contain_text(study["example_note"])
    others = shown.locator("details")
    expect(others.locator("summary")).to_contain_text("Tausch")
    expect(others.get_by_text(texts["example_ideas"]["tausch"][0]["title"])).to_be_hidden()
    others.locator("summary").click()
    expect(others.get_by_text(texts["example_ideas"]["tausch"][0]["title"])).to_be_visible()
    assert AnswerStore(self_study_server.store).load(SELF_LEARNER, "gruppenarbeit", "ideen")["group"] == "vertrauen"

    # the self-check: the chosen option's feedback says why
    check = page.locator(".nc-exercise-selfcheck")
    item = texts["self_check"]["items"]["gute-idee"]
    check.get_by_role("radio", name=item["options"]["a"]).check()
    expect(check.locator(".nc-feedback-wrong")).to_contain_text(item["feedback"]["a"])
    check.get_by_role("radio", name=item["options"]["b"]).check()
    expect(check.locator(".nc-feedback-right")).to_contain_text(item["feedback"]["b"])
    check.get_by_role("button", name="Antworten speichern").click()
    expect(check.locator(".nc-status")).to_contain_text("Gespeichert", timeout=SAVE_TIMEOUT_MS)
    assert AnswerStore(self_study_server.store).load(SELF_LEARNER, "gruppenarbeit", "selbstcheck") == {
        "answers": {"gute-idee": "b"}}
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    save_full_page(page, target / "self-study-gruppenarbeit.png")
    check.screenshot(path=str(target / "self-check.png"))

    # the conclusion shows the ratings again
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, self_study_server.url("05-fazit.ipynb"), "fazit")
    expect(page.locator(".nc-recall tr", has_text="Vertrauen")).to_contain_text("2 / 5")


def test_the_trainer_sees_the_agenda_with_items_and_three_hours(page: Page, demo_server: VoilaServer,
                                                                 tmp_path: Path) -> None:
    """The built-in course fits the planned 180 minutes, so no over-length warning (that path is tested with
    an over-length course in tests/test_selfcheck.py)."""
    target = screenshot_dir() or tmp_path
    open_page(page, demo_server.trainer_url("00-einfuehrung.ipynb"), "einfuehrung")
    agenda = page.locator("table.nc-agenda")
    expect(agenda.locator("caption")).to_have_text("Ablauf dieses Kurses (Vorschlag)")
    for title in ("Ankommen und Vorstellungsrunde", "Pause", "Feedbackrunde"):
        expect(agenda).to_contain_text(title)
    expect(agenda.locator("tfoot")).to_contain_text("180")
    expect(page.locator(".nc-agenda-warning")).to_have_count(0)
    page.locator(".jp-OutputArea-output", has=agenda).screenshot(path=str(target / "agenda-trainer.png"))
    page.goto(demo_server.participant_url("00-einfuehrung.ipynb", demo_server.link()), timeout=LOAD_TIMEOUT_MS)
    wait_rendered(page, len(modules.get("einfuehrung").activities), timeout_ms=LOAD_TIMEOUT_MS)
    expect(page.locator(".nc-agenda-warning")).to_have_count(0)
