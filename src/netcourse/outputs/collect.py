"""Merge answer stores (SQLite) and journal exports (JSON) into one store, e.g. after a course on several
machines.

Rules: the same answer twice (same participant, module, exercise and value) is kept once; the same key with
different values is a conflict: the newest ``updated_at`` wins (on a tie the answer already there stays),
and every conflict is reported. Profiles are merged by participant id: empty fields are filled, differing
ones keep the value already there and are reported. Inputs are opened read-only and never changed. Every
input is read and checked before ``OUT`` is touched; the writes happen in one transaction, so a damaged
input or a failed write leaves ``OUT`` as it was.

Note: a participant forgotten in one store but still present in an older copy comes back when that copy
is merged; forget them again afterwards (``netcourse forget``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from netcourse.core.errors import NetcourseError
from netcourse.core.identity import check_participant_id
from netcourse.core.store import (
    Answer,
    AnswerRow,
    AnswerStore,
    ProfileRecord,
    ProfileRow,
    StoreConflictError,
    StoreTransaction,
    utc_now,
)
from netcourse.core.store_file import StoreReadError, read_store_file
from netcourse.outputs.journal import JournalImportError, parse_journal

SQLITE_MAGIC = b"SQLite format 3\x00"
PROFILE_FIELDS = ("name", "municipality", "grp", "email", "lang")

Key = tuple[str, str, str]


class CollectError(NetcourseError):
    """An input cannot be merged; names the file. Nothing was written."""

    def __init__(self, path: object, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}; nothing was written")


@dataclass
class Source:
    """What one input holds, read and checked."""

    label: str
    answers: list[Answer]
    profiles: list[ProfileRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Conflict:
    """One key answered differently in two places; which answer was kept (values are not reported)."""

    participant_id: str
    module: str
    exercise: str
    winner: str
    winner_updated_at: str
    loser: str
    loser_updated_at: str

    def __str__(self) -> str:
        return (f"{self.participant_id}/{self.module}/{self.exercise}: kept {self.winner} "
                f"({self.winner_updated_at}), dropped {self.loser} ({self.loser_updated_at})")


@dataclass(frozen=True)
class ProfileConflict:
    participant_id: str
    field: str
    kept_from: str
    dropped_from: str

    def __str__(self) -> str:
        return (f"profile {self.participant_id}.{self.field}: kept {self.kept_from}, "
                f"dropped {self.dropped_from}")


@dataclass
class CollectReport:
    out: Path
    inputs: list[str]
    read: int = 0  # answers read from all inputs
    added: int = 0  # new keys written to OUT
    updated: int = 0  # answers in OUT replaced by a newer, different one
    identical: int = 0  # answers already there with the same value
    conflicts: list[Conflict] = field(default_factory=list)
    profiles_added: int = 0
    profiles_updated: int = 0
    profiles_identical: int = 0
    profile_conflicts: list[ProfileConflict] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be written" if self.dry_run else "written"
        return (f"{self.out}: {len(self.inputs)} inputs, {self.read} answers read; {self.added} added, "
                f"{self.updated} replaced by newer, {self.identical} identical kept once, "
                f"{len(self.conflicts)} conflicts (newest wins); profiles: {self.profiles_added} added, "
                f"{self.profiles_updated} completed, {self.profiles_identical} identical, "
                f"{len(self.profile_conflicts)} conflicts ({verb})")


# reading inputs -----------------------------------------------------------------------------------------
def read_source(path: str | os.PathLike[str], run: str | None = None) -> Source:
    """Read a store (SQLite) or journal (JSON) without changing it; raises CollectError naming the file."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise CollectError(path, f"cannot read: {exc.strerror or exc}") from exc
    if head == SQLITE_MAGIC:
        return _read_store(path, run)
    try:
        _, answers = parse_journal(path.read_bytes(), source=path)
    except JournalImportError as exc:
        if exc.code == "not_json":
            raise CollectError(path, "neither a netcourse answer store (SQLite) nor a journal (JSON)") \
                from exc
        reason = str(exc).removeprefix(f"{path}: ").removesuffix("; nothing was imported")
        raise CollectError(path, reason) from exc
    return Source(str(path), answers)


def _read_store(path: Path, run: str | None = None) -> Source:
    try:
        found = read_store_file(path, run)
    except StoreReadError as exc:
        raise CollectError(path, exc.reason) from exc
    answers = [_answer(path, index, row) for index, row in enumerate(found.answer_rows)]
    profiles = [_profile(path, index, row) for index, row in enumerate(found.profile_rows)]
    return Source(str(path), answers, profiles)


def _answer(path: Path, index: int, row: AnswerRow) -> Answer:
    pid, module, exercise, payload, stamp = row
    where = f"answers row {index + 1}"
    try:
        check_participant_id(pid)
    except NetcourseError as exc:
        raise CollectError(path, f"{where}: invalid participant id") from exc
    if not (isinstance(module, str) and module and isinstance(exercise, str) and exercise):
        raise CollectError(path, f"{where}: module or exercise missing")
    try:
        value = json.loads(payload)
        _instant(stamp)
    except (TypeError, ValueError) as exc:
        raise CollectError(path, f"{where} ({module}/{exercise}): damaged answer or timestamp") from exc
    if not isinstance(value, dict):
        raise CollectError(path, f"{where} ({module}/{exercise}): the answer is not an object")
    return Answer(pid, module, exercise, value, stamp)


