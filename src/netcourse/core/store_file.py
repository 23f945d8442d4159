"""Another store file, read without changing it (``netcourse collect`` merges several): every row as stored."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from netcourse.core.errors import StoreError
from netcourse.core.store import (
    ANSWER_COLUMNS,
    BUSY_TIMEOUT_S,
    RECORD_COLUMNS,
    SCHEMA_VERSION,
    AnswerRow,
    ProfileRow,
)


class StoreReadError(StoreError):
    """Another store file cannot be read; ``reason`` says why without the path."""

    def __init__(self, path: object, reason: str) -> None:
        self.reason = reason
        super().__init__(path, reason)


@dataclass(frozen=True)
class StoreFile:
    """Every row of a store file, read without changing it, as stored (callers check each row)."""

    answer_rows: list[AnswerRow]
    profile_rows: list[ProfileRow]


def read_store_file(path: str | os.PathLike[str]) -> StoreFile:
    """Read another store read-only, after SQLite's quick check; raises :class:`StoreReadError`.

    Without a pending write-ahead log the file is opened as immutable, so SQLite creates no -wal/-shm files
    beside it; with one (a store in use or not closed cleanly) it reads the log too.
    """
    path = Path(path)
    flags = "mode=ro" if Path(f"{path}-wal").exists() else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise StoreReadError(path, f"cannot open the store: {exc}") from exc
    try:
        conn.execute("PRAGMA query_only = ON")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise StoreReadError(path, f"damaged SQLite file ({check})")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreReadError(path, f"written by a newer netcourse (schema {version}); "
                                       f"this version reads up to {SCHEMA_VERSION}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "answers" not in tables:
            raise StoreReadError(path, "not a netcourse answer store (no answers table)")
        answer_rows = conn.execute(f"SELECT {ANSWER_COLUMNS} FROM answers ORDER BY updated_at").fetchall()
        profile_rows = (conn.execute(f"SELECT {RECORD_COLUMNS} FROM participants").fetchall()
                        if "participants" in tables else [])
    except sqlite3.DatabaseError as exc:
        raise StoreReadError(path, f"damaged SQLite file: {exc}") from exc
    finally:
        conn.close()
    return StoreFile(answer_rows, profile_rows)
