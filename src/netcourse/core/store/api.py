"""The answer store: one row per (run, participant, module, exercise), last write wins; SQLite or PostgreSQL.

An :class:`AnswerStore` is one run of one store: every read and write is limited to its run, so one
database holds many runs and none sees another's answers. Every write is one transaction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from netcourse.core.errors import StoreError
from netcourse.core.participants import Profile, token_hash
from netcourse.core.store import engine as eng
from netcourse.core.store.changes import POLL_S as FEED_POLL_S
from netcourse.core.store.changes import ChangeFeed, announce
from netcourse.core.store.model import (
    DEFAULT_RUN,
    RUN_ENV,
    STORE_ENV,
    Answer,
    AnswerRow,
    ProfileRecord,
    ProfileRow,
    ServerLocation,
    StoreConflictError,
    UnknownRunError,
    check_run_id,
    default_store_path,
    payload,
    split_run,
    utc_now,
)
from netcourse.core.store.schema import ANSWER_FIELDS, PROFILE_FIELDS, RECORD_FIELDS, answers, participants, runs

_ANSWER_KEY = ("run_id", "participant_id", "module", "exercise")


def _upsert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], key: tuple[str, ...]) -> None:
    if not rows:
        return
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
    update = {c: insert.excluded[c] for c in rows[0] if c not in key and c != "created_at"}
    conn.execute(insert.on_conflict_do_update(index_elements=list(key), set_=update), rows)
    if table is answers:  # PostgreSQL delivers a run's notification once per transaction, however often sent
        for run in {row["run_id"] for row in rows}:
            announce(conn, run)


class StoreTransaction:
    """One write transaction on a store's run: read every row, write answers and profile records.

    Obtained from :meth:`AnswerStore.transaction`; it commits when the ``with`` block ends without error,
    rolls back on any error, and rolls back too after :meth:`discard` (a dry run).
    """

    def __init__(self, store: AnswerStore, conn: sa.Connection) -> None:
        self._store, self._conn = store, conn
        self.discarded = False

    def answer_rows(self) -> list[AnswerRow]:
        cols = [answers.c[f] for f in ANSWER_FIELDS]
        return [tuple(r) for r in self._conn.execute(sa.select(*cols).where(answers.c.run_id == self._store.run))]

    def profile_rows(self) -> list[ProfileRow]:
        cols = [participants.c[f] for f in RECORD_FIELDS]
        query = sa.select(*cols).where(participants.c.run_id == self._store.run)
        return [tuple(r) for r in self._conn.execute(query)]

    def put_answers(self, items: list[Answer]) -> None:
        """Write answers, replacing those of the same key."""
        self._write(answers, [self._store.answer_row(a) for a in items], _ANSWER_KEY)

    def put_profiles(self, records: list[ProfileRecord]) -> None:
        """Write profile records (link token hash included), replacing those of the same participant."""
        rows = [{"run_id": self._store.run, **dict(zip(RECORD_FIELDS, (
            r.participant_id, r.name, r.municipality, r.grp, r.email, r.lang, r.token_hash, r.created_at),
            strict=True))} for r in records]
        self._write(participants, rows, ("run_id", "participant_id"))

    def delete_participant(self, participant_id: str) -> int:
        """Delete one participant's answers and profile in this run; returns how many answers went."""
        run = self._store.run
        gone = self._conn.execute(sa.delete(answers).where(answers.c.run_id == run,
                                                           answers.c.participant_id == participant_id))
        self._conn.execute(sa.delete(participants).where(participants.c.run_id == run,
                                                         participants.c.participant_id == participant_id))
        announce(self._conn, run)
        return int(gone.rowcount)

    def discard(self) -> None:
        """End the transaction without writing anything (a dry run)."""
        self.discarded = True

    def _write(self, table: sa.Table, rows: list[dict[str, Any]], key: tuple[str, ...]) -> None:
        try:
            with self._conn.begin_nested():  # a conflict leaves the transaction usable, and reported
                _upsert(self._conn, table, rows, key)
        except sa.exc.IntegrityError as exc:
            raise StoreConflictError(self._store.path, str(exc.orig).splitlines()[0]) from exc


