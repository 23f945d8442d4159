"""A participant's learning journal: every answer with its question, module by module, in course order.

The journal's data (:class:`Journal`) is what exporters render, so it is defined beside their contract in
:mod:`netcourse.outputs.exporters.base`; this module builds it, exports it and imports it again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import resolve_lang
from netcourse.core.store import Answer, AnswerStore
from netcourse.exercises import registry
from netcourse.exercises.registry import activity_roles, course_modules
from netcourse.outputs.exporters.base import Journal, JournalEntry, JournalModule
from netcourse.outputs.exporters.registry import exporters


def build_journal(store: AnswerStore, participant_id: str, lang: str | None = None,
                  with_charts: bool = True) -> Journal:
    """Collect a participant's answers with the questions they answer, in course order."""
    lang = resolve_lang(lang)
    stored = {(a.module, a.exercise): a for a in store.answers(participant_id)}
    modules = []
    for module in course_modules():
        jm = JournalModule(module, module.title(lang))
        for spec in module.activities:
            answer = stored.get((module.id, spec.id))
            if answer is None or not activity_roles(module, spec).journal:
                continue
            exercise = registry.exercises.get(spec.type)(spec, module.activity_texts(spec.id, lang), lang)
            entry = JournalEntry(spec.id, str(exercise.texts.get("heading", spec.id)),
                                 exercise.describe(answer.value), answer)
            picture = exercise.chart(answer.value) if with_charts else None
            if picture is not None:
                entry.chart_image, entry.chart_alt = picture
            jm.entries.append(entry)
        if jm.entries:
            modules.append(jm)
    return Journal(participant_id, lang, modules)


def export_journal(journal: Journal, fmt: str) -> bytes:
    """Render with the exporter plugin named ``fmt``."""
    exporter_cls = exporters.get(fmt)
    return exporter_cls().render(journal)


class JournalImportError(NetcourseError):
    """A journal file cannot be imported; nothing was changed."""

    def __init__(self, source: object, message: str, code: str = "damaged") -> None:
        self.source, self.code = source, code
        super().__init__(f"{source}: {message}; nothing was imported")


@dataclass
class ImportReport:
    participant_id: str
    written: int
    kept_newer: int
    adopted_id: bool


def parse_journal(data: bytes | str, source: object = "journal") -> tuple[str, list[Answer]]:
    """Check a journal JSON export and return (participant id, answers); raises JournalImportError."""
    from datetime import datetime

    from netcourse.core.identity import check_participant_id
    from netcourse.core.store import JOURNAL_SCHEMA_VERSION

    try:
        payload = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JournalImportError(source, f"not a readable JSON file ({exc})".split("\n")[0], "not_json") from exc
    if not isinstance(payload, dict) or payload.get("format") != "netcourse-journal":
        raise JournalImportError(source, "not a netcourse journal (field 'format' missing or wrong)", "not_journal")
    version = payload.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise JournalImportError(source, "field 'schema_version' missing or not a number")
    if version > JOURNAL_SCHEMA_VERSION:
        raise JournalImportError(source, f"written by a newer netcourse (schema {version}); "
                                         f"this version reads up to {JOURNAL_SCHEMA_VERSION}", "newer_schema")
    try:
        participant_id = check_participant_id(payload.get("participant_id"))
    except NetcourseError as exc:
        raise JournalImportError(source, "field 'participant_id' is missing or invalid") from exc
    rows = payload.get("answers")
    if not isinstance(rows, list):
        raise JournalImportError(source, "field 'answers' is missing or not a list")
    answers = []
    for index, row in enumerate(rows):
        where = f"answers[{index}]"
        if not isinstance(row, dict):
            raise JournalImportError(source, f"{where} is not an object")
        for key in ("module", "exercise", "updated_at"):
            if not isinstance(row.get(key), str) or not row[key]:
                raise JournalImportError(source, f"{where}.{key} is missing")
        if row.get("participant_id", participant_id) != participant_id:
            raise JournalImportError(source, f"{where} belongs to another participant", "other_participant")
        if not isinstance(row.get("answer"), dict):
            raise JournalImportError(source, f"{where}.answer is not an object")
        try:
            datetime.fromisoformat(row["updated_at"])
        except ValueError as exc:
            raise JournalImportError(source, f"{where}.updated_at is not a timestamp") from exc
        answer = _validated(row["module"], row["exercise"], row["answer"], source, where)
        answers.append(Answer(participant_id, row["module"], row["exercise"], answer, row["updated_at"]))
    return participant_id, answers


def _validated(module_id: str, exercise_id: str, value: dict[str, Any], source: object, where: str) -> dict:
    """Validate an imported answer with its exercise type where that module is installed."""
    try:
        module = registry.modules.get(module_id)
        spec = module.activity(exercise_id)
        exercise = registry.exercises.get(spec.type)(spec, module.activity_texts(exercise_id, "de"), "de")
    except NetcourseError:
        return value  # a module of a plugin not installed here: keep the answer as it is
    try:
        return exercise.validate(value)
    except NetcourseError as exc:
        raise JournalImportError(source, f"{where} ({module_id}/{exercise_id}) is damaged: {exc}") from exc


def import_journal(store: AnswerStore, data: bytes | str, source: object = "journal",
                   participant_id: str | None = None) -> ImportReport:
    """Restore a journal into the store for ``participant_id`` (default: this learner).

    A journal of another participant is refused, except on a fresh store for the local self-learner:
    there the journal's id is adopted, so a new Binder session continues the earlier one.
    """
    import os

    from netcourse.core.identity import PARTICIPANT_ENV, adopt_self_learner_id, resolve_participant

    file_id, answers = parse_journal(data, source)
    explicit = participant_id is not None or bool(os.environ.get(PARTICIPANT_ENV))
    target = resolve_participant(participant_id)
    adopted = False
    if file_id != target:
        if explicit or store.answers(target):
            raise JournalImportError(source, f"belongs to participant {file_id}, not to {target}",
                                     "other_participant")
        adopt_self_learner_id(file_id)
        adopted, target = True, file_id
    written, kept = store.save_many(answers)
    return ImportReport(target, written, kept, adopted)
