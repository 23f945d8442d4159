"""Hostile text through every place that stores or shows it: no execution, no broken page, no crash."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from tests.hostile import HOSTILE

from netcourse.core.errors import AnswerError
from netcourse.core.participants import Profile
from netcourse.core.safety import spreadsheet_safe
from netcourse.core.store import AnswerStore
from netcourse.exercises import registry
from netcourse.exercises.actormap import network
from netcourse.exercises.charts import shorten, xml_chars
from netcourse.outputs.exporters.markdown import md_escape
from netcourse.outputs.journal import build_journal, export_journal, import_journal
from netcourse.outputs.workbooks.batch import write_links_rows
from netcourse.pages.board import board_exercise, board_html, collect_cards
from netcourse.pages.lesson import Lesson

RAW_MARKUP = re.compile(r"<(script|img|b)\b", re.IGNORECASE)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> Tags:
    tags = Tags()
    tags.feed(markup)
    return tags


def assert_inert(markup: str) -> None:
    """No element or event handler from participant text survives in the markup."""
    tags = parse(markup)
    assert "script" not in tags.tags and "b" not in tags.tags
    assert not tags.handlers


def widget_markup(view) -> str:
    import ipywidgets as widgets

    out = []

    def walk(w):
        if isinstance(w, widgets.HTML):
            out.append(w.value)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(view.widget)
    return "".join(out)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_free_text_is_stored_verbatim_or_refused_cleanly(store: AnswerStore, text: str) -> None:
    view = Lesson("ausblick", participant="p1", store=store).build_activity("plan")
    view.text.value = text
    saved = view.save()
    if saved is None:
        assert isinstance(view.last_error, AnswerError)  # too long: a message, not a crash
        assert "zu lang" in view.status_text
    else:
        assert store.load("p1", "ausblick", "plan") == {"text": text.strip()}
    assert_inert(widget_markup(view))


def test_idea_cards_board_and_own_list_show_text_not_markup(store: AnswerStore) -> None:
    view = Lesson("gruppenarbeit", participant="p1", store=store, group="tausch").build_activity("ideen")
    for text in HOSTILE:
        view.title.value = text[:120]
        view.text.value = text[:2000]
        view.save()
    assert len(view.cards) >= len(HOSTILE) - 2  # titles that are blank after cleaning are refused
    assert_inert(view.board.value)
    module = registry.modules.get("gruppenarbeit")
    exercise = board_exercise(module, "ideen", "de")
    markup = board_html([("tausch", "Tausch")], collect_cards(store, module.id, exercise), "de")
    assert_inert(markup)
    assert "&lt;img src=x onerror=" in markup


def test_actor_map_with_hostile_names_draws_and_escapes(store: AnswerStore) -> None:
    view = Lesson("akteurslandkarte", participant="p1", store=store).build_activity("karte")
    for text in HOSTILE:
        view.name.value = text[:80]
        view.add_actor()
    assert len(view.state["actors"]) >= 15
    view.tie_a.value, view.tie_b.value = view.state["actors"][0]["id"], view.state["actors"][1]["id"]
    assert view.add_tie()
    assert_inert(view.picture.value + view.reading.value + view.downloads.value)

    # inside the image: a well-formed SVG whose only elements are drawing ones, each name as text
    svg, alt = view.exercise.chart(view.state)
    root = ElementTree.fromstring(svg)
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert tags <= {"svg", "title", "line", "circle", "text"}, tags
    label = " ".join(xml_chars(alt).split())
    assert root.get("aria-label") == label and root.find(f"{SVG}title").text == label
    labels = [xml_chars(shorten(a["name"])) for a in view.state["actors"]]
    drawn = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert sorted(drawn[: len(labels)]) == sorted(labels)  # each name drawn as text, never as markup
    graph = ElementTree.fromstring(network.graphml(view.state))  # GraphML: well-formed, names verbatim
    assert sorted(d.text or "" for d in graph.iter("{http://graphml.graphdrawing.org/xmlns}data")
                  if d.get("key") == "name") == sorted(xml_chars(a["name"]).replace("\r\n", "\n")  # XML line ends
                                                       for a in view.state["actors"])


def test_journal_exports_and_reimport_with_hostile_text(store: AnswerStore, tmp_path: Path) -> None:
    lesson = Lesson("fazit", participant="p1", store=store)
    for index, text in enumerate(t for t in HOSTILE if len(t) <= 2000):
        store.save("p1", "fazit", "erkenntnis", {"text": text})
        journal = build_journal(store, "p1")
        html = export_journal(journal, "html").decode()
        assert_inert(html)
        md = export_journal(journal, "markdown").decode()
        assert not re.search(r"(?<!\\)<(script|img)", md)  # only backslash-escaped, shown as text
        data = export_journal(journal, "json")
        fresh = AnswerStore(tmp_path / f"fresh{index}.sqlite")
        import_journal(fresh, data, participant_id="p1")
        assert fresh.load("p1", "fazit", "erkenntnis") == {"text": text.strip()}
    assert lesson.module.id == "fazit"


def test_links_csv_defuses_formulas_and_keeps_unicode(tmp_path: Path) -> None:
    rows = [(text[:200], text[:200], "tausch", "http://127.0.0.1:8866/voila/render/00-start.ipynb?p=x")
            for text in HOSTILE]
    path = write_links_rows(tmp_path / "links.csv", rows)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        read = list(csv.reader(handle, delimiter=";"))
    assert len(read) == len(rows) + 1
    for row in read[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert read[1 + HOSTILE.index("ä ö ü ß Ä Ö Ü – „Zitat“ …")][0] == "ä ö ü ß Ä Ö Ü – „Zitat“ …"


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_escaping_helpers_never_pass_markup(text: str) -> None:
    assert not RAW_MARKUP.search(md_escape(text).replace("\\<", ""))
    assert not spreadsheet_safe(text).startswith(("=", "+", "-", "@"))


def test_profiles_with_hostile_values_round_trip_through_the_store(store: AnswerStore) -> None:
    pairs = [(Profile(f"h{i}", text[:200], text[:200], "ziele", "", "de"), f"token-{i}")
             for i, text in enumerate(HOSTILE)]
    store.add_participants(pairs)
    assert sorted(p.name for p in store.profiles()) == sorted(p.name for p, _ in pairs)
    assert store.profile_for_token("token-3").participant_id == "h3"
    assert store.profile_for_token("'; DROP TABLE answers; --") is None
    assert len(store.profiles()) == len(HOSTILE)


def test_docs_export_inert_with_hostile_text(store: AnswerStore, tmp_path: Path) -> None:
    from netcourse.outputs.documentation.export import export_documentation

    store.add_participants([(Profile("p1", HOSTILE[0], HOSTILE[1], "tausch"), "t1")])
    store.save("p1", "gruppenarbeit", "ideen", {"group": "tausch", "cards": [
        {"group": "tausch", "title": HOSTILE[1], "text": HOSTILE[0], "created_at": "2026-01-01T00:00:00+00:00"}]})
    store.save("p1", "fazit", "erkenntnis", {"text": HOSTILE[2]})
    result = export_documentation(store, tmp_path / "doc.html", "html", lang="de", anonymize=False,
                                  password=None, generate=False, force=False)
    html = Path(result.path).read_text(encoding="utf-8")
    body = html.split("<body", 1)[1]
    assert_inert(body)
    assert "&lt;script&gt;" in body


def test_corpus_covers_the_issue_categories() -> None:
    joined = "".join(HOSTILE)
    for needle in ("<script", "{{", "=HYPERLINK", "../", "\x00", "\u202e", "🙂", "\n"):
        assert needle in joined
    assert any(len(t) >= 10_000 for t in HOSTILE)
