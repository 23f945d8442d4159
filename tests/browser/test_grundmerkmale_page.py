"""The real path in Chromium: ``netcourse present`` serves the Grundmerkmale page, the widgets render without
code, every request stays on this computer, a rating arrives in the answer store, axe-core finds nothing.

Screenshots for the docs: ``NETCOURSE_SCREENSHOT_DIR=docs/screenshots pytest tests/browser -k screenshots``
(without the variable they go to the test's temporary folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from netcourse.store import AnswerStore

from .conftest import HOST, PARTICIPANT, VoilaServer

LOAD_TIMEOUT_MS = 60_000
SAVE_TIMEOUT_MS = 20_000
EXERCISES = 3  # selbsteinschaetzung, rolle-ich, rolle-netzwerk


def open_course(page: Page, url: str) -> None:
    """Navigate and wait until every exercise and the radar chart are on screen."""
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    expect(page.locator(".nc-exercise")).to_have_count(EXERCISES, timeout=LOAD_TIMEOUT_MS)
    expect(page.locator(".nc-exercise").last).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(page.locator("img.nc-chart")).to_be_visible(timeout=LOAD_TIMEOUT_MS)


def rating_row(page: Page, item_label: str) -> Locator:
    return page.locator(".nc-rating").filter(has=page.locator(".widget-label", has_text=item_label))


def rating_exercise(page: Page) -> Locator:
    return page.locator(".nc-exercise-rating")


def containing(fragment: str) -> re.Pattern[str]:
    """For ``to_have_attribute``: any value that contains ``fragment``."""
    return re.compile(re.escape(fragment))


@dataclass
class LoadedPage:
    page: Page
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def course_page(browser: Browser, browser_context_args: dict[str, Any],
                voila_server: VoilaServer) -> Iterator[LoadedPage]:
    """One participant page, loaded once for the read-only checks, with every request it made."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    loaded = LoadedPage(page)
    page.on("request", lambda request: loaded.requests.append(request.url))
    page.on("websocket", lambda socket: loaded.requests.append(socket.url))
    open_course(page, voila_server.page_url)
    yield loaded
    context.close()


def test_page_renders_in_german_with_widgets_and_chart(course_page: LoadedPage) -> None:
    page = course_page.page
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.get_by_role("heading", level=1)).to_have_text("Grundmerkmale von Netzwerken")
    expect(page.get_by_role("main")).to_have_count(1)
    expect(rating_row(page, "Tausch").get_by_role("button")).to_have_count(5)
    expect(page.get_by_role("button", name="Speichern")).to_have_count(EXERCISES)
    alt = page.locator("img.nc-chart").get_attribute("alt") or ""
    assert alt.startswith("Netzdiagramm") and "Tausch" in alt
    expect(page.locator(".nc-trainer-note")).to_have_count(0)  # participant mode


def test_no_code_is_visible(course_page: LoadedPage) -> None:
    page = course_page.page
    code_inputs = page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea .cm-editor, .jp-InputPrompt")
    expect(code_inputs).to_have_count(0)
    for area in page.locator(".jp-InputArea").all():  # only markdown cells keep an input area
        assert not area.is_visible() or area.locator(".jp-RenderedMarkdown").count() == 1
    text = page.locator("body").inner_text()
    for code in ("from netcourse", "lesson.", "Lesson(", "Traceback"):
        assert code not in text


def test_every_request_stays_on_loopback(course_page: LoadedPage) -> None:
    outside = [url for url in course_page.requests
               if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != HOST]
    assert course_page.requests and not outside


def test_rating_and_note_arrive_in_the_store(page: Page, voila_server: VoilaServer) -> None:
    open_course(page, voila_server.page_url)
    chart = page.locator("img.nc-chart")
    chart_before = chart.get_attribute("src")

    four = rating_row(page, "Tausch").get_by_role("button", name="4", exact=True)
    four.click()
    expect(four).to_have_attribute("aria-pressed", "true")  # set by the template's accessibility script
    expect(chart).not_to_have_attribute("src", chart_before or "", timeout=SAVE_TIMEOUT_MS)
    expect(chart).to_have_attribute("alt", containing("Tausch: 4"))

    note = "Die VHS stellt Räume, der Umweltverein bringt Referentinnen mit."
    page.get_by_label("Notiz zu Tausch").fill(note)
    exercise = rating_exercise(page)
    exercise.get_by_role("button", name="Speichern").click()
    expect(exercise.locator(".nc-status")).to_contain_text("Gespeichert", timeout=SAVE_TIMEOUT_MS)

    answer = AnswerStore(voila_server.store).load(PARTICIPANT, "grundmerkmale", "selbsteinschaetzung")
    assert answer is not None
    assert answer["ratings"]["tausch"] == 4
    assert answer["notes"] == {"tausch": note}


def test_axe_finds_no_violations(page: Page, voila_server: VoilaServer) -> None:
    open_course(page, voila_server.page_url)
    pressed = rating_row(page, "Ziele").get_by_role("button", name="3", exact=True)
    pressed.click()  # check the selected state's contrast too
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".nc-status[aria-live='polite']")).to_have_count(EXERCISES)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def save_full_page(page: Page, path: Path) -> None:
    """Voila scrolls inside #rendered_cells: grow the viewport to its full height, then shoot."""
    height = page.evaluate("document.getElementById('rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": int(height) + 8})
    page.mouse.move(0, 0)  # no hover highlight in the picture
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")  # relayout
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def test_screenshots_participant_and_trainer(page: Page, voila_server: VoilaServer, present_server: Any,
                                             tmp_path: Path) -> None:
    target = Path(os.environ.get("NETCOURSE_SCREENSHOT_DIR") or tmp_path)
    open_course(page, voila_server.page_url)
    for item, value in (("Ziele", "3"), ("Unterschiedlichkeit", "5"), ("Vertrauen", "2")):
        rating_row(page, item).get_by_role("button", name=value, exact=True).click()
    expect(page.locator("img.nc-chart")).to_have_attribute("alt", containing("Vertrauen: 2"))
    save_full_page(page, target / "grundmerkmale-de.png")

    with present_server("--trainer") as trainer:
        open_course(page, trainer.page_url)
        expect(page.locator(".nc-trainer-note")).to_contain_text("Hinweis für die Kursleitung")
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        save_full_page(page, target / "grundmerkmale-trainer.png")
    assert (target / "grundmerkmale-de.png").stat().st_size > 50_000
    assert (target / "grundmerkmale-trainer.png").stat().st_size > 50_000
