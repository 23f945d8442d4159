"""Write a thin course notebook for a module: a parameters cell, then one call per page piece.

Usage: python tools/make_notebook.py MODULE_ID OUT.ipynb PIECE [PIECE ...]
A piece is ``header``, ``agenda``, ``section:ID`` or ``activity:ID``.
"""

from __future__ import annotations

import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PARAMETERS = """\
# Parameters (papermill): language, participant id, answer store, group.
lang = None
participant = None
store = None
group = None"""

OPEN = """\
from netcourse.lesson import Lesson

lesson = Lesson("{module_id}", lang=lang, participant=participant, store=store, group=group)"""


def piece_call(piece: str) -> str:
    kind, _, ident = piece.partition(":")
    if kind in ("header", "agenda"):
        return f"lesson.{kind}()"
    if kind in ("section", "activity"):
        return f'lesson.{kind}("{ident}")'
    raise SystemExit(f"unknown piece {piece!r}: use header, agenda, section:ID or activity:ID")


def build(module_id: str, pieces: list[str]) -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(f"<!-- netcourse module '{module_id}': texts live in the module's data files "
                          "(de.yaml / en.yaml); this notebook only places them. -->"),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell(OPEN.format(module_id=module_id)),
        *[new_code_cell(piece_call(p)) for p in pieces],
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    module_id, out, *pieces = sys.argv[1:]
    nbformat.write(build(module_id, pieces), out)
