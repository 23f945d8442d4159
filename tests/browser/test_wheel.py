"""The wheel is standalone: built from the sources, installed with pip into a fresh venv outside the
checkout (real dependency resolution), every command works from a folder outside the checkout.

- ``netcourse present --self-study`` serves the full course generated from the installed modules; the
  start page and a course page render their widgets (and the SVG chart) in Chromium;
- ``netcourse workbooks`` runs on the bundled sample roster, with the template from the package;
- ``netcourse collect`` merges the store, ``netcourse export`` writes the HTML documentation;
- the package, its templates, the served folder and the Voila template path all lie outside the checkout.

One venv for the module (building it is most of the wall time). The test env only drives Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect
from tests.processes import HOST, free_port, port_answers, run_checked, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 600
LOAD_TIMEOUT_MS = 90_000


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return run_checked(cmd, timeout=TIMEOUT, **kwargs)


def outside_checkout(path: str | Path) -> bool:
    resolved = Path(path).resolve()
    return resolved != REPO and REPO not in resolved.parents


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """A fresh venv (not layered over this one) with the wheel of this checkout installed by pip."""
    root = tmp_path_factory.mktemp("wheel")
    assert outside_checkout(root)
    source = root / "source"  # build from a clean copy: nothing untracked, no build/ left in the checkout
    ignore = shutil.ignore_patterns("*.egg-info", "__pycache__", "build", "dist", ".ipynb_checkpoints")
    shutil.copytree(REPO / "src", source / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NETCOURSE_", "JUPYTER_", "VOILA_")) and k not in {"VIRTUAL_ENV", "PYTHONPATH",
                                                                                   "PYTHONHOME", "PYTHONSTARTUP"}}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONNOUSERSITE="1")
    started = time.perf_counter()
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(root / "dist"),
         str(source)], env=env, cwd=root)
    (wheel,) = (root / "dist").glob("netcourse-*.whl")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], env=env, cwd=root)
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", str(wheel)], env=env, cwd=root)
    built = time.perf_counter() - started
    work = root / "work"
    work.mkdir()
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", HOME=str(root / "home"),
               XDG_DATA_HOME=str(root / "data"), XDG_CACHE_HOME=str(root / "cache"),
               XDG_CONFIG_HOME=str(root / "config"), JUPYTER_CONFIG_DIR=str(root / "jupyter-config"),
               JUPYTER_RUNTIME_DIR=str(root / "rt"), PYTHONUNBUFFERED="1", PYDEVD_DISABLE_FILE_VALIDATION="1")
    return SimpleNamespace(root=root, venv=venv, python=python, netcourse=venv / "bin" / "netcourse", work=work,
                           env=env, wheel=wheel, built_s=built)


def in_venv(installed: SimpleNamespace, code: str) -> str:
    return run([str(installed.python), "-c", code], env=installed.env, cwd=installed.work).stdout.strip()


def netcourse(installed: SimpleNamespace, *args: str) -> subprocess.CompletedProcess[str]:
    return run([str(installed.netcourse), *args], env=installed.env, cwd=installed.work)


def test_the_wheel_installs_without_heavy_optional_packages(installed: SimpleNamespace) -> None:
    found = json.loads(in_venv(installed, (
        "import importlib.util, json; print(json.dumps([m for m in ('playwright', 'pypdf', 'matplotlib', "
        "'numpy', 'networkx') if importlib.util.find_spec(m)]))")))
    assert found == [], f"pip install netcourse pulled in {found}"


def test_everything_a_command_needs_comes_from_the_package(installed: SimpleNamespace) -> None:
    paths = json.loads(in_venv(installed, (
        "import json, netcourse; from netcourse.core import paths; "
        "print(json.dumps([netcourse.__file__, str(paths.share_dir()), str(paths.sample_roster_path()), "
        "str(paths.workbook_template_path()), str(paths.package_file('static/netcourse.css'))]))")))
    for path in paths:
        assert Path(path).exists(), path
        assert installed.venv in Path(path).resolve().parents, f"{path} is not inside the venv"
    template = Path(paths[1]) / "voila" / "templates" / "netcourse" / "index.html.j2"
    assert template.is_file()


def test_workbooks_collect_and_documentation_outside_the_checkout(installed: SimpleNamespace) -> None:
    roster = in_venv(installed, "from netcourse.core.paths import sample_roster_path; print(sample_roster_path())")
    store, merged = installed.work / "kurs.sqlite", installed.work / "gesamt.sqlite"
    done = netcourse(installed, "workbooks", roster, "--out", "hefte", "--store", str(store))
    assert "16 workbooks written" in done.stdout, done.stdout + done.stderr
    workbooks = sorted((installed.work / "hefte").glob("*/workbook.ipynb"))
    assert len(workbooks) == 16 and (installed.work / "hefte" / "links.csv").is_file()
    executed = json.loads(workbooks[0].read_text(encoding="utf-8"))
    assert any(cell.get("outputs") for cell in executed["cells"] if cell["cell_type"] == "code")
    in_venv(installed, (  # one answer with a chart, written through the installed package
        "from netcourse.core.store import AnswerStore; "
        f"AnswerStore({str(store)!r}).save('wheel-1', 'grundmerkmale', 'selbsteinschaetzung', "
        "{'ratings': {'tausch': 4, 'ziele': 2}, 'notes': {}})"))

    done = netcourse(installed, "collect", str(merged), str(store))
    assert merged.is_file(), done.stdout

    done = netcourse(installed, "export", "--store", str(merged), "--out", "dokumentation.html")
    page = (installed.work / "dokumentation.html").read_text(encoding="utf-8")
    assert "Netzwerke erkennen lernen" in page
    assert 'src="data:image/svg+xml;base64,' in page  # the averaged self-assessment as SVG radar chart

    # PDF export is an extra: one line naming it, nothing written
    pdf = subprocess.run([str(installed.netcourse), "export", "--format", "pdf", "--store", str(merged), "--out",
                          "dokumentation.pdf"], env=installed.env, cwd=installed.work, capture_output=True,
                         text=True, timeout=TIMEOUT)
    assert pdf.returncode == 1
    assert pdf.stderr.strip() == ("netcourse: PDF export needs the optional extra 'pdf': "
                                  "pip install 'netcourse[pdf]'")
    assert not (installed.work / "dokumentation.pdf").exists()


@pytest.fixture(scope="module")
def served(installed: SimpleNamespace) -> Iterator[SimpleNamespace]:
    """``netcourse present --self-study`` from the venv, run in a folder outside the checkout."""
    port = free_port()
    log = installed.root / "present.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(installed.netcourse), "present", "--self-study", "--host", HOST,
                                    "--port", str(port), "--pool-size", "0"],
                                   cwd=installed.work, env=installed.env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        if not wait_until(lambda: process.poll() is not None or port_answers(port), 90):
            pytest.fail(f"netcourse present did not answer:\n{log.read_text(errors='replace')[-3000:]}")
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        yield SimpleNamespace(url=f"http://{HOST}:{port}/voila/render/", process=process, log=log)
    finally:
        for sig, grace in ((15, 15), (9, 5)):
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=grace)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue


def test_present_serves_the_generated_course_from_the_package(installed: SimpleNamespace,
                                                              served: SimpleNamespace, page: Page) -> None:
    # netcourse present replaced itself with Voila: its command line names the served folder
    args = Path(f"/proc/{served.process.pid}/cmdline").read_bytes().decode().split("\0")
    (folder,) = [Path(a) for a in args if a.startswith("/") and Path(a).is_dir()]
    assert outside_checkout(folder) and Path(installed.root) in folder.resolve().parents
    pages = sorted(p.name for p in folder.glob("*.ipynb"))
    assert pages == ["00-einfuehrung.ipynb", "00-start.ipynb", "01-grundmerkmale.ipynb", "02-zeit-ist-kostbar.ipynb",
                     "03-gruppenarbeit.ipynb", "04-akteurslandkarte.ipynb", "05-fazit.ipynb", "06-ausblick.ipynb"]
    environ = dict(item.split("=", 1) for item in
                   Path(f"/proc/{served.process.pid}/environ").read_bytes().decode().split("\0") if "=" in item)
    jupyter_path = [p for p in environ["JUPYTER_PATH"].split(os.pathsep) if p]
    assert jupyter_path and all(outside_checkout(p) for p in jupyter_path), jupyter_path
    assert installed.venv in Path(jupyter_path[0]).resolve().parents  # the netcourse template, from the wheel

    # Chromium through pytest-playwright's fixtures (tests/browser/conftest.py launches the system Chromium)
    page.goto(served.url + "00-start.ipynb", timeout=LOAD_TIMEOUT_MS)
    expect(page.locator("#rendered_cells h1").first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(page.locator(".jupyter-widgets").first).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert "Netzwerke erkennen lernen" in page.locator("body").inner_text()

    page.goto(served.url + "01-grundmerkmale.ipynb", timeout=LOAD_TIMEOUT_MS)
    expect(page.locator(".nc-exercise .nc-save").last).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert page.locator(".nc-exercise .jupyter-widgets").count() > 0
    chart = page.locator("img.nc-chart").first
    expect(chart).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    assert (chart.get_attribute("src") or "").startswith("data:image/svg+xml;base64,")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG decoded and drew
    assert "Traceback" not in served.log.read_text(errors="replace")
