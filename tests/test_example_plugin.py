"""The plugin door, for real: pip-install ``examples/netcourse-lernraum`` into a throwaway venv, see it in
``netcourse plugins`` and render its page with papermill on a kernel running the venv's interpreter.

The venv is built once per test module (a few seconds). It is layered over this environment
(``tests/venvs.py``: it sees netcourse, Jupyter and papermill, also when the suite runs in a venv) and is
created ``--without-pip``, so this
environment's pip installs into it and the build uses this environment's setuptools/wheel instead of the
old setuptools that ``ensurepip`` would bundle. When setuptools can build a wheel here (wheel installed or
setuptools >= 70.1), the install runs offline (``--no-build-isolation --no-index``); otherwise pip fetches
the build backend from PyPI, and the tests skip when PyPI cannot be reached.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import nbformat
import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from tests.processes import free_port, run_checked
from tests.venvs import make_layered_venv

from netcourse.core.course import CourseModule

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "netcourse-lernraum"
PACKAGE_DIR = EXAMPLE / "src" / "netcourse_lernraum"
DISTRIBUTION = "netcourse-lernraum"
KERNEL = "netcourse-lernraum-venv"
PARTICIPANT = "lernraum-test"
TITLES = {
    "de": "Interkommunaler Lernraum Netzwerkmanagement",
    "en": "Inter-municipal learning space on network management",
}
TIMEOUT = 300


# helpers ------------------------------------------------------------------------------------------
def run(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_checked(cmd, timeout=TIMEOUT, env=env, cwd=cwd)


def pypi_reachable(timeout: float = 3.0) -> bool:
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple")
    url = urlparse(index)
    try:
        with socket.create_connection((url.hostname or "pypi.org", url.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


CAN_BUILD_OFFLINE = """
import importlib.metadata as md, importlib.util as u
v = tuple(int(p) for p in md.version("setuptools").split(".")[:2])
print(int(u.find_spec("wheel") is not None or v >= (70, 1)))
"""


def outputs_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"cell failed: {out.get('ename')}: {out.get('evalue')}"
            data = out.get("data", {})
            parts += [str(data.get("text/html", "")), str(data.get("text/plain", ""))]
            parts.append(str(out.get("text", "")))
    return "\n".join(parts)


# the example's sources (no install needed) --------------------------------------------------------
def test_example_module_data_is_complete_and_translated() -> None:
    module = CourseModule.from_directory(PACKAGE_DIR)
    assert (module.id, module.order, module.minutes) == ("lernraum", 80, 15)
    assert module.missing_translations() == {}
    assert [(a.id, a.type) for a in module.activities] == [("erste-erfahrung", "freetext"), ("fragen", "ideas")]
    assert dict(module.activity("fragen").roles) == {"board": True, "documentation": "list"}
    for lang in TITLES:
        texts = module.texts(lang)
        assert module.title(lang) == TITLES[lang]
        assert texts["objectives"] and texts["trainer_note"].strip()
    assert "30. Juni 2022" in module.section_texts("lernraum", "de")["body"]
    assert "Nord-Ost" in module.section_texts("lernraum", "de")["body"]
    assert "Lehrmaterial" in module.section_texts("lernraum", "de")["body"]


def test_example_pyproject_registers_the_module_and_ships_its_data() -> None:
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == DISTRIBUTION
    assert any(dep.startswith("netcourse") for dep in project["project"]["dependencies"])
    entry_points = project["project"]["entry-points"]["netcourse.modules"]
    assert entry_points == {"lernraum": "netcourse_lernraum:module"}
    assert "*.yaml" in project["tool"]["setuptools"]["package-data"]["netcourse_lernraum"]
    assert {p.name for p in PACKAGE_DIR.glob("*.yaml")} == {"module.yaml", "de.yaml", "en.yaml"}
    assert (EXAMPLE / "README.md").is_file()


def test_example_notebook_pairs_up_with_the_module() -> None:
    module = CourseModule.from_directory(PACKAGE_DIR)
    notebook = EXAMPLE / "notebooks" / module.notebook
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    sources = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert any("parameters" in cell.metadata.get("tags", []) for cell in nb.cells)
    assert 'Lesson("lernraum"' in sources
    for section in module.sections:
        assert f'lesson.section("{section}")' in sources
    for activity in module.activities:
        assert f'lesson.activity("{activity.id}")' in sources
    assert all(cell.get("outputs", []) == [] for cell in nb.cells if cell.cell_type == "code")


# installed for real into a venv -------------------------------------------------------------------
@pytest.fixture(scope="module")
def lernraum_venv(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """A venv with ``netcourse-lernraum`` pip-installed and a Jupyter kernel that runs the venv's python."""
    root = tmp_path_factory.mktemp("lernraum-venv")
    # Build from a copy so pip's in-tree build leaves nothing in the repository.
    source = root / "netcourse-lernraum"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    venv = root / "venv"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NETCOURSE_", "JUPYTER_")) and k != "VIRTUAL_ENV"}
    env.update(
        PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONNOUSERSITE="1", MPLBACKEND="Agg",
        JUPYTER_CONFIG_DIR=str(root / "jupyter-config"), JUPYTER_DATA_DIR=str(root / "jupyter-data"),
        JUPYTER_PLATFORM_DIRS="1", XDG_DATA_HOME=str(root / "xdg-data"),
        NETCOURSE_STORE=str(root / "answers.sqlite"), PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    python = make_layered_venv(venv, env)

    install = [str(python), "-m", "pip", "install", "--no-deps", str(source)]
    offline = run([str(python), "-c", CAN_BUILD_OFFLINE], env).stdout.strip() == "1"
    if offline:
        install += ["--no-build-isolation", "--no-index"]
    elif not pypi_reachable():
        pytest.skip("building the example needs the 'wheel' package or setuptools>=70.1 here, "
                    "or PyPI to fetch them; none is available (pip install wheel)")
    run(install, env)
    run([str(python), "-m", "ipykernel", "install", "--prefix", str(venv), "--name", KERNEL,
         "--display-name", "Python (netcourse-lernraum test venv)"], env)
    return SimpleNamespace(root=root, venv=venv, python=python, env=env, offline=offline)


@pytest.mark.slow
def test_installed_package_lives_in_the_venv_with_its_data(lernraum_venv: SimpleNamespace) -> None:
    where = run([str(lernraum_venv.python), "-c", "import netcourse_lernraum as p; print(p.__file__)"],
                lernraum_venv.env).stdout.strip()
    package = Path(where).parent
    assert package.is_relative_to(lernraum_venv.venv), f"not installed into the venv: {package}"
    assert {p.name for p in package.glob("*.yaml")} == {"module.yaml", "de.yaml", "en.yaml"}
    kernel = lernraum_venv.venv / "share" / "jupyter" / "kernels" / KERNEL / "kernel.json"
    assert json.loads(kernel.read_text())["argv"][0] == str(lernraum_venv.python)


@pytest.mark.slow
def test_netcourse_plugins_lists_the_example_and_the_builtins(lernraum_venv: SimpleNamespace) -> None:
    proc = run([str(lernraum_venv.python), "-m", "netcourse", "plugins", "--json"], lernraum_venv.env,
               cwd=lernraum_venv.root)
    records = json.loads(proc.stdout)
    by_key = {(r["kind"], r["name"]): r for r in records}

    lernraum = by_key[("module", "lernraum")]
    assert lernraum["distribution"] == DISTRIBUTION
    assert lernraum["error"] is None and lernraum["loaded"] is True
    assert lernraum["value"] == "netcourse_lernraum:module"

    builtins = [r for r in records if r["distribution"] == "netcourse"]
    builtin_names = {(r["kind"], r["name"]) for r in builtins}
    assert {("module", "grundmerkmale"), ("exercise", "freetext")} <= builtin_names
    assert [r for r in builtins if r["error"] or not r["loaded"]] == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["de", "en"])
