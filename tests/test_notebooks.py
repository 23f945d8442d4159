"""Every course and workbook notebook runs for real (papermill, both languages) and stays thin and clean."""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import nbformat
import papermill
import pytest

from netcourse.core.i18n import LANGUAGES, course_texts
from netcourse.core.store import AnswerStore
from netcourse.exercises import registry

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "src" / "netcourse" / "data" / "workbook.ipynb"  # package data: the workbook template
NOTEBOOKS = sorted([*ROOT.glob("course/*.ipynb"), WORKBOOK])
NOTEBOOK_IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
PARAMETERS = ("lang", "participant", "store")
MAX_CODE_LINES = 3


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_lines(source: str) -> list[str]:
    return [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]


def is_parameters(cell: nbformat.NotebookNode) -> bool:
    return "parameters" in cell.get("metadata", {}).get("tags", [])


def module_id_of(nb: nbformat.NotebookNode) -> str | None:
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    found = re.findall(r'Lesson\(\s*"([^"]+)"', source)
    return found[0] if found else None


def expected_title(nb: nbformat.NotebookNode, lang: str) -> str | None:
    """The title the page must show: its module's, or the course's on the start page."""
    module_id = module_id_of(nb)
    if module_id is not None:
        return registry.modules.get(module_id).title(lang)
    if any("StartPage" in c.source for c in nb.cells if c.cell_type == "code"):
        return str(course_texts(lang)["title"])
    return None


def html_output(nb: nbformat.NotebookNode) -> str:
    return "\n".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))


# the committed notebooks -----------------------------------------------------------------------------
def test_the_course_notebooks_are_found() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert "01-grundmerkmale.ipynb" in names
    assert all(p.parent.name == "course" or p == WORKBOOK for p in NOTEBOOKS)


def test_the_course_folder_is_the_generated_course(tmp_path: Path) -> None:
    """``course/`` is only a copy of what ``netcourse present`` generates from the installed modules."""
    from netcourse.core import plugins
    from netcourse.pages.notebooks import build_site

    site = build_site(None, tmp_path / "site")
    plugin_pages = {Path(r.obj.notebook).name for r in registry.modules.records()
                    if r.error is None and r.distribution != plugins.BUILTIN_DISTRIBUTION}
    generated = {p.name: p.read_text(encoding="utf-8") for p in site.glob("*.ipynb") if p.name not in plugin_pages}
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "course").glob("*.ipynb")}
    assert sorted(generated) == sorted(committed)
    stale = [name for name, text in generated.items() if committed[name] != text]
    assert not stale, f"{stale} differ from the generated pages: run python tools/make_notebook.py --all"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_is_thin_and_clean(path: Path) -> None:
    nb = read(path)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb.metadata, "stored widget state: clear outputs before committing"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and is_parameters(code[0]), "the first code cell is the papermill 'parameters' cell"
    assert sum(is_parameters(c) for c in code) == 1

    declared = ast.parse(code[0].source)
    for statement in declared.body:  # plain defaults only: no logic hides in the parameters cell
        assert isinstance(statement, ast.Assign) and len(statement.targets) == 1
        assert isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Constant)
    names = {s.targets[0].id for s in declared.body}
    assert set(PARAMETERS) <= names

    for index, cell in enumerate(code[1:], start=1):
        lines = code_lines(cell.source)
        assert len(lines) <= MAX_CODE_LINES, f"code cell {index} has {len(lines)} lines: move logic to src/"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.get("outputs") == [], f"cell {index} has stored outputs"
            assert cell.get("execution_count") is None, f"cell {index} was executed before committing"


def test_thin_check_counts_code_not_comments() -> None:
    assert code_lines("# a comment\n\nx = 1\n  # indented comment\ny = 2") == ["x = 1", "y = 2"]


LESSONS = [p for p in NOTEBOOKS if p.parent.name == "course" and module_id_of(read(p))]


def test_grundmerkmale_is_a_lesson_notebook() -> None:
    assert ROOT / "course" / "01-grundmerkmale.ipynb" in LESSONS


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_lesson_notebook_places_every_section_and_activity_of_its_module(path: Path) -> None:
    nb = read(path)
    module = registry.modules.get(module_id_of(nb))
    assert module.notebook == path.name
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert re.findall(r'lesson\.section\("([^"]+)"\)', source) == list(module.sections)
    assert re.findall(r'lesson\.activity\("([^"]+)"\)', source) == [a.id for a in module.activities]


def test_every_builtin_module_has_its_notebook() -> None:
    records = [r for r in registry.modules.records() if r.distribution == "netcourse"]
    assert records
    for rec in records:
        assert (ROOT / "course" / rec.obj.notebook).is_file(), rec.name


# executed for real ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_runs_with_papermill(path: Path, lang: str, tmp_path: Path, isolated_env: Path) -> None:
    store_path = tmp_path / "nb-answers.sqlite"
    out = tmp_path / "out.ipynb"
    parameters = {"lang": lang, "participant": "nb-test", "store": str(store_path)}
    papermill.execute_notebook(
        str(path), str(out), parameters=parameters,
        kernel_name="python3", cwd=str(tmp_path), progress_bar=False, request_save_on_cell_execute=False,
    )
    nb = read(out)
    assert nb.metadata.papermill.parameters == parameters
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", output.get("evalue")
            assert not (output.output_type == "stream" and output.name == "stderr"), output.text

    page = html_output(nb)
    assert page, "the page shows something"
    title = expected_title(nb, lang)
    if title is not None:
        headings = [html.unescape(h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S)]
        assert title in headings
        other = expected_title(nb, "en" if lang == "de" else "de")
        if other != title:
            assert other not in headings
    if path.name == "01-grundmerkmale.ipynb":
        assert ("Grundmerkmale" if lang == "de" else "Core traits") in page
        assert ("Core traits" if lang == "de" else "Grundmerkmale von Netzwerken") not in page

    assert store_path.exists(), "the store parameter is used"
    assert not (tmp_path / "env-store.sqlite").exists(), "the parameter wins over $NETCOURSE_STORE"
    assert not (isolated_env / "netcourse" / "self-learner-id").exists(), "the participant parameter is used"


@pytest.mark.parametrize(("lang", "resumed"), [("de", "Ihre frühere Antwort vom"),
                                               ("en", "Your earlier answer from")])
def test_executed_page_shows_the_participants_earlier_answer(lang: str, resumed: str, tmp_path: Path) -> None:
    store_path = tmp_path / "nb-answers.sqlite"
    AnswerStore(store_path).save("nb-test", "grundmerkmale", "rolle-ich", {"choice": "motor"})
    AnswerStore(store_path).save("someone-else", "grundmerkmale", "rolle-netzwerk", {"choice": ["motor"]})
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(ROOT / "course" / "01-grundmerkmale.ipynb"), str(out), kernel_name="python3", cwd=str(tmp_path),
        parameters={"lang": lang, "participant": "nb-test", "store": str(store_path)}, progress_bar=False,
    )
    state = json.dumps(read(out).metadata.widgets, ensure_ascii=False)
    assert state.count(resumed) == 1  # rolle-ich only; the other participant's answer is not shown
    assert '"value": "motor"' in state or '"index": 1' in state
