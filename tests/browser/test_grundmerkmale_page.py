"""The real path in Chromium for a self-learner: ``netcourse present --self-study`` serves the Grundmerkmale
page, the widgets render without code, every request stays on this computer, a rating arrives in the
answer store under the pre-written self-learner id, axe-core finds nothing.

Screenshots for the docs: ``NETCOURSE_SCREENSHOT_DIR=docs/screenshots pytest tests/browser -k screenshots``
(without the variable nothing is written).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from netcourse.core.store import AnswerStore

from .conftest import (
    LOAD_TIMEOUT_MS,
    SELF_LEARNER,
    LoadedPage,
    VoilaServer,
    new_context,
    save_full_page,
    screenshot_dir,
    track,
    visible_code_problems,
    wait_rendered,
)

SAVE_TIMEOUT_MS = 20_000
EXERCISES = 4  # selbsteinschaetzung, rolle-ich, rolle-netzwerk, selbstcheck
NOTEBOOK = "01-grundmerkmale.ipynb"
CHART_TEXT_JS = """(() => {
  const img = document.querySelector("img.nc-chart");
  const caption = img && img.closest("figure") && img.closest("figure").querySelector("figcaption");
  return img ? `${img.alt || ""} ${caption ? caption.textContent : ""}` : "";
})()"""


def open_course(page: Page, url: str) -> None:
    """Navigate and wait until every exercise and the radar chart are on screen."""
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    wait_rendered(page, EXERCISES)
    expect(page.locator("img.nc-chart")).to_be_visible(timeout=LOAD_TIMEOUT_MS)


def rating_row(page: Page, item_label: str) -> Locator:
    return page.locator(".nc-rating").filter(has=page.locator(".widget-label", has_text=item_label))


def rating_exercise(page: Page) -> Locator:
    return page.locator(".nc-exercise-rating")


def chart_text(page: Page) -> str:
    """What the chart tells a screen reader: its ``alt`` and its visible caption, if any."""
    return str(page.evaluate(CHART_TEXT_JS))


def expect_chart_says(page: Page, fragment: str, timeout_ms: float = SAVE_TIMEOUT_MS) -> None:
    page.wait_for_function(f"fragment => ({CHART_TEXT_JS}).includes(fragment)", arg=fragment, timeout=timeout_ms)


@pytest.fixture(scope="module")
def course_page(browser: Browser, browser_context_args: dict[str, Any],
                self_study_server: VoilaServer) -> Iterator[LoadedPage]:
    """One self-learner page, loaded once for the read-only checks, with every request it made."""
    context = new_context(browser, browser_context_args)
    loaded = track(context.new_page())
    open_course(loaded.page, self_study_server.url(NOTEBOOK))
    yield loaded
    context.close()


def test_page_renders_in_german_with_widgets_and_chart(course_page: LoadedPage) -> None:
    page = course_page.page
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.get_by_role("heading", level=1)).to_have_text("Grundmerkmale von Netzwerken")
    expect(page.get_by_role("main")).to_have_count(1)
    expect(rating_row(page, "Tausch").get_by_role("button")).to_have_count(5)
    expect(page.get_by_role("button", name="Speichern")).to_have_count(EXERCISES)
    assert (page.locator("img.nc-chart").get_attribute("alt") or "").startswith("Netzdiagramm")
    assert "Tausch" in chart_text(page)  # the values, in the alt text or the visible caption
    expect(page.locator(".nc-trainer-note")).to_have_count(0)  # self-learners see no trainer notes
    expect(page.locator(".nc-problem")).to_have_count(0)  # open access: no "personal link" notice


def test_no_code_is_visible(course_page: LoadedPage) -> None:
    assert visible_code_problems(course_page.page) == []


def test_every_request_stays_on_loopback(course_page: LoadedPage) -> None:
    assert course_page.requests and not course_page.outside_requests()


def test_navigation_needs_no_link_in_self_study(course_page: LoadedPage) -> None:
    """Open access: the links between pages carry no personal token."""
    hrefs = [a.get_attribute("href") or "" for a in course_page.page.locator(".nc-nav a").all()]
    assert hrefs and all("?" not in href for href in hrefs), hrefs


def test_rating_and_note_arrive_in_the_store(page: Page, self_study_server: VoilaServer) -> None:
    open_course(page, self_study_server.url(NOTEBOOK))
    chart = page.locator("img.nc-chart")
    chart_before = chart.get_attribute("src")

    four = rating_row(page, "Tausch").get_by_role("button", name="4", exact=True)
    four.click()
    expect(four).to_have_attribute("aria-pressed", "true")  # set by the template's accessibility script
    expect(chart).not_to_have_attribute("src", chart_before or "", timeout=SAVE_TIMEOUT_MS)
    expect_chart_says(page, "Tausch: 4")

    note = "Die VHS stellt Räume, der Umweltverein bringt Referentinnen mit."
    page.get_by_label("Notiz zu Tausch").fill(note)
    exercise = rating_exercise(page)
    exercise.get_by_role("button", name="Speichern").click()
    expect(exercise.locator(".nc-status")).to_contain_text("Gespeichert", timeout=SAVE_TIMEOUT_MS)

    answer = AnswerStore(self_study_server.store).load(SELF_LEARNER, "grundmerkmale", "selbsteinschaetzung")
    assert answer is not None
    assert answer["ratings"]["tausch"] == 4
    assert answer["notes"] == {"tausch": note}


def test_axe_finds_no_violations(page: Page, self_study_server: VoilaServer) -> None:
    open_course(page, self_study_server.url(NOTEBOOK))
    pressed = rating_row(page, "Ziele").get_by_role("button", name="3", exact=True)
    pressed.click()  # check the selected state's contrast too
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".nc-status[aria-live='polite']")).to_have_count(EXERCISES)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_screenshots_self_learner_and_trainer(page: Page, self_study_server: VoilaServer,
                                              demo_server: VoilaServer) -> None:
    """The trainer view of the same page comes from the demo session's trainer link."""
    target = screenshot_dir()
    open_course(page, self_study_server.url(NOTEBOOK))
    for item, value in (("Ziele", "3"), ("Unterschiedlichkeit", "5"), ("Vertrauen", "2")):
        rating_row(page, item).get_by_role("button", name=value, exact=True).click()
    expect_chart_says(page, "Vertrauen: 2")
    if target:
        save_full_page(page, target / "grundmerkmale-de.png")

    page.set_viewport_size({"width": 1280, "height": 900})
    open_course(page, demo_server.trainer_url(NOTEBOOK))
    expect(page.locator(".nc-trainer-note")).to_contain_text("Hinweis für die Kursleitung")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    if target:
        save_full_page(page, target / "grundmerkmale-trainer.png")
        assert (target / "grundmerkmale-de.png").stat().st_size > 50_000
        assert (target / "grundmerkmale-trainer.png").stat().st_size > 50_000
