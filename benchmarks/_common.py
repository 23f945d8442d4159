"""Helpers the benchmarks share: servers on free loopback ports, a clean environment, figures, and a light
participant (:class:`WidgetClient`: HTTP GET of a Voila page + its kernel websocket, no browser).

Benchmarks are scripts (``python benchmarks/<name>.py``), so this folder is on ``sys.path`` and they import
``from _common import …``. ``free_port`` is the tests' own (``tests/processes.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from processes import HOST, free_port  # noqa: E402  (tests/processes.py)

__all__ = ["CHROMIUM_ARGS", "HOST", "REPO", "SLIDER_NOTEBOOK", "Server", "WidgetClient", "clean_env", "describe",
           "free_port", "kernels", "machine", "netcourse_command", "p95", "read_links", "rss", "running",
           "write_roster"]

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
]
SLIDER_NOTEBOOK = {
    "cells": [{
        "cell_type": "code", "execution_count": None, "id": "slider", "metadata": {}, "outputs": [],
        "source": ["import ipywidgets as widgets\n",
                   "widgets.IntSlider(value=3, min=1, max=5, description='Wert')"],
    }],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


# servers ------------------------------------------------------------------------------------------
@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/"


def clean_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NETCOURSE_", "JUPYTER_", "VOILA_"))}
    env.update(JUPYTER_CONFIG_DIR=str(workdir / "jupyter-config"), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
               XDG_DATA_HOME=str(workdir / "data"), XDG_CACHE_HOME=str(workdir / "cache"),
               PYDEVD_DISABLE_FILE_VALIDATION="1", PYTHONUNBUFFERED="1")
    return env


def netcourse_command() -> list[str]:
    script = Path(sys.executable).with_name("netcourse")
    return [str(script)] if script.exists() else [sys.executable, "-m", "netcourse"]


@contextlib.contextmanager
def running(server: Server, timeout: float) -> Iterator[Server]:
    """Start the server in its own process group; stop the group afterwards."""
    with server.log.open("wb") as out:
        server.process = subprocess.Popen(server.command, env=server.env, cwd=server.log.parent, stdout=out,
                                          stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.process.poll() is not None:
                raise SystemExit(f"{server.name}: exited with {server.process.returncode}:\n"
                                 + server.log.read_text(errors="replace")[-2000:])
            with contextlib.suppress(OSError), socket.create_connection((HOST, server.port), timeout=0.5):
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"{server.name}: no answer on port {server.port} after {timeout:.0f} s")
            time.sleep(0.1)
        yield server
    finally:
        for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.process.wait(timeout=grace)
                break


# processes ---------------------------------------------------------------------------------------
def kernels(server_pid: int) -> dict[str, tuple[int, int]]:
    """Kernel id → (pid, RSS in bytes) for every ipykernel child of the server (psutil, else /proc)."""
    found = {}
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        with contextlib.suppress(psutil.NoSuchProcess):
            for child in psutil.Process(server_pid).children():
                with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                    match = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(child.cmdline()))
                    if match and child.status() != psutil.STATUS_ZOMBIE:
                        found[match.group(1)] = (child.pid, child.memory_info().rss)
        return found
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != server_pid or fields[0] == "Z":
                continue
            cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            match = re.search(r"kernel-([0-9a-f-]{36})\.json", cmd)
            if match:
                status = (stat.parent / "status").read_text()
                rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
                found[match.group(1)] = (int(stat.parent.name), rss_kb * 1024)
    return found


def rss(pid: int) -> int:
    with contextlib.suppress(OSError, AttributeError):
        return int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1)) * 1024  # type: ignore[union-attr]
    return 0



# rosters ------------------------------------------------------------------------------------------
def write_roster(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Name", "Kommune", "Gruppe", "E-Mail"])
        for i in range(1, count + 1):
            writer.writerow([f"Testperson {i:02d}", f"Benchstadt {1 + i % 5}", "", ""])


def read_links(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row[3] for row in list(csv.reader(handle, delimiter=";"))[1:]]


# figures -----------------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]


def describe(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    if not values:
        return "no values"
    v = [x * scale for x in values]
    return (f"n={len(v):3d} median {statistics.median(v):7.2f} {unit}  p95 {p95(v):7.2f} {unit}  "
            f"min {min(v):7.2f} {unit}  max {max(v):7.2f} {unit}")


def machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, Python {sys.version.split()[0]}"


# the websocket side: a participant without a browser ------------------------------------------------
class WidgetClient:
    """Speaks the Jupyter widget protocol on a page's kernel websocket, as the page's JavaScript would.

    GET the page (Voila starts or hands over a kernel and runs the notebook while it streams the HTML), then
    connect to ``/api/kernels/<id>/channels``, ask the widget control comm for every widget's state, and
    set values / press buttons with comm messages. Only message types Voila lets through are used
    (comm_open, comm_msg).
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = uuid.uuid4().hex
        self.states: dict[str, dict] = {}
        self.socket = None
        self.kernel_id = ""
        self.html = ""
        self.html_s = 0.0  # seconds until the page's HTML was complete
        self.updates: asyncio.Queue[tuple[str, dict]] = asyncio.Queue()
        self._reader: asyncio.Task[None] | None = None

    def message(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        header = {"msg_id": uuid.uuid4().hex, "username": "bench", "session": self.session, "msg_type": msg_type,
                  "version": "5.3", "date": datetime.now().astimezone().isoformat()}
        return json.dumps({"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content,
                           "channel": "shell", "buffers": []})

    async def open(self, path: str, timeout: float) -> None:
        import websockets

        started = time.perf_counter()
        self.html = await asyncio.wait_for(asyncio.to_thread(self._get, self.base_url + path, timeout), timeout)
        self.html_s = time.perf_counter() - started
        match = re.search(r'kernelId": "([0-9a-f-]{36})"', self.html)
        if not match:
            raise RuntimeError("no kernel id in the page")
        self.kernel_id = match.group(1)
        parts = urlsplit(self.base_url)
        url = f"ws://{parts.hostname}:{parts.port}/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        self.socket = await websockets.connect(url, max_size=None, open_timeout=timeout, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        control = uuid.uuid4().hex
        await self.socket.send(self.message("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                                          "data": {}}, {"version": "1.0.0"}))
        await self.socket.send(self.message("comm_msg", {"comm_id": control, "data": {"method": "request_states"}},
                                            {"version": "1.0.0"}))
        while not self.states:
            comm_id, data = await asyncio.wait_for(self.updates.get(), timeout)
            if data.get("method") == "update_states":
                self.states = {mid: dict(v.get("state", {}), _model_name=v.get("model_name", ""))
                               for mid, v in data["states"].items()}

    def widget_views(self) -> list[str]:
        """Model ids of the widgets the page's HTML displays (its ``application/vnd.jupyter.widget-view+json``
        outputs): what the browser would render."""
        return re.findall(r'widget-view\+json"?[^{]*\{[^}]*?"model_id":\s*"([0-9a-f]{32})"', self.html)

    @staticmethod
    def _get(url: str, timeout: float) -> str:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.read().decode("utf-8", errors="replace")

    async def _read(self) -> None:
        assert self.socket is not None
        async for raw in self.socket:
            if isinstance(raw, bytes):
                continue
            msg = json.loads(raw)
            if msg.get("msg_type", msg.get("header", {}).get("msg_type")) == "comm_msg":
                content = msg.get("content", {})
                await self.updates.put((content.get("comm_id", ""), content.get("data", {})))

    def find(self, model: str, **match: str) -> str:
        for model_id, state in self.states.items():
            if state.get("_model_name") == model and all(state.get(k) == v for k, v in match.items()):
                return model_id
        raise LookupError(f"no {model} with {match}")

    async def set_value(self, model_id: str, value: str) -> None:
        assert self.socket is not None
        await self.socket.send(self.message("comm_msg", {"comm_id": model_id, "data": {
            "method": "update", "state": {"value": value}, "buffer_paths": []}}))

    async def click(self, model_id: str) -> None:
        assert self.socket is not None
        await self.socket.send(self.message("comm_msg", {"comm_id": model_id, "data": {
            "method": "custom", "content": {"event": "click"}}}))

    async def wait_for_value(self, model_id: str, fragment: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            comm_id, data = await asyncio.wait_for(self.updates.get(), max(0.01, deadline - time.monotonic()))
            value = (data.get("state") or {}).get("value")
            if comm_id == model_id and isinstance(value, str) and fragment in value:
                return

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            self._reader.cancel()
