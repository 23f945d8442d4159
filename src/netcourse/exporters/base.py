"""The exporter contract: ``render(journal) -> bytes``, with a format name and a file suffix."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from netcourse.journal import Journal


class Exporter(ABC):
    format_name: ClassVar[str] = ""
    suffix: ClassVar[str] = ""
    media_type: ClassVar[str] = "application/octet-stream"

    @abstractmethod
    def render(self, journal: Journal) -> bytes:
        """The whole file's bytes."""
