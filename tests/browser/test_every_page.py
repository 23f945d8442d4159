"""Every course notebook in Chromium, as a participant of the demo session (a personal link with ``?p=``).

Each page renders its German h1 and all its activities, shows no code and no traceback, asks nothing of any
host but 127.0.0.1, keeps the personal link in its navigation, and axe-core (run once the widgets are on
screen) reports 0 violations. The start page and one module are also checked in English
(``netcourse present --lang en``).

Screenshots of every page (``docs/screenshots/page-<notebook>.png``) are written only when
``NETCOURSE_SCREENSHOT_DIR`` is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from netcourse.core.course import CourseModule
from netcourse.core.i18n import course_texts
from netcourse.exercises.registry import course_modules

from .conftest import (
    COURSE,
    LOAD_TIMEOUT_MS,
    LoadedPage,
    VoilaServer,
    new_context,
    run_present,
    save_full_page,
    screenshot_dir,
    settle,
    track,
    visible_code_problems,
    wait_rendered,
)

START = "00-start.ipynb"
NOTEBOOKS = sorted(path.name for path in COURSE.glob("*.ipynb"))
MODULES: dict[str, CourseModule] = {module.notebook: module for module in course_modules()}
ENGLISH_PAGES = [START, "01-grundmerkmale.ipynb"]


def expected_h1(notebook: str, lang: str) -> str:
    if notebook == START:
        return str(course_texts(lang)["title"])
    assert notebook in MODULES, f"{notebook}: no course module uses this notebook"
    return MODULES[notebook].title(lang)


def wait_page(page: Page, notebook: str) -> None:
    """Until every cell ran and every widget of the page is on screen."""
    if notebook == START:
        wait_rendered(page)
        expect(page.locator(".widget-dropdown select")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
        expect(page.locator("button.widget-button")).to_have_count(3, timeout=LOAD_TIMEOUT_MS)
        expect(page.locator(".widget-upload, .jupyter-widgets.widget-upload")).to_have_count(1)
        settle(page)
    else:
        wait_rendered(page, len(MODULES[notebook].activities))
        expect(page.locator(".nc-nav-bottom")).to_be_visible()


class Pages:
    """Loads each page once per module (in one browser context) and keeps it for the checks."""

    def __init__(self, context: BrowserContext, url: Callable[[str], str]) -> None:
        self.context, self.url, self.loaded = context, url, {}

    def __call__(self, notebook: str) -> LoadedPage:
        if notebook not in self.loaded:
            loaded = track(self.context.new_page())
            loaded.page.goto(self.url(notebook), timeout=LOAD_TIMEOUT_MS)
            wait_page(loaded.page, notebook)
            self.loaded[notebook] = loaded
        return self.loaded[notebook]


@pytest.fixture(scope="module")
def german(browser: Browser, browser_context_args: dict[str, Any], demo_server: VoilaServer) -> Iterator[Pages]:
    """Pages opened with the first demo participant's personal link."""
    context = new_context(browser, browser_context_args)
    link = demo_server.link()
    yield Pages(context, lambda notebook: demo_server.participant_url(notebook, link))
    context.close()


@pytest.fixture(scope="module")
def english_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    with run_present(tmp_path_factory.mktemp("english"), "--lang", "en", "--pool-size", "0") as server:
        yield server


@pytest.fixture(scope="module")
def english(browser: Browser, browser_context_args: dict[str, Any],
            english_server: VoilaServer) -> Iterator[Pages]:
    context = new_context(browser, {**browser_context_args, "locale": "en-GB"})
    link = english_server.link()
    yield Pages(context, lambda notebook: english_server.participant_url(notebook, link))
    context.close()


