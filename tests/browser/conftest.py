"""Browser fixtures: Debian's Chromium driven by pytest-playwright, and real ``netcourse present`` servers.

Everything under ``tests/browser`` is marked ``browser`` (deselect with ``-m "not browser"``). Each server
runs in its own process group with its own data folder ($XDG_DATA_HOME), answer store and Jupyter config,
bound to 127.0.0.1 on a free port; teardown stops the group and checks that neither Voila nor a kernel it
started survives.

Servers (started once and shared, because each start preheats kernels on a 2-core machine):

* ``self_study_server`` (per module): ``netcourse present --self-study``, the self-learner id pre-written;
* ``demo_server`` (per session): ``netcourse present --trainer`` with the bundled sample roster (16 fictional
  participants, personal links in ``demo-links.csv``), serving a fresh copy of ``course/`` that also holds
  decoy private files (a roster and a links file) so the HTTP tests can check they are never served;
* ``present_server``: a factory for one-off servers with other options (``--lang en``, culling, ...).

Screenshots for the docs are written only when ``NETCOURSE_SCREENSHOT_DIR`` is set, e.g.
``NETCOURSE_SCREENSHOT_DIR=docs/screenshots pytest tests/browser``.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.processes import HOST, alive, child_pids, cmdline, free_port, group_alive, port_answers, wait_until

from netcourse.core.participants import TRAIT_LABELS

CHROMIUM = Path(os.environ.get("NETCOURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
SELF_LEARNER = "browser-test"
START_TIMEOUT_S = 60.0
LOAD_TIMEOUT_MS = 60_000
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
COURSE = REPO / "course"
SCREENSHOT_ENV = "NETCOURSE_SCREENSHOT_DIR"
# Private files an organiser might leave beside the notebooks: they must never be served.
DECOY_LINKS = "Name;Kommune;Gruppe;Persönlicher Link\nDecoy Person;Nirgendwo;tausch;DECOY-LINK-SECRET\n"
DECOY_ROSTER = "Name;Kommune;Gruppe;E-Mail\nDecoy Person;Nirgendwo;Tausch;decoy-roster-secret@example.org\n"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# Chromium ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Use the system Chromium (Playwright's own download is not installed), headless unless --headed."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):  # CI installs Chromium: a missing browser there is a failure, not a skip
            pytest.fail(f"{CHROMIUM} not found on CI: .ci/run must install it (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium (or set NETCOURSE_CHROMIUM)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": browser_type_launch_args.get("headless", True),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "de-DE", "viewport": {"width": 1280, "height": 900}}


# the servers ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoLink:
    """One row of ``demo-links.csv``: a fictional participant, their group and personal link."""

    name: str
    municipality: str
    group_label: str  # as written in the file, e.g. "Tausch"
    url: str

    @property
    def group(self) -> str:
        """The group's id (``tausch`` …), whether the file holds ids or labels."""
        by_label = {label.casefold(): trait for trait, label in TRAIT_LABELS.items()}
        return by_label.get(self.group_label.casefold(), self.group_label.casefold())

    @property
    def token(self) -> str:
        return self.url.split("?p=", 1)[1]


