"""The course catalogue: registries of course modules and exercise types, and the course in order.

A module is checked against the exercise types it uses, so both registries live here, above the course
model (``netcourse.core.course``) and beside the exercise contract (``netcourse.exercises.base``).
"""

from __future__ import annotations

from typing import Any

from netcourse.core.course import CourseModule
from netcourse.core.errors import NetcourseError
from netcourse.core.plugins import Registry
from netcourse.exercises.base import Exercise


def _validate_module(name: str, obj: Any) -> None:
    if not isinstance(obj, CourseModule):
        raise TypeError(f"expected a netcourse.core.course.CourseModule, got {type(obj).__name__}")
    if obj.id != name:
        raise ValueError(f"entry point name {name!r} differs from the module id {obj.id!r}")
    missing = obj.missing_translations()  # also loads every language's texts: a broken file fails here
    if missing:
        lang, keys = next(iter(sorted(missing.items())))
        raise ValueError(f"texts missing in {lang}.yaml: {', '.join(sorted(keys)[:5])}")
    for exercise_type in sorted({a.type for a in obj.activities}):  # loads only the types it uses
        try:
            exercises.get(exercise_type)
        except NetcourseError as exc:
            raise ValueError(f"its activities need the exercise type {exercise_type!r}: {exc}") from exc


def _validate_exercise(name: str, obj: Any) -> None:
    if not (isinstance(obj, type) and issubclass(obj, Exercise)):
        raise TypeError(f"expected a subclass of netcourse.exercises.base.Exercise, got {obj!r}")
    if obj.type_name != name:
        raise ValueError(f"entry point name {name!r} differs from type_name {obj.type_name!r}")


modules = Registry("module", "netcourse.modules", _validate_module)
exercises = Registry("exercise", "netcourse.exercises", _validate_exercise)


def course_modules() -> list[CourseModule]:
    """All installed modules that load, in course order."""
    return sorted((obj for _, obj in modules.items()), key=lambda m: (m.order, m.id))
