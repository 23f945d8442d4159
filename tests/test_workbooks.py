"""``netcourse workbooks``: one executed, personalised workbook per roster participant.

Real parts throughout: the CLI runs as a subprocess (``python -m netcourse workbooks``), papermill really
executes the template on the warm-kernel engine, and the profiles really land in SQLite.
"""

from __future__ import annotations

import ast
import csv
import html
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from itertools import permutations
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import markupsafe
import nbformat
import pytest
from tests.processes import alive, descendants

from netcourse.core.errors import NetcourseError
from netcourse.core.participants import TRAIT_LABELS, TRAITS
from netcourse.core.roster import RosterEntry
from netcourse.core.store import AnswerStore
from netcourse.outputs.workbooks.batch import (
    ALLOWED_PARAMETERS,
    check_parameters,
    execute_one,
    plan,
    template_path,
    write_manifest,
)

REPO = Path(__file__).resolve().parents[1]
ROSTERS = Path(__file__).resolve().parent / "fixtures" / "rosters"
TRAIT_NAMES = {"tausch": "Tausch", "ziele": "Ziele", "unterschiedlichkeit": "Unterschiedlichkeit",
               "vertrauen": "Vertrauen"}
BOM = b"\xef\xbb\xbf"
TIMEOUT = 240


# helpers ------------------------------------------------------------------------------------------
def cli_env(store: Path) -> dict[str, str]:
    return {**os.environ, "NETCOURSE_STORE": str(store), "PYTHONUNBUFFERED": "1"}


def workbooks_cli(cwd: Path, store: Path, *args: str,
                  timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """``python -m netcourse workbooks ARGS`` in ``cwd`` with ``NETCOURSE_STORE`` pointing at ``store``."""
    return subprocess.run([sys.executable, "-m", "netcourse", "workbooks", *args], cwd=cwd,
                          env=cli_env(store), capture_output=True, text=True, timeout=timeout, check=False)


def ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr + done.stdout
    return done


def write_roster(path: Path, rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8",
                 header: tuple[str, ...] = ("Name", "Kommune", "Gruppe", "E-Mail")) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def folders(out: Path) -> dict[str, Path]:
    """Participant folder name → its workbook.ipynb (hidden folders such as .netcourse left out)."""
    return {p.name: p / "workbook.ipynb" for p in sorted(out.iterdir())
            if p.is_dir() and not p.name.startswith(".")}


def read_nb(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    return nb


def injected(nb: nbformat.NotebookNode) -> dict[str, object]:
    """The papermill-injected parameters: the cell must be nothing but plain ``name = literal`` lines."""
    cells = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    tree = ast.parse(cells[0].source)
    values: dict[str, object] = {}
    for node in tree.body:
        assert isinstance(node, ast.Assign), ast.dump(node)
        [target] = node.targets
        assert isinstance(target, ast.Name)
        values[target.id] = ast.literal_eval(node.value)
    assert len(tree.body) == len(values)
    return values


def html_outputs(nb: nbformat.NotebookNode) -> list[str]:
    return [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})]


