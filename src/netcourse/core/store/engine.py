"""Engines for a store locator, SQLite's durability settings, errors as one line, and the migrations.

SQLite: every connection gets ``busy_timeout`` and ``synchronous = FULL`` (set in a ``connect`` event), the
file is switched to WAL once, writes begin with ``BEGIN IMMEDIATE`` (a ``begin`` event), reads with a plain
``BEGIN``; connections are not pooled (short connections, as several kernels share the file).
PostgreSQL: a pooled engine per process (one idle connection kept), ``connect_timeout`` 10 s unless the URL sets one.
Schema changes are Alembic revisions in ``migrations/versions``, run programmatically inside one transaction.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import NullPool

from netcourse.core.errors import StoreError
from netcourse.core.store.model import BUSY_TIMEOUT_S, SCHEMA_VERSION, ServerLocation

HEAD = f"{SCHEMA_VERSION:04d}"
MIGRATIONS = Path(__file__).with_name("migrations")
READ = {"netcourse_read": True}
_ENGINES: dict[tuple[str, int], Engine] = {}


def parse_locator(locator: str | os.PathLike[str]) -> tuple[URL, Path | ServerLocation]:
    """The SQLAlchemy URL and the shown location (file path, or URL without password) of a locator."""
    text = os.fspath(locator)
    if "://" not in text:
        path = Path(text).expanduser().absolute()
        return URL.create("sqlite", database=str(path)), path
    try:
        url = make_url(text)
    except Exception as exc:  # noqa: BLE001 - sqlalchemy raises ArgumentError or ValueError
        raise StoreError("store", f"not a database URL ({type(exc).__name__})") from None
    if url.get_backend_name() == "sqlite":
        if not url.database:
            raise StoreError(text, "a SQLite store needs a file (sqlite:///path/answers.sqlite)")
        path = Path(url.database).expanduser().absolute()
        return url.set(database=str(path)), path
    if url.get_backend_name() != "postgresql":
        raise StoreError(url.render_as_string(hide_password=True),
                         "unsupported database; use a file path, sqlite:///… or postgresql+psycopg://…")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    shown = url.render_as_string(hide_password=True)
    host = f"{url.host or 'localhost'}" + (f":{url.port}" if url.port else "")
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database,
                      url.query).render_as_string(hide_password=False)
    return url, ServerLocation(shown, host, url.database or "", bare)


def engine_for(url: URL) -> Engine:
    """One engine per URL and process (a forked child makes its own)."""
    key = (url.render_as_string(hide_password=False), os.getpid())
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = _sqlite_engine(url) if url.get_backend_name() == "sqlite" else _pg_engine(url)
    return engine


def _sqlite_engine(url: URL) -> Engine:
    engine = sa.create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("netcourse_read") else "BEGIN IMMEDIATE")

    return engine


def pg_connect_args(url: URL) -> dict[str, Any]:
    """psycopg's connect arguments: ``connect_timeout`` 10 s unless the URL sets one."""
    return {} if "connect_timeout" in url.query else {"connect_timeout": 10}


def _pg_engine(url: URL) -> Engine:
    args = pg_connect_args(url)
    # one idle connection per process: every participant's kernel is a process, and PostgreSQL's
    # max_connections (100 by default) must cover them all
    return sa.create_engine(url, pool_pre_ping=True, pool_size=1, max_overflow=4, connect_args=args)


def store_error(location: Path | ServerLocation, exc: Exception, password: str | None = None) -> StoreError:
    """One line for a failed database call: host and database, or the file; never the password."""
    orig = getattr(exc, "orig", None) or exc
    reason = " ".join(str(orig).split()).split("(Background on this error")[0].strip()
    if password:
        reason = reason.replace(password, "***")
    if isinstance(location, ServerLocation):
        if isinstance(exc, sa.exc.OperationalError) and not isinstance(exc, sa.exc.IntegrityError):
            return StoreError(location, f"cannot use the database {location.database!r} on host "
                                        f"{location.host}: {reason}")
        return StoreError(location, f"database error: {reason}")
    return StoreError(location, f"answer store not usable: {reason}")


def prepare_sqlite(engine: Engine, location: object) -> None:
    """Refuse a file of a newer schema (``user_version``); switch the file to WAL once (kept in the file),
    retrying while another process holds the lock (changing the journal mode does not wait on the busy
    timeout)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    error = engine.dialect.loaded_dbapi.Error
    try:
        raw = engine.raw_connection()
    except error as exc:
        raise store_error(location, exc) from None  # type: ignore[arg-type]
    try:
        _prepare_sqlite(raw, location, deadline)
    except error as exc:
        raise store_error(location, exc) from None  # type: ignore[arg-type]
    finally:
        raw.close()


def _prepare_sqlite(raw: Any, location: object, deadline: float) -> None:
    cursor = raw.driver_connection.cursor()
    version = cursor.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise newer_schema(location, version)
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except Exception as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def current_revision(conn: sa.Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")}


def _legacy_revision(conn: sa.Connection) -> str | None:
    """A SQLite store written before Alembic: its ``user_version`` (1 or 2) as a revision, if it has tables."""
    if conn.dialect.name != "sqlite":
        return None
    tables = set(sa.inspect(conn).get_table_names())
    if "answers" not in tables or "alembic_version" in tables:
        return None
    version = conn.exec_driver_sql("PRAGMA user_version").scalar() or 1
    return f"{min(int(version), 2):04d}"


def newer_schema(location: object, found: object) -> StoreError:
    return StoreError(location, f"written by a newer netcourse (schema {found}); this version reads up to "
                                f"{SCHEMA_VERSION}")


def migrate(engine: Engine, location: Path | ServerLocation) -> None:
    """Bring the store to :data:`HEAD` in one transaction (all steps or none), refusing a newer schema.
    Concurrent openers wait: SQLite's write lock, or a PostgreSQL advisory lock."""
    from alembic import command
    from alembic.config import Config

    if engine.dialect.name == "sqlite":
        prepare_sqlite(engine, location)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7710302)")  # 'netcourse' schema lock
        revision = current_revision(conn)
        if revision is not None and revision not in known_revisions():
            raise newer_schema(location, revision)
        if revision == HEAD:
            return
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        legacy = _legacy_revision(conn) if revision is None else None
        if legacy is not None:
            command.stamp(config, legacy)
        command.upgrade(config, "head")