def test_plugin_notebook_renders_with_papermill_on_the_venv_kernel(lernraum_venv: SimpleNamespace,
                                                                    lang: str) -> None:
    out = lernraum_venv.root / f"lernraum-{lang}.ipynb"
    store = lernraum_venv.root / f"answers-{lang}.sqlite"
    run([str(lernraum_venv.python), "-m", "papermill", "--no-progress-bar", "-k", KERNEL,
         str(EXAMPLE / "notebooks" / "lernraum.ipynb"), str(out),
         "-r", "lang", lang, "-r", "participant", PARTICIPANT, "-r", "store", str(store)],
        lernraum_venv.env, cwd=lernraum_venv.root)

    nb = nbformat.read(out, as_version=4)
    parameters = {"lang": lang, "participant": PARTICIPANT, "store": str(store)}
    assert nb.metadata["papermill"]["parameters"] == parameters
    text = outputs_text(nb)
    assert TITLES[lang] in text
    module = CourseModule.from_directory(PACKAGE_DIR)
    assert module.activity_texts("erste-erfahrung", lang)["heading"] in text
    assert module.section_texts("lernraum", lang)["heading"] in text
    assert "Textarea" in text  # the free-text widget was built
    # Participant mode by default: the trainer note stays hidden.
    assert 'class="nc-trainer-note"' not in text



@pytest.mark.slow
def test_voila_serves_a_generated_page_for_the_plugin_module(lernraum_venv: SimpleNamespace) -> None:
    """The plugin ships module data only; `netcourse present` generates and serves its page."""
    import signal
    import time
    import urllib.request

    port = free_port()
    env = dict(lernraum_venv.env, JUPYTER_PATH="")
    log = lernraum_venv.root / "present.log"
    with log.open("wb") as out:  # a file, not a pipe: nobody reads a pipe while the page loads
        proc = subprocess.Popen(
            [str(lernraum_venv.python), "-m", "netcourse", "present", "--self-study", "--port", str(port),
             "--pool-size", "0", "--course-dir", str(REPO / "course")],
            env=env, cwd=lernraum_venv.root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    module = CourseModule.from_directory(PACKAGE_DIR)
    heading = module.section_texts("lernraum", "de")["heading"]
    markers = (json.dumps(heading)[1:-1], heading)
    try:
        url = f"http://127.0.0.1:{port}/voila/render/lernraum.ipynb"
        deadline, body = time.monotonic() + 90, ""
        while time.monotonic() < deadline and not any(m in body for m in markers):
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    # Voila streams the page and keeps it open with heartbeats: read until the text shows
                    while time.monotonic() < deadline and not any(m in body for m in markers):
                        chunk = response.read1(65536).decode("utf-8", "replace")
                        if not chunk:
                            break
                        body += chunk
            except OSError:
                time.sleep(0.5)
        assert any(m in body for m in markers), body[-2000:] + log.read_text(errors="replace")[-2000:]
        assert "lesson.section" not in body  # sources stripped
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
