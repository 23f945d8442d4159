"""What the store holds, as plain data, and where a store is: a file path or a database URL (``db_url``).

A store is named like JupyterHub's and nbgrader's ``db_url``: a plain path or ``sqlite:///…`` (a SQLite
file, the default) or ``postgresql+psycopg://user@host/db``. A locator may end in ``#run=<id>`` to name
the run (how a workbook notebook's ``store`` parameter carries it). No SQLAlchemy import here.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import platformdirs

from netcourse.core.errors import StoreError

STORE_ENV = "NETCOURSE_STORE"
SCHEMA_VERSION = 3  # the Alembic head revision, as a number
# A journal (JSON) holds one participant's answers as in schema 2; runs are not part of it, so journals keep
# this number and older releases still import them.
JOURNAL_SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 15.0
RUN_ENV = "NETCOURSE_RUN"
DEFAULT_RUN = "default"
RUN_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_RUN_SUFFIX = re.compile(r"#run=([a-z0-9][a-z0-9-]{0,62})$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)

AnswerRow = tuple[Any, ...]  # (participant_id, module, exercise, answer JSON, updated_at) as read, unchecked
ProfileRow = tuple[Any, ...]  # (participant_id, name, municipality, grp, email, lang, token_hash, created_at)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def default_store_path() -> Path:
    """``$NETCOURSE_STORE`` (if a file path) or ``answers.sqlite`` in the per-user data directory."""
    env = os.environ.get(STORE_ENV)
    if env and not is_url(env):
        return Path(env).expanduser()
    return platformdirs.user_data_path("netcourse", appauthor=False) / "answers.sqlite"


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def split_run(locator: str) -> tuple[str, str | None]:
    """``'<store>#run=<id>'`` → (``'<store>'``, id); a locator without the suffix → (locator, None)."""
    found = _RUN_SUFFIX.search(locator)
    return (locator[:found.start()], found.group(1)) if found else (locator, None)


def check_run_id(run_id: str) -> str:
    if not RUN_ID.match(run_id or ""):
        raise StoreError("run", f"{run_id!r} is not a run id (lower-case letters, digits and '-', at most 63)")
    return run_id


class ServerLocation:
    """Where a server database is, shown without its password; stands where a file store has its ``Path``."""

    def __init__(self, shown: str, host: str, database: str, bare: str = "") -> None:
        self.shown, self.host, self.database = shown, host, database
        self.bare = bare or shown  # the URL with no password at all (for kernels and workbooks)

    def __str__(self) -> str:
        return self.shown

    def __repr__(self) -> str:
        return f"ServerLocation({self.shown!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerLocation) and other.shown == self.shown

    def __hash__(self) -> int:
        return hash(self.shown)

    def exists(self) -> bool:  # a database server store is created by its administrator, not by us
        return True

    def resolve(self) -> ServerLocation:
        return self


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


def payload(value: dict[str, Any]) -> str:
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


@dataclass(frozen=True)
class Run:
    """One run of the course („Durchführung“): its own roster, links, trainer key and answers."""

    run_id: str
    title: str
    date: str
    roster: str
    links: str
    created_at: str
    archived_at: str | None
    has_trainer_key: bool

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def as_dict(self) -> dict[str, Any]:
        return {"run": self.run_id, "title": self.title, "date": self.date, "roster": self.roster,
                "links": self.links, "created_at": self.created_at, "archived_at": self.archived_at}


class StoreConflictError(StoreError):
    """Rows do not fit the store's constraints (e.g. one link token under two participants); nothing written."""

    def __init__(self, path: object, reason: str) -> None:
        self.reason = reason
        super().__init__(path, f"the rows do not fit together ({reason})")


class UnknownRunError(StoreError):
    """The store holds no run of that id; lists the ones it has."""

    def __init__(self, path: object, run_id: str, known: list[str]) -> None:
        self.run_id, self.known = run_id, known
        super().__init__(path, f"unknown run {run_id!r}; known runs: {', '.join(known) or '(none)'}")
