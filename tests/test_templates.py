"""The kit's templates: all of them autoescape, participant text comes out as text (never markup, never a
template expression) and sits in a container that MathJax leaves alone; models stay plain data."""

from __future__ import annotations

from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from markupsafe import escape
from tests.hostile import HOSTILE

from netcourse.core.participants import Profile
from netcourse.core.store import AnswerStore
from netcourse.core.templates import _environment, render_macro, render_template
from netcourse.exercises.charts import radar_svg
from netcourse.outputs.workbooks.batch import Planned, write_overview
from netcourse.pages.board import board_html
from netcourse.pages.selfstudy import recall_html
from netcourse.pages.startpage import StartPage
from netcourse.pages.workbook_page import Workbook

TEMPLATES = resources.files("netcourse").joinpath("templates")
IGNORE = {"tex2jax_ignore", "mathjax_ignore"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHORT = [t for t in HOSTILE if len(t) <= 200]


class Reader(HTMLParser):
    """Tags, event handlers, and the text that MathJax would typeset (outside an ignore container)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.stack: list[bool] = []
        self.typeset: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag not in VOID:
            classes = set((dict(attrs).get("class") or "").split())
            self.stack.append(bool(classes & IGNORE) or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if not (self.stack and self.stack[-1]):
            self.typeset.append(data)


def read(markup: str) -> Reader:
    reader = Reader()
    reader.feed(str(markup))
    reader.close()
    return reader


def assert_shown_as_text(markup: str, texts: list[str]) -> None:
    """Each text appears escaped, exactly as typed; no element or handler from it; no '$' for MathJax."""
    reader = read(markup)
    assert "script" not in reader.tags and "b" not in reader.tags and not reader.handlers
    for text in texts:
        assert str(escape(text)) in markup, text[:40]
    typeset = "".join(reader.typeset)
    assert "$" not in typeset and "{{" not in typeset, typeset[:200]


def template_names() -> list[str]:
    root = Path(str(TEMPLATES))
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.j2"))


@pytest.mark.parametrize("name", template_names())
def test_every_template_compiles_and_autoescapes(name: str) -> None:
    env = _environment()
    env.get_template(name)
    assert env.autoescape(name) is True if callable(env.autoescape) else env.autoescape


def test_an_expression_in_participant_text_is_not_evaluated() -> None:
    markup = render_macro("common.html.j2", "cards", [{"title": "{{ 7*7 }}", "text": "{% raw %}"}])
    assert "{{ 7*7 }}" in markup and "49" not in markup and "{% raw %}" in markup


def test_idea_cards() -> None:
    cards = [{"title": t, "text": t} for t in SHORT]
    assert_shown_as_text(render_macro("common.html.j2", "cards", cards, "leer"), SHORT)
    assert_shown_as_text(render_macro("exercises/ideas.html.j2", "board", "Ihre Ideen", cards, "leer"), SHORT)


def test_live_board() -> None:
    cards = {"tausch": [{"title": t, "text": t} for t in SHORT]}
    assert_shown_as_text(board_html([("tausch", "Tausch")], cards, "de"), SHORT)


def test_recalled_answers() -> None:
    answers = [("Selbsteinschätzung", [(f"Frage {i}", t) for i, t in enumerate(SHORT)])]
    markup = recall_html({"heading": "Rückblick", "intro": "Ihre Antworten"}, answers)
    assert_shown_as_text(markup, SHORT)


@pytest.mark.parametrize("text", SHORT, ids=range(len(SHORT)))
def test_welcome_and_workbook_greeting(store: AnswerStore, text: str) -> None:
    store.add_participants([(Profile("p1", text, text, "tausch"), "tok1")])
    page = StartPage(participant="p1", store=store)
    expected = page.t["welcome"].format(name=text)
    assert_shown_as_text(page.header_html(), [expected])
    greeting = Workbook(participant="p1", store=store).greeting_html()
    assert_shown_as_text(greeting, [text])


def test_actor_map_readings_and_chart_caption() -> None:
    markup = render_macro("exercises/actormap.html.j2", "readings", "Was Ihre Karte zeigt", SHORT)
    assert_shown_as_text(markup, SHORT)
    svg = radar_svg(["a", "b", "c"], [1, 2, 3], 1, 5)
    for text in SHORT:
        chart = render_macro("common.html.j2", "chart", svg, text, text)
        assert_shown_as_text(chart, [text])
        assert read(chart).tags == ["figure", "img", "figcaption"]


def test_participant_overview(tmp_path: Path) -> None:
    planned = [Planned(Profile(f"p{i}", t, t, "ziele"), f"tok{i}", f"p{i}", i) for i, t in enumerate(SHORT)]
    markup = write_overview(tmp_path, planned, "http://127.0.0.1:8866").read_bytes().decode("utf-8")
    assert_shown_as_text(markup.split("<body>", 1)[1], SHORT)
    assert "Teilnehmende und persönliche Links" in markup


def test_stylesheets_come_in_unescaped() -> None:
    css = render_macro("common.html.j2", "style")
    assert "&gt;" not in css and "&#34;" not in css and css.startswith("<style>")
    page = render_template("outputs/journal.html.j2", journal=type("J", (), {"lang": "de", "modules": []})(),
                           title="Mein Lernjournal", subtitle="x")
    assert "white-space: pre-wrap" in page  # journal.css


def test_every_exercise_type_has_a_plain_model_beside_its_view() -> None:
    root = Path(str(resources.files("netcourse").joinpath("exercises")))
    packages = [p for p in root.iterdir() if (p / "__init__.py").is_file()]
    assert len(packages) >= 8
    for package in packages:
        model, view = package / "model.py", package / "view.py"
        assert model.is_file() and view.is_file(), package.name
        source = model.read_text(encoding="utf-8")
        assert "ipywidgets" not in source and "templates" not in source, package.name
