"""Roles end to end (issue 10): the example plugin ``netcourse-lernraum``, pip-installed into a venv of its own,
declares in its module.yaml that its activity ``fragen`` feeds the live board and the documentation. Nothing
in netcourse names it. ``netcourse present --trainer`` runs from that venv; a participant (personal link)
adds a card on the plugin's page, the trainer's board of that activity shows it, and ``netcourse export``
writes it into the participant documentation.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from tests.test_example_plugin import PACKAGE_DIR, lernraum_venv  # noqa: F401 - the venv fixture

from netcourse.core.course import CourseModule
from netcourse.outputs.exporters.markdown import md_escape

from .conftest import LOAD_TIMEOUT_MS, VoilaServer, copy_course, new_context, run_present, wait_rendered

NOTEBOOK = "lernraum.ipynb"
CARD_TITLE = "Wie gewinnen wir Vereine für das Netzwerk?"
CARD_TEXT = "Frage für den Lernraum <b>nicht fett</b>"
SAVE_TIMEOUT_MS = 20_000
BOARD_TIMEOUT_MS = 10_000
TEXTS = CourseModule.from_directory(PACKAGE_DIR).activity_texts("fragen", "de")


@pytest.fixture(scope="module")
def plugin_server(lernraum_venv: SimpleNamespace,  # noqa: F811 - the fixture imported above
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """``netcourse present --trainer`` (sample roster, personal links) from the venv holding the plugin."""
    workdir = tmp_path_factory.mktemp("plugin-present")
    with run_present(workdir, "--trainer", "--pool-size", "0", course_dir=copy_course(workdir / "course"),
                     python=lernraum_venv.python) as server:
        assert server.trainer_key and server.links_file, server.log_text()[:2000]
        yield server


def test_plugin_activity_reaches_board_and_documentation(browser: Browser, browser_context_args: dict[str, Any],
                                                          plugin_server: VoilaServer,
                                                          lernraum_venv: SimpleNamespace) -> None:  # noqa: F811
    trainer_context = new_context(browser, browser_context_args)
    participant_context = new_context(browser, browser_context_args)
    try:
        trainer = trainer_context.new_page()
        trainer.goto(plugin_server.trainer_url(NOTEBOOK), wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        participant = participant_context.new_page()
        participant.goto(plugin_server.participant_url(NOTEBOOK, plugin_server.link()), wait_until="commit",
                         timeout=LOAD_TIMEOUT_MS)

        wait_rendered(trainer, 2)  # the free text and the card activity, the board above the latter
        board = trainer.locator(".nc-board")
        expect(board).to_be_visible(timeout=LOAD_TIMEOUT_MS)
        expect(trainer.locator(".nc-trainer-board h2")).to_have_text(TEXTS["board"]["heading"])
        questions = board.locator(f'.nc-board-col[aria-label="{TEXTS["groups"]["frage"]["name"]}"]')
        expect(questions.locator(".nc-count")).to_have_text("0")

        wait_rendered(participant, 2)
        expect(participant.locator(".nc-board, .nc-trainer-board, .nc-timer")).to_have_count(0)
        cards = participant.locator(".nc-exercise-ideas")
        cards.get_by_role("button", name=TEXTS["groups"]["frage"]["name"], exact=True).click()
        cards.get_by_label(TEXTS["title_label"]).fill(CARD_TITLE)
        cards.get_by_label(TEXTS["text_label"]).fill(CARD_TEXT)
        cards.get_by_role("button", name="Idee hinzufügen").click()
        expect(cards.locator(".nc-status")).to_contain_text("Gespeichert", timeout=SAVE_TIMEOUT_MS)

        expect(questions.locator(".nc-card strong")).to_have_text(CARD_TITLE, timeout=BOARD_TIMEOUT_MS)
        expect(questions.locator(".nc-card")).to_contain_text(CARD_TEXT)  # markup stays text
        expect(questions.locator(".nc-count")).to_have_text("1")
        expect(board.locator("b")).to_have_count(0)
    finally:
        trainer_context.close()
        participant_context.close()

    for fmt in ("html", "md"):
        out = plugin_server.workdir / f"dokumentation.{fmt}"
        proc = subprocess.run([str(lernraum_venv.python), "-m", "netcourse", "export", "--format", fmt,
                               "--store", str(plugin_server.store), "--out", str(out)],
                              env=lernraum_venv.env, cwd=plugin_server.workdir, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        text = out.read_text(encoding="utf-8")
        assert TEXTS["documentation"]["heading"] in text, fmt
        assert (md_escape(CARD_TITLE) if fmt == "md" else CARD_TITLE) in text
        assert "<b>nicht fett</b>" not in text  # escaped for its format
