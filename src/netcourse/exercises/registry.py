"""The course catalogue: registries of course modules and exercise types, and the course in order.

A module is checked against the exercise types it uses, so both registries live here, above the course
model (``netcourse.core.course``) and beside the exercise contract (``netcourse.exercises.base``).
"""

from __future__ import annotations

from typing import Any

from netcourse.core.agenda import Agenda, build_agenda
from netcourse.core.course import ActivitySpec, CourseModule
from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import LANGUAGES, course_texts, resolve_lang
from netcourse.core.plugins import Registry
from netcourse.exercises.base import Exercise
from netcourse.exercises.roles import Roles, resolve_roles


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
    for spec in obj.activities:  # every role must be one its exercise type can fill
        resolve_roles(obj.id, spec, exercises.get(spec.type))
    for lang in LANGUAGES:
        for activity in obj.activities:
            problems = exercises.get(activity.type).check_texts(activity.config, obj.activity_texts(activity.id, lang))
            if problems:
                key, problem = problems[0]
                raise ValueError(f"{lang}.yaml: {obj.activity_text_key(activity.id)}.{key}: {problem}")


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


def activity_roles(module: CourseModule, spec: ActivitySpec) -> Roles:
    """What one activity of an installed module feeds (checked when the module was registered)."""
    return resolve_roles(module.id, spec, exercises.get(spec.type))


def role_activities(role: str) -> list[tuple[CourseModule, ActivitySpec, Roles]]:
    """Every activity of every installed module that feeds ``role`` (``board``, ``documentation``, ``workbook``,
    ``journal``), in course order."""
    found = []
    for module in course_modules():
        for spec in module.activities:
            roles = activity_roles(module, spec)
            if roles.feeds(role):
                found.append((module, spec, roles))
    return found


def course_agenda(lang: str | None = None) -> Agenda:
    """The agenda of the installed course in ``lang``: modules plus the course's agenda items
    (see :mod:`netcourse.core.agenda`)."""
    lang = resolve_lang(lang)
    return build_agenda(((m.id, m.title(lang), m.minutes, m.notebook) for m in course_modules()),
                        course_texts(lang))
