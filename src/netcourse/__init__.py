"""netcourse: a plugin-based Jupyter/Voila training kit for network-management courses.

Importing this package loads no plugin and no widget library; registries load their entry points lazily on
first use. The names plugin authors need are offered here and imported on first access::

    from netcourse import CourseModule, Exercise, ExerciseView, Exporter
"""

from __future__ import annotations

import importlib
from typing import Any

from netcourse.core.errors import NetcourseError
from netcourse.core.version import __version__

# public name -> the module that defines it (imported on first access, so ``import netcourse`` stays light)
_LAZY = {
    "ActivitySpec": "netcourse.core.course",
    "CourseModule": "netcourse.core.course",
    "Exercise": "netcourse.exercises.base",
    "ExerciseView": "netcourse.exercises.base",
    "Exporter": "netcourse.outputs.exporters.base",
    "Journal": "netcourse.outputs.exporters.base",
    "Lesson": "netcourse.pages.lesson",
}

__all__ = ["NetcourseError", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'netcourse' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