@dataclass
class VoilaServer:
    """A running ``netcourse present``: where to reach it, its store, data folder and secrets."""

    base_url: str
    workdir: Path
    data_dir: Path  # $XDG_DATA_HOME/netcourse
    course_dir: Path
    store: Path
    log: Path
    process: subprocess.Popen[bytes]
    trainer_key: str | None = None
    links_file: Path | None = None
    _links: list[DemoLink] = field(default_factory=list)

    @property
    def served_dir(self) -> Path:
        """The folder Voila serves (``present`` builds it from the course folder): from Voila's command line."""
        args = Path(f"/proc/{self.process.pid}/cmdline").read_bytes().decode().split("\0")
        folders = [Path(a) for a in args if a.startswith("/") and Path(a).is_dir()]
        assert folders, f"no served folder in {args}"
        return folders[0]

    def url(self, notebook: str = "01-grundmerkmale.ipynb", **query: str) -> str:
        return f"{self.base_url}voila/render/{notebook}" + (f"?{urlencode(query)}" if query else "")

    @property
    def links(self) -> list[DemoLink]:
        """The personal links written by the server (demo roster or --roster-dir)."""
        if not self._links:
            assert self.links_file is not None, "this server has no personal links"
            with self.links_file.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.reader(handle, delimiter=";"))[1:]
            self._links = [DemoLink(*row[:4]) for row in rows]
        return self._links

    def link(self, group: str | None = None, index: int = 0) -> DemoLink:
        """The ``index``-th link (of ``group``, if given)."""
        return [link for link in self.links if group is None or link.group == group][index]

    def participant_url(self, notebook: str, link: DemoLink) -> str:
        return self.url(notebook, p=link.token)

    def trainer_url(self, notebook: str = "03-gruppenarbeit.ipynb") -> str:
        assert self.trainer_key, "server started without --trainer"
        return self.url(notebook, trainer=self.trainer_key)

    def kernel_pids(self) -> set[int]:
        """The kernels Voila runs now (its python children started through ipykernel)."""
        return {pid for pid in child_pids(self.process.pid) if alive(pid) and "ipykernel" in cmdline(pid)}

    def row_counts(self) -> dict[str, int]:
        """Rows per table of the answer store, read directly from the SQLite file."""
        if not self.store.exists():
            return {}
        conn = sqlite3.connect(f"file:{self.store}?mode=ro", uri=True, timeout=15)
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            conn.close()

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def copy_course(target: Path) -> Path:
    """A fresh copy of ``course/`` (the notebooks only) plus decoy private files beside them."""
    target.mkdir(parents=True, exist_ok=True)
    for notebook in COURSE.glob("*.ipynb"):
        shutil.copy2(notebook, target / notebook.name)
    (target / "links.csv").write_text(DECOY_LINKS, encoding="utf-8")
    (target / "teilnehmende.csv").write_text(DECOY_ROSTER, encoding="utf-8")
    return target


def banner_value(text: str, pattern: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1).strip() if match else None


@contextlib.contextmanager
def run_present(workdir: Path, *extra: str, self_learner: str | None = None,
                course_dir: Path | None = None, python: Path | None = None) -> Iterator[VoilaServer]:
    """Run ``netcourse present`` (plus ``extra`` options) until the block ends; with ``python``, the
    ``netcourse`` of that interpreter (e.g. a venv with a plugin installed)."""
    workdir.mkdir(parents=True, exist_ok=True)
    data_home = workdir / "data"
    data_dir = data_home / "netcourse"
    if self_learner:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "self-learner-id").write_text(self_learner, encoding="ascii")
    port = free_port()
    log = workdir / "present.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NETCOURSE_", "JUPYTER_", "VOILA_"))}
    env.update(XDG_DATA_HOME=str(data_home), XDG_CACHE_HOME=str(workdir / "cache"),
               JUPYTER_CONFIG_DIR=str(workdir / "jupyter-config"),
               JUPYTER_RUNTIME_DIR=str(workdir / "runtime"), PYTHONUNBUFFERED="1")
    script = Path(sys.executable).with_name("netcourse")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "netcourse"]
    if python is not None:
        command = [str(python), "-m", "netcourse"]
    course = course_dir or COURSE
    command += ["present", "--host", HOST, "--port", str(port), "--course-dir", str(course), *extra]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    kernels: set[int] = set()
    try:
        if not wait_until(lambda: process.poll() is not None or port_answers(port), START_TIMEOUT_S):
            pytest.fail(f"netcourse present did not answer on port {port} within {START_TIMEOUT_S:.0f} s:\n"
                        + log.read_text(errors="replace")[-3000:])
        if process.poll() is not None:
            pytest.fail(f"netcourse present exited with {process.returncode}:\n"
                        + log.read_text(errors="replace")[-3000:])
        text = log.read_text(encoding="utf-8", errors="replace")
        store = banner_value(text, r"(?:Antworten|Answers): (.+)")  # the banner follows --lang
        links = banner_value(text, r"(?:Teilnehmenden|participants) in (.+)")
        key = banner_value(text, r"\?trainer=([A-Za-z0-9_-]+)")
        assert store, f"no store in the banner:\n{text[:2000]}"
        server = VoilaServer(f"http://{HOST}:{port}/", workdir, data_dir, course, Path(store), log, process,
                             trainer_key=key, links_file=Path(links) if links else None)
        yield server
        kernels = child_pids(process.pid)
    finally:
        kernels |= child_pids(process.pid)
        stop_group(process)
        survivors = {k for k in kernels if alive(k) and not wait_until(lambda k=k: not alive(k), 10)}
        for pid in survivors:  # never leave a kernel behind, even when the check below fails
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert not alive(process.pid), "Voila still runs after teardown"
    assert not group_alive(process.pid), f"process group {process.pid} still has members after teardown"
    assert not survivors, f"kernels left running after Voila stopped: {survivors}"


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group (Voila shuts its kernels down), SIGKILL after 10 s."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
            return


