"""The exporter contract: ``render(journal) -> bytes``, with a format name and a file suffix, and the
:class:`Journal` an exporter receives (a participant's answers with their questions, in course order)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from netcourse.core.course import CourseModule
from netcourse.core.store import Answer


@dataclass
class JournalEntry:
    activity_id: str
    heading: str
    pairs: list[tuple[str, str]]
    answer: Answer
    chart_image: bytes | None = None  # the chart's image bytes (SVG for the built-in types)
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


class Exporter(ABC):
    format_name: ClassVar[str] = ""
    suffix: ClassVar[str] = ""
    media_type: ClassVar[str] = "application/octet-stream"

    @abstractmethod
    def render(self, journal: Journal) -> bytes:
        """The whole file's bytes."""
