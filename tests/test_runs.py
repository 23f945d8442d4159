"""Runs of a course („Durchführungen“) in one store, on both backends: every row belongs to one run, and no
run sees another's answers, profiles, links or trainer key."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from netcourse.core.errors import StoreError
from netcourse.core.participants import Profile, token_hash
from netcourse.core.store import DEFAULT_RUN, AnswerStore, UnknownRunError
from netcourse.core.store.runs import archive_run, create_run, get_run, issue_trainer_key, list_runs, trainer_key_opens
from netcourse.pages.session import TRAINER_ENV, resolve_visit
from storeutil import raw


@pytest.fixture
def base(store_locator: str) -> AnswerStore:
    return AnswerStore(store_locator)


def test_a_new_store_has_the_default_run(base: AnswerStore) -> None:
    base.save("p1", "m", "e", {"v": 1})
    assert base.run == DEFAULT_RUN
    [run] = list_runs(base)
    assert (run.run_id, run.title, run.archived) == (DEFAULT_RUN, "Standard", False)


def test_runs_do_not_see_each_others_rows(base: AnswerStore, store_locator: str) -> None:
    a = AnswerStore(store_locator, create_run(base, "Kurs Fulda", "2026-03-14").run_id)
    b = AnswerStore(store_locator, create_run(base, "Kurs Kassel").run_id)
    assert a.run != b.run and a.run.startswith("kurs-fulda-") and b.run.startswith("kurs-kassel-")
    a.add_participants([(Profile("p1", "Anna", group="tausch"), "tok-a")])
    b.add_participants([(Profile("p1", "Berta", group="ziele"), "tok-b")])  # the same id in another run
    a.save("p1", "m", "e", {"text": "aus Fulda"})
    b.save("p1", "m", "e", {"text": "aus Kassel"})
    b.save("p2", "m", "e", {"text": "nur Kassel"})
    assert a.load("p1", "m", "e") == {"text": "aus Fulda"} and b.load("p1", "m", "e") == {"text": "aus Kassel"}
    assert [x.value["text"] for x in a.answers()] == ["aus Fulda"]
    assert a.participants() == ["p1"] and b.participants() == ["p1", "p2"]
    assert base.answers() == [] and base.profiles() == []  # the default run holds none of them
    assert a.profile("p1").name == "Anna" and b.profile("p1").name == "Berta"
    # a participant's link opens only their own run
    assert a.profile_for_token("tok-a").name == "Anna" and a.profile_for_token("tok-b") is None
    assert b.profile_for_token("tok-a") is None
    # forgetting in one run leaves the other alone
    assert a.forget("p1") == 1
    assert a.answers() == [] and a.profile("p1") is None
    assert b.load("p1", "m", "e") == {"text": "aus Kassel"} and b.profile("p1").name == "Berta"
    with a.transaction() as tx:
        assert tx.answer_rows() == [] and tx.profile_rows() == []
    rows = raw(store_locator, "SELECT run_id, participant_id FROM answers ORDER BY 1, 2")
    assert rows == [(b.run, "p1"), (b.run, "p2")]  # every stored row names its run


def test_unknown_run_is_one_line_listing_the_known_runs(base: AnswerStore, store_locator: str) -> None:
    other = create_run(base, "Kurs Fulda").run_id
    with pytest.raises(UnknownRunError) as info:
        AnswerStore(store_locator, "kurs-gibt-es-nicht").answers()
    message = str(info.value)
    assert "\n" not in message and "kurs-gibt-es-nicht" in message
    assert f"known runs: {DEFAULT_RUN}, {other}" in message
    assert "Geheim" not in message
    with pytest.raises(StoreError, match="not a run id"):
        AnswerStore(store_locator, "Kein Bezeichner!")


def test_the_locator_carries_the_run(base: AnswerStore, store_locator: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """What a workbook's ``store`` parameter and the page kernels get: the store and the run, no password
    (a server's password comes from PGPASSWORD or ~/.pgpass)."""
    from pgcluster import PASSWORD

    run = create_run(base, "Kurs").run_id
    store = AnswerStore(store_locator, run)
    assert store.locator.endswith(f"#run={run}") and PASSWORD not in store.locator
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    again = AnswerStore(store.locator)
    assert again.run == run
    again.save("p1", "m", "e", {"v": 1})
    assert store.load("p1", "m", "e") == {"v": 1}
    assert AnswerStore(base.locator).run == DEFAULT_RUN and base.answers() == []


def test_trainer_key_of_one_run_does_not_open_another(base: AnswerStore, store_locator: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    a = AnswerStore(store_locator, create_run(base, "Kurs A").run_id)
    b = AnswerStore(store_locator, create_run(base, "Kurs B").run_id)
    key_a, key_b = issue_trainer_key(a), issue_trainer_key(b)
    assert trainer_key_opens(a, key_a) and trainer_key_opens(b, key_b)
    assert not trainer_key_opens(b, key_a) and not trainer_key_opens(a, key_b)
    assert not trainer_key_opens(a, "") and get_run(a).has_trainer_key
    stored = raw(store_locator, "SELECT trainer_key_hash FROM runs WHERE run_id = :r", {"r": a.run})
    assert stored == [(token_hash(key_a),)]  # only the hash is kept, like link tokens
    monkeypatch.setenv("NETCOURSE_ACCESS", "personal")
    monkeypatch.setenv(TRAINER_ENV, token_hash(key_a))  # a server started for run A …
    assert resolve_visit(a, params={"trainer": key_a}).mode == "trainer"
    visit = resolve_visit(b, params={"trainer": key_a})  # … does not open run B's board with A's key
    assert visit.mode == "participant" and visit.participant_id is None
    issue_trainer_key(a)  # a new start of run A: the old key stops working
    assert resolve_visit(a, params={"trainer": key_a}).mode == "participant"


def test_archived_runs_are_kept_and_listed_apart(base: AnswerStore, store_locator: str) -> None:
    run = create_run(base, "Kurs 2025").run_id
    AnswerStore(store_locator, run).save("p1", "m", "e", {"v": 1})
    assert archive_run(base, run).archived
    assert [r.run_id for r in list_runs(base, include_archived=False)] == [DEFAULT_RUN]
    assert {r.run_id for r in list_runs(base)} == {DEFAULT_RUN, run}
    assert AnswerStore(store_locator, run).load("p1", "m", "e") == {"v": 1}  # answers stay readable
    with pytest.raises(StoreError, match="cannot be archived"):
        archive_run(base, DEFAULT_RUN)
    with pytest.raises(UnknownRunError):
        archive_run(base, "nope")


def create_in_process(locator: str, title: str, start: Any, out: Any) -> None:
    start.wait(timeout=60)
    out.put([create_run(AnswerStore(locator), title).run_id for _ in range(5)])


def test_trainers_creating_runs_at_the_same_time_all_succeed(base: AnswerStore, store_locator: str) -> None:
    base.answers()  # the store exists, as when two trainers share it
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(3), ctx.Queue()
    workers = [ctx.Process(target=create_in_process, args=(store_locator, "Gleicher Titel", start, out))
               for _ in range(3)]
    for w in workers:
        w.start()
    ids = [run_id for _ in workers for run_id in out.get(timeout=120)]
    for w in workers:
        w.join(timeout=60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert len(ids) == len(set(ids)) == 15
    assert {r.run_id for r in list_runs(base)} == {DEFAULT_RUN, *ids}


# the command line -------------------------------------------------------------------------------------
def test_run_commands_and_run_option(run_cli, store_locator: str, tmp_path: Path) -> None:
    created = run_cli("run", "create", "Netzwerkkurs Fulda", "--date", "2026-03-14", "--store", store_locator)
    assert created.returncode == 0, created.stderr
    run_id = created.stdout.strip().splitlines()[-1]
    assert run_id.startswith("netzwerkkurs-fulda-")
    AnswerStore(store_locator, run_id).add_participants([(Profile("p1", "Anna"), "tok")])
    AnswerStore(store_locator, run_id).save("p1", "m", "e", {"v": 1})
    listed = run_cli("run", "list", "--json", "--store", store_locator)
    assert [(r["run"], r["date"]) for r in json.loads(listed.stdout)] == [(DEFAULT_RUN, ""),
                                                                           (run_id, "2026-03-14")]
    people = run_cli("participants", "--json", "--store", store_locator, "--run", run_id)
    assert [(p["participant_id"], p["answers"]) for p in json.loads(people.stdout)] == [("p1", 1)]
    assert json.loads(run_cli("participants", "--json", "--store", store_locator).stdout) == []
    wrong = run_cli("forget", "p1", "--yes", "--store", store_locator, "--run", "nope")
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1
    assert f"unknown run 'nope'; known runs: {DEFAULT_RUN}, {run_id}" in wrong.stderr
    assert "Geheim" not in wrong.stderr
    gone = run_cli("forget", "p1", "--yes", "--store", store_locator, "--run", run_id)
    assert gone.returncode == 0 and "1 answers" in gone.stdout
    archived = run_cli("run", "archive", run_id, "--store", store_locator)
    assert archived.returncode == 0 and "archived" in archived.stdout
    assert run_id not in run_cli("run", "list", "--store", store_locator).stdout
    assert run_id in run_cli("run", "list", "--all", "--store", store_locator).stdout


def test_collect_merges_a_laptop_store_into_one_run(tmp_path: Path) -> None:
    from netcourse.outputs.collect import collect

    laptop = tmp_path / "laptop.sqlite"
    AnswerStore(laptop).save("p1", "m", "e", {"v": "laptop"})
    out = tmp_path / "gesamt.sqlite"
    run = create_run(AnswerStore(out), "Kurs").run_id
    report = collect(out, [laptop], run=run)
    assert report.added == 1
    assert AnswerStore(out, run).load("p1", "m", "e") == {"v": "laptop"}
    assert AnswerStore(out).answers() == []  # the default run got nothing


def test_present_names_the_run_and_refuses_an_unknown_one(run_cli, store_locator: str, tmp_path: Path) -> None:
    from netcourse.pages.present import PresentOptions, banner

    text = banner(PresentOptions(course_dir=tmp_path, run_title="Kurs Fulda (kurs-fulda-3f9a0c)"), 0)
    assert "  Durchführung: Kurs Fulda (kurs-fulda-3f9a0c)" in text.splitlines()
    AnswerStore(store_locator).answers()
    done = run_cli("present", "--store", store_locator, "--run", "kurs-gibt-es-nicht", timeout=60)
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert f"unknown run 'kurs-gibt-es-nicht'; known runs: {DEFAULT_RUN}" in done.stderr
    assert "Geheim" not in done.stderr


def test_an_unreachable_database_on_the_command_line_is_one_line(run_cli) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://kursleitung:Geheim-pw@127.0.0.1:{port}/kurs?connect_timeout=3"
    for args in (("participants",), ("run", "list"), ("run", "create", "Kurs")):
        done = run_cli(*args, "--store", url, timeout=60)
        assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
        assert f"127.0.0.1:{port}" in done.stderr and "'kurs'" in done.stderr
        assert "Geheim" not in done.stderr + done.stdout


def test_export_documents_one_run_only(run_cli, store_locator: str, tmp_path: Path) -> None:
    base = AnswerStore(store_locator)
    run = create_run(base, "Kurs").run_id
    AnswerStore(store_locator, run).add_participants([(Profile("p1", "Anna Fulda"), "tok")])
    AnswerStore(store_locator, run).save("p1", "einfuehrung", "erwartungen", {"text": "Vernetzung in Fulda"})
    base.add_participants([(Profile("p2", "Bert Kassel"), "tok2")])
    base.save("p2", "einfuehrung", "erwartungen", {"text": "Vernetzung in Kassel"})
    out = tmp_path / "doku.md"
    done = run_cli("export", "--format", "md", "--out", str(out), "--store", store_locator, "--run", run)
    assert done.returncode == 0, done.stderr
    assert "documentation of 1 participant(s)" in done.stdout
    text = out.read_text(encoding="utf-8")
    assert "Kassel" not in text
    wrong = run_cli("export", "--format", "md", "--out", str(tmp_path / "x.md"), "--store", store_locator,
                    "--run", "nope")
    assert wrong.returncode == 1 and f"known runs: {DEFAULT_RUN}, {run}" in wrong.stderr
