"""Page-load benchmark: the Grundmerkmale page under ``netcourse present`` against plain Voila.

Starts, in one run and each on a free loopback port,

* baseline: plain ``voila`` on a temporary notebook holding one ``IntSlider``;
* ours:     ``netcourse present`` on the course folder (template, CSS, store, three exercises, chart);

then loads each page ``--runs`` times in Chromium (a fresh browser context per load, so no HTTP cache;
loads of the two servers alternate) and measures from navigation start until the first widget is
visible (``.widget-slider`` for the baseline, ``.nc-exercise`` for ours). Prints min/median/max per
server and the ratio of the medians. Requests beyond 127.0.0.1 (plain Voila's Font Awesome CDN links)
are aborted so an offline machine does not stall the baseline. Both servers cull idle kernels after
10 s, so repeated loads do not pile up kernels.

Run by hand (not part of pytest)::

    python benchmarks/page_load.py --runs 5
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from _common import CHROMIUM_ARGS, HOST, REPO, SLIDER_NOTEBOOK, free_port
from playwright.sync_api import Browser, sync_playwright


@dataclass
class Target:
    name: str
    command: list[str]
    path: str          # page path below the server root
    selector: str      # first widget that counts as "visible"
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    start_s: float = 0.0
    times_s: list[float] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/{self.path}"


def wait_for_port(target: Target, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert target.process is not None
        if target.process.poll() is not None:
            raise SystemExit(f"{target.name}: server exited with {target.process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, target.port), timeout=0.5):
            return
        time.sleep(0.05)
    raise SystemExit(f"{target.name}: no answer on port {target.port} after {timeout:.0f} s")


@contextlib.contextmanager
def running(targets: list[Target], workdir: Path, timeout: float) -> Iterator[None]:
    """Start every server in its own process group; stop the groups afterwards."""
    try:
        for target in targets:
            log = (workdir / f"{target.name}.log").open("wb")
            started = time.perf_counter()
            target.process = subprocess.Popen(target.command, env=target.env, cwd=workdir, stdout=log,
                                              stderr=subprocess.STDOUT, start_new_session=True)
            wait_for_port(target, timeout)
            target.start_s = time.perf_counter() - started
        yield
    finally:
        for target in targets:
            if target.process is None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(target.process.pid, signal.SIGTERM)
            try:
                target.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(target.process.pid, signal.SIGKILL)
                target.process.wait(timeout=5)


def load_once(browser: Browser, target: Target, timeout_ms: float) -> float:
    """Seconds from navigation start to the first widget visible, in a fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        def only_loopback(route) -> None:  # noqa: ANN001 (playwright Route)
            url = route.request.url
            if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname == HOST:
                route.continue_()
            else:
                target.blocked.add(url.split("?")[0])
                route.abort()

        context.route("**/*", only_loopback)
        page = context.new_page()
        started = time.perf_counter()
        page.goto(target.url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_selector(target.selector, state="visible", timeout=timeout_ms)
        return time.perf_counter() - started
    finally:
        context.close()


def make_targets(workdir: Path, course_dir: Path) -> list[Target]:
    notebook = workdir / "slider.ipynb"
    notebook.write_text(json.dumps(SLIDER_NOTEBOOK), encoding="utf-8")
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("NETCOURSE_", "JUPYTER_", "VOILA_"))}
    base_env.update(JUPYTER_CONFIG_DIR=str(workdir / "jupyter-config"),
                    JUPYTER_RUNTIME_DIR=str(workdir / "rt"), XDG_DATA_HOME=str(workdir / "data"),
                    PYDEVD_DISABLE_FILE_VALIDATION="1")
    ours_env = dict(base_env, NETCOURSE_STORE=str(workdir / "answers.sqlite"))
    baseline = Target("baseline", [], "", ".widget-slider", base_env)
    ours = Target("netcourse", [], "voila/render/01-grundmerkmale.ipynb", ".nc-exercise", ours_env)
    baseline.port, ours.port = free_port(), free_port()
    baseline.command = [
        sys.executable, "-m", "voila", str(notebook), f"--port={baseline.port}", f"--Voila.ip={HOST}",
        "--no-browser", "--MappingKernelManager.cull_idle_timeout=10",
        "--MappingKernelManager.cull_interval=5",
    ]
    script = Path(sys.executable).with_name("netcourse")
    ours.command = [*([str(script)] if script.exists() else [sys.executable, "-m", "netcourse"]),
                    "present", "--self-study", "--host", HOST, f"--port={ours.port}", "--cull-idle", "10",
                    "--course-dir", str(course_dir)]
    return [baseline, ours]


def summary(target: Target) -> str:
    t = target.times_s
    return (f"{target.name:<10} start {target.start_s:5.2f} s | load n={len(t)} min {min(t):5.2f} s "
            f"median {statistics.median(t):5.2f} s max {max(t):5.2f} s  (first widget: {target.selector})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\nRun by hand")[0].replace("``", "'"),
        epilog="Example: python benchmarks/page_load.py --runs 5",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=5, help="timed loads per server (default: 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed loads per server first (default: 1)")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds to wait for a server or a page (default: 60)")
    parser.add_argument("--chromium", default="/usr/bin/chromium",
                        help="Chromium binary (default: /usr/bin/chromium)")
    parser.add_argument("--course-dir", type=Path, default=REPO / "course",
                        help="course folder (default: the repository's course/)")
    parser.add_argument("--headed", action="store_true", help="show the browser window")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="nc-bench-") as tmp:
        workdir = Path(tmp)
        targets = make_targets(workdir, args.course_dir.resolve())
        with running(targets, workdir, args.timeout), sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, headless=not args.headed,
                                         args=CHROMIUM_ARGS)
            try:
                for _ in range(args.warmup):
                    for target in targets:
                        load_once(browser, target, args.timeout * 1000)
                for run in range(args.runs):
                    for target in (targets if run % 2 == 0 else targets[::-1]):
                        target.times_s.append(load_once(browser, target, args.timeout * 1000))
            finally:
                browser.close()

    baseline, ours = targets
    print(f"page load to first widget visible, {args.runs} runs (+{args.warmup} warm-up), fresh context each")
    for target in targets:
        print(summary(target))
        if target.blocked:
            print(f"{'':<10} aborted outside requests: {', '.join(sorted(target.blocked))}")
    ratio = statistics.median(ours.times_s) / statistics.median(baseline.times_s)
    print(f"ratio netcourse/baseline (medians): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