def check_page(loaded: LoadedPage, notebook: str, lang: str) -> None:
    page = loaded.page
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.get_by_role("heading", level=1)).to_have_text(expected_h1(notebook, lang))
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.locator(".nc-problem")).to_have_count(0)  # neither "open your link" nor a page-piece error
    expect(page.locator(".nc-trainer-note, .nc-trainer-board")).to_have_count(0)
    assert visible_code_problems(page) == []
    assert loaded.requests and not loaded.outside_requests(), loaded.outside_requests()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_every_notebook_is_covered() -> None:
    assert START in NOTEBOOKS and len(NOTEBOOKS) >= 8, NOTEBOOKS
    assert set(NOTEBOOKS) - {START} == set(MODULES), "every module notebook belongs to a course module"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_page_as_participant(german: Pages, demo_server: VoilaServer, notebook: str) -> None:
    loaded = german(notebook)
    check_page(loaded, notebook, "de")
    if notebook != START:
        token = demo_server.link().token
        hrefs = [a.get_attribute("href") or "" for a in loaded.page.locator(".nc-nav a").all()]
        assert hrefs and all(href.endswith(f".ipynb?p={token}") for href in hrefs), hrefs
    target = screenshot_dir()
    if target:
        save_full_page(loaded.page, target / f"page-{Path(notebook).stem}.png")


@pytest.mark.parametrize("notebook", ENGLISH_PAGES)
def test_page_in_english(english: Pages, notebook: str) -> None:
    check_page(english(notebook), notebook, "en")


def test_start_page_links_keep_the_personal_link(german: Pages, demo_server: VoilaServer) -> None:
    """The personal link opens the start page; its module links must carry the token on."""
    page = german(START).page
    token = demo_server.link().token
    hrefs = [a.get_attribute("href") or "" for a in page.locator("a[href*='.ipynb']").all()]
    assert len(hrefs) >= len(MODULES) and all(href.endswith(f"?p={token}") for href in hrefs), hrefs


def test_start_page_without_link_shows_the_notice(german: Pages, demo_server: VoilaServer) -> None:
    """No journal, progress or "forget my answers" of anybody without a valid personal link."""
    page = german.context.new_page()
    try:
        page.goto(demo_server.url(START), timeout=LOAD_TIMEOUT_MS)
        wait_rendered(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Bitte öffnen Sie Ihren persönlichen Link")
        expect(page.locator(".jupyter-widgets button")).to_have_count(0)
    finally:
        page.close()


def test_course_index_at_the_root(german: Pages, demo_server: VoilaServer) -> None:
    """"/" lists the course pages (the template's tree.html): German, no CDN, axe-clean; a ?p= travels along."""
    token = demo_server.link().token
    loaded = track(german.context.new_page())
    try:
        loaded.page.goto(demo_server.base_url + f"voila/tree?p={token}", timeout=LOAD_TIMEOUT_MS)
        page = loaded.page
        assert page.locator("html").get_attribute("lang") == "de"
        expect(page.get_by_role("heading", level=1)).to_have_text("Kursseiten")
        hrefs = [a.get_attribute("href") or "" for a in page.locator("main a").all()]
        assert sorted(href.split("/")[-1] for href in hrefs) == [f"{nb}?p={token}" for nb in NOTEBOOKS]
        assert loaded.requests and not loaded.outside_requests(), loaded.outside_requests()
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        page.goto(demo_server.base_url, timeout=LOAD_TIMEOUT_MS)
        expect(page.get_by_role("heading", level=1)).to_have_text("Kursseiten")
    finally:
        loaded.page.close()


def test_error_page_stays_local_and_accessible(german: Pages, demo_server: VoilaServer) -> None:
    loaded = track(german.context.new_page())
    try:
        response = loaded.page.goto(demo_server.url("gibt-es-nicht.ipynb"), timeout=LOAD_TIMEOUT_MS)
        assert response is not None and response.status == 404
        assert loaded.page.locator("html").get_attribute("lang") == "de"
        assert loaded.requests and not loaded.outside_requests(), loaded.outside_requests()
        assert "Traceback" not in loaded.page.locator("body").inner_text()
        results = Axe().run(loaded.page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        loaded.page.close()
