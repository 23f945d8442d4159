"""Participant text is never typeset as math: Voila's MathJax (JupyterLab's typesetter over HTML outputs)
skips the containers of participant text (``tex2jax_ignore mathjax_ignore``), so a recalled answer „$x$“
reads $x$ on the page, not a formula. Without the class the first test fails (the note reads „Preis x und y2“)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from netcourse.core.store import AnswerStore
from netcourse.exercises.registry import modules

from .conftest import SELF_LEARNER, VoilaServer, wait_rendered

LOAD_TIMEOUT_MS = 90_000
NOTE = "Preis $x$ und $$y^2$$ sowie \\(z\\) – 5 $ pro Stunde"
MATH = "mjx-container, mjx-math, .MathJax, .MathJax_Display, .MathJax_Preview, .katex"


def test_recalled_answer_with_dollars_is_shown_as_typed(page: Page, self_study_server: VoilaServer) -> None:
    AnswerStore(self_study_server.store).save(SELF_LEARNER, "einfuehrung", "erwartungen",
                                              {"choice": ["grundlagen"], "note": NOTE})
    page.goto(self_study_server.url("05-fazit.ipynb"), timeout=LOAD_TIMEOUT_MS)
    wait_rendered(page, len(modules.get("fazit").activities), timeout_ms=LOAD_TIMEOUT_MS)
    recall = page.locator(".nc-recall")
    expect(recall).to_contain_text(NOTE)
    expect(recall.locator(".tex2jax_ignore.mathjax_ignore")).not_to_have_count(0)
    page.wait_for_timeout(1500)  # MathJax typesets asynchronously after an output appears
    expect(recall.locator(MATH)).to_have_count(0)
    expect(recall).to_contain_text(NOTE)


def test_own_idea_cards_with_dollars_are_shown_as_typed(page: Page, self_study_server: VoilaServer) -> None:
    """The same through an HTML widget: the learner's own idea cards. ipywidgets 8 does not typeset an HTML
    widget's value (only HTMLMath), so this holds even without the class; it guards a change of either."""
    card = {"group": "tausch", "title": "Budget $b$", "text": NOTE, "created_at": "2026-01-01T00:00:00+00:00"}
    AnswerStore(self_study_server.store).save(SELF_LEARNER, "gruppenarbeit", "ideen",
                                              {"group": "tausch", "cards": [card]})
    page.goto(self_study_server.url("03-gruppenarbeit.ipynb"), timeout=LOAD_TIMEOUT_MS)
    wait_rendered(page, len(modules.get("gruppenarbeit").activities), timeout_ms=LOAD_TIMEOUT_MS)
    cards = page.locator(".nc-exercise .nc-cards")
    expect(cards).to_contain_text("Budget $b$")
    page.wait_for_timeout(1500)
    expect(cards.locator(MATH)).to_have_count(0)
    expect(cards).to_contain_text(NOTE)
