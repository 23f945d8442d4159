"""The answer store, for real, on both backends: a SQLite file and a PostgreSQL database (a throw-away
cluster). Every test of the store API runs on both (``backend`` parameter); tests of what only one backend
has (SQLite's file, pragmas and journal; a server's host and password) say so in their name."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import threading
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcourse.core.errors import NetcourseError, StoreError
from netcourse.core.store import SCHEMA_VERSION, AnswerStore, default_store_path
from storeutil import answer_rows, execute, raw

WRITES_PER_PROCESS = 300


@pytest.fixture
def store(store_locator: str) -> AnswerStore:
    return AnswerStore(store_locator)


@pytest.fixture
def db_rows(store_locator: str):
    """The answers table read directly, on the test's backend."""
    return lambda: answer_rows(store_locator)


def test_round_trip(store: AnswerStore) -> None:
    value = {"ratings": {"tausch": 4, "ziele": None}, "notes": {"tausch": "läuft"}}
    saved = store.save("p1", "grundmerkmale", "selbsteinschaetzung", value)
    assert saved.value == value and saved.participant_id == "p1"
    assert store.load("p1", "grundmerkmale", "selbsteinschaetzung") == value
    assert store.load("p2", "grundmerkmale", "selbsteinschaetzung") is None
    assert store.load("p1", "grundmerkmale", "other") is None


def test_answers_survive_a_new_store_object(store: AnswerStore, store_locator: str) -> None:
    store.save("p1", "m", "e", {"text": "bleibt"})
    assert AnswerStore(store_locator).load("p1", "m", "e") == {"text": "bleibt"}


def test_last_write_wins(store: AnswerStore, db_rows) -> None:
    store.save("p1", "m", "e", {"v": 1}, updated_at="2024-01-01T10:00:00+00:00")
    second = store.save("p1", "m", "e", {"v": 2})
    assert store.load("p1", "m", "e") == {"v": 2}
    assert db_rows() == [("p1", "m", "e", '{"v": 2}')]
    [only] = store.answers("p1")
    assert only.updated_at == second.updated_at != "2024-01-01T10:00:00+00:00"


def test_answers_filter_by_participant_and_module(store: AnswerStore) -> None:
    store.save("p1", "m1", "a", {"n": 1}, updated_at="2024-01-01T10:00:03+00:00")
    store.save("p1", "m2", "b", {"n": 2}, updated_at="2024-01-01T10:00:01+00:00")
    store.save("p2", "m1", "a", {"n": 3}, updated_at="2024-01-01T10:00:02+00:00")

    def keys(found):
        return [(a.participant_id, a.module, a.exercise) for a in found]

    assert keys(store.answers()) == [("p1", "m2", "b"), ("p2", "m1", "a"), ("p1", "m1", "a")]  # oldest first
    assert keys(store.answers("p1")) == [("p1", "m2", "b"), ("p1", "m1", "a")]
    assert keys(store.answers(module="m1")) == [("p2", "m1", "a"), ("p1", "m1", "a")]
    assert keys(store.answers("p1", "m1")) == [("p1", "m1", "a")]
    assert store.answers("nobody") == []
    assert store.participants() == ["p1", "p2"]
    assert store.answers("p2")[0].as_dict() == {
        "participant_id": "p2", "module": "m1", "exercise": "a", "answer": {"n": 3},
        "updated_at": "2024-01-01T10:00:02+00:00",
    }


def test_forget_deletes_one_participant_only(store: AnswerStore, db_rows) -> None:
    store.save("p1", "m", "a", {})
    store.save("p1", "m", "b", {})
    store.save("p2", "m", "a", {})
    assert store.forget("p1") == 2
    assert store.forget("p1") == 0
    assert [row[0] for row in db_rows()] == ["p2"]


def test_json_keeps_umlauts_and_emoji_readable(store: AnswerStore, db_rows) -> None:
    value = {"text": "Größere Beteiligung 🎉 – „Vertrauen“ wächst", "list": ["ä", "ß"]}
    store.save("p1", "m", "e", value)
    assert store.load("p1", "m", "e") == value
    raw = db_rows()[0][3]
    assert "Größere" in raw and "🎉" in raw  # stored as UTF-8 text, not \\u escapes
    assert json.loads(raw) == value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200), key=st.text(min_size=1, max_size=20))
