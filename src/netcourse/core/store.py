"""The answer store: SQLite, one row per (participant, module, exercise), last write wins.

Every call opens a short connection (WAL journal, ``synchronous=FULL``, a busy timeout), so several kernels
and processes can write the same file at once. The schema version lives in ``PRAGMA user_version``.

The SQL lives here and in ``store_file`` (reading another store file read-only). Code that merges stores
(``netcourse collect``) uses the public :meth:`AnswerStore.transaction` and
:func:`netcourse.core.store_file.read_store_file`, never a connection of its own.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import platformdirs

from netcourse.core.errors import StoreError
from netcourse.core.participants import Profile, token_hash

SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 15.0
STORE_ENV = "NETCOURSE_STORE"

# Each step takes the store from version N-1 to N; a new store runs them all.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("""CREATE TABLE IF NOT EXISTS answers (
            participant_id TEXT NOT NULL,
            module         TEXT NOT NULL,
            exercise       TEXT NOT NULL,
            answer         TEXT NOT NULL,
            updated_at     TEXT NOT NULL,
            PRIMARY KEY (participant_id, module, exercise))""",),
    2: ("""CREATE TABLE IF NOT EXISTS participants (
            participant_id TEXT PRIMARY KEY,
            name           TEXT NOT NULL,
            municipality   TEXT NOT NULL DEFAULT '',
            grp            TEXT NOT NULL DEFAULT '',
            email          TEXT NOT NULL DEFAULT '',
            lang           TEXT NOT NULL DEFAULT 'de',
            token_hash     TEXT UNIQUE,
            created_at     TEXT NOT NULL)""",),
}


_PROFILE_COLUMNS = "participant_id, name, municipality, grp, email, lang"
RECORD_COLUMNS = "participant_id, name, municipality, grp, email, lang, token_hash, created_at"
ANSWER_COLUMNS = "participant_id, module, exercise, answer, updated_at"
_UPSERT_ANSWER = (f"INSERT INTO answers ({ANSWER_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
                  " ON CONFLICT (participant_id, module, exercise)"
                  " DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at")
_UPSERT_PROFILE = (f"INSERT INTO participants ({RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT (participant_id) DO UPDATE SET name = excluded.name,"
                   " municipality = excluded.municipality, grp = excluded.grp, email = excluded.email,"
                   " lang = excluded.lang, token_hash = excluded.token_hash")

AnswerRow = tuple[Any, ...]  # (participant_id, module, exercise, answer JSON, updated_at) as read, unchecked
ProfileRow = tuple[Any, ...]  # (participant_id, name, municipality, grp, email, lang, token_hash, created_at)


def default_store_path() -> Path:
    """``$NETCOURSE_STORE`` or ``answers.sqlite`` in the per-user data directory (never a served folder)."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("netcourse", appauthor=False) / "answers.sqlite"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Answer:
    participant_id: str
    module: str
    exercise: str
    value: dict[str, Any]
    updated_at: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "participant_id": self.participant_id,
            "module": self.module,
            "exercise": self.exercise,
            "answer": self.value,
            "updated_at": self.updated_at,
        }


