"""B7a: many participants of one run spread over several Voila processes that share one PostgreSQL store.

In one run, on free loopback ports:

1. baseline: ``--servers`` plain ``voila`` processes on a one-slider notebook; ``--participants`` light
   clients (HTTP GET of the page + its kernel websocket, no browser) open it, round-robin over the servers,
   arrivals spread over ``--ramp`` seconds; time from the GET to the widget states;
2. ours: a throw-away PostgreSQL cluster (or ``--store URL``), one run made with the public store API,
   ``netcourse workbooks … --run`` registers the participants, ``--servers`` ``netcourse present`` processes
   serve the same run (the first with ``--trainer``). The trainer's live board is open in Chromium on the
   first server; every participant opens the group-exercise page through their personal link on server
   ``i mod --servers`` and adds ``--cards`` idea cards.

Printed: pages that rendered; time to widgets (median, p95) for both, and the ratio; time from a click to the
card on the trainer's board (median, p95, max: the board on server 1 hears of cards saved on servers 2 and 3
through LISTEN/NOTIFY); answers lost (clicked and confirmed to the participant, but not in the store); RSS
per participant kernel; the peak number of PostgreSQL connections.

Run by hand (not part of pytest)::

    python benchmarks/scale_out.py --participants 100 --servers 3 --cards 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from _common import (
    HOST,
    SLIDER_NOTEBOOK,
    Server,
    clean_env,
    describe,
    free_port,
    machine,
    netcourse_command,
    p95,
    running,
)
from live_session import (
    CHROMIUM_ARGS,
    NOTEBOOK,
    WATCH_BOARD_JS,
    Visit,
    kernels,
    open_page,
    read_links,
    write_roster,
    ws_baseline_visit,
    ws_participant_visit,
)
from playwright.async_api import async_playwright

from pgcluster import running_cluster


def saved_cards(url: str, run: str) -> dict[str, float]:
    """Card title → when it was saved (epoch ms), read through the public store API."""
    from netcourse.core.store import AnswerStore

    saved = {}
    for answer in AnswerStore(url, run).answers(module="gruppenarbeit", exercise="ideen"):
        for card in answer.value.get("cards") or []:
            saved[card["title"]] = datetime.fromisoformat(card["created_at"]).timestamp() * 1000
    return saved


def connections(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"))
                       .scalar() or 0) - 1
    finally:
        engine.dispose()


@contextlib.contextmanager
def all_running(servers: list[Server], timeout: float):  # noqa: ANN201
    with contextlib.ExitStack() as stack:
        for server in servers:
            stack.enter_context(running(server, timeout))
        yield servers


async def baseline(args: argparse.Namespace, workdir: Path) -> list[Visit]:
    notebook = workdir / "slider.ipynb"
    notebook.write_text(json.dumps(SLIDER_NOTEBOOK), encoding="utf-8")
    servers = []
    for number in range(args.servers):
        port = free_port()
        servers.append(Server(f"voila-{number + 1}", [sys.executable, "-m", "voila", str(notebook), f"--port={port}",
                                                      f"--Voila.ip={HOST}", "--no-browser"],
                              clean_env(workdir), port, workdir / f"voila-{number + 1}.log"))
    visits = [Visit(i) for i in range(1, args.participants + 1)]
    with all_running(servers, args.timeout):
        hold = asyncio.Event()
        tasks = [asyncio.create_task(ws_baseline_visit(servers[v.index % args.servers].base_url,
                                                       args.ramp * i / args.participants, args.timeout, v, hold))
                 for i, v in enumerate(visits)]
        while not all(v.time_to_widgets_s is not None or v.error for v in visits):
            await asyncio.sleep(0.2)
        hold.set()
        await asyncio.gather(*tasks)
    return visits


async def session(args: argparse.Namespace, workdir: Path, url: str, browser) -> dict[str, object]:  # noqa: ANN001
    from netcourse.core.store import AnswerStore
    from netcourse.core.store.runs import create_run

    run = create_run(AnswerStore(url), "B7a Lastprobe").run_id
    bare = re.sub(r"//([^:@/]+):[^@/]*@", r"//\1@", url)  # the servers get the password from PGPASSWORD
    env = dict(clean_env(workdir), PGPASSWORD=re.search(r"//[^:@/]+:([^@/]*)@", url).group(1))  # type: ignore[union-attr]
    roster, out = workdir / "roster.csv", workdir / "build"
    write_roster(roster, args.participants)
    ports = [free_port() for _ in range(args.servers)]
    subprocess.run([*netcourse_command(), "workbooks", str(roster), "--out", str(out), "--no-execute",
                    "--base-url", f"http://{HOST}:{ports[0]}", "--store", bare, "--run", run],
                   env=env, cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    paths = [link.split("/", 3)[3].replace("00-start.ipynb", NOTEBOOK) for link in read_links(out / "links.csv")]
    servers = [Server(f"netcourse-{n + 1}", [*netcourse_command(), "present", *(["--trainer"] if n == 0 else []),
                                              "--host", HOST, "--port", str(port), "--roster-dir", str(out),
                                              "--store", bare, "--run", run, "--pool-size", str(args.pool_size)],
                      env, port, workdir / f"present-{n + 1}.log") for n, port in enumerate(ports)]
    visits = [Visit(i) for i in range(1, args.participants + 1)]
    figures: dict[str, object] = {"visits": visits, "run": run}
    with all_running(servers, args.timeout):
        key = re.search(r"\?trainer=([A-Za-z0-9_-]+)", servers[0].log.read_text(errors="replace"))
        if not key:
            raise SystemExit("no trainer link in the banner:\n" + servers[0].log.read_text(errors="replace")[:2000])
        trainer = await open_page(browser, f"{servers[0].base_url}voila/render/{NOTEBOOK}?trainer={key.group(1)}",
                                  ".nc-board", args.timeout * 1000, Visit(0), block_outside=False)
        await trainer.evaluate(WATCH_BOARD_JS)
        hold = asyncio.Event()
        tasks = [asyncio.create_task(ws_participant_visit(
            servers[v.index % args.servers].base_url, paths[v.index - 1], args.ramp * i / args.participants,
            args.cards, args.think, args.timeout, v, hold)) for i, v in enumerate(visits)]
        peak = 0
        while not all(len(v.clicks_ms) == args.cards or v.error for v in visits):
            with contextlib.suppress(Exception):
                peak = max(peak, connections(url))
            await asyncio.sleep(1.0)
        figures["pg_connections_peak"] = max(peak, connections(url))
        page_ids = set().union(*(v.kernel_ids for v in visits))
        running_kernels: dict[str, tuple[int, int]] = {}
        for server in servers:
            running_kernels.update(kernels(server.process.pid))  # type: ignore[union-attr]
        figures["rss_page_kernels"] = [r for kid, (_pid, r) in running_kernels.items() if kid in page_ids]
        titles = [t for v in visits for t in v.clicks_ms]
        deadline, seen = time.monotonic() + 30, {}
        while time.monotonic() < deadline:
            seen = await trainer.evaluate("() => window.__seen")
            if all(t in seen for t in titles):
                break
            await asyncio.sleep(0.2)
        saved = saved_cards(url, run)
        figures["board_from_click_ms"] = [seen[t] - v.clicks_ms[t] for v in visits for t in v.clicks_ms if t in seen]
        figures["missing_on_board"] = [t for t in titles if t not in seen]
        confirmed = [f"T{v.index:02d} Idee {n}" for v in visits for n in range(1, len(v.save_s) + 1)]
        figures["lost"] = [t for t in confirmed if t not in saved]
        figures["confirmed"] = len(confirmed)
        hold.set()
        await asyncio.gather(*tasks)
        await trainer.context.close()
    return figures


async def main_async(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="nc-b7a-") as tmp, contextlib.ExitStack() as stack:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        url = args.store
        if url is None:
            cluster = stack.enter_context(running_cluster(max_connections=max(200, 3 * args.participants)))
            url = cluster.url(cluster.create_database())
        started = time.perf_counter()
        base = await baseline(args, workdir)
        base_s = time.perf_counter() - started
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            try:
                started = time.perf_counter()
                ours = await session(args, workdir, url, browser)
                ours_s = time.perf_counter() - started
            finally:
                await browser.close()
    return report(args, base, base_s, ours, ours_s)


def report(args: argparse.Namespace, base: list[Visit], base_s: float, ours: dict[str, object], ours_s: float) -> int:
    visits: list[Visit] = ours["visits"]  # type: ignore[assignment]
    b_times = [v.time_to_widgets_s for v in base if v.time_to_widgets_s is not None]
    o_times = [v.time_to_widgets_s for v in visits if v.time_to_widgets_s is not None]
    board: list[float] = ours["board_from_click_ms"]  # type: ignore[assignment]
    rss_list: list[int] = ours["rss_page_kernels"]  # type: ignore[assignment]
    print(f"\nB7a — {args.participants} participants over {args.servers} servers, {args.cards} cards each, "
          f"ramp {args.ramp:.0f} s; {machine()}")
    print(f"baseline plain voila ({base_s:.0f} s): rendered {len(b_times)}/{len(base)}, time to widgets "
          f"{describe(b_times)}")
    print(f"netcourse on PostgreSQL, run {ours['run']} ({ours_s:.0f} s): rendered {len(o_times)}/{len(visits)}, "
          f"time to widgets {describe(o_times)}")
    if b_times and o_times:
        print(f"ratio netcourse / plain voila: median {statistics.median(o_times) / statistics.median(b_times):.2f}×, "
              f"p95 {p95(o_times) / p95(b_times):.2f}×")
    if board:
        print(f"idea → trainer board (click to card on screen): median {statistics.median(board):.0f} ms, "
              f"p95 {p95(board):.0f} ms, max {max(board):.0f} ms (goal p95 ≤ 1000 ms)")
    print(f"cards confirmed to participants: {ours['confirmed']}; lost (not in the store): {len(ours['lost'])}; "
          f"missing on the board: {len(ours['missing_on_board'])}")  # type: ignore[arg-type]
    if rss_list:
        print(f"RSS per participant kernel: median {statistics.median(rss_list) / 2**20:.0f} MiB, "
              f"max {max(rss_list) / 2**20:.0f} MiB ({len(rss_list)} kernels)")
    print(f"PostgreSQL connections, peak: {ours['pg_connections_peak']}")
    errors = [v.error for v in visits if v.error]
    for error in sorted(set(errors))[:5]:
        print(f"  error ({errors.count(error)}×): {error[:200]}")
    return 0 if not errors and not ours["lost"] and not ours["missing_on_board"] else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\nRun by hand")[0].replace("``", "'"),
                                     epilog="Example: python benchmarks/scale_out.py --participants 100 --servers 3",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=100, help="participants (default: 100)")
    parser.add_argument("--servers", type=int, default=3, help="Voila processes (default: 3)")
    parser.add_argument("--cards", type=int, default=3, help="idea cards each participant adds (default: 3)")
    parser.add_argument("--ramp", type=float, default=30.0, help="arrivals spread over this many seconds (default: 30)")
    parser.add_argument("--think", type=float, default=2.0, help="seconds between a participant's cards (default: 2)")
    parser.add_argument("--pool-size", type=int, default=1, help="netcourse present --pool-size (default: 1)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a server or a page (600)")
    parser.add_argument("--store", metavar="URL", help="an existing PostgreSQL database (default: throw-away cluster)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium binary (default: /usr/bin/chromium)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (server logs, roster)")
    args = parser.parse_args(argv)
    if min(args.participants, args.servers, args.cards) < 1:
        parser.error("--participants, --servers and --cards must be at least 1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
