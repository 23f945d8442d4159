"""The change feed behind the live board, on both backends: a write in another process wakes the reader;
nothing else does; PostgreSQL keeps runs apart and reconnects; the board shows another process's idea."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from netcourse.core.store import Answer, AnswerStore, ChangeFeed, utc_now
from netcourse.core.store.runs import create_run
from netcourse.exercises import registry
from netcourse.pages.board import LiveBoard, board_exercise
from processes import free_port
from storeutil import execute

PAYLOAD = '<img src=x onerror="alert(1)">{{ 7*7 }}'
WRITER = """
import sys
from netcourse.core.store import AnswerStore
store = AnswerStore(sys.argv[1], sys.argv[2])
card = {"group": "tausch", "title": sys.argv[4], "text": "aus einem anderen Prozess"}
store.save(sys.argv[3], "gruppenarbeit", "ideen", {"group": "tausch", "cards": [card]})
"""


@pytest.fixture(autouse=True)
def no_feed_left_behind() -> Iterator[None]:
    yield
    deadline = time.monotonic() + 5
    while any(t.name.startswith("netcourse-changes-") for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [t.name for t in threading.enumerate() if t.name.startswith("netcourse-changes-")]


def write_elsewhere(locator: str, run: str, participant: str = "p9", title: str = "Tauschbörse") -> None:
    """Save an idea card from a separate Python process (as another Voila kernel or hub server would)."""
    subprocess.run([sys.executable, "-c", WRITER, locator, run, participant, title], check=True, timeout=120)


def listening(feed: ChangeFeed) -> ChangeFeed:
    assert feed.listening.wait(30), feed.error
    assert feed.wait(30)  # the first signal: "read once now"
    return feed


def test_a_write_in_another_process_wakes_the_feed(store_locator: str) -> None:
    store = AnswerStore(store_locator)
    with listening(store.changes()) as feed:
        assert not feed.wait(0.8)  # nothing written: no signal
        write_elsewhere(store_locator, store.run)
        assert feed.wait(60)  # True only for a signal; a timeout returns False
        assert not feed.wait(0.5)  # one write, one signal (coalesced)
    assert not feed.alive


def test_every_kind_of_answer_write_signals(store_locator: str) -> None:
    store = AnswerStore(store_locator)
    with listening(store.changes()) as feed:
        store.save("p1", "grundmerkmale", "fragen", {"x": 1})
        assert feed.wait(30)
        with store.transaction() as tx:
            tx.put_answers([Answer("p2", "grundmerkmale", "fragen", {"x": 2}, utc_now())])
        assert feed.wait(30)
        assert store.save_many([Answer("p2", "grundmerkmale", "fragen", {"x": 3}, utc_now())]) == (1, 0)
        assert feed.wait(30)
        assert store.forget("p1") == 1
        assert feed.wait(30)


def test_a_rolled_back_write_sends_nothing_on_postgresql(pg_url: str) -> None:
    store = AnswerStore(pg_url)
    store.save("p1", "grundmerkmale", "fragen", {"x": 1})
    with listening(store.changes()) as feed:
        with store.transaction() as tx:
            tx.put_answers(store.answers())
            tx.discard()
        assert not feed.wait(1.0)


def test_postgresql_feed_hears_only_its_own_run(pg_url: str) -> None:
    base = AnswerStore(pg_url)
    run_a, run_b = create_run(base, "Kurs A").run_id, create_run(base, "Kurs B").run_id
    with listening(AnswerStore(pg_url, run_a).changes()) as feed:
        write_elsewhere(pg_url, run_b)
        assert not feed.wait(1.5)
        write_elsewhere(pg_url, run_a)
        assert feed.wait(60)


def test_postgresql_feed_reconnects_after_losing_its_connection(pg_url: str) -> None:
    store = AnswerStore(pg_url)
    with listening(store.changes()) as feed:
        execute(pg_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE query LIKE 'LISTEN netcourse_answers%' AND pid <> pg_backend_pid()")
        assert feed.wait(30)  # losing the connection tells the reader to re-read
        deadline = time.monotonic() + 30
        while not (feed.listening.is_set() and feed.error is None) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert feed.listening.is_set(), feed.error
        feed.wait(0.5)  # the "read once" after reconnecting
        write_elsewhere(pg_url, store.run)
        assert feed.wait(60)


def run_board(store: AnswerStore, seconds: float, then=None, resync_s: float = 60.0) -> str:
    """Build the trainer's live board on an event loop in a thread (as in a kernel), follow changes for
    ``seconds`` while ``then()`` runs, and return the board's HTML."""

    async def follow() -> str:
        module = registry.modules.get("gruppenarbeit")
        board = LiveBoard(store, "gruppenarbeit", board_exercise(module, "ideen", "de"), "de", resync_s=resync_s)
        board.start()
        try:
            await asyncio.sleep(1.0)  # the feed starts listening
            if then is not None:
                await asyncio.get_running_loop().run_in_executor(None, then)
            deadline = time.monotonic() + seconds
            while PAYLOAD not in board.widget.value.replace("&lt;", "<").replace("&gt;", ">").replace(
                    "&#34;", '"').replace("&quot;", '"') and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            return board.widget.value
        finally:
            board.stop()
            await asyncio.sleep(0.5)  # the cancelled task closes its feed

    with ThreadPoolExecutor(1) as kernel_thread:
        return kernel_thread.submit(asyncio.run, follow()).result()


def test_board_shows_an_idea_from_another_process_escaped(store_locator: str) -> None:
    store = AnswerStore(store_locator)
    assert "Tauschbörse" not in run_board(store, 0.1)
    html = run_board(store, 30, then=lambda: write_elsewhere(store_locator, store.run, title=PAYLOAD))
    assert "&lt;img src=x" in html and "<img src=x" not in html  # shown within the wait, long before resync
    assert "{{ 7*7 }}" in html


def test_board_on_an_unreachable_database_keeps_trying_and_says_so(capsys: pytest.CaptureFixture[str],
                                                                     store_path) -> None:
    url = f"postgresql+psycopg://nc:Geheim-pw-7Qz@127.0.0.1:{free_port()}/kurs?connect_timeout=2"

    async def follow() -> None:
        module = registry.modules.get("gruppenarbeit")
        board = LiveBoard(AnswerStore(store_path), "gruppenarbeit", board_exercise(module, "ideen", "de"), "de",
                          resync_s=0.3)
        board.store = AnswerStore(url)  # the database goes away after the board was built
        board.start()
        await asyncio.sleep(2.0)
        board.stop()

    with ThreadPoolExecutor(1) as kernel_thread:
        kernel_thread.submit(asyncio.run, follow()).result()
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("netcourse board:")]
    assert len(lines) >= 2  # tried again
    assert "'kurs'" in lines[0] and "127.0.0.1" in lines[0] and "Geheim" not in "\n".join(lines)
