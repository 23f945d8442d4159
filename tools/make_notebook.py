"""Write the thin course notebooks from the modules' data (see netcourse.pages.notebooks).

    python tools/make_notebook.py --all            # every built-in module into course/
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
from netcourse.pages.notebooks import render_notebook

COURSE_DIR = Path(__file__).resolve().parents[1] / "course"


def built_in_modules() -> list[CourseModule]:
    return [r.obj for r in registry.modules.records()
            if r.error is None and r.distribution == plugins.BUILTIN_DISTRIBUTION]


def main(argv: list[str]) -> int:
    if argv == ["--all"]:
        for module in built_in_modules():
            (COURSE_DIR / module.notebook).write_text(render_notebook(module), encoding="utf-8")
            print(f"wrote course/{module.notebook}")
        return 0
    if argv == ["--check"]:
        stale = [m.notebook for m in built_in_modules()
                 if not (COURSE_DIR / m.notebook).exists()
                 or (COURSE_DIR / m.notebook).read_text(encoding="utf-8") != render_notebook(m)]
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
