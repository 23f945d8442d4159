"""Where the kit's files are: package data inside ``netcourse`` and the course folders of a source checkout."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from netcourse.core.errors import NetcourseError

SOURCE_TREE = Path(__file__).resolve().parents[3]  # <checkout>/src/netcourse/core/paths.py -> <checkout>
START_NOTEBOOK = "00-start.ipynb"  # the start page: every course folder has one, whatever modules it holds


def package_file(relative: str) -> Path:
    """A file or folder shipped inside the ``netcourse`` package."""
    return Path(str(resources.files("netcourse").joinpath(relative)))


def share_dir() -> Path:
    """The kit's ``share/jupyter`` folder, holding the Voila template."""
    return package_file("share/jupyter")


def sample_roster_path() -> Path:
    return package_file("data/beispiel-teilnehmende.csv")


def find_course_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The folder of course notebooks: explicit, else ``./course``, else the one beside the source tree."""
    candidates = [Path(explicit)] if explicit else [Path.cwd() / "course", SOURCE_TREE / "course"]
    for candidate in candidates:
        if (candidate / START_NOTEBOOK).exists() or (explicit and candidate.is_dir()):
            return candidate.resolve()
    where = candidates[0]
    raise NetcourseError(f"{where}: no course folder found; run from the netcourse folder or pass --course-dir")
