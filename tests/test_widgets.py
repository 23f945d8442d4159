"""Exercise views driven in plain pytest: set widget values, click save, read the SQLite file."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest

from netcourse.core.binding import AnswerBinding
from netcourse.core.course import ActivitySpec
from netcourse.core.errors import NetcourseError, StoreError
from netcourse.core.store import AnswerStore
from netcourse.exercises.base import MAX_TEXT
from netcourse.exercises.rating.model import RatingScale
from netcourse.pages.lesson import Lesson

XSS = "<img src=x onerror=alert(1)>"
MODULE = "grundmerkmale"
NOTE = '<aside class="nc-trainer-note"'


def all_widgets(root: widgets.Widget) -> Iterator[widgets.Widget]:
    yield root
    for child in getattr(root, "children", ()):
        yield from all_widgets(child)


def html_values(root: widgets.Widget) -> list[str]:
    return [w.value for w in all_widgets(root) if isinstance(w, (widgets.HTML, widgets.HTMLMath))]


def stored(db_rows: Callable[[], list[tuple]], exercise: str, participant: str = "p1") -> dict | None:
    found = [json.loads(a) for p, m, e, a in db_rows() if (p, m, e) == (participant, MODULE, exercise)]
    return found[0] if found else None


# rating -----------------------------------------------------------------------------------------------
def test_rating_click_save_writes_the_store(lesson: Callable[..., Lesson], db_rows) -> None:
    view = lesson().build_activity("selbsteinschaetzung")
    view.scales["tausch"].value = 4
    view.scales["vertrauen"].value = 2
    view.notes["tausch"].value = "  Räume und Kontakte werden geteilt. "
    view.save_button.click()

    assert view.last_error is None
    assert view.status_text.startswith("Gespeichert um ") and view.status_text.endswith(" Uhr.")
    assert stored(db_rows, "selbsteinschaetzung") == {
        "ratings": {"tausch": 4, "ziele": None, "unterschiedlichkeit": None, "vertrauen": 2},
        "notes": {"tausch": "Räume und Kontakte werden geteilt."},
    }


def test_rating_save_again_replaces_the_answer(lesson: Callable[..., Lesson], db_rows) -> None:
    view = lesson().build_activity("selbsteinschaetzung")
    view.scales["ziele"].value = 1
    assert view.save() is not None
    view.scales["ziele"].value = 5
    view.save()
    assert stored(db_rows, "selbsteinschaetzung")["ratings"]["ziele"] == 5
    assert len(db_rows()) == 1


def test_rating_with_nothing_rated_is_not_saved(lesson: Callable[..., Lesson], db_rows) -> None:
    view = lesson().build_activity("selbsteinschaetzung")
    view.notes["ziele"].value = "nur eine Notiz"
    assert view.save() is None
    assert view.status_text == "Nicht gespeichert: Bitte bewerten Sie mindestens ein Merkmal."
    assert view.last_error is not None and view.last_error.field == "ratings"
    assert db_rows() == []


def test_too_long_note_is_not_saved(lesson: Callable[..., Lesson], db_rows) -> None:
    view = lesson().build_activity("selbsteinschaetzung")
    view.scales["tausch"].value = 3
    view.notes["tausch"].value = "x" * (MAX_TEXT + 1)
    view.save_button.click()
    assert view.status_text == f"Nicht gespeichert: Der Text ist zu lang (höchstens {MAX_TEXT} Zeichen)."
    assert db_rows() == []


def test_resume_fills_widgets_from_the_store(lesson: Callable[..., Lesson]) -> None:
    first = lesson().build_activity("selbsteinschaetzung")
    assert first.status_text == ""  # nothing to resume yet
    first.scales["unterschiedlichkeit"].value = 5
    first.notes["unterschiedlichkeit"].value = "Verwaltung, Schulen, Vereine"
    first.save()

    again = lesson().build_activity("selbsteinschaetzung")
    assert again.scales["unterschiedlichkeit"].value == 5
    assert again.scales["tausch"].value is None
    assert again.notes["unterschiedlichkeit"].value == "Verwaltung, Schulen, Vereine"
    resumed = r"Ihre frühere Antwort vom \d\d\.\d\d\.\d{4} \d\d:\d\d ist geladen\."
    assert re.fullmatch(resumed, again.status_text)
    assert "Unterschiedlichkeit: 5" in html.unescape(again.chart.value)

    other = lesson(participant="p2").build_activity("selbsteinschaetzung")
    assert other.scales["unterschiedlichkeit"].value is None and other.status_text == ""


def chart_texts(markup: str) -> tuple[str, str]:
    """(alt, caption) of the one chart image, unescaped; fails unless both are there and non-empty."""
    alts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" [^>]*alt="([^"]+)"', markup)
    captions = re.findall(r"<figcaption[^>]*>([^<]+)</figcaption>", markup)
    assert len(alts) == 1 and len(captions) == 1, markup[:120] + " … " + markup[-300:]
    return html.unescape(alts[0]), html.unescape(captions[0])


def test_radar_chart_redraws_on_change_with_text_alternative(lesson: Callable[..., Lesson]) -> None:
    view = lesson().build_activity("selbsteinschaetzung")
    before = view.chart.value
    alt, caption = chart_texts(before)
    assert alt.startswith("Netzdiagramm der Selbsteinschätzung")
    assert "Tausch: nicht bewertet" in alt + caption

    view.scales["tausch"].value = 5
    after = view.chart.value
    assert after != before
    alt, caption = chart_texts(after)
    assert alt.startswith("Netzdiagramm der Selbsteinschätzung")
    for part in ("Tausch: 5", "Ziele: nicht bewertet", "Unterschiedlichkeit: nicht bewertet",
                 "Vertrauen: nicht bewertet"):
        assert part in alt + " " + caption
    assert view.chart in list(all_widgets(view.widget))  # the chart is shown beside the form


def test_chart_escapes_item_labels(store: AnswerStore) -> None:
    spec = ActivitySpec("r", "rating", {"items": ["a", "b"], "chart": "radar", "note": False})
    exercise = RatingScale(spec, {"items": {"a": 'Geben & "Nehmen"', "b": "<script>x()</script>"}}, "de")
    view = exercise.view(AnswerBinding(store, "p1", "m", "r"))
    view.scales["a"].value = 3
    markup = view.chart.value
    assert "<script>" not in markup and '"Nehmen"' not in markup
    alt, caption = chart_texts(markup)
    assert 'Geben & "Nehmen": 3' in alt + caption
    assert "<script>x()</script>: nicht bewertet" in alt + caption
    assert "Geben &amp; &#34;Nehmen&#34;: 3" in markup  # markupsafe writes " as &#34;
    assert "&lt;script&gt;x()&lt;/script&gt;: nicht bewertet" in markup
    assert view.notes == {}


# choice -------------------------------------------------------------------------------------------------
def test_single_choice_round_trip(lesson: Callable[..., Lesson], db_rows) -> None:
    view = lesson().build_activity("rolle-ich")
    assert view.picker.value is None
    view.save_button.click()
    assert view.status_text == "Nicht gespeichert: Bitte wählen Sie eine Antwort."
    assert db_rows() == []

    view.picker.value = "beobachter"
    view.note.value = "Ich sehe, wer fehlt."
    view.save_button.click()
    assert view.status_text.startswith("Gespeichert")
    assert stored(db_rows, "rolle-ich") == {"choice": "beobachter", "note": "Ich sehe, wer fehlt."}

    again = lesson().build_activity("rolle-ich")
    assert again.picker.value == "beobachter"
    assert again.note.value == "Ich sehe, wer fehlt."
    assert again.status_text.startswith("Ihre frühere Antwort vom")


def test_multiple_choice_round_trip(lesson: Callable[..., Lesson], db_rows) -> None:
    view = lesson().build_activity("rolle-netzwerk")
    assert [b.description for b in view.boxes] == ["Ermöglicher/-in", "Motor", "Beobachter/-in"]
    view.save()
    assert view.status_text == "Nicht gespeichert: Bitte wählen Sie mindestens eine Antwort."
    assert db_rows() == []

    view.boxes[2].value = True
    view.boxes[0].value = True
    view.save()
    assert stored(db_rows, "rolle-netzwerk") == {"choice": ["ermoeglicher", "beobachter"]}

    again = lesson().build_activity("rolle-netzwerk")
    assert [b.value for b in again.boxes] == [True, False, True]


# safety ---------------------------------------------------------------------------------------------------
def test_participant_markup_is_stored_verbatim_and_never_rendered(lesson: Callable[..., Lesson],
                                                                  db_rows) -> None:
    page = lesson()
    rating = page.build_activity("selbsteinschaetzung")
    rating.scales["vertrauen"].value = 4
    for note in rating.notes.values():
        note.value = XSS
    rating.save()
    single = page.build_activity("rolle-ich")
    single.picker.value = "motor"
    single.note.value = XSS
    single.save()
    multiple = page.build_activity("rolle-netzwerk")
    multiple.boxes[1].value = True
    multiple.note.value = XSS
    multiple.save()

    assert stored(db_rows, "selbsteinschaetzung")["notes"]["vertrauen"] == XSS
    assert stored(db_rows, "rolle-ich")["note"] == XSS
    assert stored(db_rows, "rolle-netzwerk")["note"] == XSS

    resumed = lesson()
    views = [*page.views.values()] + [resumed.build_activity(a) for a in page.views]
    assert resumed.views["rolle-ich"].note.value == XSS  # shown back in a Textarea (text, not markup)
    for view in views:
        values = html_values(view.widget)
        assert values, "each view has an HTML status line"
        for value in values:
            assert XSS not in value
            assert "<img src=x" not in value


def unusable_store(tmp_path: Path) -> AnswerStore:
    """A store whose path is a folder named like an XSS payload: every access raises StoreError."""
    folder = tmp_path / XSS.replace("/", "_")
    folder.mkdir()
    return AnswerStore(folder)


def test_store_failure_is_shown_escaped(tmp_path: Path) -> None:
    store = unusable_store(tmp_path)
    page = Lesson(MODULE, participant="p1")  # texts only; the view below is bound to the broken store
    view = page.exercise("rolle-ich").view(AnswerBinding(store, "p1", MODULE, "rolle-ich"))
    assert "konnte nicht gespeichert werden" in view.status_text  # the resume already failed
    view.picker.value = "motor"
    assert view.save() is None
    assert isinstance(view.last_error, StoreError)
    assert view.status_text.startswith("Ihre Antwort konnte nicht gespeichert werden.")
    assert str(store.path) in view.status_text
    assert "<img" not in view.status.value and "&lt;img" in view.status.value


def test_lesson_with_an_unusable_store_still_builds_its_page(tmp_path: Path) -> None:
    """A broken store is reported in each activity's status line, not by a failing first cell."""
    page = Lesson(MODULE, participant="p1", store=unusable_store(tmp_path))
    assert "<h1>" in page.header_html()
    view = page.build_activity("rolle-ich")
    assert view.status_text.startswith("Ihre Antwort konnte nicht gespeichert werden.")


