"""Where the kit's files are: everything a command needs is package data inside ``netcourse``.

The course pages themselves are generated from the installed modules when ``netcourse present`` starts
(``netcourse.pages.notebooks.build_site``); ``course/`` in a source checkout is a generated copy for
Binder's badge and for readers, never needed by a command.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from netcourse.core.errors import NetcourseError

START_NOTEBOOK = "00-start.ipynb"  # the start page: every course has one, whatever modules it holds


def package_file(relative: str) -> Path:
    """A file or folder shipped inside the ``netcourse`` package."""
    return Path(str(resources.files("netcourse").joinpath(relative)))


def share_dir() -> Path:
    """The kit's ``share/jupyter`` folder, holding the Voila template."""
    return package_file("share/jupyter")


def sample_roster_path() -> Path:
    return package_file("data/beispiel-teilnehmende.csv")


def workbook_template_path() -> Path:
    """The workbook notebook ``netcourse workbooks`` fills in for each participant."""
    return package_file("data/workbook.ipynb")


def find_course_dir(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """An explicit folder of course notebooks (``--course-dir``), resolved; ``None`` when none is given:
    the pages are then generated from the installed modules."""
    if explicit is None:
        return None
    candidate = Path(explicit)
    if not candidate.is_dir():
        raise NetcourseError(f"{candidate}: no such course folder; pass an existing --course-dir or none")
    return candidate.resolve()
