"""No code outside a module names a module: the board, the documentation, the workbook, the pages and the
rest of the kit read activity roles from module.yaml, never a module or activity id.

Every string literal (docstrings and f-strings included) in ``src/netcourse/{pages,outputs,exercises,core,cli}``
is searched for every id of the built-in modules and their activities, as a whole word.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from netcourse.core.plugins import BUILTIN_DISTRIBUTION
from netcourse.exercises import registry

SRC = Path(__file__).resolve().parents[1] / "src" / "netcourse"
PACKAGES = ("pages", "outputs", "exercises", "core", "cli")


def builtin_ids() -> set[str]:
    ids = set()
    for record in registry.modules.records():
        if record.distribution == BUILTIN_DISTRIBUTION and record.error is None:
            ids.add(record.obj.id)
            ids |= {activity.id for activity in record.obj.activities}
    return ids


def string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string token in a Python file."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(tok.start[0], tok.string) for tok in tokens
            if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1)]


def test_the_builtin_ids_are_found() -> None:
    ids = builtin_ids()
    assert len(ids) >= 20  # seven modules and their activities
    assert {"gruppenarbeit", "ideen", "grundmerkmale", "einfuehrung"} <= ids


def files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (SRC / package).rglob("*.py"))


@pytest.mark.parametrize("path", files(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_or_activity_id_in_code(path: Path) -> None:
    patterns = {ident: re.compile(rf"\b{re.escape(ident)}\b") for ident in builtin_ids()}
    hits = [f"{path.relative_to(SRC)}:{line}: {ident!r} in {text[:80]!r}"
            for line, text in string_literals(path) for ident, pattern in patterns.items() if pattern.search(text)]
    assert not hits, "module or activity ids named in code (declare a role in module.yaml instead):\n" + \
        "\n".join(hits)
