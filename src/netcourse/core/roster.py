"""Read the participant list trainers really have: Excel CSV exports in UTF-8 (with or without BOM) or
Windows-1252, ``,`` or ``;`` separated, German or English headers, blank lines and stray spaces.

Every problem is one :class:`RosterError` naming the file, the row (as a spreadsheet numbers it: the
header is row 1) and the field. Nothing is written here.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from netcourse.core.errors import NetcourseError
from netcourse.core.participants import TRAITS

MAX_FIELD = 200

# canonical field → accepted header spellings (compared case-insensitively, without spaces, '-' and '_')
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "vollständigername", "teilnehmer", "teilnehmerin", "teilnehmende", "teilnehmer/-in",
             "teilnehmer/in", "participant", "fullname", "vornamenachname"),
    "municipality": ("kommune", "municipality", "gemeinde", "stadt", "kreis", "landkreis", "modellkommune",
                     "organisation"),
    "group": ("gruppe", "group", "merkmal", "trait", "arbeitsgruppe"),
    "email": ("email", "e-mail", "mail", "emailadresse", "e-mail-adresse"),
    "firstname": ("vorname", "firstname", "givenname", "first"),
    "lastname": ("nachname", "familienname", "lastname", "surname", "last"),
}
FIELD_LABELS = {"name": "Name", "municipality": "Kommune", "group": "Gruppe", "email": "E-Mail",
                "firstname": "Vorname", "lastname": "Nachname"}
GROUP_NAMES: dict[str, tuple[str, ...]] = {
    "tausch": ("tausch", "exchange", "1"),
    "ziele": ("ziele", "ziel", "goals", "goal", "2"),
    "unterschiedlichkeit": ("unterschiedlichkeit", "diversity", "vielfalt", "3"),
    "vertrauen": ("vertrauen", "trust", "4"),
}


class RosterError(NetcourseError):
    """A roster problem: file, row and field, in one line."""

    def __init__(self, path: object, message: str, row: int | None = None, field: str | None = None) -> None:
        self.path, self.row, self.field = path, row, field
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {FIELD_LABELS.get(field, field)}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class RosterEntry:
    row: int
    name: str
    municipality: str
    group: str  # a trait id, or "" when the roster leaves it open
    email: str


def _key(header: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", header).casefold() if ch not in " -_.*:\t")


_HEADER_LOOKUP = {_key(alias): field for field, aliases in HEADERS.items() for alias in aliases}
_GROUP_LOOKUP = {_key(alias): group for group, aliases in GROUP_NAMES.items() for alias in aliases}


def decode(data: bytes, path: object) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise RosterError(path, "unreadable encoding (broken UTF-16)") from exc
    if b"\x00" in data:
        raise RosterError(path, "unreadable encoding: this is not a text CSV file (UTF-16 without BOM or binary)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise RosterError(path, "unreadable encoding: save the list as CSV UTF-8 or Windows-1252") from exc


def sniff_delimiter(text: str) -> str:
    """``;`` (German Excel), ``,`` or tab: the one that splits the header row into the most known columns.

    The header holds known words, while names may hold any separator and quote (``Hans ,'Hansi', Meier``
    fooled ``csv.Sniffer``); the sniffer is only asked when no header column is recognised.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return ","

    def known(delimiter: str) -> int:
        cells = next(csv.reader([lines[0]], delimiter=delimiter), [])
        return sum(_HEADER_LOOKUP.get(_key(clean(c))) is not None for c in cells)

    best = max(";,\t", key=lambda d: (known(d), lines[0].count(d)))
    if known(best) > 0 and best in lines[0]:
        return best
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=";,\t").delimiter
    except csv.Error:
        counts = Counter(ch for ch in lines[0] if ch in ";,\t")
        return counts.most_common(1)[0][0] if counts else ","


def clean(value: str) -> str:
    """NFC, surrounding spaces gone, inner runs of whitespace folded, control characters dropped."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(ch if unicodedata.category(ch) != "Cc" else " " if ch.isspace() else "" for ch in value)
    return " ".join(value.split())


def parse_group(value: str, path: object, row: int) -> str:
    if not value:
        return ""
    group = _GROUP_LOOKUP.get(_key(value))
    if group is None:
        known = ", ".join(n[0].capitalize() for n in GROUP_NAMES.values())
        raise RosterError(path, f"unknown group {value[:40]!r}; use one of {known} or leave it empty", row, "group")
    return group


def parse_roster_text(text: str, path: object = "roster") -> list[RosterEntry]:
    """Parse decoded CSV text into entries; raises RosterError on the first problem."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str | None] | None = None
    entries: list[RosterEntry] = []
    number = 0
    try:
        for number, row in enumerate(reader, start=1):  # records, as a spreadsheet numbers its rows
            cells = [clean(c) for c in row]
            if not any(cells):
                continue
            if header is None:
                header = [_HEADER_LOOKUP.get(_key(c)) for c in cells]
                if "name" not in header and not {"firstname", "lastname"} <= set(header):
                    raise RosterError(path, "no column 'Name' in the header row (expected e.g. Name; Kommune; "
                                            "Gruppe; E-Mail, or Vorname and Nachname)", number, "name")
                dup = [f for f, n in Counter(h for h in header if h).items() if n > 1]
                if dup:
                    raise RosterError(path, "this column appears twice in the header", number, dup[0])
                continue
            if len(cells) > len(header) and any(cells[len(header):]):
                raise RosterError(path, f"{len(cells)} fields but the header has {len(header)} "
                                        "(a separator inside a name? put such names in quotes)", number)
            values = {field: cells[i] for i, field in enumerate(header) if field and i < len(cells)}
            for field, value in values.items():
                if len(value) > MAX_FIELD:
                    raise RosterError(path, f"longer than {MAX_FIELD} characters", number, field)
            name = values.get("name") or " ".join(
                v for v in (values.get("firstname", ""), values.get("lastname", "")) if v)
            if not name:
                raise RosterError(path, "missing name", number, "name")
            entries.append(RosterEntry(number, name, values.get("municipality", ""),
                                       parse_group(values.get("group", ""), path, number), values.get("email", "")))
    except csv.Error as exc:
        raise RosterError(path, f"not readable as CSV ({exc})", number + 1) from exc
    if header is None or not entries:
        raise RosterError(path, "the roster is empty: it needs a header row and at least one participant")
    return entries


def read_roster(path: str | os.PathLike[str]) -> list[RosterEntry]:
    """Read and check a roster file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    return parse_roster_text(decode(data, path), path)


def assign_groups(entries: list[RosterEntry]) -> list[str]:
    """Each entry's group: the roster's where given, else the least-filled trait (balanced, stable)."""
    counts = Counter(e.group for e in entries if e.group)
    groups = []
    for entry in entries:
        if entry.group:
            groups.append(entry.group)
            continue
        group = min(TRAITS, key=lambda t: (counts[t], TRAITS.index(t)))
        counts[group] += 1
        groups.append(group)
    return groups
