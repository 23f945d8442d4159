"""The learning journal: export in every format, import round trip on a fresh store, refusals change nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from netcourse.core.identity import self_learner_id
from netcourse.core.store import AnswerStore
from netcourse.outputs.journal import JournalImportError, build_journal, export_journal, import_journal
from netcourse.pages.lesson import Lesson

PAYLOAD = "<script>alert('x')</script> & **fett** {{ 1+1 }}"


def fill(store: AnswerStore, participant: str = "p1") -> None:
    rating = Lesson("grundmerkmale", participant=participant, store=store).build_activity("selbsteinschaetzung")
    rating.scales["tausch"].value = 4
    rating.scales["vertrauen"].value = 2
    rating.notes["tausch"].value = PAYLOAD
    assert rating.save()
    amap = Lesson("akteurslandkarte", participant=participant, store=store).build_activity("karte")
    for name in ("Umweltamt", "VHS"):
        amap.name.value = name
        assert amap.add_actor()
    assert amap.add_tie()


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.alts: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.alts.append(dict(attrs).get("alt", ""))

    def handle_data(self, data):
        self.text.append(data)


def test_html_journal_has_questions_answers_and_both_pictures_escaped(store) -> None:
    fill(store)
    html = export_journal(build_journal(store, "p1"), "html").decode()
    parser = _Collector()
    parser.feed(html)
    assert "script" not in parser.tags
    assert PAYLOAD in "".join(parser.text)
    assert len(parser.alts) == 2 and all(parser.alts)
    assert "Selbsteinschätzung" in html and "Akteurslandkarte" in html


def test_markdown_journal_escapes_participant_text(store) -> None:
    fill(store)
    md = export_journal(build_journal(store, "p1", "en"), "markdown").decode()
    assert md.startswith("# My learning journal")
    assert "\\<script\\>" in md and "\\*\\*fett\\*\\*" in md


def test_json_round_trip_into_a_fresh_store(store, tmp_path: Path) -> None:
    fill(store)
    data = export_journal(build_journal(store, "p1"), "json")
    fresh = AnswerStore(tmp_path / "fresh.sqlite")
    report = import_journal(fresh, data, participant_id="p1")
    assert report.written == 2
    assert [a.as_dict() for a in fresh.answers("p1")] == [a.as_dict() for a in store.answers("p1")]


def test_self_learner_on_a_fresh_machine_continues_as_the_journal_owner(store, tmp_path: Path) -> None:
    fill(store, participant="owner1")
    data = export_journal(build_journal(store, "owner1"), "json")
    fresh = AnswerStore(tmp_path / "fresh.sqlite")
    report = import_journal(fresh, data)
    assert report.adopted_id and self_learner_id() == "owner1"
    assert len(fresh.answers("owner1")) == 2


def damaged_variants(data: bytes) -> dict[str, tuple[bytes, str]]:
    good = json.loads(data)
    newer = dict(good, schema_version=99)
    other = json.loads(data)
    other["answers"][0]["participant_id"] = "someone-else"
    broken_answer = json.loads(data)
    broken_answer["answers"][0]["answer"] = {"ratings": {"tausch": 99}}
    return {
        "truncated": (data[: len(data) // 2], "not_json"),
        "not a journal": (b'{"hello": 1}', "not_journal"),
        "newer schema": (json.dumps(newer).encode(), "newer_schema"),
        "row of another participant": (json.dumps(other).encode(), "other_participant"),
        "invalid answer": (json.dumps(broken_answer).encode(), "damaged"),
    }


def test_bad_journals_are_refused_and_change_nothing(store, tmp_path: Path) -> None:
    fill(store)
    data = export_journal(build_journal(store, "p1"), "json")
    target = AnswerStore(tmp_path / "target.sqlite")
    target.save("p1", "ausblick", "plan", {"text": "schon da"})
    before = [a.as_dict() for a in target.answers()]
    for name, (bad, code) in damaged_variants(data).items():
        with pytest.raises(JournalImportError) as err:
            import_journal(target, bad, source=name, participant_id="p1")
        assert err.value.code == code, name
        assert "nothing was imported" in str(err.value)
        assert [a.as_dict() for a in target.answers()] == before
    with pytest.raises(JournalImportError) as err:
        import_journal(target, data, participant_id="p2")
    assert err.value.code == "other_participant"
    assert [a.as_dict() for a in target.answers()] == before


def run_cli(*args: str, env_store: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ, NETCOURSE_STORE=str(env_store))
    return subprocess.run([sys.executable, "-m", "netcourse", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_cli_export_and_import(store, store_path: Path, tmp_path: Path) -> None:
    fill(store)
    out = tmp_path / "journal.json"
    done = run_cli("journal", "export", "--participant", "p1", "--format", "json", "--out", str(out),
                   env_store=store_path)
    assert done.returncode == 0, done.stderr
    for fmt in ("md", "html"):
        assert run_cli("journal", "export", "--participant", "p1", "--format", fmt, "--out",
                       str(tmp_path / f"j.{fmt}"), env_store=store_path).returncode == 0
    again = run_cli("journal", "export", "--participant", "p1", "--format", "json", "--out", str(out),
                    env_store=store_path)
    assert again.returncode == 1 and "exists" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    fresh = tmp_path / "fresh.sqlite"
    done = run_cli("journal", "import", str(out), "--participant", "p1", env_store=fresh)
    assert done.returncode == 0 and "2 answers imported" in done.stdout
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    refused = run_cli("journal", "import", str(bad), "--participant", "p1", env_store=fresh)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "bad.json" in refused.stderr
