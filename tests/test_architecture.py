"""The tree shows the architecture: layers point one way, no import circle, small files, one door each.

The layer contracts live in ``pyproject.toml`` (``[tool.importlinter]``) so ``lint-imports`` checks the same
thing on the command line. See docs/architecture.md for the picture.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "netcourse"
MAX_LINES = 400
LAYERS = ["netcourse.cli", "netcourse.hub", "netcourse.pages", "netcourse.outputs", "netcourse.exercises",
          "netcourse.core"]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("netcourse", cache_dir=None)


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (or a module importing itself)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # Tarjan, iteratively (no recursion limit on deep chains)
        nonlocal counter
        work = [(start, iter(edges.get(start, [])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, []))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges.get(node, []):
                        found.append(sorted(component))

    for module in edges:
        if module not in index:
            visit(module)
    return found


def test_no_import_circle(graph: grimp.ImportGraph) -> None:
    assert _cycles(graph) == [], "import circles (each list is one circle's modules)"


def test_the_cycle_finder_finds_a_circle() -> None:
    copy = grimp.build_graph("netcourse", cache_dir=None)
    copy.add_import(importer="netcourse.core.errors", imported="netcourse.cli.app")
    assert any("netcourse.core.errors" in c and "netcourse.cli.app" in c for c in _cycles(copy))


def test_layers_point_one_way(graph: grimp.ImportGraph) -> None:
    illegal = graph.find_illegal_dependencies_for_layers(layers=LAYERS, containers=set())
    arrows = sorted(f"{d.importer} -> {d.imported}" for d in illegal)
    assert arrows == [], "upward imports (a lower layer must not import a higher one)"


def test_a_forbidden_arrow_is_caught() -> None:
    copy = grimp.build_graph("netcourse", cache_dir=None)
    copy.add_import(importer="netcourse.core.store", imported="netcourse.pages.lesson")
    illegal = copy.find_illegal_dependencies_for_layers(layers=LAYERS, containers=set())
    assert {(d.importer, d.imported) for d in illegal} == {("netcourse.core", "netcourse.pages")}


def test_import_linter_contracts_are_kept() -> None:
    # in a child process: import-linter configures logging, which would silence this process's loggers
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_every_layer_is_a_package_in_the_tree() -> None:
    top = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert top == ["cli", "core", "exercises", "hub", "modules", "outputs", "pages"]
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]


def test_no_file_over_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_sql_only_in_the_store() -> None:
    """Everything else uses the store's public API (no private connection, no SQL or database library of its
    own): the SQL lives in the package ``core/store/`` and in ``core/store_file.py``."""
    store = PACKAGE / "core" / "store"
    outside = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
               if store not in p.parents and p != PACKAGE / "core" / "store_file.py"
               and re.search(r"\bimport (sqlite3|sqlalchemy|psycopg|alembic)\b|\bfrom (sqlalchemy|alembic|psycopg)\b"
                             r"|\._connect\(|\._conn\b", p.read_text(encoding="utf-8"))]
    assert outside == []


def test_one_atomic_write() -> None:
    """Files are replaced only by netcourse.core.atomic (temporary file beside the target, fsync, rename)."""
    outside = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
               if p != PACKAGE / "core" / "atomic.py"
               and re.search(r"os\.replace\(|\.replace\(target\)|\.part\b", p.read_text(encoding="utf-8"))]
    assert outside == []


def _fresh(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


HEAVY = "('ipywidgets', 'IPython', 'matplotlib', 'networkx', 'voila', 'nbformat', 'papermill', 'click')"


def test_import_netcourse_stays_light_and_offers_the_plugin_names() -> None:
    out = _fresh(
        "import sys, netcourse\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY}))\n"
        "print(netcourse.CourseModule.__module__, netcourse.Exercise.__module__, netcourse.Exporter.__module__)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY}))\n"
    )
    assert out.splitlines() == [
        "[]",
        "netcourse.core.course netcourse.exercises.base netcourse.outputs.exporters.base",
        "[]",  # the model-side names load no widget library either
    ]


def test_import_netcourse_loads_no_database_library() -> None:
    """SQLAlchemy, Alembic and psycopg are imported by the store when a store is first used, not before."""
    out = _fresh("import sys, netcourse, netcourse.core.store\n"
                 "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic', 'psycopg'}))")
    assert out == "[]"


def test_models_journal_and_documentation_need_no_widgets(tmp_path: Path) -> None:
    """An answer is validated, described, journalled and documented without ipywidgets being imported."""
    out = _fresh(
        "import sys\n"
        "from netcourse.core.store import AnswerStore\n"
        "from netcourse.exercises import registry\n"
        "from netcourse.outputs.documentation.formats import render_markdown\n"
        "from netcourse.outputs.documentation.model import build_documentation\n"
        "from netcourse.outputs.journal import build_journal, export_journal\n"
        "module = registry.modules.get('einfuehrung')\n"
        "spec = next(a for a in module.activities if a.type == 'freetext')\n"
        "ex = registry.exercises.get('freetext')(spec, module.activity_texts(spec.id, 'de'), 'de')\n"
        f"store = AnswerStore({str(tmp_path / 'a.sqlite')!r})\n"
        "store.save('p1', module.id, spec.id, ex.validate({'text': 'Vertrauen wächst'}))\n"
        "assert b'Vertrauen' in export_journal(build_journal(store, 'p1', 'de'), 'markdown')\n"
        "render_markdown(build_documentation(store, 'de'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'IPython', 'voila')))\n"
    )
    assert out == "[]"
