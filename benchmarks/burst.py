"""B7c burst benchmark: ``--participants`` people open their personal links within ``--ramp`` seconds.

Per round, each on a free loopback port and started fresh (the burst at the start of a session):

* baseline: plain ``voila`` (its defaults: no preheated kernels) serving a one-slider notebook;
* ours: ``netcourse workbooks ROSTER --no-execute`` registers the participants (personal links in
  ``links.csv``: the start page ``00-start.ipynb?p=<token>``), then ``netcourse present --roster-dir …``
  serves them (plus any ``--present-arg``).

Each server is left to settle first (its process tree idle: preheated pools filled), then every participant
is a light client (no browser, so the server and not 30 renderers on the same cores is timed): an HTTP GET
of the page until its HTML is complete, then the page's kernel websocket until the widget states arrive
(``request_states`` on the widget control comm, as the page's JavaScript asks). Time to widgets = from the
GET to every widget the page's HTML displays having its state. A page whose HTML lacks outputs (Voila's
"Timeout waiting for IOPub output") or whose widgets never come counts as failed/incomplete. Servers
alternate within and across rounds (B N, N B, …).

Printed per round and server: time to widgets and time to complete HTML (median, p95), incomplete and
failed pages, IOPub timeouts in the server log, kernels running after the burst; then over all rounds the
medians/p95 and the ratios netcourse/plain Voila (goal ≤ 1.5×).

Run by hand (not part of pytest)::

    python benchmarks/burst.py --participants 30 --ramp 3 --rounds 3
    python benchmarks/burst.py --quick         # smoke test: 3 participants, 1 round
    python benchmarks/burst.py --present-arg=--start-pool=30 --present-arg=--fill-delay=5
    python benchmarks/burst.py --browsers 10  # 10 of the 30 in Chromium
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from _common import (
    CHROMIUM_ARGS,
    HOST,
    SLIDER_NOTEBOOK,
    Server,
    WidgetClient,
    clean_env,
    describe,
    free_port,
    machine,
    netcourse_command,
    p95,
    read_links,
    running,
    write_roster,
)

from processes import cmdline, descendants  # tests/processes.py (on sys.path through _common)


@dataclass
class Visit:
    index: int
    widgets_s: float | None = None
    html_s: float | None = None
    views: int = 0
    missing: int = 0  # widget views in the HTML without a state
    error: str | None = None


@dataclass
class Burst:
    server: str
    round: int
    visits: list[Visit]
    iopub_timeouts: int = 0
    kernels_after: int = 0
    settle_s: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    def ok(self) -> list[Visit]:
        return [v for v in self.visits if v.error is None and v.missing == 0 and v.widgets_s is not None]


def cpu_seconds(pid: int) -> float:
    total = 0.0
    for p in {pid, *descendants(pid)}:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / 100  # utime + stime, clock ticks (100 Hz)
        except (OSError, IndexError, ValueError):
            continue
    return total


def settle(pid: int, max_s: float) -> float:
    """Wait until the server's process tree uses under 10 % of a CPU for 3 s in a row (pools filled)."""
    started, quiet, last = time.monotonic(), 0, cpu_seconds(pid)
    time.sleep(2)
    while time.monotonic() - started < max_s and quiet < 3:
        time.sleep(1)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now - last < 0.1 else 0
        last = now
    return time.monotonic() - started


def kernel_rss_mib(pid: int) -> list[float]:
    """RSS (MiB) of every kernel below the server."""
    sizes = []
    for p in descendants(pid):
        if "ipykernel" in cmdline(p):
            with contextlib.suppress(OSError, AttributeError):
                status = Path(f"/proc/{p}/status").read_text()
                sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)  # type: ignore[union-attr]
    return sizes


async def visit(base_url: str, path: str, delay: float, timeout: float, v: Visit, hold: asyncio.Event) -> None:
    await asyncio.sleep(delay)
    client = WidgetClient(base_url)
    started = time.perf_counter()
    try:
        await client.open(path, timeout)
        views = client.widget_views()
        deadline = time.monotonic() + timeout
        while set(views) - set(client.states) and time.monotonic() < deadline:  # late widgets: ask again
            await asyncio.sleep(0.2)
        v.widgets_s, v.html_s = time.perf_counter() - started, client.html_s
        v.views, v.missing = len(views), len(set(views) - set(client.states))
        if not views:
            v.error = "no widget in the page"
    except Exception as exc:  # noqa: BLE001 - a failed participant is a result
        v.error = f"{type(exc).__name__}: {exc}"
    try:
        await hold.wait()
    finally:
        await client.close()