def test_any_text_round_trips(store: AnswerStore, text: str, key: str) -> None:
    if "\x00" in key:  # PostgreSQL text cannot hold NUL: ids with it are refused on both backends alike
        with pytest.raises(StoreError, match="NUL"):
            store.save("p1", "m", key, {key: text})
        assert store.load("p1", "m", key.replace("\x00", "")) is None or key.replace("\x00", "") == ""
        return
    store.save("p1", "m", key, {key: text})
    assert store.load("p1", "m", key) == {key: text}


# schema and pragmas --------------------------------------------------------------------------------
def test_schema_version_is_written(store: AnswerStore, store_locator: str, backend: str) -> None:
    store.save("p1", "m", "e", {})
    assert SCHEMA_VERSION == 3
    assert store.schema_version == SCHEMA_VERSION
    assert raw(store_locator, "SELECT version_num FROM alembic_version") == [("0003",)]
    if backend == "sqlite":
        assert raw(store_locator, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        assert raw(store_locator, "PRAGMA journal_mode") == [("wal",)]
    assert store.integrity_check() == "ok"


V1_SCHEMA = """CREATE TABLE answers (
    participant_id TEXT NOT NULL, module TEXT NOT NULL, exercise TEXT NOT NULL, answer TEXT NOT NULL,
    updated_at TEXT NOT NULL, PRIMARY KEY (participant_id, module, exercise))"""


def test_sqlite_version_1_store_is_upgraded_and_keeps_its_answers(store_path: Path) -> None:
    conn = sqlite3.connect(store_path)
    conn.execute(V1_SCHEMA)
    conn.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?)",
                 ("p1", "m", "e", '{"text": "älter"}', "2024-05-01T10:00:00+00:00"))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    store = AnswerStore(store_path)
    assert store.load("p1", "m", "e") == {"text": "älter"}
    assert store.schema_version == SCHEMA_VERSION
    store.save("p1", "m", "f", {"text": "neu"})
    assert [a.exercise for a in store.answers("p1")] == ["e", "f"]
    assert store.integrity_check() == "ok"


