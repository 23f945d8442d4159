"""Runs of a course („Durchführungen“) in one store: create, list, archive, and each run's trainer key.

A run id is readable and unique: the title as a slug plus random hex (``kurs-fulda-3f9a0c``); two trainers
creating runs at the same moment both succeed (a clash of ids is retried with new random hex).
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from slugify import slugify

from netcourse.core.errors import StoreError
from netcourse.core.participants import same_hash, token_hash
from netcourse.core.store.api import AnswerStore
from netcourse.core.store.model import DEFAULT_RUN, Run, UnknownRunError, utc_now
from netcourse.core.store.schema import runs

_COLUMNS = (runs.c.run_id, runs.c.title, runs.c.date, runs.c.roster, runs.c.links, runs.c.created_at,
            runs.c.archived_at, runs.c.trainer_key_hash.is_not(None))


def list_runs(store: AnswerStore, include_archived: bool = True) -> list[Run]:
    query = sa.select(*_COLUMNS).order_by(runs.c.created_at, runs.c.run_id)
    if not include_archived:
        query = query.where(runs.c.archived_at.is_(None))
    with store._connect(write=False, check_run=False) as conn:
        return [Run(*row) for row in conn.execute(query)]


def get_run(store: AnswerStore, run_id: str | None = None) -> Run:
    """The run ``run_id`` (default: the store's own run); :class:`UnknownRunError` lists the known ones."""
    run_id = run_id or store.run
    found = list_runs(store)
    for run in found:
        if run.run_id == run_id:
            return run
    raise UnknownRunError(store.path, run_id, [r.run_id for r in found])


def new_run_id(title: str) -> str:
    stem = slugify(title, max_length=40, word_boundary=True) or "run"
    return f"{stem}-{secrets.token_hex(3)}"


def create_run(store: AnswerStore, title: str, date: str = "", roster: str = "", links: str = "") -> Run:
    """A new run; its id is returned in the :class:`Run`. Retried on an id clash (both creators succeed)."""
    title = " ".join(title.split())
    if not title:
        raise StoreError(store.path, "a run needs a title")
    for _ in range(5):
        run_id = new_run_id(title)
        try:
            with store._connect(check_run=False) as conn:
                conn.execute(sa.insert(runs).values(run_id=run_id, title=title, date=date, roster=roster,
                                                    links=links, created_at=utc_now()))
        except StoreError as exc:
            if "unique" in str(exc).lower() or "duplicate" in str(exc).lower():
                continue
            raise
        return get_run(store, run_id)
    raise StoreError(store.path, "could not find a free run id; try again")


def _update(store: AnswerStore, run_id: str, **values: object) -> None:
    get_run(store, run_id)  # unknown → one line listing the known runs
    with store._connect(check_run=False) as conn:
        conn.execute(sa.update(runs).where(runs.c.run_id == run_id).values(**values))


def archive_run(store: AnswerStore, run_id: str) -> Run:
    """Mark a run archived: it is kept (answers, documentation) but no longer presented."""
    if run_id == DEFAULT_RUN:
        raise StoreError(store.path, f"the run {DEFAULT_RUN!r} cannot be archived")
    _update(store, run_id, archived_at=utc_now())
    return get_run(store, run_id)


def set_run_files(store: AnswerStore, roster: str | None = None, links: str | None = None) -> None:
    """Note where the store's run has its roster and links file."""
    values = {k: v for k, v in (("roster", roster), ("links", links)) if v is not None}
    if values:
        _update(store, store.run, **values)


def issue_trainer_key(store: AnswerStore) -> str:
    """A new trainer key for the store's run (the old one stops working); only its hash is stored."""
    key = secrets.token_urlsafe(18)
    _update(store, store.run, trainer_key_hash=token_hash(key))
    return key


def trainer_key_opens(store: AnswerStore, key: str) -> bool:
    """Whether ``key`` is the trainer key of the store's run (and of no other run)."""
    if not key:
        return False
    with store._connect(write=False) as conn:
        stored = conn.execute(sa.select(runs.c.trainer_key_hash).where(runs.c.run_id == store.run)).scalar()
    return bool(stored) and same_hash(stored, token_hash(key))
