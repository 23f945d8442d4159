"""Each page's kernel imports only what the page uses: a participant's kernel is most of a session's memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

COURSE = Path(__file__).resolve().parents[1] / "course"
PROBE = """
import json, sys
for source in json.loads(sys.argv[1]):
    exec(compile(source, "<cell>", "exec"), globals())
print(json.dumps(sorted(m for m in ("networkx", "matplotlib", "numpy", "pandas", "papermill", "playwright", "voila")
                        if m in sys.modules)))
"""


def page_imports(notebook: Path, tmp_path: Path) -> list[str]:
    """Run a page's code cells in a fresh interpreter; the heavy packages it imported."""
    cells = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(cells)], capture_output=True, text=True,
                          timeout=120, env={"NETCOURSE_STORE": str(tmp_path / "a.sqlite"), "MPLBACKEND": "Agg",
                                            "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("notebook", ["03-gruppenarbeit.ipynb", "06-ausblick.ipynb", "00-einfuehrung.ipynb"])
def test_pages_without_charts_or_maps_stay_light(notebook: str, tmp_path: Path) -> None:
    assert page_imports(COURSE / notebook, tmp_path) == []


@pytest.mark.parametrize("notebook", ["01-grundmerkmale.ipynb", "04-akteurslandkarte.ipynb"])
def test_chart_pages_draw_svg_without_a_plotting_library(notebook: str, tmp_path: Path) -> None:
    assert page_imports(COURSE / notebook, tmp_path) == []


def test_the_probe_sees_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import voila")]), probe)
    assert page_imports(probe, tmp_path) == ["voila"]