def _payload(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class ProfileRecord:
    """A participant row as stored, with the hash of the link token: what merging two stores moves."""

    participant_id: str
    name: str
    municipality: str
    grp: str
    email: str
    lang: str
    token_hash: str | None
    created_at: str


class StoreConflictError(StoreError):
    """Rows do not fit the store's constraints (e.g. one link token under two participants); nothing written."""

    def __init__(self, path: object, reason: str) -> None:
        self.reason = reason
        super().__init__(path, f"the rows do not fit together ({reason})")


class StoreTransaction:
    """One write transaction on a store: read every row, write answers and profile records.

    Obtained from :meth:`AnswerStore.transaction`; it commits when the ``with`` block ends without error,
    rolls back on any error, and rolls back too after :meth:`discard` (a dry run).
    """

    def __init__(self, store: AnswerStore, conn: sqlite3.Connection) -> None:
        self._store, self._conn = store, conn
        self.discarded = False

    def answer_rows(self) -> list[AnswerRow]:
        return self._conn.execute(f"SELECT {ANSWER_COLUMNS} FROM answers").fetchall()

    def profile_rows(self) -> list[ProfileRow]:
        return self._conn.execute(f"SELECT {RECORD_COLUMNS} FROM participants").fetchall()

    def put_answers(self, answers: list[Answer]) -> None:
        """Write answers, replacing those of the same key."""
        self._write(_UPSERT_ANSWER, [(a.participant_id, a.module, a.exercise, _payload(a.value), a.updated_at)
                                     for a in answers])

    def put_profiles(self, records: list[ProfileRecord]) -> None:
        """Write profile records (link token hash included), replacing those of the same participant."""
        self._write(_UPSERT_PROFILE, [(r.participant_id, r.name, r.municipality, r.grp, r.email, r.lang,
                                       r.token_hash, r.created_at) for r in records])

    def delete_participant(self, participant_id: str) -> int:
        """Delete one participant's answers and profile; returns how many answers went."""
        cur = self._conn.execute("DELETE FROM answers WHERE participant_id = ?", (participant_id,))
        self._conn.execute("DELETE FROM participants WHERE participant_id = ?", (participant_id,))
        return cur.rowcount

    def discard(self) -> None:
        """End the transaction without writing anything (a dry run)."""
        self.discarded = True

    def _write(self, statement: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            self._conn.executemany(statement, rows)
        except sqlite3.IntegrityError as exc:
            raise StoreConflictError(self._store.path, str(exc)) from exc


class AnswerStore:
    """Answers of all participants in one SQLite file."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        # absolute at once: kernels run in other folders, and a relative path would land in the served one
        self.path = (Path(path).expanduser() if path is not None else default_store_path()).absolute()
        self._ready = False

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.path)!r})"

    # connection ----------------------------------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # personal data: readable by its owner only
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(self.path, f"cannot open the answer store: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if not self._ready:
                self._prepare(conn)
            conn.execute("PRAGMA synchronous = FULL")
            yield conn
        except sqlite3.DatabaseError as exc:
            raise StoreError(self.path, f"answer store not usable: {exc}") from exc
        finally:
            conn.close()

    def _prepare(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                self.path,
                f"written by a newer netcourse (schema {version}); this version reads up to {SCHEMA_VERSION}",
            )
        self._enable_wal(conn)
        if version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # re-read inside the write lock: another process may have migrated meanwhile
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in _MIGRATIONS[step]:
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        self._ready = True

    @staticmethod
    def _enable_wal(conn: sqlite3.Connection) -> None:
        """Switch to WAL once (it is kept in the file); retry while another process holds the lock.

        Changing the journal mode does not wait on the busy timeout, so processes opening a new store
        at the same moment would otherwise see 'database is locked'.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        """A write transaction (``BEGIN IMMEDIATE``): committed at the end, rolled back on any error."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            tx = StoreTransaction(self, conn)
            try:
                yield tx
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("ROLLBACK" if tx.discarded else "COMMIT")

    @property
    def schema_version(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    # answers -------------------------------------------------------------------------------------
    def save(self, participant_id: str, module: str, exercise: str, value: dict[str, Any],
             updated_at: str | None = None) -> Answer:
        """Write one answer (replacing an earlier one of the same key) and return it."""
        stamp = updated_at or utc_now()
        with self._connect() as conn:
            conn.execute(_UPSERT_ANSWER, (participant_id, module, exercise, _payload(value), stamp))
        return Answer(participant_id, module, exercise, value, stamp)

    def save_many(self, answers: list[Answer]) -> tuple[int, int]:
        """Write several answers in one transaction; an existing newer answer is kept.

        Returns (written, kept_newer). Either all are written or, on error, none.
        """
        written = kept = 0
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for a in answers:
                    row = conn.execute(
                        "SELECT updated_at FROM answers WHERE participant_id = ? AND module = ? AND exercise = ?",
                        (a.participant_id, a.module, a.exercise),
                    ).fetchone()
                    if row is not None and row[0] > a.updated_at:
                        kept += 1
                        continue
                    conn.execute(_UPSERT_ANSWER,
                                 (a.participant_id, a.module, a.exercise, _payload(a.value), a.updated_at))
                    written += 1
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return written, kept

    def load(self, participant_id: str, module: str, exercise: str) -> dict[str, Any] | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT answer FROM answers WHERE participant_id = ? AND module = ? AND exercise = ?",
                (participant_id, module, exercise),
            ).fetchone()
        return json.loads(row[0]) if row else None

    def answers(self, participant_id: str | None = None, module: str | None = None,
                exercise: str | None = None) -> list[Answer]:
        """All answers, optionally of one participant, one module and/or one exercise (activity), oldest first."""
        clauses, params = [], []
        for column, value in (("participant_id", participant_id), ("module", module), ("exercise", exercise)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT participant_id, module, exercise, answer, updated_at FROM answers"
                f"{where} ORDER BY updated_at, participant_id, module, exercise",
                params,
            ).fetchall()
        return [Answer(p, m, e, json.loads(a), t) for p, m, e, a, t in rows]

    def participants(self) -> list[str]:
        with self._connect() as conn:
            rows = conn.execute("SELECT DISTINCT participant_id FROM answers ORDER BY 1").fetchall()
        return [r[0] for r in rows]

    def forget(self, participant_id: str) -> int:
        """Delete every answer and the profile of one participant, both or neither; returns how many answers
        went. A failure rolls back, so a participant is never left half forgotten."""
        with self.transaction() as tx:
            return tx.delete_participant(participant_id)

    # participants ----------------------------------------------------------------------------------
    def add_participants(self, entries: list[tuple[Profile, str]]) -> None:
        """Store profiles with the SHA-256 of their link token, all or none."""
        now = utc_now()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for profile, token in entries:
                    conn.execute(_UPSERT_PROFILE, (profile.participant_id, profile.name, profile.municipality,
                                                   profile.group, profile.email, profile.lang, token_hash(token),
                                                   now))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def revoke_links(self, participant_ids: list[str]) -> None:
        """Make these participants' personal links invalid (their answers stay until forgotten)."""
        with self._connect() as conn:
            conn.executemany("UPDATE participants SET token_hash = NULL WHERE participant_id = ?",
                             [(pid,) for pid in participant_ids])

    def profile(self, participant_id: str) -> Profile | None:
        with self._connect() as conn:
            row = conn.execute(f"SELECT {_PROFILE_COLUMNS} FROM participants WHERE participant_id = ?",
                               (participant_id,)).fetchone()
        return Profile(*row) if row else None

    def profile_for_token(self, token: str) -> Profile | None:
        """The participant whose personal link carries ``token``, or None."""
        if not token:
            return None
        with self._connect() as conn:
            row = conn.execute(f"SELECT {_PROFILE_COLUMNS} FROM participants WHERE token_hash = ?",
                               (token_hash(token),)).fetchone()
        return Profile(*row) if row else None

    def profiles(self) -> list[Profile]:
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {_PROFILE_COLUMNS} FROM participants ORDER BY created_at, name").fetchall()
        return [Profile(*r) for r in rows]

    def integrity_check(self) -> str:
        with self._connect() as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
