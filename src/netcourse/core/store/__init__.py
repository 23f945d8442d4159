"""The answer store (all SQL of the kit lives in this package and in ``core/store_file.py``).

One interface, two backends: a SQLite file (default) or PostgreSQL, both through SQLAlchemy Core, the schema
kept by Alembic revisions run on first use. The names below are the public API; :mod:`.model` (plain data)
needs no SQLAlchemy, the rest is imported when a store is first built, so ``import netcourse`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netcourse.core.store.model import (
    BUSY_TIMEOUT_S,
    DEFAULT_RUN,
    JOURNAL_SCHEMA_VERSION,
    RUN_ENV,
    SCHEMA_VERSION,
    STORE_ENV,
    Answer,
    AnswerRow,
    ProfileRecord,
    ProfileRow,
    Run,
    ServerLocation,
    StoreConflictError,
    UnknownRunError,
    default_store_path,
    utc_now,
)

if TYPE_CHECKING:
    from netcourse.core.store.api import AnswerStore, StoreTransaction
    from netcourse.core.store.changes import ChangeFeed

__all__ = ["BUSY_TIMEOUT_S", "DEFAULT_RUN", "JOURNAL_SCHEMA_VERSION", "RUN_ENV", "SCHEMA_VERSION", "STORE_ENV",
           "Answer", "AnswerRow", "AnswerStore", "ChangeFeed", "ProfileRecord", "ProfileRow", "Run", "ServerLocation",
           "StoreConflictError", "StoreTransaction", "UnknownRunError", "default_store_path", "utc_now"]


def __getattr__(name: str) -> Any:
    if name in ("AnswerStore", "StoreTransaction"):
        from netcourse.core.store import api

        return getattr(api, name)
    if name == "ChangeFeed":
        from netcourse.core.store.changes import ChangeFeed

        return ChangeFeed
    raise AttributeError(f"module 'netcourse.core.store' has no attribute {name!r}")