async def browser_visit(browser: Any, url: str, delay: float, timeout: float, v: Visit,  # noqa: ANN401
                        hold: asyncio.Event) -> None:
    """A participant in a Chromium context: from navigation to the first widget on screen (only loopback
    requests: plain Voila's Font Awesome CDN links would stall offline)."""
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1100, "height": 800}, locale="de-DE")

    async def only_loopback(route: Any) -> None:  # noqa: ANN401 (playwright Route)
        parts = urlsplit(route.request.url)
        await (route.continue_() if parts.scheme in ("data", "blob") or parts.hostname == HOST else route.abort())

    await context.route("**/*", only_loopback)
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
        await page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=timeout * 1000)
        v.widgets_s, v.views = time.perf_counter() - started, 1
    except Exception as exc:  # noqa: BLE001 - a failed participant is a result
        v.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    try:
        await hold.wait()
    finally:
        await context.close()


async def burst(server: Server, paths: list[str], args: argparse.Namespace, number: int,
                browser: Any = None) -> Burst:  # noqa: ANN401
    assert server.process is not None
    settle_s = settle(server.process.pid, args.settle_max)
    pool = kernel_rss_mib(server.process.pid)
    visits = [Visit(i) for i in range(len(paths))]
    hold = asyncio.Event()
    delays = [args.ramp * i / len(paths) for i in range(len(paths))]
    tasks = [asyncio.create_task(
        browser_visit(browser, server.base_url + p, d, args.timeout, v, hold) if v.index < args.browsers
        else visit(server.base_url, p, d, args.timeout, v, hold))
        for p, d, v in zip(paths, delays, visits, strict=True)]
    while not all(v.widgets_s is not None or v.error for v in visits):
        await asyncio.sleep(0.2)
    kernels = len(kernel_rss_mib(server.process.pid))
    hold.set()
    await asyncio.gather(*tasks)
    log = server.log.read_text(errors="replace")
    return Burst(server.name, number, visits, log.count("Timeout waiting for IOPub output"), kernels, settle_s,
                 {"pool_kernels": len(pool), "pool_rss_mib": statistics.median(pool) if pool else 0.0})


def baseline_server(workdir: Path, args: argparse.Namespace) -> tuple[Server, list[str]]:
    notebook = workdir / "slider.ipynb"
    notebook.write_text(json.dumps(SLIDER_NOTEBOOK), encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "voila", str(notebook), f"--port={port}", f"--Voila.ip={HOST}", "--no-browser",
               f"--MappingKernelManager.cull_idle_timeout={args.cull_idle}",
               f"--MappingKernelManager.cull_interval={max(5, args.cull_idle // 4)}"]
    return Server("voila", command, clean_env(workdir), port, workdir / "voila.log"), [""] * args.participants


