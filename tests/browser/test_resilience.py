"""Faults a real session meets: a page's kernel dies, and participants close and reopen pages again and again.

* kernel death: the participant sees a German notice that their saved answers are safe and a reload button;
  after the reload their saved rating is there again;
* 200 page visits (the page is requested, its kernel connected over the websocket, then the page is left, as
  a browser tab does) leave no more kernels running than before, once culling has run; the server answers,
  and its loading text is German.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import websockets
from playwright.sync_api import Page, expect

from .conftest import SELF_LEARNER, VoilaServer, cmdline, screenshot_dir, wait_rendered, wait_until
from .test_grundmerkmale_page import NOTEBOOK, SAVE_TIMEOUT_MS, open_course, rating_exercise, rating_row

NOTICE = "#nc-connection-lost"
VISITS = 200
AT_ONCE = 4
KERNEL_ID = re.compile(rb'"kernelId":\s*"([0-9a-f-]{36})"')


def page_kernel_id(page: Page) -> str:
    return str(page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"))


def kernel_pid(server: VoilaServer, kernel_id: str) -> int:
    matches = [pid for pid in server.kernel_pids() if f"kernel-{kernel_id}" in cmdline(pid)]
    assert len(matches) == 1, (kernel_id, {pid: cmdline(pid) for pid in server.kernel_pids()})
    return matches[0]


def test_dead_kernel_shows_a_german_notice_and_saved_answers_survive(page: Page, self_study_server: VoilaServer,
                                                                     tmp_path: Path) -> None:
    open_course(page, self_study_server.url(NOTEBOOK))
    expect(page.locator(NOTICE)).to_be_hidden()
    five = rating_row(page, "Vertrauen").get_by_role("button", name="5", exact=True)
    five.click()
    exercise = rating_exercise(page)
    exercise.get_by_role("button", name="Speichern").click()
    expect(exercise.locator(".nc-status")).to_contain_text("Gespeichert", timeout=SAVE_TIMEOUT_MS)

    os.kill(kernel_pid(self_study_server, page_kernel_id(page)), signal.SIGKILL)

    notice = page.locator(NOTICE)
    expect(notice).to_be_visible(timeout=30_000)
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("Die Verbindung zum Kurs ist unterbrochen.")
    expect(notice).to_contain_text("Ihre gespeicherten Antworten sind sicher.")
    shot = (screenshot_dir() or tmp_path) / "connection-lost.png"
    page.screenshot(path=str(shot))  # the notice sticks to the top of the visible page
    assert shot.stat().st_size > 20_000
    notice.get_by_role("button", name="Seite neu laden").click()

    wait_rendered(page, 4)  # the grundmerkmale page: three activities and the self-check
    expect(page.locator(NOTICE)).to_be_hidden()
    again = rating_row(page, "Vertrauen").get_by_role("button", name="5", exact=True)
    expect(again).to_have_attribute("aria-pressed", "true")
    expect(rating_exercise(page).locator(".nc-status")).to_contain_text("Ihre frühere Antwort")
    assert SELF_LEARNER not in page.locator("#rendered_cells").inner_text()  # the id is never shown


async def visit(server: VoilaServer, notebook: str) -> None:
    """What one browser tab does: load the page (Voila runs it in a kernel), connect, leave."""
    url = server.url(notebook)
    def load() -> bytes:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read()

    body = await asyncio.to_thread(load)
    match = KERNEL_ID.search(body)
    assert match, body[-500:]
    ws_url = f"{server.base_url.replace('http', 'ws', 1)}api/kernels/{match.group(1).decode()}/channels"
    async with websockets.connect(ws_url, open_timeout=30):
        await asyncio.sleep(0.05)


async def visit_many(server: VoilaServer, notebook: str, visits: int, at_once: int) -> None:
    gate = asyncio.Semaphore(at_once)

    async def one() -> None:
        async with gate:
            await visit(server, notebook)

    await asyncio.gather(*(one() for _ in range(visits)))


def steady_kernel_count(server: VoilaServer, quiet_s: float = 6.0, timeout_s: float = 120.0) -> int:
    """The number of kernels once it has not changed for ``quiet_s`` (Voila's preheated pools are full)."""
    deadline = time.monotonic() + timeout_s
    count, since = len(server.kernel_pids()), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = len(server.kernel_pids())
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return count
    raise AssertionError(f"kernel count never settled (last {count})")


def test_two_hundred_visits_leave_no_kernel_behind(present_server: Any) -> None:
    with present_server("--self-study", "--cull-idle", "5", self_learner=SELF_LEARNER) as server:
        notebook = "06-ausblick.ipynb"
        pools = steady_kernel_count(server)  # one preheated kernel per page, never culled by design
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=1) as own_loop:  # pytest-playwright holds this thread's loop
            own_loop.submit(asyncio.run, visit_many(server, notebook, VISITS, AT_ONCE)).result()
        took = time.monotonic() - started
        peak = len(server.kernel_pids())
        back = wait_until(lambda: len(server.kernel_pids()) <= pools, timeout=120, step=1)
        after = len(server.kernel_pids())
        print(f"{VISITS} visits in {took:.0f} s; kernels: {pools} pooled before, {peak} right after, {after} "
              "after culling")
        assert back, f"kernels grew: {pools} before, {after} two minutes after {VISITS} visits"
        with urllib.request.urlopen(server.url("00-start.ipynb"), timeout=60) as response:
            body = response.read()
        assert response.status == 200 and b"Netzwerke erkennen lernen" in body
        assert b"Die Seite wird vorbereitet" in body  # the loading text, in place of Voila's English
