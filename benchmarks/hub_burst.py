"""B7d: participants open their personal hub links in a burst; JupyterHub spawns a Voila server for each.

In one run, on free loopback ports, with ``--participants`` Chromium contexts (arrivals within ``--ramp``
seconds):

1. baseline: one plain ``voila`` process on a one-slider notebook; time from navigation to the slider;
2. the hub: a throw-away PostgreSQL cluster holds one run with ``--participants`` people (``netcourse
   workbooks --run``); ``netcourse hub config --local`` writes the configuration, ``jupyterhub`` runs it
   (configurable-http-proxy, SimpleLocalProcessSpawner, one Voila server per person). Each participant opens
   their hub link (``/hub/netcourse-login?run=…&key=…``): login, spawn, OAuth, Voila. Time from navigation to
   the first widget of their start page, spawn included.

Printed: median and p95 for both, their ratio, failures, and the hub's memory with every server running.
Chromium renders all pages on the same cores as the servers, so absolute times include the browsers' work.

Run by hand (not part of pytest; needs ``npm install -g configurable-http-proxy``)::

    python benchmarks/hub_burst.py --participants 30
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import HOST, SLIDER_NOTEBOOK, Server, clean_env, describe, free_port, machine, p95, running
from live_session import CHROMIUM_ARGS, Visit, baseline_visit, open_page, read_links, rss, write_roster
from playwright.async_api import Browser, async_playwright

from pgcluster import running_cluster
from processes import alive, cmdline, descendants, wait_until


def health(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
        return response.status == 200
    return False


@contextlib.contextmanager
def running_hub(config: Path, env: dict[str, str], port: int, workdir: Path, timeout: float):  # noqa: ANN201
    """``jupyterhub -f config``; afterwards the hub stops its proxy and servers, and nothing is left."""
    log = workdir / "hub.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=workdir, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        ready = f"http://{HOST}:{port}/hub/health"
        if not wait_until(lambda: process.poll() is not None or health(ready), timeout, step=0.5) \
                or process.poll() is not None:
            raise SystemExit("JupyterHub did not start:\n" + log.read_text(errors="replace")[-3000:])
        yield process
    finally:
        started = descendants(process.pid)
        for pid in started:  # the culler service waits for SIGINT; it has nothing to finish
            if "jupyterhub_idle_culler" in cmdline(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=90)
        for pid in started | {process.pid}:
            if alive(pid) and not wait_until(lambda pid=pid: not alive(pid), 10):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


async def hub_visit(browser: Browser, link: str, delay: float, timeout_ms: float, visit: Visit,
                    hold: asyncio.Event) -> None:
    await asyncio.sleep(delay)
    try:
        page = await open_page(browser, link, "#rendered_cells .jupyter-widgets", timeout_ms, visit,
                               block_outside=False)
    except Exception as exc:  # noqa: BLE001 - a failed participant is a result
        visit.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        return
    await hold.wait()
    await page.context.close()


async def burst(browser: Browser, urls: list[str], args: argparse.Namespace, visit_fn) -> list[Visit]:  # noqa: ANN001
    visits = [Visit(i) for i in range(1, len(urls) + 1)]
    hold = asyncio.Event()
    tasks = [asyncio.create_task(visit_fn(browser, url, args.ramp * i / len(urls), args.timeout * 1000, v, hold))
             for i, (url, v) in enumerate(zip(urls, visits, strict=True))]
    while not all(v.time_to_widgets_s is not None or v.error for v in visits):
        await asyncio.sleep(0.5)
    hold.set()
    await asyncio.gather(*tasks)
    return visits


async def baseline(args: argparse.Namespace, workdir: Path, browser: Browser) -> list[Visit]:
    notebook = workdir / "slider.ipynb"
    notebook.write_text(json.dumps(SLIDER_NOTEBOOK), encoding="utf-8")
    port = free_port()
    server = Server("voila", [sys.executable, "-m", "voila", str(notebook), f"--port={port}", f"--Voila.ip={HOST}",
                              "--no-browser"], clean_env(workdir), port, workdir / "voila.log")
    with running(server, args.timeout):
        return await burst(browser, [server.base_url] * args.participants, args, baseline_visit)


async def through_hub(args: argparse.Namespace, workdir: Path, browser: Browser, url: str) -> dict[str, object]:
    from netcourse.core.store import AnswerStore
    from netcourse.core.store.runs import create_run
    from netcourse.hub.links import hub_link, link_token

    run = create_run(AnswerStore(url), "B7d Hub-Lastprobe").run_id
    password = re.search(r"//[^:@/]+:([^@/]*)@", url).group(1)  # type: ignore[union-attr]
    bare = url.replace(f":{password}@", "@")
    env = dict(clean_env(workdir), PGPASSWORD=password,
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    roster, out = workdir / "roster.csv", workdir / "build"
    write_roster(roster, args.participants)
    subprocess.run([sys.executable, "-m", "netcourse", "workbooks", str(roster), "--out", str(out), "--no-execute",
                    "--store", bare, "--run", run], env=env, cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    config = workdir / "jupyterhub_config.py"
    subprocess.run([sys.executable, "-m", "netcourse", "hub", "config", "--local", "--store", bare, "--out",
                    str(config), "--site-dir", str(workdir / "site"), "--port", str(port), "--hub-port",
                    str(free_port()), "--proxy-api-port", str(free_port())], env=env, check=True, cwd=workdir,
                   stdout=subprocess.DEVNULL)
    hub_url = f"http://{HOST}:{port}"
    links = [hub_link(hub_url, run, link_token(link)) for link in read_links(out / "links.csv")]
    with running_hub(config, env, port, workdir, args.timeout) as hub:
        visits = await burst(browser, links, args, hub_visit)
        tree = descendants(hub.pid)
        memory = {"hub": rss(hub.pid), "all": sum(rss(pid) for pid in tree | {hub.pid}),
                  "servers": sum("singleuser" in cmdline(pid) for pid in tree)}
    return {"visits": visits, "memory": memory, "run": run}


async def main_async(args: argparse.Namespace) -> int:
    if shutil.which("configurable-http-proxy") is None:
        raise SystemExit("configurable-http-proxy is missing: npm install -g configurable-http-proxy")
    with tempfile.TemporaryDirectory(prefix="nc-b7d-") as tmp, running_cluster(max_connections=300) as cluster:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        url = cluster.url(cluster.create_database())
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            try:
                base = await baseline(args, workdir, browser)
                hub = await through_hub(args, workdir, browser, url)
            finally:
                await browser.close()
    return report(args, base, hub)


def report(args: argparse.Namespace, base: list[Visit], hub: dict[str, object]) -> int:
    visits: list[Visit] = hub["visits"]  # type: ignore[assignment]
    b = [v.time_to_widgets_s for v in base if v.time_to_widgets_s is not None]
    h = [v.time_to_widgets_s for v in visits if v.time_to_widgets_s is not None]
    memory: dict[str, int] = hub["memory"]  # type: ignore[assignment]
    print(f"\nB7d — {args.participants} participants, arrivals within {args.ramp:.0f} s, Chromium; {machine()}")
    print(f"plain voila, one slider:        shown {len(b)}/{len(base)}, time to widgets {describe(b)}")
    print(f"through the hub (spawn incl.):  shown {len(h)}/{len(visits)}, time to widgets {describe(h)}")
    if b and h:
        print(f"ratio hub / plain voila: median {statistics.median(h) / statistics.median(b):.2f}×, "
              f"p95 {p95(h) / p95(b):.2f}×")
    print(f"memory with every server up: {memory['all'] / 2**30:.2f} GiB for the hub, proxy, "
          f"{memory['servers']} servers and their kernels (hub alone {memory['hub'] / 2**20:.0f} MiB)")
    errors = [v.error for v in [*base, *visits] if v.error]
    for error in sorted(set(errors))[:5]:
        print(f"  error ({errors.count(error)}×): {error[:200]}")
    return 0 if not errors else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\nRun by hand")[0].replace("``", "'"),
                                     epilog="Example: python benchmarks/hub_burst.py --participants 30",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=30, help="participants (default: 30)")
    parser.add_argument("--ramp", type=float, default=3.0, help="arrivals spread over this many seconds (default: 3)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a server or a page (600)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium binary (default: /usr/bin/chromium)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (hub log, roster)")
    args = parser.parse_args(argv)
    if args.participants < 1:
        parser.error("--participants must be at least 1")
    started = time.perf_counter()
    status = asyncio.run(main_async(args))
    print(f"(whole run {time.perf_counter() - started:.0f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
