"""Activity roles as data: what each activity feeds is declared in module.yaml, checked against its exercise
type when the module is registered, and read by the board, the documentation, the workbook, the journal,
the start page and the agenda. A bad role skips only its module, with one line naming the distribution,
the module and the key.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from netcourse.core import plugins
from netcourse.core.course import CourseModule
from netcourse.core.errors import ContentError, PluginError
from netcourse.core.store import AnswerStore
from netcourse.exercises import registry
from netcourse.exercises.ideas.model import Ideas
from netcourse.exercises.roles import Roles
from netcourse.outputs.documentation.formats import render_html, render_markdown
from netcourse.outputs.documentation.model import build_documentation
from netcourse.outputs.journal import build_journal
from netcourse.pages.board import board_exercise, collect_cards
from netcourse.pages.lesson import Lesson
from netcourse.pages.present import live_board_page
from netcourse.pages.workbook_page import Workbook

pytestmark = pytest.mark.usefixtures("fresh_plugins")

TEXTS = """\
title: "Rollen-Testmodul"
lead: "Ein Modul für die Tests der Rollen."
objectives: ["Rollen prüfen."]
trainer_note: "Nur für Tests."
activities:
  fragen:
    heading: "Fragen sammeln"
    prompt: "Welche Fragen haben Sie?"
    group_label: "Art"
    title_label: "Titel der Idee"
    text_label: "Beschreibung"
    groups:
      frage: {name: "Fragen", task: "Eine offene Frage."}
      erfahrung: {name: "Erfahrungen", task: "Eine erste Erfahrung."}
  zweite:
    heading: "Zweite Sammlung"
    prompt: "Noch etwas?"
    group_label: "Art"
    title_label: "Titel der Idee"
    text_label: "Beschreibung"
    groups:
      frage: {name: "Fragen", task: "Eine offene Frage."}
      erfahrung: {name: "Erfahrungen", task: "Eine erste Erfahrung."}
  notiz:
    heading: "Notiz"
    prompt: "Eine Notiz."
    label: "Notiz"
