"""The agenda of a live session, computed from the modules actually installed.

Rows are the installed modules in course order plus the agenda items of the course texts
(``agenda_items`` in ``course.<lang>.yaml``: welcome round, break, feedback round), each placed ``after``
``start``, ``end`` or a module id. An item whose module is not installed goes before the ``end`` items, so a
break is never lost. The planned length is ``planned_minutes`` of the course texts, else 180 minutes (the
report's three-hour programme); a longer agenda carries a warning for the trainer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PLANNED_MINUTES = 180


@dataclass(frozen=True)
class AgendaRow:
    kind: str  # "module" or "item"
    id: str
    title: str
    minutes: int
    start: int  # minutes from the start of the session
    note: str = ""
    notebook: str = ""

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Agenda:
    rows: tuple[AgendaRow, ...]
    planned: int

    @property
    def total(self) -> int:
        return sum(r.minutes for r in self.rows)

    @property
    def over(self) -> int:
        """Minutes beyond the planned length (0 when it fits)."""
        return max(0, self.total - self.planned)

    @property
    def module_minutes(self) -> int:
        return sum(r.minutes for r in self.rows if r.kind == "module")


def clock(minutes: int) -> str:
    """Minutes from the start as h:mm."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def planned_minutes(course_texts: Mapping[str, Any]) -> int:
    try:
        value = int(course_texts.get("planned_minutes") or PLANNED_MINUTES)
    except (TypeError, ValueError):
        return PLANNED_MINUTES
    return value if value > 0 else PLANNED_MINUTES


def build_agenda(modules: Iterable[tuple[str, str, int, str]], course_texts: Mapping[str, Any],
                 *, with_items: bool = True) -> Agenda:
    """``modules``: (id, title, minutes, notebook) in course order; ``course_texts``: one language's course texts."""
    modules = list(modules)
    items = [(str(item_id), item) for item_id, item in (course_texts.get("agenda_items") or {}).items()
             if isinstance(item, Mapping)] if with_items else []
    module_ids = {m[0] for m in modules}
    entries: list[tuple[str, str, str, int, str, str]] = []  # kind, id, title, minutes, note, notebook

    def add_items(anchor: str) -> None:
        for item_id, item in items:
            after = str(item.get("after", "end"))
            if after == anchor or (anchor == "end-orphans" and after not in module_ids and after not in
                                   ("start", "end")):
                entries.append(("item", item_id, str(item.get("title", item_id)), _minutes(item),
                                str(item.get("note", "")), ""))

    add_items("start")
    for module_id, title, minutes, notebook in modules:
        entries.append(("module", module_id, title, int(minutes), "", notebook))
        add_items(module_id)
    add_items("end-orphans")
    add_items("end")
    rows, start = [], 0
    for kind, ident, title, minutes, note, notebook in entries:
        rows.append(AgendaRow(kind, ident, title, minutes, start, note, notebook))
        start += minutes
    return Agenda(tuple(rows), planned_minutes(course_texts))


def _minutes(item: Mapping[str, Any]) -> int:
    try:
        return max(0, int(item.get("minutes") or 0))
    except (TypeError, ValueError):
        return 0
