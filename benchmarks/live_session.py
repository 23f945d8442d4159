"""Live-session benchmark: many participants add idea cards while the trainer's live board is open.

In one run, each server on a free loopback port:

1. baseline: plain ``voila`` on a one-slider notebook; ``--participants`` browser contexts open it at the same
   time (arrivals spread over ``--ramp`` seconds); time from navigation to the slider on screen;
2. ours: ``netcourse workbooks ROSTER --no-execute`` registers ``--participants`` fictional people (personal
   links in ``links.csv``), then ``netcourse present --trainer --roster-dir … --cull-idle N`` serves them. The
   trainer opens the live board (``03-gruppenarbeit.ipynb?trainer=…``); every participant opens their personal
   link to the same page in their own browser context and adds ``--cards`` idea cards.

Printed: time to widgets per participant (median, p95) for both servers; time from a card being saved (its
``created_at`` in the store) and from the click to the card appearing on the trainer's board (median, p95,
max); RSS per page kernel (psutil, or /proc without it) while everyone is on the page; the page kernels still
running after everyone left and the cull interval passed (kernels are identified by the websocket each page
opened; Voila's preheated pool kernels are never culled by design and are counted apart).

Run by hand (not part of pytest)::

    python benchmarks/live_session.py --participants 30 --cards 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from _common import (
    CHROMIUM_ARGS,
    HOST,
    REPO,
    SLIDER_NOTEBOOK,
    Server,
    WidgetClient,
    clean_env,
    describe,
    free_port,
    kernels,
    netcourse_command,
    read_links,
    rss,
    running,
    write_roster,
)
from playwright.async_api import Browser, Page, async_playwright

NOTEBOOK = "03-gruppenarbeit.ipynb"
WATCH_BOARD_JS = """() => {
  window.__seen = {};
  const note = () => document.querySelectorAll(".nc-board-cards .nc-card strong").forEach(title => {
    if (!(title.textContent in window.__seen)) { window.__seen[title.textContent] = Date.now(); }
  });
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true, characterData: true});
  note();
}"""
WATCH_CLICKS_JS = """() => {
  document.addEventListener("click", () => { window.__clickedAt = Date.now(); }, true);
}"""
KERNEL_WS = re.compile(r"/api/kernels/([0-9a-f-]{36})/channels")

# a participant ------------------------------------------------------------------------------------
@dataclass
class Visit:
    index: int
    time_to_widgets_s: float | None = None
    error: str | None = None
    kernel_ids: set[str] = field(default_factory=set)
    clicks_ms: dict[str, float] = field(default_factory=dict)  # card title -> click (epoch ms)
    save_s: list[float] = field(default_factory=list)  # click -> card in the participant's own list


# the browser side --------------------------------------------------------------------------------
async def open_page(browser: Browser, url: str, selector: str, timeout_ms: float, visit: Visit,
                    block_outside: bool) -> Page:
    context = await browser.new_context(viewport={"width": 1100, "height": 800}, locale="de-DE")
    if block_outside:  # plain Voila asks a CDN for Font Awesome; offline that would stall the baseline
        async def only_loopback(route) -> None:  # noqa: ANN001 (playwright Route)
            parts = urlsplit(route.request.url)
            await (route.continue_() if parts.scheme in ("data", "blob") or parts.hostname == HOST
                   else route.abort())
        await context.route("**/*", only_loopback)
    page = await context.new_page()

    def on_websocket(ws) -> None:  # noqa: ANN001 (playwright WebSocket)
        match = KERNEL_WS.search(ws.url)
        if match:
            visit.kernel_ids.add(match.group(1))

    page.on("websocket", on_websocket)
    started = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=timeout_ms)
    await page.locator(selector).first.wait_for(state="visible", timeout=timeout_ms)
    visit.time_to_widgets_s = time.perf_counter() - started
    return page


async def baseline_visit(browser: Browser, url: str, delay: float, timeout_ms: float, visit: Visit,
                         hold: asyncio.Event) -> None:
    await asyncio.sleep(delay)
    try:
        page = await open_page(browser, url, ".widget-slider", timeout_ms, visit, block_outside=True)
    except Exception as exc:  # noqa: BLE001 - a failed participant is a result, not a crash
        visit.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        return
    await hold.wait()
    await page.context.close()


async def participant_visit(browser: Browser, url: str, delay: float, cards: int, think_s: float,
                            timeout_ms: float, visit: Visit, hold: asyncio.Event) -> None:
    await asyncio.sleep(delay)
    try:
        page = await open_page(browser, url, ".nc-exercise .nc-save", timeout_ms, visit, block_outside=False)
        await page.evaluate(WATCH_CLICKS_JS)
        exercise = page.locator(".nc-exercise-ideas")
        for number in range(1, cards + 1):
            title = f"T{visit.index:02d} Idee {number}"
            await exercise.get_by_label("Titel der Idee").fill(title)
            await exercise.get_by_label("Beschreibung").fill(f"Karte {number} von Teilnehmer:in {visit.index}.")
            started = time.perf_counter()
            await exercise.get_by_role("button", name="Idee hinzufügen").click()
            await exercise.locator(".nc-cards .nc-card strong", has_text=title).first.wait_for(timeout=timeout_ms)
            visit.save_s.append(time.perf_counter() - started)
            visit.clicks_ms[title] = float(await page.evaluate("() => window.__clickedAt"))
            await asyncio.sleep(think_s)
    except Exception as exc:  # noqa: BLE001
        visit.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        return
    await hold.wait()
    await page.context.close()


# the websocket side: a participant without a browser ------------------------------------------------
async def ws_baseline_visit(base_url: str, delay: float, timeout: float, visit: Visit, hold: asyncio.Event) -> None:
    await asyncio.sleep(delay)
    client = WidgetClient(base_url)
    started = time.perf_counter()
    try:
        await client.open("", timeout)
        client.find("IntSliderModel")
        visit.time_to_widgets_s = time.perf_counter() - started
        visit.kernel_ids.add(client.kernel_id)
    except Exception as exc:  # noqa: BLE001
        visit.error = f"{type(exc).__name__}: {exc}"
        await client.close()
        return
    await hold.wait()
    await client.close()


async def ws_participant_visit(base_url: str, path: str, delay: float, cards: int, think_s: float, timeout: float,
                               visit: Visit, hold: asyncio.Event) -> None:
    await asyncio.sleep(delay)
    client = WidgetClient(base_url)
    started = time.perf_counter()
    try:
        await client.open(path, timeout)
        title_id = client.find("TextModel", description="Titel der Idee")
        text_id = client.find("TextareaModel", description="Beschreibung")
        button_id = client.find("ButtonModel", description="Idee hinzufügen")
        mine_id = next(mid for mid, st in client.states.items() if st.get("_model_name") == "HTMLModel"
                       and "Noch keine Ideen gespeichert" in str(st.get("value", "")))
        visit.time_to_widgets_s = time.perf_counter() - started
        visit.kernel_ids.add(client.kernel_id)
        for number in range(1, cards + 1):
            title = f"T{visit.index:02d} Idee {number}"
            await client.set_value(title_id, title)
            await client.set_value(text_id, f"Karte {number} von Teilnehmer:in {visit.index}.")
            clicked = time.perf_counter()
            visit.clicks_ms[title] = time.time() * 1000
            await client.click(button_id)
            await client.wait_for_value(mine_id, title, timeout)
            visit.save_s.append(time.perf_counter() - clicked)
            await asyncio.sleep(think_s)
    except Exception as exc:  # noqa: BLE001
        visit.error = f"{type(exc).__name__}: {exc}"
        await client.close()
        return
    await hold.wait()
    await client.close()


# the run -----------------------------------------------------------------------------------------
def created_at_ms(store: Path) -> dict[str, float]:
    """Card title → when it was saved (its created_at, epoch ms), read straight from the store."""
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=15)
    try:
        rows = conn.execute("SELECT answer FROM answers WHERE module = 'gruppenarbeit' AND exercise = 'ideen'")
        saved = {}
        for (answer,) in rows:
            for card in json.loads(answer).get("cards") or []:
                saved[card["title"]] = datetime.fromisoformat(card["created_at"]).timestamp() * 1000
        return saved
    finally:
        conn.close()


async def run_baseline(args: argparse.Namespace, workdir: Path, browser: Browser) -> list[Visit]:
    notebook = workdir / "slider.ipynb"
    notebook.write_text(json.dumps(SLIDER_NOTEBOOK), encoding="utf-8")
    port = free_port()
    server = Server("baseline", [sys.executable, "-m", "voila", str(notebook), f"--port={port}",
                                 f"--Voila.ip={HOST}", "--no-browser",
                                 f"--MappingKernelManager.cull_idle_timeout={args.cull_idle}",
                                 f"--MappingKernelManager.cull_interval={max(5, args.cull_idle // 4)}"],
                    clean_env(workdir), port, workdir / "baseline.log")
    visits = [Visit(i) for i in range(1, args.participants + 1)]
    with running(server, args.timeout):
        hold = asyncio.Event()
        delays = [args.ramp * i / args.participants for i in range(args.participants)]
        if args.clients == "browser":
            tasks = [asyncio.create_task(baseline_visit(browser, server.base_url, d, args.timeout * 1000, v, hold))
                     for d, v in zip(delays, visits, strict=True)]
        else:
            tasks = [asyncio.create_task(ws_baseline_visit(server.base_url, d, args.timeout, v, hold))
                     for d, v in zip(delays, visits, strict=True)]
        while not all(v.time_to_widgets_s is not None or v.error for v in visits):
            await asyncio.sleep(0.2)
        hold.set()
        await asyncio.gather(*tasks)
    return visits


async def run_session(args: argparse.Namespace, workdir: Path, browser: Browser) -> dict[str, object]:
    roster, out, store = workdir / "roster.csv", workdir / "build", workdir / "session.sqlite"
    write_roster(roster, args.participants)
    port = free_port()
    env = clean_env(workdir)
    subprocess.run([*netcourse_command(), "workbooks", str(roster), "--out", str(out), "--no-execute",
                    "--base-url", f"http://{HOST}:{port}", "--store", str(store)],
                   env=env, cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    links = read_links(out / "links.csv")
    command = [*netcourse_command(), "present", "--trainer", "--host", HOST, "--port", str(port),
               "--roster-dir", str(out), "--store", str(store), "--cull-idle", str(args.cull_idle),
               "--pool-size", str(args.pool_size), "--course-dir", str(args.course_dir)]
    server = Server("netcourse", command, env, port, workdir / "present.log")
    visits = [Visit(i) for i in range(1, args.participants + 1)]
    figures: dict[str, object] = {"visits": visits}
    with running(server, args.timeout):
        assert server.process is not None
        key = re.search(r"\?trainer=([A-Za-z0-9_-]+)", server.log.read_text(errors="replace"))
        if not key:
            raise SystemExit("no trainer link in the banner:\n" + server.log.read_text(errors="replace")[:2000])
        trainer_visit = Visit(0)
        trainer = await open_page(browser, f"{server.base_url}voila/render/{NOTEBOOK}?trainer={key.group(1)}",
                                  ".nc-board", args.timeout * 1000, trainer_visit, block_outside=False)
        await trainer.evaluate(WATCH_BOARD_JS)
        pool_kernels = set(kernels(server.process.pid)) - trainer_visit.kernel_ids

        hold = asyncio.Event()
        page_urls = [link.replace("00-start.ipynb", NOTEBOOK) for link in links]
        delays = [args.ramp * i / args.participants for i in range(args.participants)]
        if args.clients == "browser":
            tasks = [asyncio.create_task(participant_visit(browser, url, d, args.cards, args.think,
                                                           args.timeout * 1000, v, hold))
                     for url, d, v in zip(page_urls, delays, visits, strict=True)]
        else:
            tasks = [asyncio.create_task(ws_participant_visit(server.base_url, url.split("/", 3)[3], d, args.cards,
                                                              args.think, args.timeout, v, hold))
                     for url, d, v in zip(page_urls, delays, visits, strict=True)]
        while not all(len(v.clicks_ms) == args.cards or v.error for v in visits):
            await asyncio.sleep(0.5)
        # everyone is on the page with their cards saved: memory of the page kernels now
        page_ids = set().union(trainer_visit.kernel_ids, *(v.kernel_ids for v in visits))
        running_kernels = kernels(server.process.pid)
        figures["rss_page_kernels"] = [rss_b for kid, (_pid, rss_b) in running_kernels.items() if kid in page_ids]
        figures["rss_all_kernels"] = [rss_b for _pid, rss_b in running_kernels.values()]
        figures["rss_server"] = rss(server.process.pid)
        # let the board catch up with the last cards
        titles = [t for v in visits for t in v.clicks_ms]
        deadline = time.monotonic() + 30
        seen: dict[str, float] = {}
        while time.monotonic() < deadline:
            seen = await trainer.evaluate("() => window.__seen")
            if all(t in seen for t in titles):
                break
            await asyncio.sleep(0.2)
        saved = created_at_ms(store)
        figures["board_from_save_ms"] = [seen[t] - saved[t] for t in titles if t in seen and t in saved]
        figures["board_from_click_ms"] = [seen[t] - v.clicks_ms[t] for v in visits for t in v.clicks_ms if t in seen]
        figures["cards_missing_on_board"] = [t for t in titles if t not in seen]
        figures["cards_stored"] = len(saved)

        # everyone leaves (the trainer too); wait for the culler
        hold.set()
        await asyncio.gather(*tasks)
        await trainer.context.close()
        left_at = time.monotonic()
        cull_wait = args.cull_idle + 3 * max(5, args.cull_idle // 4) + 10
        while time.monotonic() - left_at < cull_wait:
            if not page_ids & set(kernels(server.process.pid)):
                break
            await asyncio.sleep(1)
        after = kernels(server.process.pid)
        figures["culled_after_s"] = time.monotonic() - left_at
        figures["page_kernels_left"] = len(page_ids & set(after))
        figures["page_kernels"] = len(page_ids)
        figures["pool_kernels"] = len(set(after) - page_ids)
        figures["pool_kernels_at_start"] = len(pool_kernels)
    return figures


async def main_async(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="nc-live-bench-") as tmp:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=args.chromium, headless=not args.headed,
                                               args=CHROMIUM_ARGS)
            try:
                started = time.perf_counter()
                baseline = await run_baseline(args, workdir, browser)
                baseline_s = time.perf_counter() - started
                started = time.perf_counter()
                session = await run_session(args, workdir, browser)
                session_s = time.perf_counter() - started
            finally:
                await browser.close()
    report(args, baseline, baseline_s, session, session_s)
    visits: list[Visit] = session["visits"]  # type: ignore[assignment]
    return 0 if all(v.error is None for v in visits) and not session["cards_missing_on_board"] else 1


def report(args: argparse.Namespace, baseline: list[Visit], baseline_s: float, session: dict[str, object],
           session_s: float) -> None:
    visits: list[Visit] = session["visits"]  # type: ignore[assignment]
    mib = 1 / (1024 * 1024)
    load = os.getloadavg()
    print(f"live-session benchmark: {args.participants} {args.clients} participants x {args.cards} cards, "
          f"arrivals over {args.ramp:.0f} s, think {args.think:.1f} s, pool size {args.pool_size}, "
          f"cull idle {args.cull_idle} s; {os.cpu_count()} CPUs, load {load[0]:.1f}")
    baseline_ttw = [v.time_to_widgets_s for v in baseline if v.time_to_widgets_s]
    ours_ttw = [v.time_to_widgets_s for v in visits if v.time_to_widgets_s]
    print(f"time to widgets, plain voila slider   : {describe(baseline_ttw)}"
          f"  failed {sum(v.error is not None for v in baseline)}  (phase {baseline_s:.0f} s)")
    print(f"time to widgets, netcourse Gruppenarb.: {describe(ours_ttw)}"
          f"  failed {sum(v.error is not None for v in visits)}  (phase {session_s:.0f} s)")
    print(f"click -> card in own list (saved)     : {describe([s for v in visits for s in v.save_s])}")
    print(f"card saved -> on the trainer's board  : {describe(session['board_from_save_ms'], 'ms')}")  # type: ignore[arg-type]
    print(f"click -> on the trainer's board       : {describe(session['board_from_click_ms'], 'ms')}")  # type: ignore[arg-type]
    print(f"cards stored {session['cards_stored']}, missing on the board {len(session['cards_missing_on_board'])}")  # type: ignore[arg-type]
    page_rss: list[int] = session["rss_page_kernels"]  # type: ignore[assignment]
    all_rss: list[int] = session["rss_all_kernels"]  # type: ignore[assignment]
    print(f"RSS per page kernel                   : {describe([r * mib for r in page_rss], 'MiB')}")
    print(f"kernels running at peak               : {len(all_rss)} (sum {sum(all_rss) * mib:.0f} MiB); "
          f"Voila server {session['rss_server'] * mib:.0f} MiB")  # type: ignore[operator]
    print(f"page kernels left after everyone left : {session['page_kernels_left']} of {session['page_kernels']} "
          f"(waited {session['culled_after_s']:.0f} s); preheated pool kernels (kept by design): "
          f"{session['pool_kernels']}")
    for v in [*baseline, *visits]:
        if v.error:
            print(f"  participant {v.index}: {v.error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\nRun by hand")[0].replace("``", "'"),
        epilog="Example: python benchmarks/live_session.py --participants 30 --cards 5",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--participants", type=int, default=30, help="concurrent participants (default: 30)")
    parser.add_argument("--cards", type=int, default=5, help="idea cards each participant adds (default: 5)")
    parser.add_argument("--clients", choices=("browser", "websocket"), default="browser",
                        help="participants as Chromium contexts, or as light websocket clients speaking the widget "
                             "protocol (time to widgets then excludes rendering) (default: browser)")
    parser.add_argument("--ramp", type=float, default=15.0,
                        help="arrivals spread evenly over this many seconds (default: 15)")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a participant's cards (default: 1)")
    parser.add_argument("--pool-size", type=int, default=1, help="netcourse present --pool-size (default: 1)")
    parser.add_argument("--cull-idle", type=int, default=120,
                        help="present --cull-idle, and the baseline's (default: 120). Short values cull kernels of "
                             "pages whose browser has not connected yet: under load those never show widgets")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds to wait for a server or a page (default: 300)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium binary (default: /usr/bin/chromium)")
    parser.add_argument("--course-dir", type=Path, default=REPO / "course",
                        help="course folder (default: the repository's course/)")
    parser.add_argument("--headed", action="store_true", help="show the browser window")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (server logs, store, roster)")
    args = parser.parse_args(argv)
    if args.participants < 1 or args.cards < 1:
        parser.error("--participants and --cards must be at least 1")
    args.course_dir = args.course_dir.resolve()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