def assert_executed_cleanly(nb: nbformat.NotebookNode) -> None:
    code = [c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    for cell in code:
        assert cell.execution_count is not None, cell.source
        assert all(o.output_type != "error" for o in cell.outputs), cell.outputs
        assert not any(o.output_type == "stream" and o.name == "stderr" for o in cell.outputs), cell.outputs
    assert len(html_outputs(nb)) >= 3  # greeting, traits, programme


def links(out: Path) -> list[list[str]]:
    raw = (out / "links.csv").read_bytes()
    assert raw.startswith(BOM)
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["Name", "Kommune", "Gruppe", "Persönlicher Link"]
    return rows[1:]


def token_of(link: str) -> str:
    """The secret of a personal link: its one query value (whatever the parameter is called)."""
    [token] = [value for values in parse_qs(urlsplit(link).query).values() for value in values]
    return token


def fold(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def stored_profile_count(store: Path) -> int:
    if not store.exists():
        return 0
    conn = sqlite3.connect(store)
    try:
        has = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'participants'").fetchone()[0]
        return conn.execute("SELECT count(*) FROM participants").fetchone()[0] if has else 0
    finally:
        conn.close()


def by_participant(out: Path) -> dict[str, tuple[str, Path]]:
    """Folder name → (participant id, workbook path), the id read from the notebook's injected cell."""
    return {slug: (str(injected(read_nb(path))["participant"]), path) for slug, path in folders(out).items()}


def ids(out: Path) -> dict[str, str]:
    return {slug: pid for slug, (pid, _) in by_participant(out).items()}


OFFLINE_BREAKERS = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?\s*|url\(\s*["']?\s*|@import\s+["']?)"""
                              r"""(?:https?:)?//""", re.IGNORECASE)


# the "done when" --------------------------------------------------------------------------
@pytest.mark.slow
def test_done_when_sixteen_participants_from_a_windows_1252_excel_roster(tmp_path: Path) -> None:
    roster = tmp_path / "teilnehmende.csv"
    shutil.copyfile(ROSTERS / "done_when_16_cp1252.csv", roster)
    store = tmp_path / "kurs.sqlite"
    done = ok(workbooks_cli(tmp_path, store, "teilnehmende.csv", "--out", "build"))
    out = tmp_path / "build"
    assert "16 workbooks written, 0 kept" in done.stdout and "0 failed, of 16" in done.stdout

    # the store: 16 profiles, 12 municipalities, groups balanced to 4 each (8 given + 8 assigned)
    answers = AnswerStore(store)
    profiles = {p.participant_id: p for p in answers.profiles()}
    assert len(profiles) == 16 == stored_profile_count(store)
    assert len({p.municipality for p in profiles.values()}) == 12
    assert Counter(p.group for p in profiles.values()) == {t: 4 for t in TRAITS}
    given = {"Jürgen Müller": "tausch", "Anna Schäfer": "ziele", "Özlem Kaya": "vertrauen",
             "Käthe Hoffmann": "unterschiedlichkeit", "Ümit Demir": "unterschiedlichkeit"}
    for profile in profiles.values():
        assert profile.group == given.get(profile.name, profile.group)
        assert profile.lang == "de"

    # 16 folders, one executed workbook each, greeting and traits personalised
    books = by_participant(out)
    assert len(books) == 16
    assert {pid for pid, _ in books.values()} == set(profiles)
    for slug, (pid, path) in books.items():
        profile = profiles[pid]
        nb = read_nb(path)
        assert_executed_cleanly(nb)
        assert injected(nb) == {"participant": pid, "lang": "de", "store": str(store.resolve())}
        greeting, traits = html_outputs(nb)[:2]
        assert f"Willkommen, {html.escape(profile.name)}!" in greeting, slug
        assert html.escape(profile.municipality) in greeting
        cards = re.findall(r'<li class="nc-card[^"]*">.*?</li>', traits)
        assert len(cards) == 4
        assert "nc-mine" in cards[0] and f"<strong>{TRAIT_NAMES[profile.group]}" in cards[0], (slug, cards[0])
        assert not any("nc-mine" in card for card in cards[1:])

    # the duplicate (same name, same municipality) got two folders and two ids
    twins = [(slug, pid) for slug, (pid, _) in books.items() if profiles[pid].name == "Jörg Weiß"]
    assert sorted(slug for slug, _ in twins) == ["joerg-weiss", "joerg-weiss-2"]
    assert len({pid for _, pid in twins}) == 2
    assert {profiles[pid].municipality for _, pid in twins} == {"Gießen"}

    # links.csv: Excel-ready, one distinct personal token per participant, each resolving in the store
    rows = links(out)
    assert len(rows) == 16
    assert [r[0] for r in rows][:3] == ["Jürgen Müller", "Anna Schäfer", "Jörg Weiß"]
    tokens = [token_of(r[3]) for r in rows]
    assert len(set(tokens)) == 16 and all(len(t) >= 32 for t in tokens)
    for (name, municipality, group, _), token in zip(rows, tokens, strict=True):
        profile = answers.profile_for_token(token)
        assert profile is not None and (profile.name, profile.municipality) == (name, municipality)
        assert TRAIT_LABELS[profile.group] == group  # the store keeps the id, links.csv shows the label
    store_bytes = b"".join(p.read_bytes() for p in tmp_path.glob("kurs.sqlite*"))
    assert not any(t.encode() in store_bytes for t in tokens)  # only hashes are stored

    overview = (out / "uebersicht.html").read_text(encoding="utf-8")
    assert "16 Teilnehmende aus 12 Kommunen" in overview
    assert all(html.escape(p.name) in overview for p in profiles.values())


# bad rosters: one line, nothing written ------------------------------------------------------------
BAD_ROSTERS = [
    pytest.param("bad_missing_name.csv", ", row 4, field Name:", id="missing-name"),
    pytest.param("bad_unknown_group.csv", ", row 3, field Gruppe:", id="unknown-group"),
    pytest.param(b"Name;Kommune\r\nM\x81ller;K\x8dln\r\n", "unreadable encoding", id="bad-encoding"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "unreadable encoding",
                 id="binary"),
    pytest.param("bad_empty.csv", "empty", id="empty-file"),
    pytest.param("bad_only_header.csv", "empty", id="only-header"),
    pytest.param("bad_too_many_fields.csv", ", row 3", id="too-many-fields"),
    pytest.param("bad_no_name_column.csv", ", row 1, field Name:", id="no-name-column"),
    pytest.param("bad_duplicate_column.csv", ", row 1, field Kommune:", id="duplicate-column"),
]


@pytest.mark.parametrize(("source", "expected"), BAD_ROSTERS)
def test_bad_roster_is_one_line_and_writes_nothing(tmp_path: Path, source: str | bytes,
                                                   expected: str) -> None:
    roster = tmp_path / "teilnehmende.csv"
    roster.write_bytes(source if isinstance(source, bytes) else (ROSTERS / source).read_bytes())
    before = roster.read_bytes()
    store = tmp_path / "kurs.sqlite"
    done = workbooks_cli(tmp_path, store, "teilnehmende.csv", "--out", "build/kurs", "--html", timeout=60)
    assert done.returncode not in (0, 130)
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("netcourse: error: teilnehmende.csv"), lines[0]
    assert expected in lines[0]
    assert not (tmp_path / "build").exists()
    assert stored_profile_count(store) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["teilnehmende.csv"]
    assert roster.read_bytes() == before


# injection through every roster field --------------------------------------------------------------
NASTY = [
    'x"); import os; os.system("touch PWNED"); ("',
    "'''",
    '"""; import os; os.system("touch PWNED") #',
    "\n# comment\nimport os; os.system('touch PWNED')",
    "{{7*7}} {participant} %(store)s",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-2+3",
    "@SUM(A1:A2)",
]
FORMULA_START = ("=", "+", "-", "@")


@pytest.mark.slow
def test_papermill_injection_through_every_roster_field_is_inert(tmp_path: Path) -> None:
    n = len(NASTY)
    rows = [[NASTY[i], NASTY[(i + 1) % n], "", NASTY[(i + 2) % n]] for i in range(n)]
    write_roster(tmp_path / "teilnehmende.csv", rows)
    store = tmp_path / "kurs.sqlite"
    done = ok(workbooks_cli(tmp_path, store, "teilnehmende.csv", "--out", "build", "--jobs", "1", "--html"))
    out = tmp_path / "build"
    assert f"{len(NASTY)} workbooks written" in done.stdout

    for place in (tmp_path, REPO, Path.home(), Path.cwd()):
        assert not list(place.glob("**/PWNED" if place == tmp_path else "PWNED")), place

    answers = AnswerStore(store)
    books = by_participant(out)
    assert len(books) == len(NASTY)
    for slug, (pid, path) in books.items():
        assert re.fullmatch(r"[a-z0-9-]+", slug)
        nb = read_nb(path)
        assert_executed_cleanly(nb)
        assert set(injected(nb)) == set(ALLOWED_PARAMETERS)
        profile = answers.profile(pid)
        assert profile is not None
        sources = "\n".join(c.source for c in nb.cells)
        assert "PWNED" not in sources and profile.name not in sources
        greeting = html_outputs(nb)[0]
        # the greeting is a Jinja template with autoescape: markupsafe writes ' as &#39;, html.escape as &#x27;
        assert f"Willkommen, {markupsafe.escape(profile.name)}!" in greeting
        assert str(markupsafe.escape(profile.municipality)) in greeting
        rendered = [*html_outputs(nb), (path.with_suffix(".html")).read_text(encoding="utf-8")]
        for text in rendered:
            assert "<script>alert(1)" not in text and "<img src=x" not in text
    overview = (out / "uebersicht.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in overview and "<img src=x" not in overview
    assert html.escape(fold(NASTY[5])) in overview

    # links.csv: the text arrives unchanged, except that formula starts are neutralised
    written = links(out)
    assert len(written) == len(NASTY)
    for (name, municipality, _, _), row in zip(written, rows, strict=True):
        for cell, original in ((name, fold(row[0])), (municipality, fold(row[1]))):
            expected = "'" + original if original.startswith(FORMULA_START) else original
            assert cell == expected


def test_check_parameters_accepts_only_the_fixed_names() -> None:
    good = {"participant": "3f9a0c2e1b7d4a55", "lang": "de", "store": "/tmp/x.sqlite"}
    assert check_parameters(good) == good
    assert check_parameters({"participant": None}) == {"participant": None}
    for bad in ({"name": "Anna"}, {"participant\nimport os; os.system('touch PWNED')": "x"},
                {"participant\n": "x"}, {"lang = 'de'\nimport os": "x"}, {"Participant": "x"},
                {"__import__('os')": "x"}, {"": "x"}, {"store ": "x"}):
        with pytest.raises(NetcourseError, match="refused"):
            check_parameters({**good, **bad})
    with pytest.raises(NetcourseError, match="text"):
        check_parameters({"participant": 7})


def test_execute_one_refuses_a_crafted_parameter_before_writing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "p" / "workbook.ipynb"
    output.parent.mkdir()
    with pytest.raises(NetcourseError, match="refused"):
        execute_one(str(template_path()), str(output), {"x\nimport os; os.system('touch PWNED')": "1"},
                    execute=False, html=False)
    assert list(output.parent.iterdir()) == []
    assert not list(tmp_path.glob("**/PWNED"))


# isolation between participants (warm kernels are reused) -------------------------------------------
ISOLATION_ROSTER = [
    ["Quirin Zabelsberger", "Xanten", "Tausch", "quirin@xanten.example"],
    ["Wiebke Yorckfeld", "Quakenbrück", "", ""],
    ["Ottilie Vogelsang", "Zwiesel", "Vertrauen", "ottilie@zwiesel.example"],
    ["Magnus Ljungqvist", "Yach", "", ""],
    ["Henrike Pfannkuch", "Jüchen", "Ziele", ""],
    ["Bartholomäus Kiefer", "Ummendorf", "", "bk@ummendorf.example"],
]


@pytest.mark.slow
def test_no_participant_data_reaches_another_workbook(tmp_path: Path) -> None:
    write_roster(tmp_path / "teilnehmende.csv", ISOLATION_ROSTER)
    store = tmp_path / "kurs.sqlite"
    args = ("teilnehmende.csv", "--out", "build", "--jobs", "2")
    ok(workbooks_cli(tmp_path, store, *args, "--html"))
    out = tmp_path / "build"
    answers = AnswerStore(store)
    books = by_participant(out)
    assert len(books) == 6
    token_by_name = {row[0]: token_of(row[3]) for row in links(out)}
    secrets = {slug: [answers.profile(pid).name, answers.profile(pid).municipality, pid,
                      token_by_name[answers.profile(pid).name]] for slug, (pid, _) in books.items()}

    def texts(slug: str, with_html: bool) -> list[str]:
        path = books[slug][1]
        found = [path.read_text(encoding="utf-8")]
        if with_html:
            found.append(path.with_suffix(".html").read_text(encoding="utf-8"))
        return found

    for slug in books:
        assert_executed_cleanly(read_nb(books[slug][1]))
        page = books[slug][1].with_suffix(".html").read_text(encoding="utf-8")
        assert not OFFLINE_BREAKERS.search(page), "the HTML copy needs the internet"
        own_name = secrets[slug][0]
        assert all(html.escape(own_name) in text for text in texts(slug, True))
    for a, b in permutations(books, 2):
        for secret in secrets[a]:
            for text in texts(b, True):
                assert secret not in text and html.escape(secret) not in text, (a, b, secret)

    # an answer of A before a forced rebuild must not reach anyone else's workbook
    first = next(iter(books))
    marker = "GEHEIM-4f1c-nur-fuer-" + first
    answers.save(books[first][0], "ausblick", "plan", {"text": marker})
    done = ok(workbooks_cli(tmp_path, store, *args, "--force"))
    assert "6 workbooks written, 0 kept" in done.stdout
    assert ids(out) == {slug: pid for slug, (pid, _) in books.items()}
    secrets[first].append(marker)
    for slug in books:
        assert_executed_cleanly(read_nb(books[slug][1]))
    for a, b in permutations(books, 2):
        text = texts(b, False)[0]
        for secret in secrets[a]:
            assert secret not in text, (a, b, secret)


# re-runs: same ids, answered workbooks kept -------------------------------------------------------------
@pytest.mark.slow
def test_no_execute_rerun_keeps_ids_and_answered_workbooks(tmp_path: Path) -> None:
    anna, juergen = ["Anna Schäfer", "Fulda", "", ""], ["Jürgen Müller", "Kassel", "", ""]
    write_roster(tmp_path / "roster.csv", [anna, juergen, anna], delimiter=",",
                 header=("Name", "Municipality", "Group", "Email"))
    store = tmp_path / "kurs.sqlite"
    args = ("roster.csv", "--out", "build", "--no-execute", "--jobs", "1")
    out = tmp_path / "build"

    ok(workbooks_cli(tmp_path, store, *args))
    first_links = (out / "links.csv").read_bytes()
    first = ids(out)
    assert sorted(first) == ["anna-schaefer", "anna-schaefer-2", "juergen-mueller"]
    for path in folders(out).values():  # --no-execute: parameters injected, nothing run
        nb = read_nb(path)
        assert injected(nb)["participant"] in first.values()
        assert set(injected(nb)) == set(ALLOWED_PARAMETERS)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None

    ok(workbooks_cli(tmp_path, store, *args))
    assert (out / "links.csv").read_bytes() == first_links
    assert ids(out) == first
    assert stored_profile_count(store) == 3

    answered = "juergen-mueller"
    AnswerStore(store).save(first[answered], "ausblick", "plan", {"text": "x"})
    old = 1_000_000_000
    for path in folders(out).values():
        os.utime(path, (old, old))
    done = ok(workbooks_cli(tmp_path, store, *args))
    assert "2 workbooks written, 1 kept" in done.stdout
    mtimes = {slug: path.stat().st_mtime for slug, path in folders(out).items()}
    assert mtimes[answered] == old
    assert all(m != old for slug, m in mtimes.items() if slug != answered)
    assert (out / "links.csv").read_bytes() == first_links

    done = ok(workbooks_cli(tmp_path, store, *args, "--force"))
    assert "3 workbooks written, 0 kept" in done.stdout
    assert folders(out)[answered].stat().st_mtime != old
    assert AnswerStore(store).load(first[answered], "ausblick", "plan") == {"text": "x"}
    assert ids(out) == first


def test_plan_reuses_ids_tokens_and_folders_of_an_earlier_run(tmp_path: Path) -> None:
    out = tmp_path / "build"
    anna = RosterEntry(2, "Anna Schäfer", "Fulda", "", "")
    earlier = plan([anna, anna], out, "de")
    write_manifest(out, earlier)
    again = plan([anna, RosterEntry(3, "Jürgen Müller", "Kassel", "", ""), anna, anna], out, "de")
    assert [(p.slug, p.profile.participant_id, p.token) for p in (again[0], again[2])] == [
        (p.slug, p.profile.participant_id, p.token) for p in earlier]
    assert again[3].slug == "anna-schaefer-3"
    assert again[3].profile.participant_id not in {p.profile.participant_id for p in earlier}
    assert len({p.slug for p in again}) == 4


# Ctrl-C -----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ctrl_c_keeps_finished_workbooks_intact_and_a_rerun_finishes(tmp_path: Path) -> None:
    rows = [[f"Teilnehmerin Nummer {i}", f"Kommune {i}", "", ""] for i in range(60)]  # enough to be mid-run
    write_roster(tmp_path / "teilnehmende.csv", rows)
    store = tmp_path / "kurs.sqlite"
    args = ["teilnehmende.csv", "--out", "build", "--jobs", "1"]
    out = tmp_path / "build"
    proc = subprocess.Popen([sys.executable, "-m", "netcourse", "workbooks", *args], cwd=tmp_path,
                            env=cli_env(store), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("*/workbook.ipynb"))) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no workbooks after 120 s"
            time.sleep(0.02)
        kernels = descendants(proc.pid)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, (stdout, stderr)
    assert "Traceback" not in stderr + stdout
    summary = [line for line in stderr.splitlines() if line.startswith("netcourse:")]
    assert len(summary) == 1 and "interrupted" in summary[0] and "again" in summary[0], stderr
    finished = sorted(out.glob("*/workbook.ipynb"))
    assert 2 <= len(finished) < 60
    reported = int(re.search(r"(\d+) finished workbooks are intact", summary[0]).group(1))
    assert reported in (len(finished) - 1, len(finished))  # one may land between file and report
    for path in finished:
        assert_executed_cleanly(read_nb(path))
    for path in out.rglob("*"):
        if path.is_file() and ".part" in path.name:
            assert path.name.startswith(".") and path.name != "workbook.ipynb", path
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in kernels) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in kernels), "a kernel outlived the interrupted command"

    done = ok(workbooks_cli(tmp_path, store, *args))
    assert "0 failed, of 60" in done.stdout
    books = folders(out)
    assert len(books) == 60
    for path in books.values():
        assert_executed_cleanly(read_nb(path))
    assert not [p for p in out.rglob("*") if ".part" in p.name]
    assert stored_profile_count(store) == 60


def test_help_shows_an_example(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "netcourse", "workbooks", "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Example:" in done.stdout
    assert re.search(r"netcourse workbooks \S+\.csv --out \S+", done.stdout)
    for option in ("--out", "--jobs", "--no-execute", "--html", "--force"):
        assert option in done.stdout
