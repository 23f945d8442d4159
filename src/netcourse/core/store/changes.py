"""Tell a reader when a run's answers change, whichever process wrote them: one small interface, two backends.

PostgreSQL: each write transaction that touches answers sends ``pg_notify('netcourse_answers', <run>)``
(:func:`announce`; PostgreSQL delivers it at commit, never for a rolled-back write). A :class:`ChangeFeed`
LISTENs on its own connection in a daemon thread and passes on the notifications of its run.
SQLite: the feed's thread keeps one connection to the file and reads ``PRAGMA data_version`` every
``poll_s`` seconds; the number changes when any other connection commits (any run, so a board may re-read
once for nothing).

A reader awaits :meth:`ChangeFeed.changed` (asyncio, for a kernel's event loop) or calls
:meth:`ChangeFeed.wait` (blocking). Signals coalesce: ten writes before the reader looks are one "changed".
While the feed cannot reach the database it keeps retrying, with growing pauses, and signals at each retry,
so a reader falls back to reading now and then rather than showing stale answers for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from netcourse.core.store.engine import pg_connect_args

CHANNEL = "netcourse_answers"
POLL_S = 0.25  # SQLite: how often the feed looks at the file; PostgreSQL: how often the thread checks for close
KEEPALIVE_S = 30.0  # PostgreSQL: a ``SELECT 1`` this often notices a connection that died silently
RETRY_S = (0.5, 1.0, 2.0, 5.0)  # pauses between reconnection attempts (the last one repeats)


def announce(conn: sa.Connection, run: str) -> None:
    """Inside a write transaction: tell listeners that ``run``'s answers change when it commits (PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_notify(CHANNEL, run)))


class ChangeFeed:
    """Signals "the answers of ``run`` may have changed" from a daemon thread; :meth:`close` stops it.

    Built by :meth:`AnswerStore.changes`. The first signal comes as soon as the feed listens, so a reader
    that waits for it misses nothing written before.
    """

    def __init__(self, url: URL, run: str, poll_s: float = POLL_S) -> None:
        self.url, self.run, self.poll_s = url, run, poll_s
        self.listening = threading.Event()  # set while connected and watching
        self.error: str | None = None  # the last connection problem, one line
        self._pending = threading.Event()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._waiter: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None
        self._thread = threading.Thread(target=self._run, name=f"netcourse-changes-{run}", daemon=True)
        self._thread.start()

    def __repr__(self) -> str:
        return f"ChangeFeed({self.url.render_as_string(hide_password=True)!r}, run={self.run!r})"

    # readers ---------------------------------------------------------------------------------------
    async def changed(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a change; True if one came (and consume it)."""
        if not self._pending.is_set():
            event = asyncio.Event()
            with self._lock:
                self._waiter = (asyncio.get_running_loop(), event)
            try:
                if not self._pending.is_set():  # a signal between the first look and registering
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(event.wait(), timeout)
            finally:
                with self._lock:
                    self._waiter = None
        return self._consume()

    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds for a change; True if one came (and consume it)."""
        self._pending.wait(timeout)
        return self._consume()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the thread and close its connection (waits up to ``timeout`` seconds)."""
        self._closed.set()
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def __enter__(self) -> ChangeFeed:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _consume(self) -> bool:
        if self._pending.is_set():
            self._pending.clear()
            return True
        return False

    # the thread --------------------------------------------------------------------------------------
    def _signal(self) -> None:
        self._pending.set()
        with self._lock:
            waiter = self._waiter
        if waiter is not None:
            loop, event = waiter
            with contextlib.suppress(RuntimeError):  # the reader's loop has closed
                loop.call_soon_threadsafe(event.set)

    def _run(self) -> None:
        attempt = 0
        while not self._closed.is_set():
            try:
                if self.url.get_backend_name() == "postgresql":
                    self._listen()
                else:
                    self._watch_file()
                return
            except Exception as exc:  # noqa: BLE001 - any failure: report, retry, let readers re-read meanwhile
                self.listening.clear()
                self.error = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
                if self.url.password:
                    self.error = self.error.replace(self.url.password, "***")
                self._signal()
                self._closed.wait(RETRY_S[min(attempt, len(RETRY_S) - 1)])
                attempt += 1

    def _started(self) -> None:
        self.error = None
        self.listening.set()
        self._signal()  # whatever was written while we were not listening

    def _listen(self) -> None:
        engine = sa.create_engine(self.url, poolclass=NullPool, connect_args=pg_connect_args(self.url))
        try:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql(f"LISTEN {CHANNEL}")
                driver = conn.connection.driver_connection
                self._started()
                quiet = 0.0
                while not self._closed.is_set():
                    got = False
                    for note in driver.notifies(timeout=self.poll_s, stop_after=1):  # type: ignore[union-attr]
                        got = True
                        if note.payload == self.run:
                            self._signal()
                    quiet = 0.0 if got else quiet + self.poll_s
                    if quiet >= KEEPALIVE_S:
                        driver.execute("SELECT 1")  # type: ignore[union-attr]
                        quiet = 0.0
        finally:
            self.listening.clear()
            engine.dispose()

    def _watch_file(self) -> None:
        path = Path(self.url.database or "")
        if not path.is_file():
            raise FileNotFoundError(f"no answer store at {path}")
        conn = sqlite3.connect(path, timeout=5.0, check_same_thread=False)  # only ever reads a pragma
        try:
            seen = conn.execute("PRAGMA data_version").fetchone()[0]
            self._started()
            while not self._closed.wait(self.poll_s):
                now = conn.execute("PRAGMA data_version").fetchone()[0]
                if now != seen:
                    seen = now
                    self._signal()
        finally:
            self.listening.clear()
            conn.close()
