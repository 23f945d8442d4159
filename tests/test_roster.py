"""Reading the rosters trainers really have (Excel CSV exports) and turning names into safe folders.

Fixture files live in ``tests/fixtures/rosters`` (see its README); rosters with undecodable or binary
bytes are written here from Python.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from netcourse.core.participants import TRAITS
from netcourse.core.roster import RosterEntry, RosterError, assign_groups, parse_roster_text, read_roster
from netcourse.core.roster import clean as clean_name
from netcourse.outputs.workbooks.batch import folder_slug, plan

ROSTERS = Path(__file__).resolve().parent / "fixtures" / "rosters"

DE_ENTRIES = [
    RosterEntry(2, "Jürgen Müller", "Kassel", "tausch", "j.mueller@kassel.example"),
    RosterEntry(3, "Grete Strauß", "Gießen", "ziele", ""),
    RosterEntry(5, "Weiß; Jörg", "Fulda", "", "joerg@fulda.example"),
    RosterEntry(6, "Änne Özdemir", "Bad Hersfeld", "vertrauen", ""),
    RosterEntry(8, "Björn Größer", "Wetzlar", "unterschiedlichkeit", "b.groesser@wetzlar.example"),
]
EN_ENTRIES = [
    RosterEntry(2, "Smith, Jane", "Kassel", "tausch", "jane@example.org"),
    RosterEntry(3, "Zoë Brontë", "Marburg", "ziele", ""),
    RosterEntry(4, "Łukasz Wiśniewski", "Fulda", "unterschiedlichkeit", "lw@example.org"),
    RosterEntry(6, "Ümit Demir", "Hanau", "vertrauen", ""),
    RosterEntry(7, "Chen Wei 陈伟", "Offenbach am Main", "", ""),
]


def write(tmp_path: Path, data: bytes, name: str = "teilnehmende.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def roster_error(path: Path) -> RosterError:
    with pytest.raises(RosterError) as info:
        read_roster(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    return info.value


# good rosters -----------------------------------------------------------------------------------
def test_german_excel_export_in_windows_1252() -> None:
    path = ROSTERS / "de_excel_cp1252.csv"
    raw = path.read_bytes()
    assert b"\xfc" in raw and b"\xdf" in raw and b"\r\n" in raw  # really cp1252 (ü, ß) with CRLF
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert read_roster(path) == DE_ENTRIES


def test_utf8_with_bom_reads_like_the_cp1252_export() -> None:
    path = ROSTERS / "de_utf8_bom.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbfName;")
    assert read_roster(path) == DE_ENTRIES


def test_english_headers_comma_and_quoted_name_with_comma() -> None:
    assert read_roster(ROSTERS / "en_utf8.csv") == EN_ENTRIES


def test_utf16_unicode_text_export_with_tabs(tmp_path: Path) -> None:
    text = "Name\tKommune\tGruppe\r\nJürgen Müller\tKassel\tTausch\r\n"
    entries = read_roster(write(tmp_path, text.encode("utf-16")))
    assert entries == [RosterEntry(2, "Jürgen Müller", "Kassel", "tausch", "")]


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_delimiter_is_sniffed_for_each_encoding(tmp_path: Path, delimiter: str, encoding: str) -> None:
    rows = [["Name", "Kommune", "Gruppe", "E-Mail"], ["Jürgen Müller", "Gießen", "Ziele", "jm@example.org"],
            [f"Weiß{delimiter} Jörg", "Fulda", "", ""]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    entries = read_roster(write(tmp_path, buffer.getvalue().encode(encoding)))
    assert [(e.name, e.municipality, e.group, e.email) for e in entries] == [
        ("Jürgen Müller", "Gießen", "ziele", "jm@example.org"), (f"Weiß{delimiter} Jörg", "Fulda", "", "")]


def test_names_are_nfc_and_spaces_folded(tmp_path: Path) -> None:
    nfd = "Mu\u0308ller"
    assert unicodedata.normalize("NFC", nfd) != nfd
    text = f"Name;Kommune\n  Jo\u0308rg \t {nfd}  ;  Gie\u00dfen  \n"
    [entry] = read_roster(write(tmp_path, text.encode("utf-8")))
    assert entry.name == "Jörg Müller"
    assert entry.name == unicodedata.normalize("NFC", entry.name)
    assert entry.municipality == "Gießen"


def test_line_break_inside_a_cell_becomes_a_space(tmp_path: Path) -> None:
    """Alt+Enter in an Excel cell: the quoted value holds a line break, which must not glue words."""
    text = 'Name;Kommune\r\n"Anna\nSchäfer";"Landkreis\r\nKassel"\r\nJörg\tWeiß;Fulda\r\n'
    entries = read_roster(write(tmp_path, text.encode("cp1252")))
    assert [(e.name, e.municipality) for e in entries] == [("Anna Schäfer", "Landkreis Kassel"),
                                                         ("Jörg Weiß", "Fulda")]


def test_control_characters_are_dropped() -> None:
    [entry] = parse_roster_text("Name;Kommune\nAn\x00na\x07 Sch\x1bäfer;Fulda\x7f\n")
    assert (entry.name, entry.municipality) == ("Anna Schäfer", "Fulda")


def test_blank_lines_and_empty_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    text = "\n\nName;Kommune\n\n;;\n  ;  \nAnna;Fulda\n"
    assert parse_roster_text(text) == [RosterEntry(7, "Anna", "Fulda", "", "")]


def test_trailing_empty_fields_are_fine(tmp_path: Path) -> None:
    [entry] = read_roster(write(tmp_path, b"Name;Kommune\nAnna;Fulda;;;\n"))
    assert (entry.name, entry.municipality) == ("Anna", "Fulda")


def test_header_spelling_is_forgiving() -> None:
    text = "VOLLSTÄNDIGER NAME;Gemeinde;Arbeits-Gruppe;E-Mail-Adresse\nAnna;Fulda;Trust;a@b.de\n"
    assert parse_roster_text(text) == [RosterEntry(2, "Anna", "Fulda", "vertrauen", "a@b.de")]


def test_unknown_extra_columns_are_ignored() -> None:
    text = "Nr;Name;Telefon;Kommune\n1;Anna;0561 123;Fulda\n"
    assert parse_roster_text(text) == [RosterEntry(2, "Anna", "Fulda", "", "")]


@pytest.mark.parametrize(("given_group", "trait"), [
    ("Tausch", "tausch"), ("exchange", "tausch"), ("1", "tausch"),
    ("ZIELE", "ziele"), ("Goals", "ziele"), ("Ziel", "ziele"),
    ("Unterschiedlichkeit", "unterschiedlichkeit"), ("Diversity", "unterschiedlichkeit"),
    ("Vielfalt", "unterschiedlichkeit"),
    ("Vertrauen", "vertrauen"), ("trust", "vertrauen"), ("  Vertrauen  ", "vertrauen"),
    ("", ""),
])
def test_groups_by_german_or_english_name(given_group: str, trait: str) -> None:
    [entry] = parse_roster_text(f"Name;Gruppe\nAnna;{given_group}\n")
    assert entry.group == trait


# balanced groups ----------------------------------------------------------------------------------
def entries_with(groups: list[str]) -> list[RosterEntry]:
    return [RosterEntry(i + 2, f"P{i}", "", g, "") for i, g in enumerate(groups)]


def test_sixteen_without_group_get_four_per_trait() -> None:
    groups = assign_groups(entries_with([""] * 16))
    assert Counter(groups) == {t: 4 for t in TRAITS}
    assert groups == assign_groups(entries_with([""] * 16))  # stable


def test_mixed_given_and_empty_groups_are_balanced() -> None:
    given_groups = ["tausch"] * 6 + [""] * 10
    groups = assign_groups(entries_with(given_groups))
    assert groups[:6] == ["tausch"] * 6
    assert Counter(groups) == {"tausch": 6, "ziele": 4, "unterschiedlichkeit": 3, "vertrauen": 3}


def test_empty_groups_fill_the_smallest_given_groups_first() -> None:
    given_groups = ["tausch", "tausch", "ziele", "", "", "unterschiedlichkeit", "", "vertrauen", ""]
    groups = assign_groups(entries_with(given_groups))
    assert all(g == given for g, given in zip(groups, given_groups, strict=True) if given)
    # tausch already has two: the first three open places go to the other traits
    assert sorted(groups[i] for i in (3, 4, 6)) == ["unterschiedlichkeit", "vertrauen", "ziele"]
    assert sorted(Counter(groups).values()) == [2, 2, 2, 3]


@given(st.lists(st.sampled_from([*TRAITS, ""]), max_size=60))
def test_assign_groups_keeps_given_and_balances_the_rest(given_groups: list[str]) -> None:
    groups = assign_groups(entries_with(given_groups))
    assert len(groups) == len(given_groups)
    assert all(g in TRAITS for g in groups)
    assert all(g == given for g, given in zip(groups, given_groups, strict=True) if given)
    counts = Counter({t: 0 for t in TRAITS})
    counts.update(groups)
    low = min(counts.values())
    filled = {g for g, given in zip(groups, given_groups, strict=True) if not given}
    for trait in filled:  # a trait that received open places is at most one above the smallest
        assert counts[trait] <= low + 1, counts
    if not any(given_groups):
        assert max(counts.values()) - low <= 1


# bad rosters --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("fixture", "row", "field", "phrase"), [
    ("bad_missing_name.csv", 4, "name", "missing name"),
    ("bad_unknown_group.csv", 3, "group", "unknown group 'Blau'"),
    ("bad_no_name_column.csv", 1, "name", "no column 'Name'"),
    ("bad_duplicate_column.csv", 1, "municipality", "twice"),
])
def test_bad_roster_names_file_row_and_field(fixture: str, row: int, field: str, phrase: str) -> None:
    labels = {"name": "Name", "group": "Gruppe", "municipality": "Kommune"}
    error = roster_error(ROSTERS / fixture)
    assert (error.row, error.field) == (row, field)
    assert f", row {row}, field {labels[field]}: " in str(error)
    assert phrase in str(error)


def test_row_with_too_many_fields_names_file_and_row() -> None:
    error = roster_error(ROSTERS / "bad_too_many_fields.csv")
    assert error.row == 3
    assert ", row 3" in str(error)
    assert "4 fields but the header has 3" in str(error)


def test_row_number_counts_spreadsheet_rows_not_text_lines(tmp_path: Path) -> None:
    """A quoted cell with a line break is one spreadsheet row: the missing name is in row 3, not 4."""
    text = 'Name;Kommune\n"Anna\nSchäfer";Fulda\n;Kassel\n'
    error = roster_error(write(tmp_path, text.encode("utf-8")))
    assert (error.row, error.field) == (3, "name")


def test_overlong_field_names_row_and_field(tmp_path: Path) -> None:
    error = roster_error(write(tmp_path, f"Name;Kommune\nAnna;{'x' * 500}\n".encode()))
    assert (error.row, error.field) == (2, "municipality")


@pytest.mark.parametrize("fixture", ["bad_only_header.csv", "bad_empty.csv"])
def test_empty_roster(fixture: str) -> None:
    assert "empty" in str(roster_error(ROSTERS / fixture))


def test_whitespace_only_roster_is_empty(tmp_path: Path) -> None:
    assert "empty" in str(roster_error(write(tmp_path, b"\r\n  \r\n\t\r\n")))


@pytest.mark.parametrize("data", [
    pytest.param(b"Name;Kommune\nM\x81ller;K\x8dln\n", id="invalid-in-utf8-and-cp1252"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", id="binary-with-nul"),
    pytest.param(b"Name;Kommune\r\nAnna;Fulda\r\n" + b"\x00" * 512, id="nul-padded-utf8"),
    pytest.param(b"\xff\xfeN\x00a\x00m\x00e\x00\n\x00\x00\xd8", id="broken-utf16"),
])
def test_unreadable_encoding(tmp_path: Path, data: bytes) -> None:
    assert "unreadable encoding" in str(roster_error(write(tmp_path, data)))


def test_an_excel_workbook_instead_of_csv_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + "<row/>" * 200 + "</worksheet>")
    path = write(tmp_path, buffer.getvalue(), "teilnehmende.xlsx")
    assert "unreadable encoding" in str(roster_error(path))


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read" in str(roster_error(tmp_path / "nicht-da.csv"))


# properties ---------------------------------------------------------------------------------------
def fold(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


# any printable text, with extra weight on what CSV and the delimiter sniffer care about
CELL = st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from(list(",;'\" äßé")),
               max_size=40)
NAME = CELL.filter(lambda s: fold(s) != "")


@given(rows=st.lists(st.tuples(NAME, CELL), min_size=1, max_size=8),
       delimiter=st.sampled_from([",", ";"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
       english=st.booleans(),
       lineterminator=st.sampled_from(["\r\n", "\n"]))
def test_any_names_survive_a_csv_round_trip(tmp_path_factory: pytest.TempPathFactory,
                                            rows: list[tuple[str, str]], delimiter: str, encoding: str,
                                            english: bool, lineterminator: str) -> None:
    header = ["Name", "Municipality", "Group", "Email"] if english else \
        ["Name", "Kommune", "Gruppe", "E-Mail"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows([name, municipality, "", ""] for name, municipality in rows)
    text = buffer.getvalue()
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    if encoding == "cp1252":  # bytes that are also valid UTF-8 are read as UTF-8: ambiguous by nature
        with contextlib.suppress(UnicodeDecodeError):
            assume(data.decode("utf-8") == text)
    path = tmp_path_factory.mktemp("roster") / "roster.csv"
    path.write_bytes(data)
    entries = read_roster(path)
    assert [e.name for e in entries] == [fold(name) for name, _ in rows]
    assert [e.municipality for e in entries] == [fold(municipality) for _, municipality in rows]
    assert [e.row for e in entries] == list(range(2, len(rows) + 2))


@pytest.mark.parametrize("delimiter", [";", ","])
def test_delimiter_comes_from_the_header_not_from_quotes_in_names(delimiter: str) -> None:
    """Hypothesis found it: a name like ``Hans ,'Hansi', Meier`` made the sniffer pick ',' in a ';' file."""
    names = ["Müller, Anna", "Hans ,'Hansi', Meier", "Weiß; Jörg"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Name", "Kommune", "Gruppe", "E-Mail"])
    writer.writerows([name, "Kassel", "", ""] for name in names)
    assert [e.name for e in parse_roster_text(buffer.getvalue())] == names


SLUG = re.compile(r"[a-z0-9-]+")
TRICKY = st.sampled_from(["", ".", "..", "../", "../../etc/passwd", "/", "\\", "..\\..\\Windows", "~",
                          "😀", "👩‍👩‍👧", "Jürgen Müller", "JÜRGEN MÜLLER", "-", "---", "con", "nul", " ",
                          "a/b", "Straße", "ß", "Ⅻ", "ﬁ", "İ", "\u0301", "x" * 300, "teilnehmende"])
ANY_NAME = TRICKY | st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))


@given(ANY_NAME)
def test_folder_slug_is_one_safe_path_part(name: str) -> None:
    taken: set[str] = set()
    slug = folder_slug(name, taken)
    assert SLUG.fullmatch(slug), slug
    assert slug not in (".", "..")
    assert slug in taken


@given(st.lists(ANY_NAME, max_size=40))
def test_folder_slugs_never_collide(names: list[str]) -> None:
    taken: set[str] = set()
    slugs = [folder_slug(name, taken) for name in names]
    assert len(set(slugs)) == len(slugs)
    assert all(SLUG.fullmatch(s) for s in slugs)


def test_same_name_gets_numbered_folders() -> None:
    taken: set[str] = set()
    assert [folder_slug(n, taken) for n in ["Jörg Weiß", "Jörg Weiß", "joerg weiss", "😀", "'''"]] == [
        "joerg-weiss", "joerg-weiss-2", "joerg-weiss-3", "teilnehmende", "teilnehmende-2"]


@given(st.lists(ANY_NAME.filter(lambda s: clean_name(s) != ""), min_size=1, max_size=20))
def test_plan_puts_every_folder_directly_inside_dir(tmp_path_factory: pytest.TempPathFactory,
                                                     names: list[str]) -> None:
    out_dir = tmp_path_factory.getbasetemp() / "plan-out"  # never created: plan writes nothing
    entries = [RosterEntry(i + 2, clean_name(n), "", "", "") for i, n in enumerate(names)]
    planned = plan(entries, out_dir, "de")
    assert not out_dir.exists()
    slugs = [p.slug for p in planned]
    assert len(set(slugs)) == len(slugs)
    assert len({p.profile.participant_id for p in planned}) == len(planned)
    assert len({p.token for p in planned}) == len(planned)
    for item in planned:
        folder = out_dir / item.slug
        assert folder.parent == out_dir and folder.resolve().parent == out_dir.resolve()
        assert SLUG.fullmatch(item.slug) and item.slug not in (".", "..")
        assert item.profile.group in TRAITS
