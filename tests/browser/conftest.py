"""Browser fixtures: Debian's Chromium driven by pytest-playwright, and a real ``netcourse present`` server.

Everything under ``tests/browser`` is marked ``browser`` (deselect with ``-m "not browser"``). The server
runs in its own process group with its own answer store, data folder and Jupyter config, bound to
127.0.0.1 only; teardown kills the group and checks that neither Voila nor a kernel it started survives.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("NETCOURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
HOST = "127.0.0.1"
PAGE = "voila/render/01-grundmerkmale.ipynb"
PARTICIPANT = "browser-test"
START_TIMEOUT_S = 60.0
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# Chromium ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Use the system Chromium (Playwright's own download is not installed), headless unless --headed."""
    if not CHROMIUM.exists():
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


# the server -------------------------------------------------------------------------------------
@dataclass
class VoilaServer:
    """A running ``netcourse present``: where to reach it and where it stores answers."""

    base_url: str
    store: Path
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def page_url(self) -> str:
        return self.base_url + PAGE


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def port_answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
        return True
    return False


def child_pids(pid: int) -> set[int]:
    """Direct children of ``pid`` (the kernels Voila started), read from /proc."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.add(int(stat.parent.name))
    return children


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has finished
    return True


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(check: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


@contextlib.contextmanager
def run_present(workdir: Path, *extra: str) -> Iterator[VoilaServer]:
    """Run ``netcourse present`` (plus ``extra`` options) until the block ends."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    store = workdir / "answers.sqlite"
    log = workdir / "present.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NETCOURSE_", "JUPYTER_", "VOILA_"))}
    env.update(
        NETCOURSE_STORE=str(store), NETCOURSE_PARTICIPANT=PARTICIPANT, XDG_DATA_HOME=str(workdir / "data"),
        JUPYTER_CONFIG_DIR=str(workdir / "jupyter-config"), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
    )
    script = Path(sys.executable).with_name("netcourse")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "netcourse"]
    command += ["present", "--host", HOST, "--port", str(port), "--cull-idle", "10", *extra]
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
        yield VoilaServer(f"http://{HOST}:{port}/", store, log, process)
        kernels = child_pids(process.pid)
    finally:
        stop_group(process)
    assert not alive(process.pid), "Voila still runs after teardown"
    assert not group_alive(process.pid), f"process group {process.pid} still has members after teardown"
    assert wait_until(lambda: not any(alive(k) for k in kernels), 10), f"kernels left running: {kernels}"


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group (Voila shuts its kernels down), SIGKILL after 10 s."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
            return


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """``netcourse present`` in participant mode for the whole browser session."""
    with run_present(tmp_path_factory.mktemp("present")) as server:
        yield server


@pytest.fixture
def present_server(tmp_path: Path) -> Callable[..., contextlib.AbstractContextManager[VoilaServer]]:
    """Factory for a server with other options, e.g. ``with present_server("--trainer") as server:``."""
    return lambda *extra: run_present(tmp_path / "present", *extra)