# languages, modes, identity -------------------------------------------------------------------------------
def test_english_texts(lesson: Callable[..., Lesson]) -> None:
    page = lesson(lang="en")
    rating = page.build_activity("selbsteinschaetzung")
    assert rating.save_button.description == "Save"
    assert [s.description for s in rating.scales.values()] == ["Exchange", "Goals", "Diversity", "Trust"]
    assert rating.notes["tausch"].description == "Note on Exchange"
    rating.save()
    assert rating.status_text == "Not saved: Please rate at least one trait."
    rating.scales["ziele"].value = 3
    rating.save()
    assert rating.status_text.startswith("Saved at ")
    assert "Radar chart of the self-assessment" in html.unescape(rating.chart.value)

    single = page.build_activity("rolle-ich")
    assert single.picker.description == "My role today"
    assert [label for label, _ in single.picker.options] == ["Enabler", "Motor", "Observer"]
    assert "Core traits of networks" in page.header_html()


def test_language_from_environment(lesson: Callable[..., Lesson], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETCOURSE_LANG", "en")
    assert lesson().build_activity("rolle-ich").save_button.description == "Save"
    monkeypatch.setenv("NETCOURSE_LANG", "fr")
    with pytest.raises(NetcourseError, match="'fr' is not supported"):
        lesson()


def test_german_is_the_default(lesson: Callable[..., Lesson]) -> None:
    page = lesson()
    assert page.lang == "de"
    assert page.build_activity("rolle-ich").save_button.description == "Speichern"
    assert "<h1>Grundmerkmale von Netzwerken</h1>" in page.header_html()


def test_trainer_note_only_in_trainer_mode(lesson: Callable[..., Lesson],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    participant = lesson().header_html()
    assert NOTE not in participant and "Hinweis für die Kursleitung" not in participant
    assert "Vortrag von Dieter Bensmann" not in participant

    trainer = lesson(mode="trainer").header_html()
    assert NOTE in trainer and "Hinweis für die Kursleitung" in trainer
    assert "Vortrag von Dieter Bensmann" in trainer
    assert "Note for the trainer" in lesson(mode="trainer", lang="en").header_html()

    monkeypatch.setenv("NETCOURSE_MODE", "trainer")
    assert NOTE in lesson().header_html()
    monkeypatch.setenv("NETCOURSE_MODE", "admin")
    assert NOTE not in lesson().header_html()


def test_self_learner_id_is_kept_in_the_isolated_data_dir(store: AnswerStore, isolated_env: Path) -> None:
    first = Lesson(MODULE, store=store)
    id_file = isolated_env / "netcourse" / "self-learner-id"
    assert id_file.read_text(encoding="ascii") == first.participant_id
    assert re.fullmatch(r"[0-9a-f]{16}", first.participant_id)
    assert Lesson(MODULE, store=store).participant_id == first.participant_id

    view = first.build_activity("rolle-ich")
    view.picker.value = "motor"
    view.save()
    assert store.participants() == [first.participant_id]


def test_participant_from_environment_and_invalid_ids(store: AnswerStore,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETCOURSE_PARTICIPANT", "from-server_01")
    assert Lesson(MODULE, store=store).participant_id == "from-server_01"
    assert Lesson(MODULE, store=store, participant="explicit").participant_id == "explicit"
    for bad in ("p 1", "../etc", "x" * 65, XSS):
        with pytest.raises(NetcourseError, match="participant id"):
            Lesson(MODULE, store=store, participant=bad)


def test_store_argument_as_path_and_default(tmp_path: Path) -> None:
    page = Lesson(MODULE, participant="p1", store=str(tmp_path / "given.sqlite"))
    page.build_activity("rolle-ich")
    assert (tmp_path / "given.sqlite").is_file()
    assert Lesson(MODULE, participant="p1").store.path == tmp_path / "env-store.sqlite"  # NETCOURSE_STORE