@pytest.fixture(scope="module")
def self_study_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """``netcourse present --self-study`` for the local self-learner ``browser-test`` (no preheated pool:
    on two cores starting eight pool kernels costs more than it saves here)."""
    with run_present(tmp_path_factory.mktemp("self-study"), "--self-study", "--pool-size", "0",
                     self_learner=SELF_LEARNER) as server:
        yield server


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """``netcourse present --trainer``: the demo session (sample roster, personal links, trainer key)."""
    workdir = tmp_path_factory.mktemp("demo")
    with run_present(workdir, "--trainer", course_dir=copy_course(workdir / "course")) as server:
        assert server.trainer_key and server.links_file, server.log_text()[:2000]
        yield server


@pytest.fixture
def present_server(tmp_path: Path) -> Callable[..., contextlib.AbstractContextManager[VoilaServer]]:
    """Factory for a server with other options, e.g. ``with present_server("--lang", "en") as server:``."""
    numbers = itertools.count(1)
    return lambda *extra, **kwargs: run_present(tmp_path / f"present-{next(numbers)}", *extra, **kwargs)


# pages ------------------------------------------------------------------------------------------
@dataclass
class LoadedPage:
    """A page with every request (and websocket) it made."""

    page: Page
    requests: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != HOST]


def track(page: Page) -> LoadedPage:
    loaded = LoadedPage(page)
    page.on("request", lambda request: loaded.requests.append(request.url))
    page.on("websocket", lambda socket: loaded.requests.append(socket.url))
    return loaded


def new_context(browser: Browser, browser_context_args: dict[str, Any], **extra: Any) -> BrowserContext:
    return browser.new_context(**{**browser_context_args, **extra})


def wait_rendered(page: Page, exercises: int | None = None, timeout_ms: float = LOAD_TIMEOUT_MS) -> None:
    """Until Voila has executed every cell (the page shows its h1) and ``exercises`` widgets are on screen."""
    expect(page.locator("#rendered_cells h1").first).to_be_visible(timeout=timeout_ms)
    if exercises is not None:
        expect(page.locator(".nc-exercise")).to_have_count(exercises, timeout=timeout_ms)
        if exercises:
            expect(page.locator(".nc-exercise .nc-save").last).to_be_visible(timeout=timeout_ms)
    settle(page)


def settle(page: Page) -> None:
    """Two animation frames: layout and the template's accessibility script (30 ms debounce) have run."""
    page.wait_for_timeout(60)
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def screenshot_dir() -> Path | None:
    value = os.environ.get(SCREENSHOT_ENV)
    return Path(value) if value else None


def save_full_page(page: Page, path: Path) -> None:
    """Voila scrolls inside #rendered_cells: grow the viewport to its full height, then shoot."""
    height = page.evaluate("document.getElementById('rendered_cells').scrollHeight")
    width = page.viewport_size["width"] if page.viewport_size else 1280
    page.set_viewport_size({"width": width, "height": int(height) + 8})
    page.mouse.move(0, 0)  # no hover highlight in the picture
    settle(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def visible_code_problems(page: Page) -> list[str]:
    """What a participant must never see: code inputs, prompts, tracebacks, error outputs."""
    problems = []
    if page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea .cm-editor, .jp-InputPrompt").count():
        problems.append("code input area")
    for area in page.locator(".jp-InputArea").all():  # only markdown cells keep an input area
        if area.is_visible() and area.locator(".jp-RenderedMarkdown").count() != 1:
            problems.append("visible input area")
    if page.locator("[data-mime-type='application/vnd.jupyter.stderr'], .jp-OutputArea-error").count():
        problems.append("stderr or error output")
    text = page.locator("body").inner_text()
    problems += [f"text {code!r}" for code in ("from netcourse", "lesson.", "Lesson(", "StartPage(",
                                                "Traceback", "Error:", "File \"") if code in text]
    return problems
