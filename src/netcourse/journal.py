"""A participant's learning journal: every answer with its question, module by module, in course order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netcourse import plugins
from netcourse.course import CourseModule, course_modules
from netcourse.errors import NetcourseError
from netcourse.i18n import resolve_lang
from netcourse.store import Answer, AnswerStore


@dataclass
class JournalEntry:
    activity_id: str
    heading: str
    pairs: list[tuple[str, str]]
    answer: Answer
    chart_png: bytes | None = None
    chart_alt: str | None = None


@dataclass
class JournalModule:
    module: CourseModule
    title: str
    entries: list[JournalEntry] = field(default_factory=list)


@dataclass
class Journal:
    participant_id: str
    lang: str
    modules: list[JournalModule]

    @property
    def answers(self) -> list[Answer]:
        return [e.answer for m in self.modules for e in m.entries]


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
            if answer is None:
                continue
            exercise = plugins.exercises.get(spec.type)(spec, module.activity_texts(spec.id, lang), lang)
            entry = JournalEntry(spec.id, str(exercise.texts.get("heading", spec.id)),
                                 exercise.describe(answer.value), answer)
            picture = exercise.chart(answer.value) if with_charts else None
            if picture is not None:
                entry.chart_png, entry.chart_alt = picture
            jm.entries.append(entry)
        if jm.entries:
            modules.append(jm)
    return Journal(participant_id, lang, modules)


def export_journal(journal: Journal, fmt: str) -> bytes:
    """Render with the exporter plugin named ``fmt``."""
    exporter_cls = plugins.exporters.get(fmt)
    return exporter_cls().render(journal)


def journal_payload(journal: Journal) -> dict[str, Any]:
    from netcourse import __version__
    from netcourse.store import SCHEMA_VERSION

    return {
        "format": "netcourse-journal",
        "schema_version": SCHEMA_VERSION,
        "netcourse_version": __version__,
        "participant_id": journal.participant_id,
        "lang": journal.lang,
        "answers": [a.as_dict() for a in journal.answers],
    }


class JournalImportError(NetcourseError):
    pass