class AnswerStore:
    """Answers and profiles of one run in one store (a SQLite file or a PostgreSQL database).

    ``locator``: a path, ``sqlite:///…`` or ``postgresql+psycopg://…``, optionally ending in ``#run=<id>``;
    default ``$NETCOURSE_STORE`` or the per-user data folder. ``run``: default the locator's, then
    ``$NETCOURSE_RUN``, then the run ``default``.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, run: str | None = None) -> None:
        text = os.fspath(path) if path is not None else os.environ.get(STORE_ENV) or str(default_store_path())
        text, from_locator = split_run(text)
        self.url, self.path = eng.parse_locator(text)
        self.run = check_run_id(run or from_locator or os.environ.get(RUN_ENV) or DEFAULT_RUN)
        self._ready = self._run_checked = False

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.path)!r}, run={self.run!r})"

    @property
    def is_file(self) -> bool:
        return not isinstance(self.path, ServerLocation)

    @property
    def locator(self) -> str:
        """How a page or workbook names this store and run (a server URL without its password:
        give the password by ``PGPASSWORD`` or ``~/.pgpass``)."""
        base = self.path.bare if isinstance(self.path, ServerLocation) else str(self.path)
        return base if self.run == DEFAULT_RUN else f"{base}#run={self.run}"

    # connection ----------------------------------------------------------------------------------
    @contextmanager
    def _connect(self, write: bool = True, check_run: bool = True) -> Iterator[sa.Connection]:
        """A connection in one transaction (committed at the end of the block, rolled back on error)."""
        engine = self._engine()
        try:
            if not self._ready:
                eng.migrate(engine, self.path)
                self._ready = True
            if check_run:
                self._check_run(engine)
            conn = engine.connect()
        except StoreError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise eng.store_error(self.path, exc, self.url.password) from None
        try:
            with conn:
                if not write:
                    conn.execution_options(**eng.READ)
                with conn.begin():
                    yield conn
        except sa.exc.IntegrityError as exc:
            raise StoreConflictError(self.path, str(exc.orig).splitlines()[0]) from None
        except sa.exc.SQLAlchemyError as exc:
            raise eng.store_error(self.path, exc, self.url.password) from None

    def _engine(self) -> sa.Engine:
        if self.is_file:
            path = Path(self.path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if not path.exists():  # personal data: readable by its owner only
                    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            except OSError as exc:
                raise StoreError(self.path, f"cannot open the answer store: {exc}") from exc
        return eng.engine_for(self.url)

    def _check_run(self, engine: sa.Engine) -> None:
        if self._run_checked:
            return
        with engine.connect().execution_options(**eng.READ) as conn:
            known = [r[0] for r in conn.execute(sa.select(runs.c.run_id).order_by(runs.c.created_at))]
        if self.run not in known:
            raise UnknownRunError(self.path, self.run, known)
        self._run_checked = True

    def prepare(self) -> None:
        """Open the store now (engine, schema migrations, run check) rather than at the first read or write;
        a page kernel does this while it waits for its visitor."""
        with self._connect(write=False):
            pass

    @contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        """A write transaction: committed at the end, rolled back on any error or after ``discard()``."""
        with self._connect() as conn:
            tx = StoreTransaction(self, conn)
            yield tx
            if tx.discarded:
                conn.get_transaction().rollback()

    @property
    def schema_version(self) -> int:
        with self._connect(write=False, check_run=False) as conn:
            return int(eng.current_revision(conn) or 0)

    def answer_row(self, a: Answer) -> dict[str, Any]:
        if "\x00" in a.participant_id + a.module + a.exercise:  # PostgreSQL text cannot hold it; nor do we
            raise StoreError(self.path, "participant, module and exercise ids must not contain NUL characters")
        return {"run_id": self.run, "participant_id": a.participant_id, "module": a.module,
                "exercise": a.exercise, "answer": payload(a.value), "updated_at": a.updated_at}

    def _mine(self, table: sa.Table) -> sa.ColumnElement[bool]:
        return table.c.run_id == self.run

    # answers -------------------------------------------------------------------------------------
    def save(self, participant_id: str, module: str, exercise: str, value: dict[str, Any],
             updated_at: str | None = None) -> Answer:
        """Write one answer (replacing an earlier one of the same key) and return it."""
        answer = Answer(participant_id, module, exercise, value, updated_at or utc_now())
        row = self.answer_row(answer)
        with self._connect() as conn:
            _upsert(conn, answers, [row], _ANSWER_KEY)
        return answer

    def save_many(self, items: list[Answer]) -> tuple[int, int]:
        """Write several answers in one transaction; an existing newer answer is kept.

        Returns (written, kept_newer). Either all are written or, on error, none.
        """
        written = kept = 0
        rows = [self.answer_row(a) for a in items]  # every answer checked before the transaction
        with self._connect() as conn:
            for a, row in zip(items, rows, strict=True):
                stamp = conn.execute(sa.select(answers.c.updated_at).where(
                    self._mine(answers), answers.c.participant_id == a.participant_id,
                    answers.c.module == a.module, answers.c.exercise == a.exercise)).scalar()
                if stamp is not None and stamp > a.updated_at:
                    kept += 1
                    continue
                _upsert(conn, answers, [row], _ANSWER_KEY)
                written += 1
        return written, kept

    def load(self, participant_id: str, module: str, exercise: str) -> dict[str, Any] | None:
        with self._connect(write=False) as conn:
            raw = conn.execute(sa.select(answers.c.answer).where(
                self._mine(answers), answers.c.participant_id == participant_id, answers.c.module == module,
                answers.c.exercise == exercise)).scalar()
        return json.loads(raw) if raw is not None else None

    def answers(self, participant_id: str | None = None, module: str | None = None,
                exercise: str | None = None) -> list[Answer]:
        """All answers, optionally of one participant, one module and/or one exercise (activity), oldest first."""
        query = sa.select(*[answers.c[f] for f in ANSWER_FIELDS]).where(self._mine(answers))
        for column, value in (("participant_id", participant_id), ("module", module), ("exercise", exercise)):
            if value is not None:
                query = query.where(answers.c[column] == value)
        query = query.order_by(answers.c.updated_at, answers.c.participant_id, answers.c.module,
                               answers.c.exercise)
        with self._connect(write=False) as conn:
            rows = conn.execute(query).all()
        return [Answer(p, m, e, json.loads(a), t) for p, m, e, a, t in rows]

    def changes(self, poll_s: float = FEED_POLL_S) -> ChangeFeed:
        """A feed telling when this run's answers change, from any process (close it when done)."""
        self.prepare()  # migrated, the run known, the database reachable: else one line now
        return ChangeFeed(self.url, self.run, poll_s)

    def participants(self) -> list[str]:
        query = sa.select(answers.c.participant_id).where(self._mine(answers)).distinct().order_by(
            answers.c.participant_id)
        with self._connect(write=False) as conn:
            return [r[0] for r in conn.execute(query)]

    def forget(self, participant_id: str) -> int:
        """Delete every answer and the profile of one participant in this run, both or neither; returns how
        many answers went. A failure rolls back, so a participant is never left half forgotten."""
        with self.transaction() as tx:
            return tx.delete_participant(participant_id)

    # participants ----------------------------------------------------------------------------------
    def add_participants(self, entries: list[tuple[Profile, str]]) -> None:
        """Store profiles with the SHA-256 of their link token, all or none."""
        now = utc_now()
        records = [ProfileRecord(p.participant_id, p.name, p.municipality, p.group, p.email, p.lang,
                                 token_hash(token), now) for p, token in entries]
        with self.transaction() as tx:
            tx.put_profiles(records)

    def revoke_links(self, participant_ids: list[str]) -> None:
        """Make these participants' personal links invalid (their answers stay until forgotten)."""
        if not participant_ids:
            return
        with self._connect() as conn:
            conn.execute(sa.update(participants).where(
                self._mine(participants), participants.c.participant_id.in_(participant_ids)).values(
                token_hash=None))

    def _profiles(self, *where: sa.ColumnElement[bool]) -> list[Profile]:
        query = sa.select(*[participants.c[f] for f in PROFILE_FIELDS]).where(self._mine(participants), *where)
        with self._connect(write=False) as conn:
            rows = conn.execute(query.order_by(participants.c.created_at, participants.c.name)).all()
        return [Profile(*r) for r in rows]

    def profile(self, participant_id: str) -> Profile | None:
        found = self._profiles(participants.c.participant_id == participant_id)
        return found[0] if found else None

    def profile_for_token(self, token: str) -> Profile | None:
        """The participant of this run whose personal link carries ``token``, or None."""
        if not token:
            return None
        found = self._profiles(participants.c.token_hash == token_hash(token))
        return found[0] if found else None

    def profiles(self) -> list[Profile]:
        return self._profiles()

    def integrity_check(self) -> str:
        """SQLite's ``integrity_check`` of the file; on a server database, ``ok`` when it answers."""
        with self._connect(write=False, check_run=False) as conn:
            if conn.dialect.name != "sqlite":
                return "ok" if conn.execute(sa.text("SELECT 1")).scalar() == 1 else "not ok"
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())
