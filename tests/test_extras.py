"""Optional extras: without the ``pdf`` extra, PDF export stops with one line naming the extra and writes
nothing, while the rest of the kit (HTML documentation) works. The missing package is simulated by a
``sitecustomize`` that refuses to import it, in the real ``netcourse`` command."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from netcourse.core.store import AnswerStore

MESSAGE = "netcourse: PDF export needs the optional extra 'pdf': pip install 'netcourse[pdf]'"
BLOCKER = """\
import sys

BLOCKED = {blocked!r}


class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked by the test)", name=name)
        return None


sys.meta_path.insert(0, Refuse())
"""


def without(tmp_path: Path, *modules: str) -> Path:
    folder = tmp_path / "blocker"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(BLOCKER.format(blocked=set(modules)), encoding="utf-8")
    return folder


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.sqlite"
    AnswerStore(path).save("p1", "grundmerkmale", "selbsteinschaetzung", {"ratings": {"tausch": 4}, "notes": {}})
    return path


@pytest.mark.parametrize("module", ["playwright", "pypdf", "cryptography"])
def test_pdf_export_without_the_extra_names_it_in_one_line_and_writes_nothing(
        module: str, answers: Path, tmp_path: Path, run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    out = tmp_path / "dokumentation.pdf"
    done = run_cli("export", "--format", "pdf", "--generate-password", "--store", str(answers), "--out", str(out),
                   pythonpath=without(tmp_path, module))
    assert done.returncode == 1
    assert done.stderr.strip() == MESSAGE and done.stdout == ""
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["answers.sqlite", "blocker"]


def test_html_export_needs_no_extra(answers: Path, tmp_path: Path,
                                    run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    out = tmp_path / "dokumentation.html"
    done = run_cli("export", "--store", str(answers), "--out", str(out),
                   pythonpath=without(tmp_path, "playwright", "pypdf", "cryptography"))
    assert done.returncode == 0, done.stderr
    assert "Tausch" in out.read_text(encoding="utf-8")
