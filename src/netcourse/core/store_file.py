"""Another store file, read without changing it (``netcourse collect`` merges several): every row as stored.

Files of schema 1 and 2 have no runs (all their rows are read); a file of schema 3 is read for one run: the
one asked for if it has it, else its only run; with several runs and none chosen, the error lists them.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from netcourse.core.errors import StoreError
from netcourse.core.store.model import BUSY_TIMEOUT_S, SCHEMA_VERSION, AnswerRow, ProfileRow

ANSWER_COLUMNS = "participant_id, module, exercise, answer, updated_at"
RECORD_COLUMNS = "participant_id, name, municipality, grp, email, lang, token_hash, created_at"


class StoreReadError(StoreError):
    """Another store file cannot be read; ``reason`` says why without the path."""

    def __init__(self, path: object, reason: str) -> None:
        self.reason = reason
        super().__init__(path, reason)


@dataclass(frozen=True)
class StoreFile:
    """Every row of a store file (of one run), read without changing it, as stored (callers check each row)."""

    answer_rows: list[AnswerRow]
    profile_rows: list[ProfileRow]
    run: str | None = None


def read_store_file(path: str | os.PathLike[str], run: str | None = None) -> StoreFile:
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
        where, params, chosen = "", (), None
        if "runs" in tables:
            chosen = _choose_run(path, [r[0] for r in conn.execute("SELECT run_id FROM runs ORDER BY 1")], run)
            where, params = " WHERE run_id = ?", (chosen,)
        answer_rows = conn.execute(f"SELECT {ANSWER_COLUMNS} FROM answers{where} ORDER BY updated_at",
                                   params).fetchall()
        profile_rows = (conn.execute(f"SELECT {RECORD_COLUMNS} FROM participants{where}", params).fetchall()
                        if "participants" in tables else [])
    except sqlite3.DatabaseError as exc:
        raise StoreReadError(path, f"damaged SQLite file: {exc}") from exc
    finally:
        conn.close()
    return StoreFile(answer_rows, profile_rows, chosen)


def _choose_run(path: Path, known: list[str], wanted: str | None) -> str:
    """The run to read: the one asked for if the file has it, else the file's only run."""
    if wanted in known:
        return str(wanted)
    if len(known) == 1:
        return known[0]
    raise StoreReadError(path, f"holds several runs ({', '.join(known)}); choose one with --from-run")
