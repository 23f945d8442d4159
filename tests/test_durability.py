"""The store under faults: killed writers, many writers, a full or read-only disk, an old schema.
Killed and concurrent writers run on both backends (SQLite file, PostgreSQL); disk faults and old files are
SQLite's.

Nothing committed may be lost, the file must stay intact, and a participant must be told when an answer
was not saved.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from netcourse.core.errors import StoreError
from netcourse.core.store import SCHEMA_VERSION, AnswerStore
from netcourse.pages.lesson import Lesson

FIXTURES = Path(__file__).parent / "fixtures"

WRITER = textwrap.dedent("""
    import sys
    from netcourse.core.store import AnswerStore
    store = AnswerStore(sys.argv[1])
    prefix, count = sys.argv[2], int(sys.argv[3])
    for i in range(count):
        store.save(prefix, "m", f"e{i:04d}", {"i": i, "text": "ä" * 50})
        print(i, flush=True)  # printed only after the commit returned
""")


def test_sigkill_during_1000_writes_loses_no_committed_answer(tmp_path: Path, store_locator: str) -> None:
    path = store_locator
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    committed = -1
    with subprocess.Popen([sys.executable, str(script), str(path), "killed", "1000"], stdout=subprocess.PIPE,
                          text=True) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            committed = int(line)
            if committed >= 300:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=30)
        rest = proc.stdout.read()
    committed = max([committed, *(int(x) for x in rest.split())])
    assert proc.returncode == -signal.SIGKILL
    store = AnswerStore(path)
    assert store.integrity_check() == "ok"
    stored = {a.exercise for a in store.answers("killed")}
    assert {f"e{i:04d}" for i in range(committed + 1)} <= stored
    assert len(stored) < 1000  # it really was interrupted


def test_thirty_processes_writing_at_once_lose_nothing(tmp_path: Path, store_locator: str) -> None:
    path = store_locator
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, str(script), str(path), f"p{n:02d}", "40"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for n in range(30)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    store = AnswerStore(path)
    assert len(store.answers()) == 30 * 40
    assert len(store.participants()) == 30
    assert store.integrity_check() == "ok"


def test_a_version_1_store_is_migrated_and_keeps_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "store-v1.sqlite", path)
    store = AnswerStore(path)
    assert store.schema_version == SCHEMA_VERSION
    answers = {(a.participant_id, a.exercise): a.value for a in store.answers()}
    assert answers[("v1-anna", "plan")] == {"text": "Stammtisch gründen"}
    assert answers[("v1-bernd", "erkenntnis")] == {"text": "Netzwerk ≠ Projekt"}
    assert store.profiles() == []  # the table added in version 2 exists
    resumed = Lesson("grundmerkmale", participant="v1-anna", store=store).build_activity("selbsteinschaetzung")
    assert resumed.scales["tausch"].value == 4 and resumed.notes["tausch"].value == "Räume teilen"


def test_a_version_2_store_of_the_sqlite_release_is_upgraded_in_place(tmp_path: Path) -> None:
    """tests/fixtures/store-v2.sqlite was written by the last release's own SQLite code (schema 2)."""
    path = tmp_path / "v2.sqlite"
    shutil.copy(FIXTURES / "store-v2.sqlite", path)
    store = AnswerStore(path)
    assert store.schema_version == SCHEMA_VERSION == 3
    answers = {(a.participant_id, a.exercise): a.value for a in store.answers()}
    assert answers == {
        ("v2-carla", "selbsteinschaetzung"): {"ratings": {"tausch": 4}, "notes": {"tausch": "Räume teilen"}},
        ("v2-carla", "plan"): {"text": "Stammtisch gründen"},
        ("v2-deniz", "erkenntnis"): {"text": "Netzwerk ≠ Projekt 🎉"},
        ("v2-orphan", "erwartungen"): {"text": "ohne Profil"},
    }
    assert [p.participant_id for p in store.profiles()] == ["v2-carla", "v2-deniz"]
    assert store.profile("v2-carla").email == "carla@example.org"
    assert store.profile_for_token("token-carla-v2").participant_id == "v2-carla"  # links keep working
    assert store.profile_for_token("token-deniz-v2") is None  # a revoked link stays revoked
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT DISTINCT run_id FROM answers").fetchall() == [("default",)]
        assert conn.execute("SELECT run_id, title FROM runs").fetchall() == [("default", "Standard")]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3  # older releases refuse it themselves
    finally:
        conn.close()
    store.save("v2-carla", "ausblick", "plan", {"text": "neu"})
    assert AnswerStore(path).load("v2-carla", "ausblick", "plan") == {"text": "neu"}
    assert store.integrity_check() == "ok"


def test_two_processes_upgrading_the_same_old_store_at_once(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    shutil.copy(FIXTURES / "store-v2.sqlite", path)
    script = tmp_path / "open.py"
    script.write_text("import sys\nfrom netcourse.core.store import AnswerStore\n"
                      "print(len(AnswerStore(sys.argv[1]).answers()))\n", encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [proc.communicate(timeout=120) for proc in procs]
    assert [(p.returncode, out.strip()) for p, (out, _) in zip(procs, results, strict=True)] == [(0, "4")] * 3, \
        [err for _, err in results]


def test_a_newer_store_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer netcourse"):
        AnswerStore(path).answers()


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real tmpfs of 160 KiB (root on Linux); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_gives_a_clear_error_and_the_participant_is_told(small_disk: Path) -> None:
    store = AnswerStore(small_disk / "store.sqlite")
    store.save("p1", "ausblick", "plan", {"text": "vorher"})
    with pytest.raises(StoreError) as err:
        for i in range(10_000):
            store.save("p1", "m", f"e{i}", {"text": "x" * 2000})
    assert "full" in str(err.value) and str(store.path) in str(err.value)
    view = Lesson("ausblick", participant="p1", store=store).build_activity("mitbringen")
    view.text.value = "y" * 1500
    assert view.save() is None
    assert "konnte nicht gespeichert werden" in view.status_text
    assert AnswerStore(store.path).load("p1", "ausblick", "plan") == {"text": "vorher"}


def test_read_only_disk_gives_a_clear_error_and_the_participant_is_told(small_disk: Path) -> None:
    store = AnswerStore(small_disk / "store.sqlite")
    store.save("p1", "ausblick", "plan", {"text": "vorher"})
    view = Lesson("ausblick", participant="p1", store=store).build_activity("plan")
    remount = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True)
    if remount.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remount.stderr.decode().strip()}")
    view.text.value = "nachher"
    assert view.save() is None
    assert "konnte nicht gespeichert werden" in view.status_text
    assert isinstance(view.last_error, StoreError)
    with pytest.raises(StoreError):
        AnswerStore(small_disk / "store.sqlite").save("p1", "ausblick", "plan", {"text": "x"})
    assert os.path.exists(small_disk / "store.sqlite")
