"""Merging stores and journals: duplicates once, newest wins on conflict, inputs untouched, all or nothing."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from netcourse import cli
from netcourse.core.participants import Profile
from netcourse.core.store import AnswerStore
from netcourse.outputs.collect import CollectError, collect
from netcourse.outputs.journal import build_journal, export_journal

EARLY, LATE, LATER = "2021-12-02T10:00:00+00:00", "2021-12-02T11:00:00+00:00", "2021-12-02T12:00:00+00:00"
RATING = {"ratings": {"tausch": 4, "ziele": 2, "unterschiedlichkeit": None, "vertrauen": 3}, "notes": {}}


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` with the SHA-256 of its bytes (sidecar files included)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def rows(store: AnswerStore) -> dict[tuple[str, str, str], tuple[dict, str]]:
    return {(a.participant_id, a.module, a.exercise): (a.value, a.updated_at) for a in store.answers()}


@pytest.fixture
def laptops(tmp_path: Path) -> tuple[Path, Path]:
    """Two stores from two machines: one identical answer, one conflicting, profiles overlapping."""
    folder = tmp_path / "inputs"
    one, two = AnswerStore(folder / "laptop1.sqlite"), AnswerStore(folder / "laptop2.sqlite")
    one.add_participants([(Profile("p1", "Frieda Beispiel", "Musterhausen", "tausch"), "t1")])
    two.add_participants([(Profile("p1", "Frieda Beispiel", "Anderswo", "tausch", "f@example.org"), "t1"),
                          (Profile("p2", "Karl Probe", "Testdorf"), "t2")])
    for store in (one, two):  # the same answer on both machines
        store.save("p1", "grundmerkmale", "selbsteinschaetzung", RATING, EARLY)
    one.save("p1", "fazit", "erkenntnis", {"text": "alt"}, EARLY)
    two.save("p1", "fazit", "erkenntnis", {"text": "neu"}, LATE)
    one.save("p2", "ausblick", "plan", {"text": "nur auf Laptop 1"}, EARLY)
    return one.path, two.path


def test_identical_kept_once_conflict_newest_wins_and_reported(laptops, tmp_path: Path) -> None:
    before = fingerprint(laptops[0].parent)
    out = tmp_path / "gesamt.sqlite"
    report = collect(out, list(laptops))
    merged = AnswerStore(out)
    assert rows(merged) == {
        ("p1", "grundmerkmale", "selbsteinschaetzung"): (RATING, EARLY),
        ("p1", "fazit", "erkenntnis"): ({"text": "neu"}, LATE),
        ("p2", "ausblick", "plan"): ({"text": "nur auf Laptop 1"}, EARLY),
    }
    assert (report.read, report.added, report.identical, report.updated) == (5, 3, 1, 0)
    [conflict] = report.conflicts
    assert (conflict.participant_id, conflict.module, conflict.exercise) == ("p1", "fazit", "erkenntnis")
    assert (conflict.winner, conflict.winner_updated_at) == (str(laptops[1]), LATE)
    assert (conflict.loser, conflict.loser_updated_at) == (str(laptops[0]), EARLY)
    assert "neu" not in str(conflict) and "alt" not in str(conflict)  # keys and sources only, no answers
    # profiles: merged, an empty field filled, a differing one kept and reported
    profiles = {p.participant_id: p for p in merged.profiles()}
    assert profiles["p1"].municipality == "Musterhausen" and profiles["p1"].email == "f@example.org"
    assert profiles["p2"].name == "Karl Probe"
    assert merged.profile_for_token("t2").participant_id == "p2"  # the link token hash came along
    assert [(c.participant_id, c.field) for c in report.profile_conflicts] == [("p1", "municipality")]
    assert (report.profiles_added, report.profiles_updated) == (2, 0)  # p1 came new, then completed
    assert fingerprint(laptops[0].parent) == before  # inputs only read
    assert merged.integrity_check() == "ok"


def test_newer_answer_already_in_out_is_kept_and_older_one_reported(laptops, tmp_path: Path) -> None:
    out = AnswerStore(tmp_path / "gesamt.sqlite")
    out.save("p1", "fazit", "erkenntnis", {"text": "neueste"}, LATER)
    report = collect(out.path, list(laptops))
    assert rows(out)[("p1", "fazit", "erkenntnis")] == ({"text": "neueste"}, LATER)
    assert len(report.conflicts) == 2 and all(c.winner.endswith("(existing)") for c in report.conflicts)
    again = collect(out.path, list(laptops))
    assert (again.added, again.updated, again.identical) == (0, 0, 3)


def test_older_answer_in_out_is_replaced(laptops, tmp_path: Path) -> None:
    out = AnswerStore(tmp_path / "gesamt.sqlite")
    out.save("p1", "fazit", "erkenntnis", {"text": "uralt"}, "2021-12-01T08:00:00+00:00")
    report = collect(out.path, list(laptops))
    assert rows(out)[("p1", "fazit", "erkenntnis")] == ({"text": "neu"}, LATE)
    assert (report.added, report.updated) == (2, 1)


def test_journal_export_is_an_input(laptops, tmp_path: Path) -> None:
    home = AnswerStore(tmp_path / "home.sqlite")
    home.save("p3", "grundmerkmale", "selbsteinschaetzung", RATING, EARLY)
    home.save("p3", "ausblick", "plan", {"text": "Runder Tisch im Mai"}, LATE)
    journal = tmp_path / "lernjournal.json"
    journal.write_bytes(export_journal(build_journal(home, "p3", with_charts=False), "json"))
    out = tmp_path / "gesamt.sqlite"
    report = collect(out, [laptops[0], journal])
    assert rows(AnswerStore(out))[("p3", "ausblick", "plan")] == ({"text": "Runder Tisch im Mai"}, LATE)
    assert report.added == 5 and str(journal) in report.inputs


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\x00garbage" * 64)


def _bad_answer_json(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE answers SET answer = '{not json' WHERE exercise = 'plan'")
    conn.commit()
    conn.close()


def _bad_journal(path: Path) -> None:
    row = {"module": "fazit", "exercise": "erkenntnis", "answer": "kein Objekt", "updated_at": EARLY}
    path.write_text(json.dumps({"format": "netcourse-journal", "schema_version": 2, "participant_id": "p9",
                                "answers": [row]}), encoding="utf-8")


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_bytes(b"\x00\x01 not a database at all"), "neither a netcourse answer store"),
    (_truncated, "damaged SQLite file|not a netcourse answer store"),
    (_bad_answer_json, "damaged answer"),
    (_bad_journal, "not an object"),
], ids=["garbage", "truncated", "bad-answer", "bad-journal"])
def test_damaged_input_names_the_file_and_changes_nothing(laptops, tmp_path: Path, damage, message) -> None:
    out = AnswerStore(tmp_path / "gesamt.sqlite")
    out.save("p1", "fazit", "erkenntnis", {"text": "vorher"}, EARLY)
    damaged = laptops[0] if damage in (_truncated, _bad_answer_json) else tmp_path / "inputs" / "kaputt.json"
    if damaged.suffix == ".json":
        damaged.write_text("{}", encoding="utf-8")
    damage(damaged)
    before = fingerprint(tmp_path)
    with pytest.raises(CollectError, match=message) as caught:
        collect(out.path, [laptops[1], damaged])
    assert str(damaged) in str(caught.value) and "nothing was written" in str(caught.value)
    assert fingerprint(tmp_path) == before
    assert rows(out) == {("p1", "fazit", "erkenntnis"): ({"text": "vorher"}, EARLY)}


def test_damaged_input_creates_no_out_store(laptops, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with pytest.raises(CollectError, match="junk.sqlite"):
        collect(tmp_path / "new.sqlite", [laptops[0], junk])
    assert not list(tmp_path.glob("new.sqlite*"))


def test_dry_run_and_self_merge_write_nothing(laptops, tmp_path: Path) -> None:
    report = collect(tmp_path / "new.sqlite", list(laptops), dry_run=True)
    assert report.added == 3 and len(report.conflicts) == 1
    assert not list(tmp_path.glob("new.sqlite*"))
    with pytest.raises(CollectError, match="output store itself"):
        collect(laptops[0], [laptops[1], laptops[0]])


def test_cli_collect_reports_conflicts(laptops, tmp_path: Path, capsys) -> None:
    assert cli.main(["collect", str(tmp_path / "gesamt.sqlite"), *map(str, laptops)]) == 0
    out = capsys.readouterr().out
    assert "3 added" in out and "1 identical" in out and "conflict p1/fazit/erkenntnis: kept" in out
    junk = tmp_path / "junk.json"
    junk.write_text("[", encoding="utf-8")
    assert cli.main(["collect", str(tmp_path / "gesamt.sqlite"), str(junk)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "junk.json" in err
