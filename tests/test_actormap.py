"""The actor map: editing through the widgets, indicators tied to the traits, exports safe to open."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest

from netcourse.core.errors import AnswerError
from netcourse.exercises.actormap import network as actormap
from netcourse.pages.lesson import Lesson

MAP = {"actors": [{"id": "a1", "name": "Umweltamt", "sector": "verwaltung"},
                  {"id": "a2", "name": "Grundschule", "sector": "bildung"},
                  {"id": "a3", "name": "=HYPERLINK(\"http://x\")", "sector": "zivilgesellschaft"},
                  {"id": "a4", "name": "Stadtwerke", "sector": "wirtschaft"}],
       "ties": [["a1", "a2"], ["a1", "a3"]]}


def view_for(store, lang=None):
    return Lesson("akteurslandkarte", participant="p1", store=store, lang=lang).build_activity("karte")


def test_indicators() -> None:
    ind = actormap.indicators(MAP)
    assert (ind.actors, ind.ties, ind.sectors) == (4, 2, 4)
    assert ind.connected_share == 0.75
    assert ind.sector_evenness == 1.0
    assert ind.isolated == ("Stadtwerke",)
    assert ind.hubs == ("Umweltamt",)
    assert ind.density == round(2 / 6, 2)


def test_one_sector_has_no_diversity() -> None:
    one = {"actors": [{"id": "a", "name": "A", "sector": "x"}, {"id": "b", "name": "B", "sector": "x"}], "ties": []}
    assert actormap.indicators(one).sector_evenness == 0.0


def test_readings_name_the_traits_in_plain_words(store) -> None:
    exercise = view_for(store).exercise
    text = " ".join(exercise.readings(MAP))
    for trait in ("Unterschiedlichkeit", "Tausch", "Vertrauen", "Ziele"):
        assert trait in text
    assert "75 %" in text and "Stadtwerke" in text


def test_editing_through_the_view_saves_every_change(store) -> None:
    view = view_for(store)
    for name, sector in (("Umweltamt", "verwaltung"), ("VHS", "bildung"), ("Klimainitiative", "zivilgesellschaft")):
        view.name.value, view.sector.value = name, sector
        assert view.add_actor()
    view.tie_a.value, view.tie_b.value = "a1", "a2"
    assert view.add_tie()
    view.tie_a.value, view.tie_b.value = "a2", "a1"
    assert not view.add_tie() and "gibt es schon" in view.status_text
    view.name.value = "  umweltamt "
    assert not view.add_actor() and "Namen" in view.status_text
    stored = store.load("p1", "akteurslandkarte", "karte")
    assert [a["name"] for a in stored["actors"]] == ["Umweltamt", "VHS", "Klimainitiative"]
    assert stored["ties"] == [["a1", "a2"]]
    assert "<img" in view.picture.value and "download=\"akteurslandkarte.graphml\"" in view.downloads.value
    view.remove_pick.value = "a1"
    assert view.remove_actor()
    assert store.load("p1", "akteurslandkarte", "karte") == {
        "actors": [{"id": "a2", "name": "VHS", "sector": "bildung"},
                   {"id": "a3", "name": "Klimainitiative", "sector": "zivilgesellschaft"}], "ties": []}
    assert view_for(store).state["actors"][0]["name"] == "VHS"  # resume


def test_hostile_names_are_escaped_in_page_and_alt(store) -> None:
    view = view_for(store)
    view.name.value, view.sector.value = '<img src=x onerror=alert(1)> "$x$"', "sonstige"
    assert view.add_actor()
    markup = view.picture.value + view.reading.value
    assert "<img src=x" not in markup and "&lt;img src=x" in markup


@pytest.mark.parametrize(("answer", "field"), [
    ({"actors": [{"id": "a1", "name": "", "sector": "bildung"}], "ties": []}, "actors[0].name"),
    ({"actors": [{"id": "a1", "name": "A", "sector": "mond"}], "ties": []}, "actors[0].sector"),
    ({"actors": [{"id": "a1", "name": "A", "sector": "bildung"}], "ties": [["a1", "a1"]]}, "ties[0]"),
    ({"actors": [{"id": "a1", "name": "A", "sector": "bildung"}], "ties": [["a1", "zz"]]}, "ties[0]"),
    ({"actors": [{"id": "a1", "name": "A" * 81, "sector": "bildung"}], "ties": []}, "actors[0].name"),
])
def test_bad_maps_name_the_field(store, answer, field) -> None:
    with pytest.raises(AnswerError) as err:
        view_for(store).exercise.validate(answer)
    assert err.value.field == field


def test_csv_export_is_formula_safe_and_graphml_round_trips() -> None:
    rows = list(csv.DictReader(io.StringIO(actormap.actors_csv(MAP, {"bildung": "Bildung"}))))
    assert rows[2]["name"].startswith("'=HYPERLINK")
    assert rows[1]["sector_label"] == "Bildung" and rows[0]["ties"] == "2"
    ties = list(csv.DictReader(io.StringIO(actormap.ties_csv(MAP))))
    assert [(t["source"], t["target"]) for t in ties] == [("a1", "a2"), ("a1", "a3")]
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    graph = ElementTree.fromstring(actormap.graphml(MAP)).find("g:graph", ns)
    names = {node.get("id"): node.find("g:data[@key='name']", ns).text for node in graph.findall("g:node", ns)}
    assert names["a3"] == MAP["actors"][2]["name"]
    assert [(e.get("source"), e.get("target")) for e in graph.findall("g:edge", ns)] == [("a1", "a2"), ("a1", "a3")]


def test_odd_names_stay_text_in_the_drawing_and_the_graphml() -> None:
    odd = {"actors": [{"id": "a", "name": "$\\frac{", "sector": "x"},
                      {"id": "b", "name": '</text><script>alert(1)</script> & "q" \x00\x1b', "sector": "y"}],
           "ties": [["a", "b"]]}
    svg = actormap.draw_svg(odd, {}, ["x", "y"], title="<title>")
    root = ElementTree.fromstring(svg)  # well-formed: control characters dropped, markup escaped
    assert not list(root.iter("{http://www.w3.org/2000/svg}script")) and b"<script" not in svg
    assert root.get("aria-label") == "<title>"
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "$\\frac{" in texts and any(t.startswith("</text><script>") for t in texts)
    assert len(list(root.iter("{http://www.w3.org/2000/svg}line"))) == 1
    graph = ElementTree.fromstring(actormap.graphml(odd))
    assert '</text><script>alert(1)</script> & "q" ' in "".join(graph.itertext())


def test_layout_groups_sectors_on_a_circle_deterministically() -> None:
    graph = actormap.build_graph(MAP)
    pos = actormap.layout(graph, ["verwaltung", "bildung", "zivilgesellschaft", "wirtschaft"], (0, 0), 100)
    assert pos == actormap.layout(graph, ["verwaltung", "bildung", "zivilgesellschaft", "wirtschaft"], (0, 0), 100)
    assert all(abs(x * x + y * y - 100 * 100) < 1e-6 for x, y in pos.values())
    assert pos["a1"] == pytest.approx((0.0, -100.0))  # the first sector starts at the top
