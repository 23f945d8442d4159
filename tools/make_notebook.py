"""Write the thin course notebooks from the modules' data (see netcourse.pages.notebooks).

``netcourse present`` generates these pages itself; ``course/`` is a copy for Binder's badge and readers.

    python tools/make_notebook.py --all            # the start page and every built-in module into course/
    python tools/make_notebook.py --check          # exit 1 if a committed notebook differs
    python tools/make_notebook.py MODULE_ID OUT.ipynb   # one module (e.g. a plugin's) to a file

The notebooks are generated, never edited by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from netcourse.core import plugins
from netcourse.core.course import CourseModule
from netcourse.exercises import registry
from netcourse.pages.notebooks import START_NOTEBOOK, render_notebook, render_start_notebook

COURSE_DIR = Path(__file__).resolve().parents[1] / "course"


def built_in_modules() -> list[CourseModule]:
    return [r.obj for r in registry.modules.records()
            if r.error is None and r.distribution == plugins.BUILTIN_DISTRIBUTION]


def built_in_pages() -> dict[str, str]:
    """File name → text of the pages in ``course/``: the start page and every built-in module."""
    return {START_NOTEBOOK: render_start_notebook(), **{m.notebook: render_notebook(m) for m in built_in_modules()}}


def main(argv: list[str]) -> int:
    if argv == ["--all"]:
        for name, text in built_in_pages().items():
            (COURSE_DIR / name).write_text(text, encoding="utf-8")
            print(f"wrote course/{name}")
        return 0
    if argv == ["--check"]:
        pages = built_in_pages()
        stale = [name for name, text in pages.items()
                 if not (COURSE_DIR / name).exists() or (COURSE_DIR / name).read_text(encoding="utf-8") != text]
        stale += sorted(p.name for p in COURSE_DIR.glob("*.ipynb") if p.name not in pages)
        for name in stale:
            print(f"course/{name} differs from its module data: run python tools/make_notebook.py --all")
        return 1 if stale else 0
    if len(argv) == 2:
        Path(argv[1]).write_text(render_notebook(registry.modules.get(argv[0])), encoding="utf-8")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