def test_a_schema_2_database_is_upgraded_by_the_migrations(store_locator: str) -> None:
    """Alembic's steps 1 and 2, rows written, then the store upgrades to 3: the rows join the default run."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from netcourse.core.store.engine import MIGRATIONS

    url = store_locator if "://" in store_locator else f"sqlite:///{store_locator}"
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
    engine.dispose()
    execute(store_locator,
            "INSERT INTO answers VALUES ('p1', 'm', 'e', '{\"text\": \"älter\"}', '2024-05-01T10:00:00+00:00')",
            "INSERT INTO participants VALUES ('p1', 'Anna', '', 'tausch', '', 'de', 'hash-1', "
            "'2024-05-01T09:00:00+00:00')")
    store = AnswerStore(store_locator)
    assert store.load("p1", "m", "e") == {"text": "älter"}
    assert store.profile("p1").name == "Anna"
    assert store.schema_version == 3
    assert raw(store_locator, "SELECT run_id, participant_id FROM answers") == [("default", "p1")]


def test_newer_schema_is_refused_with_one_line(store_locator: str, backend: str) -> None:
    if backend == "sqlite":
        execute(store_locator, "PRAGMA user_version = 99")
    else:
        execute(store_locator, "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
                "INSERT INTO alembic_version VALUES ('0099')")
    store = AnswerStore(store_locator)
    with pytest.raises(StoreError) as info:
        store.save("p1", "m", "e", {})
    message = str(info.value)
    assert "newer netcourse" in message and "99" in message and "\n" not in message
    assert str(store.path) in message and info.value.path == store.path
    assert "Geheim" not in message
    with pytest.raises(StoreError):
        store.load("p1", "m", "e")
    if backend == "sqlite":
        assert raw(store_locator, "PRAGMA user_version") == [(99,)]  # left untouched
    else:
        assert raw(store_locator, "SELECT version_num FROM alembic_version") == [("0099",)]


class PragmaSpy(sqlite3.Connection):
    """A real SQLite connection that notes its pragmas just before it closes."""

    seen: list[tuple[int, str]] = []

    def close(self) -> None:
        PragmaSpy.seen.append((self.execute("PRAGMA synchronous").fetchone()[0],
                               self.execute("PRAGMA journal_mode").fetchone()[0]))
        super().close()


def test_sqlite_every_connection_uses_wal_and_synchronous_full(store_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = sqlite3.connect
    spy = lambda *a, **kw: real_connect(*a, factory=PragmaSpy, **kw)  # noqa: E731
    monkeypatch.setattr(sqlite3, "connect", spy)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", spy)  # what SQLAlchemy's pysqlite dialect calls
    PragmaSpy.seen = []
    store = AnswerStore(store_path)
    store.save("p1", "m", "e", {"v": 1})
    store.load("p1", "m", "e")
    AnswerStore(store.path).answers()
    assert len(PragmaSpy.seen) >= 3  # every operation went through the spy
    assert set(PragmaSpy.seen) == {(2, "wal")}  # 2 == FULL


def test_sqlite_directory_as_store_path_gives_store_error(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(StoreError) as info:
        AnswerStore(folder).save("p1", "m", "e", {})
    assert str(folder) in str(info.value)
    assert isinstance(info.value, NetcourseError)


def test_sqlite_non_database_file_gives_store_error(store_path: Path) -> None:
    store_path.write_bytes(b"this is not a database, just some text " * 50)
    with pytest.raises(StoreError, match="not usable"):
        AnswerStore(store_path).answers()


def test_sqlite_missing_parent_folders_are_created(tmp_path: Path) -> None:
    store = AnswerStore(tmp_path / "deep" / "er" / "answers.sqlite")
    store.save("p1", "m", "e", {"ok": True})
    assert (tmp_path / "deep" / "er" / "answers.sqlite").is_file()


# default path ----------------------------------------------------------------------------------------
def test_default_path_honours_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETCOURSE_STORE", str(tmp_path / "from-env.sqlite"))
    assert default_store_path() == tmp_path / "from-env.sqlite"
    assert AnswerStore().path == tmp_path / "from-env.sqlite"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NETCOURSE_STORE", "~/answers.sqlite")
    assert default_store_path() == tmp_path / "home" / "answers.sqlite"


def test_default_path_is_in_the_user_data_dir(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETCOURSE_STORE")
    path = default_store_path()
    assert path == platformdirs.user_data_path("netcourse", appauthor=False) / "answers.sqlite"
    assert path == isolated_env / "netcourse" / "answers.sqlite"  # XDG_DATA_HOME from the fixture
    AnswerStore().save("p1", "m", "e", {})
    assert path.is_file()


# several processes at once ---------------------------------------------------------------------------
def write_many(path: str, participant: str, count: int, start: Any) -> None:
    store = AnswerStore(path)
    start.wait(timeout=60)
    for i in range(count):
        store.save(participant, "m", f"e{i:04d}", {"i": i, "by": participant})


def test_two_processes_writing_at_once_lose_nothing(store_locator: str) -> None:
    AnswerStore(store_locator).save("setup", "m", "e", {})  # the store exists, as during a course
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)  # both begin writing at the same moment
    workers = [ctx.Process(target=write_many, args=(store_locator, f"w{n}", WRITES_PER_PROCESS, start))
               for n in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]

    found = AnswerStore(store_locator).answers()
    assert len(found) == 2 * WRITES_PER_PROCESS + 1
    for n in (1, 2):
        mine = sorted(a.value["i"] for a in found if a.participant_id == f"w{n}")
        assert mine == list(range(WRITES_PER_PROCESS))
    assert AnswerStore(store_locator).integrity_check() == "ok"


def test_sqlite_opening_a_new_store_waits_while_another_process_creates_it(store_path: Path) -> None:
    """Switching to WAL does not wait on SQLite's busy timeout: the store must retry it itself."""
    sqlite3.connect(store_path).close()  # a new, empty database file, still in rollback-journal mode
    other = sqlite3.connect(store_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # what a second kernel's _prepare holds while it creates the schema
    other.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    try:
        AnswerStore(store_path).save("p1", "m", "e", {"v": 1})  # must wait (busy timeout), not fail
    finally:
        release.join()
        other.close()
    assert AnswerStore(store_path).load("p1", "m", "e") == {"v": 1}


# every write is one transaction ----------------------------------------------------------------------
BLOCK_DELETE = {
    "sqlite": ["CREATE TRIGGER keep BEFORE DELETE ON participants BEGIN SELECT RAISE(ABORT, 'kept'); END"],
    "postgresql": ["CREATE FUNCTION keep() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'kept'; END $$",
                   "CREATE TRIGGER keep BEFORE DELETE ON participants FOR EACH ROW EXECUTE FUNCTION keep()"],
}


def test_forget_deletes_everything_or_nothing(store: AnswerStore, store_locator: str, backend: str) -> None:
    from netcourse.core.participants import Profile

    store.add_participants([(Profile("p1", "Anna"), "tok-1")])
    store.save("p1", "m", "a", {})
    store.save("p1", "m", "b", {})
    execute(store_locator, *BLOCK_DELETE[backend])  # deleting the profile fails, after the answers went
    with pytest.raises(StoreError, match="kept"):
        store.forget("p1")
    assert len(store.answers("p1")) == 2 and store.profile("p1") is not None  # nothing deleted
    execute(store_locator, "DROP TRIGGER keep" + (" ON participants" if backend == "postgresql" else ""))
    assert store.forget("p1") == 2
    assert store.answers("p1") == [] and store.profile("p1") is None


def test_save_many_is_all_or_nothing(store: AnswerStore) -> None:
    from netcourse.core.store import Answer

    store.save("p1", "m", "old", {"v": 0})
    bad = [Answer("p1", "m", "x", {"v": 1}, "2024-01-01T00:00:00+00:00"),
           Answer("p1", "m", "y", {"v": object()}, "2024-01-01T00:00:00+00:00")]  # not JSON: fails midway
    with pytest.raises(TypeError):
        store.save_many(bad)
    assert [a.exercise for a in store.answers()] == ["old"]


# server databases: one line naming host and database, never the password ----------------------------
def _one_line_without_password(exc: BaseException, *expected: str) -> str:
    message = str(exc)
    assert "\n" not in message
    assert "Geheim" not in message  # the test cluster's password
    for part in expected:
        assert part in message
    return message


def test_postgresql_closed_port_names_host_and_database(pg_cluster) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    url = pg_cluster.url("kurs").replace(f":{pg_cluster.port}/", f":{free}/")
    with pytest.raises(StoreError) as info:
        AnswerStore(url + "?connect_timeout=3").answers()
    _one_line_without_password(info.value, f"127.0.0.1:{free}", "'kurs'", "refused")


def test_postgresql_wrong_password_names_host_and_database(pg_cluster, pg_url: str) -> None:
    database = pg_url.rsplit("/", 1)[1]
    with pytest.raises(StoreError) as info:
        AnswerStore(pg_cluster.url(database, password="Geheim-falsch")).answers()
    _one_line_without_password(info.value, f"127.0.0.1:{pg_cluster.port}", repr(database), "password")


def test_postgresql_unknown_database_names_it(pg_cluster) -> None:
    with pytest.raises(StoreError) as info:
        AnswerStore(pg_cluster.url("gibt_es_nicht")).save("p1", "m", "e", {})
    _one_line_without_password(info.value, "'gibt_es_nicht'", "does not exist")


def test_unsupported_or_broken_url_is_one_line() -> None:
    with pytest.raises(StoreError, match="unsupported database") as info:
        AnswerStore("mysql://root:Geheim@db/kurs").answers()
    _one_line_without_password(info.value, "db/kurs")
    with pytest.raises(StoreError, match="not a database URL"):
        AnswerStore("postgresql+psycopg://u:Geheim@host:notaport/x").answers()


def test_the_environment_may_name_a_server_store(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETCOURSE_STORE", pg_url)
    AnswerStore().save("p1", "m", "e", {"v": 1})
    assert AnswerStore(pg_url).load("p1", "m", "e") == {"v": 1}
    assert "Geheim" not in str(AnswerStore().path) and "Geheim" not in repr(AnswerStore())