def _profile(path: Path, index: int, row: ProfileRow) -> ProfileRecord:
    pid, *texts, token, created = row
    try:
        check_participant_id(pid)
    except NetcourseError as exc:
        raise CollectError(path, f"participants row {index + 1}: invalid participant id") from exc
    if not all(isinstance(t, (str, type(None))) for t in (*texts, token, created)):
        raise CollectError(path, f"participants row {index + 1}: damaged profile")
    name, municipality, grp, email, lang = (t or "" for t in texts)
    return ProfileRecord(pid, name, municipality, grp, email, lang or "de", token or None, created or utc_now())


def _instant(stamp: object) -> datetime:
    if not isinstance(stamp, str):
        raise TypeError("timestamp is not text")
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _canonical(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# merging ----------------------------------------------------------------------------------------------------
@dataclass
class _Held:
    answer: Answer
    payload: str
    source: str
    original: bool  # the row OUT already had


def collect(out: str | os.PathLike[str], inputs: list[str | os.PathLike[str]], *,
            dry_run: bool = False, run: str | None = None, from_run: str | None = None) -> CollectReport:
    """Merge ``inputs`` (stores and journals) into the run ``run`` of the store ``out`` (created if missing).

    An input store holding several runs is read for ``from_run`` (default: the same id as ``run``)."""
    out = Path(out)
    if not inputs:
        raise NetcourseError("collect: give at least one input store or journal")
    for item in inputs:
        if Path(item).exists() and out.exists() and os.path.samefile(item, out):
            raise CollectError(item, "is the output store itself; write to another OUT")
    sources = [read_source(item, from_run or run) for item in inputs]  # everything is checked before OUT is touched
    report = CollectReport(out, [s.label for s in sources], read=sum(len(s.answers) for s in sources),
                           dry_run=dry_run)
    existed = out.exists()
    if dry_run and not existed:
        _merge(report, {}, {}, sources)
        return report
    store = AnswerStore(out, run)
    try:
        with store.transaction() as tx:  # one write transaction: all written, or nothing
            held, profiles = _read_out(tx, out)
            writes, profile_writes = _merge(report, held, profiles, sources)
            if dry_run:
                tx.discard()
            else:
                _write(tx, out, writes, profile_writes)
    except BaseException:
        _drop_new(out, existed)
        raise
    return report


Profiles = dict[str, tuple[ProfileRecord, str]]  # participant id → (profile, where it came from)


def _read_out(tx: StoreTransaction, out: Path) -> tuple[dict[Key, _Held], Profiles]:
    """What OUT already holds (inside the write transaction)."""
    mine = f"{out} (existing)"
    held = {}
    for index, row in enumerate(tx.answer_rows()):
        answer = _answer(out, index, row)
        key = (answer.participant_id, answer.module, answer.exercise)
        held[key] = _Held(answer, _canonical(answer.value), mine, True)
    return held, {row[0]: (_profile(out, index, row), mine) for index, row in enumerate(tx.profile_rows())}


def _merge(report: CollectReport, held: dict[Key, _Held], profiles: Profiles,
           sources: list[Source]) -> tuple[list[Answer], list[ProfileRecord]]:
    original = {key for key, h in held.items() if h.original}
    for source in sources:
        for answer in source.answers:
            key = (answer.participant_id, answer.module, answer.exercise)
            payload = _canonical(answer.value)
            current = held.get(key)
            if current is None:
                held[key] = _Held(answer, payload, source.label, False)
            elif _canonical(current.answer.value) == payload:
                report.identical += 1
            else:
                newer = _instant(answer.updated_at) > _instant(current.answer.updated_at)
                ours = (current.source, current.answer.updated_at)
                theirs = (source.label, answer.updated_at)
                win, lose = (theirs, ours) if newer else (ours, theirs)
                report.conflicts.append(Conflict(*key, *win, *lose))
                if newer:
                    held[key] = _Held(answer, payload, source.label, False)
    writes = [h.answer for h in held.values() if not h.original]
    report.updated = sum(1 for key, h in held.items() if not h.original and key in original)
    report.added = len(writes) - report.updated
    profile_writes = _merge_profiles(report, profiles, sources)
    return writes, profile_writes


def _merge_profiles(report: CollectReport, profiles: Profiles,
                    sources: list[Source]) -> list[ProfileRecord]:
    changed: dict[str, ProfileRecord] = {}
    for source in sources:
        for row in source.profiles:
            current = profiles.get(row.participant_id)
            if current is None:
                profiles[row.participant_id] = (row, source.label)
                changed[row.participant_id] = row
                report.profiles_added += 1
                continue
            kept, kept_from = current
            values = {}
            for name in PROFILE_FIELDS:
                mine, theirs = getattr(kept, name), getattr(row, name)
                if mine == theirs or not theirs:
                    continue
                if not mine:
                    values[name] = theirs
                else:
                    report.profile_conflicts.append(ProfileConflict(row.participant_id, name, kept_from,
                                                                    source.label))
            if kept.token_hash is None and row.token_hash is not None:
                values["token_hash"] = row.token_hash
            if values:
                merged = ProfileRecord(**{**kept.__dict__, **values})
                profiles[row.participant_id] = (merged, kept_from)
                if row.participant_id not in changed:
                    report.profiles_updated += 1
                changed[row.participant_id] = merged
            else:
                report.profiles_identical += 1
    return list(changed.values())


def _write(tx: StoreTransaction, out: Path, answers: list[Answer], profiles: list[ProfileRecord]) -> None:
    try:
        tx.put_answers(answers)
        tx.put_profiles(profiles)
    except StoreConflictError as exc:  # e.g. one link token hash under two participant ids
        raise CollectError(out, f"the merged data do not fit together ({exc.reason})") from exc


def _drop_new(out: Path, existed: bool) -> None:
    """Remove an OUT store this run created (it holds nothing: the transaction was rolled back)."""
    if existed:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