def netcourse_server(workdir: Path, args: argparse.Namespace, number: int) -> tuple[Server, list[str]]:
    roster, out, store = workdir / "roster.csv", workdir / f"build{number}", workdir / f"session{number}.sqlite"
    write_roster(roster, args.participants)
    port, env = free_port(), clean_env(workdir)
    subprocess.run([*netcourse_command(), "workbooks", str(roster), "--out", str(out), "--no-execute",
                    "--base-url", f"http://{HOST}:{port}", "--store", str(store)],
                   env=env, cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    links = read_links(out / "links.csv")
    command = [*netcourse_command(), "present", "--host", HOST, "--port", str(port), "--roster-dir", str(out),
               "--store", str(store), "--cull-idle", str(args.cull_idle), *args.present_arg]
    return Server("netcourse", command, env, port, workdir / f"present{number}.log"), \
        [link.split("/", 3)[3] for link in links]


def line(b: Burst) -> str:
    ok = b.ok()
    browsers = [v.widgets_s for v in ok if v.html_s is None]  # Chromium participants: no HTML timing
    return (f"round {b.round} {b.server:<9} widgets {describe([v.widgets_s for v in ok])}\n"
            + (f"        light clients   {describe([v.widgets_s for v in ok if v.html_s is not None])}\n"
               f"        in Chromium     {describe(browsers)}\n" if browsers else "") +
            f"                  html    {describe([v.html_s for v in ok if v.html_s])}\n"
            f"                  views/page {statistics.median([v.views for v in b.visits]):.0f}, incomplete "
            f"{sum(v.missing > 0 for v in b.visits)}, failed {sum(v.error is not None for v in b.visits)}, "
            f"IOPub timeouts {b.iopub_timeouts}, kernels after {b.kernels_after}, settled in {b.settle_s:.0f} s; "
            f"before the burst {b.extra['pool_kernels']:.0f} kernels of {b.extra['pool_rss_mib']:.0f} MiB RSS each"
            + "".join(f"\n                  participant {v.index}: {v.error}" for v in b.visits if v.error)[:1200])


async def main_async(args: argparse.Namespace) -> list[Burst]:
    if not args.browsers:
        return await run_rounds(args, None)
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        try:
            return await run_rounds(args, browser)
        finally:
            await browser.close()


async def run_rounds(args: argparse.Namespace, browser: Any) -> list[Burst]:  # noqa: ANN401
    results: list[Burst] = []
    with tempfile.TemporaryDirectory(prefix="nc-burst-bench-") as tmp:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for number in range(1, args.rounds + 1):
            order = ["voila", "netcourse"] if number % 2 else ["netcourse", "voila"]
            for name in order:
                server, paths = (baseline_server(workdir, args) if name == "voila"
                                 else netcourse_server(workdir, args, number))
                with running(server, args.timeout):
                    results.append(await burst(server, paths, args, number, browser))
                print(line(results[-1]), flush=True)
    return results


def summary(results: list[Burst]) -> None:
    print("all rounds:")
    figures = {}
    for name in ("voila", "netcourse"):
        mine = [b for b in results if b.server == name]
        widgets = [v.widgets_s for b in mine for v in b.ok()]
        figures[name] = (statistics.median(widgets), p95(widgets)) if widgets else (float("nan"),) * 2
        print(f"  {name:<9} widgets {describe(widgets)}  not complete "
              f"{sum(len(b.visits) - len(b.ok()) for b in mine)} of {sum(len(b.visits) for b in mine)}")
    (vm, vp), (nm, np_) = figures["voila"], figures["netcourse"]
    per_round = [statistics.median([v.widgets_s for v in n.ok()]) / statistics.median([v.widgets_s for v in b.ok()])
                 for b, n in zip([b for b in results if b.server == "voila"],
                                 [b for b in results if b.server == "netcourse"], strict=True) if b.ok() and n.ok()]
    print(f"  ratio netcourse/voila: median {nm / vm:.2f}x, p95 {np_ / vp:.2f}x "
          f"(median ratio per round: {', '.join(f'{r:.2f}' for r in per_round)}); goal <= 1.5x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\nRun by hand")[0].replace("``", "'"),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=30, help="participants in the burst (30)")
    parser.add_argument("--ramp", type=float, default=3.0, help="arrivals spread over this many seconds (3)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, servers alternating (3)")
    parser.add_argument("--cull-idle", type=int, default=120, help="idle culling for both servers (120 s)")
    parser.add_argument("--present-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for 'netcourse present' (repeatable), e.g. --present-arg=--pool-size=4")
    parser.add_argument("--settle-max", type=float, default=240, help="max seconds to wait for an idle server (240)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for a server or a page (300)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (server logs, stores)")
    parser.add_argument("--browsers", type=int, default=0, metavar="N",
                        help="the first N participants open their page in Chromium contexts (time to the first widget "
                             "on screen; the browsers share the server's CPUs), the others as light clients (0)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium binary (/usr/bin/chromium)")
    parser.add_argument("--quick", action="store_true", help="smoke test: 3 participants, 1 round")
    args = parser.parse_args(argv)
    if args.quick:
        args.participants, args.rounds, args.ramp = 3, 1, 0.5
    print(f"burst benchmark: {args.participants} participants ({args.browsers} in Chromium) within "
          f"{args.ramp:.0f} s, {args.rounds} rounds, present {' '.join(args.present_arg) or '(defaults)'}; "
          f"{machine()}", flush=True)
    results = asyncio.run(main_async(args))
    summary(results)
    return 0 if all(len(b.ok()) == len(b.visits) for b in results) else 1


if __name__ == "__main__":
    sys.exit(main())