"""


def module_dir(root: Path, module_id: str, roles: dict[str, str], order: int = 90) -> Path:
    """A module folder with two ideas activities and one free text, each with the given roles (YAML flow)."""
    folder = root / module_id.replace("-", "_")
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text(textwrap.dedent(f"""\
        id: {module_id}
        order: {order}
        minutes: 5
        notebook: {module_id}.ipynb
        activities:
          - id: fragen
            type: ideas
            config: {{groups: [frage, erfahrung]}}
            roles: {roles.get("fragen", "{}")}
          - id: zweite
            type: ideas
            config: {{groups: [frage, erfahrung]}}
            roles: {roles.get("zweite", "{}")}
          - id: notiz
            type: freetext
            roles: {roles.get("notiz", "{}")}
        """), encoding="utf-8")
    for lang in ("de", "en"):
        (folder / f"{lang}.yaml").write_text(TEXTS, encoding="utf-8")
    (folder / "__init__.py").write_text(
        "from pathlib import Path\n\nfrom netcourse.core.course import CourseModule\n\n"
        "module = CourseModule.from_directory(Path(__file__).parent)\n", encoding="utf-8")
    return folder


# the schema ---------------------------------------------------------------------------------------
def test_builtin_roles_come_from_module_yaml() -> None:
    roles = {(m.id, s.id): r for m, s, r in registry.role_activities("documentation")}
    modes = {key: r.documentation for key, r in roles.items()}
    assert modes == {("grundmerkmale", "selbsteinschaetzung"): "chart", ("gruppenarbeit", "ideen"): "list",
                     ("akteurslandkarte", "karte"): "summary", ("fazit", "erkenntnis"): "list",
                     ("ausblick", "plan"): "list"}
    assert [(m.id, s.id) for m, s, _ in registry.role_activities("board")] == [("gruppenarbeit", "ideen")]
    assert [(m.id, s.id) for m, s, _ in registry.role_activities("workbook")] == [("gruppenarbeit", "ideen")]
    journal = registry.role_activities("journal")
    assert len(journal) == sum(len(m.activities) for m in registry.course_modules())  # the default


def test_type_defaults_fill_what_module_yaml_leaves_out(tmp_path: Path) -> None:
    module = CourseModule.from_directory(module_dir(tmp_path, "rollen", {"fragen": "{board: true}"}))
    assert registry.activity_roles(module, module.activity("fragen")) == Roles(board=True)
    assert registry.activity_roles(module, module.activity("notiz")) == Roles()
    assert Ideas.fills["board"] == (False, True)


def test_a_plugin_activity_feeds_board_documentation_and_journal(tmp_path: Path) -> None:
    registry.modules.register("rollen", CourseModule.from_directory(module_dir(
        tmp_path, "rollen", {"zweite": "{board: true, documentation: list}", "notiz": "{journal: false}"})))
    store = AnswerStore(tmp_path / "answers.sqlite")
    module = registry.modules.get("rollen")
    exercise = board_exercise(module, "zweite", "de")
    answer = exercise.validate({"group": "frage", "cards": [{"title": "Wie starten?", "text": "Erste Schritte"}]})
    store.save("p1", "rollen", "zweite", answer)
    store.save("p1", "rollen", "notiz", {"text": "nicht im Lerntagebuch"})

    assert [c["title"] for c in collect_cards(store, "rollen", exercise)["frage"]] == ["Wie starten?"]
    doc = build_documentation(store, "de", with_chart=False)
    part = [p for p in doc.parts if p.module_id == "rollen"]
    title = "Rollen-Testmodul – Zweite Sammlung"  # module – activity, as the texts give no documentation heading
    assert [(p.activity_id, p.mode, p.title) for p in part] == [("zweite", "list", title)]
    assert "Wie starten?" in render_html(doc) and "Wie starten?" in render_markdown(doc)
    journal = build_journal(store, "p1", "de", with_charts=False)
    assert [e.activity_id for m in journal.modules for e in m.entries] == ["zweite"]  # notiz: journal: false


def test_lesson_board_shows_the_board_of_its_argument(tmp_path: Path) -> None:
    registry.modules.register("rollen", CourseModule.from_directory(module_dir(
        tmp_path, "rollen", {"fragen": "{board: true}", "zweite": "{board: true}"})))
    store = AnswerStore(tmp_path / "answers.sqlite")

    async def show(activity: str | None) -> str:
        lesson = Lesson("rollen", participant="p1", store=store, mode="trainer")
        lesson.board(activity)
        lesson.live_board.stop()
        return lesson.live_board.exercise.id

    # the board polls from a task on the running loop, as in a kernel; a thread of its own keeps this test
    # apart from a loop another test (pytest-playwright's) may have left running in the main thread
    with ThreadPoolExecutor(1) as kernel_thread:
        assert kernel_thread.submit(asyncio.run, show("zweite")).result() == "zweite"
        assert kernel_thread.submit(asyncio.run, show(None)).result() == "fragen"  # the first board activity
    with pytest.raises(ContentError, match="'notiz' has no board"):
        board_exercise(registry.modules.get("rollen"), "notiz", "de")


def test_banner_and_workbook_follow_the_roles() -> None:
    assert live_board_page() == "03-gruppenarbeit.ipynb"  # the page of the first board activity
    names = [name for _, name, _ in Workbook(participant="p1").groups()]
    assert names == ["Tausch", "Ziele", "Unterschiedlichkeit", "Vertrauen"]


# bad input ----------------------------------------------------------------------------------------
@pytest.fixture
def roleplug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An installed distribution ``roleplug``: an unknown role, a role the type cannot fill, a module claiming
    a built-in id, and one good module."""
    root = tmp_path / "site"
    make = {"unbekannt": {"fragen": "{boardd: true}"}, "unpassend": {"notiz": "{board: true}"},
            "fazit": {}, "gutes-modul": {"fragen": "{board: true, documentation: list}"}}
    entry_points = ["[netcourse.modules]"]
    for module_id, roles in make.items():
        folder = module_dir(root, module_id, roles)
        package = f"roleplug_{folder.name}"
        folder.rename(root / package)
        entry_points.append(f"{module_id} = {package}:module")
    info = root / "roleplug-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: roleplug\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("\n".join(entry_points) + "\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    plugins.reset_all()
    yield root
    plugins.reset_all()
    for name in [n for n in sys.modules if n.startswith("roleplug")]:
        del sys.modules[name]


def warning_for(caplog: pytest.LogCaptureFixture, name: str) -> str:
    found = [m for m in caplog.messages if f"module plugin {name!r} of roleplug skipped" in m]
    assert len(found) == 1, caplog.messages
    assert "\n" not in found[0]
    return found[0]


def test_bad_roles_skip_only_their_module_with_one_line(roleplug: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="netcourse.core.plugins"):
        registry.modules.records()
    unknown = warning_for(caplog, "unbekannt")
    assert "module 'unbekannt', activity 'fragen', key 'roles.boardd': unknown role" in unknown
    unfit = warning_for(caplog, "unpassend")
    assert ("module 'unpassend', activity 'notiz', key 'roles.board': the exercise type 'freetext' cannot fill "
            "board: True") in unfit
    clash = warning_for(caplog, "fazit")
    assert "name clashes with the module 'fazit' of netcourse" in clash

    names = registry.modules.names()
    assert "gutes-modul" in names and "fazit" in names
    assert not {"unbekannt", "unpassend"} & set(names)
    assert registry.modules.get("fazit").directory.parent.name == "modules"  # the built-in kept its id
    with pytest.raises(PluginError, match="roles.board"):
        registry.modules.get("unpassend")
    boards = [(m.id, s.id) for m, s, _ in registry.role_activities("board")]
    assert boards == [("gruppenarbeit", "ideen"), ("gutes-modul", "fragen")]


def test_a_bad_documentation_mode_names_the_key(tmp_path: Path) -> None:
    module = CourseModule.from_directory(module_dir(tmp_path, "modus", {"notiz": "{documentation: chart}"}))
    with pytest.raises(PluginError) as info:
        registry.modules.register("modus", module)
    assert "module 'modus', activity 'notiz', key 'roles.documentation'" in str(info.value)
    assert "accepts: none, list" in str(info.value)
