"""Shared fixtures: every test runs isolated from the user's store, data folder, language and mode.

Layered so one test file can override a layer: ``store_path`` → ``store`` → ``lesson``; ``broken_dist``
builds a real (fake) installed distribution with broken plugins; ``fresh_plugins`` resets the registries.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from netcourse.core import plugins
from netcourse.core.store import AnswerStore
from netcourse.pages.lesson import Lesson

ENV_VARS = ("NETCOURSE_PARTICIPANT", "NETCOURSE_LANG", "NETCOURSE_MODE")

# no example database in the working tree; no deadline (chart rendering and SQLite vary in speed)
settings.register_profile("netcourse", database=None, deadline=None, max_examples=80)
settings.load_profile("netcourse")
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "netcourse-tests-hypothesis")


# isolation --------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the user's answers, self-learner id, language or mode."""
    data_home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("NETCOURSE_STORE", str(tmp_path / "env-store.sqlite"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    return data_home


# store and lesson layers ------------------------------------------------------------------------
@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "answers.sqlite"


@pytest.fixture
def store(store_path: Path) -> AnswerStore:
    return AnswerStore(store_path)


@pytest.fixture
def lesson(store: AnswerStore) -> Callable[..., Lesson]:
    """Factory: ``lesson(participant="p1", lang=None, mode=None)`` on the test's store."""

    def make(module_id: str = "grundmerkmale", *, participant: str | None = "p1", lang: str | None = None,
             mode: str | None = None) -> Lesson:
        return Lesson(module_id, lang=lang, participant=participant, store=store, mode=mode)

    return make


@pytest.fixture
def db_rows(store_path: Path) -> Callable[[], list[tuple[Any, ...]]]:
    """Read the store's SQLite file directly (not through AnswerStore)."""

    def rows() -> list[tuple[Any, ...]]:
        if not store_path.exists():
            return []
        conn = sqlite3.connect(store_path)
        try:
            has_table = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'answers'"
            ).fetchone()[0]
            if not has_table:
                return []
            return conn.execute(
                "SELECT participant_id, module, exercise, answer FROM answers ORDER BY 1, 2, 3"
            ).fetchall()
        finally:
            conn.close()

    return rows


# plugins ---------------------------------------------------------------------------------------
@pytest.fixture
def fresh_plugins() -> Iterator[None]:
    """Registries re-read entry points before and after the test; modules it imported are dropped."""
    before = set(sys.modules)
    plugins.reset_all()
    yield
    plugins.reset_all()
    for name in set(sys.modules) - before:
        if name.startswith("brokenplug"):
            del sys.modules[name]


BROKEN_ENTRY_POINTS = """\
[netcourse.modules]
grundmerkmale = brokenplug_clash:module
exploding = brokenplug_boom:module
misnamed = brokenplug_parts:module

[netcourse.exercises]
malformed = brokenplug_parts:NotAnExercise

[netcourse.exporters]
fakegood = brokenplug_good:FakeExporter
"""

BROKEN_MODULES = {
    "brokenplug_boom.py": 'raise RuntimeError("boom at import")\n',
    "brokenplug_clash.py": 'raise AssertionError("a clashing plugin must never be imported")\n',
    "brokenplug_parts.py": """\
        from pathlib import Path

        import netcourse.modules.grundmerkmale as builtin
        from netcourse.core.course import CourseModule

        module = CourseModule.from_directory(Path(builtin.__file__).parent)  # id 'grundmerkmale'


        class NotAnExercise:
            type_name = "malformed"
        """,
    "brokenplug_good.py": """\
        from netcourse.outputs.exporters.base import Exporter


        class FakeExporter(Exporter):
            format_name = "fakegood"
            suffix = ".txt"

            def render(self, journal):
                return b"fake"
        """,
}


@pytest.fixture
def broken_dist_dir(tmp_path: Path) -> Path:
    """A folder that, on ``sys.path``, is a real installed distribution ``brokenplug`` with bad plugins.

    ``exploding`` raises at import, ``malformed`` is not an Exercise, ``misnamed`` has a module id that
    differs from its entry name, ``grundmerkmale`` clashes with the built-in; ``fakegood`` is fine.
    """
    root = tmp_path / "site"
    info = root / "brokenplug-0.1.dist-info"
    info.mkdir(parents=True)
    metadata = "Metadata-Version: 2.1\nName: brokenplug\nVersion: 0.1\n"
    (info / "METADATA").write_text(metadata, encoding="utf-8")
    (info / "entry_points.txt").write_text(BROKEN_ENTRY_POINTS, encoding="utf-8")
    for name, source in BROKEN_MODULES.items():
        (root / name).write_text(textwrap.dedent(source), encoding="utf-8")
    return root


@pytest.fixture
def broken_dist(broken_dist_dir: Path, monkeypatch: pytest.MonkeyPatch, fresh_plugins: None) -> Path:
    """The broken distribution put on ``sys.path`` of this process, with registries reset."""
    monkeypatch.syspath_prepend(str(broken_dist_dir))
    importlib.invalidate_caches()
    plugins.reset_all()
    return broken_dist_dir


# subprocesses ----------------------------------------------------------------------------------
@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real ``netcourse`` command (console script, or ``python -m netcourse``) in ``tmp_path``."""

    def run(*args: str, as_module: bool = False, pythonpath: Path | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        if pythonpath is not None:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "netcourse"] if as_module else [console_script()]
        return subprocess.run([*command, *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)

    return run


def console_script() -> str:
    """The ``netcourse`` script installed beside this interpreter (the one ``pip install`` made)."""
    candidate = Path(sys.executable).with_name("netcourse")
    if not candidate.exists():
        pytest.fail(f"console script {candidate} is missing: is netcourse installed with pip install -e .?")
    return str(candidate)


@pytest.fixture(scope="module")
def monkeypatch_module():
    """Personal-link mode for property tests that resolve page visits (module scope for hypothesis)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("NETCOURSE_ACCESS", "personal")
    patch.delenv("NETCOURSE_TRAINER_HASH", raising=False)
    yield patch
    patch.undo()


# store backends ----------------------------------------------------------------------------------
from pgcluster import pg_cluster, pg_url  # noqa: E402, F401 - fixtures: a throw-away PostgreSQL cluster


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_locator(backend: str, store_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh store of the test's backend: a SQLite file path, or the URL of a new PostgreSQL database."""
    return str(store_path) if backend == "sqlite" else str(request.getfixturevalue("pg_url"))
