"""Activity roles: what an activity feeds besides its own page, as declared in ``module.yaml``.

``roles:`` of an activity may set ``board`` (the trainer's live board), ``documentation`` (how the
participant documentation summarises it: ``none``, ``list``, ``summary`` or ``chart``), ``workbook`` (the
groups the personal workbook lists) and ``journal`` (the learning journal). The exercise type declares which
values it accepts for each role, the first being its default (``Exercise.fills``); a value it cannot fill is
an error naming the module, the activity and the key, and the registry skips only that module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from netcourse.core.course import ROLE_KEYS, ActivitySpec
from netcourse.exercises.base import Exercise

DOCUMENTATION_MODES = ("none", "list", "summary", "chart")


@dataclass(frozen=True)
class Roles:
    board: bool = False
    documentation: str = "none"
    workbook: bool = False
    journal: bool = True

    def feeds(self, role: str) -> bool:
        value = getattr(self, role)
        return value not in (False, "none")


def _same(value: Any, allowed: Any) -> bool:
    return type(value) is type(allowed) and value == allowed  # True is not 1, "none" is not False


def resolve_roles(module_id: str, spec: ActivitySpec, exercise_type: type[Exercise]) -> Roles:
    """The roles of one activity: what module.yaml declares, the type's defaults for the rest."""
    fills: Mapping[str, tuple[Any, ...]] = {**Exercise.fills, **exercise_type.fills}
    values = {}
    for key in ROLE_KEYS:
        allowed = tuple(fills[key])
        value = spec.roles.get(key, allowed[0])
        if not any(_same(value, a) for a in allowed):
            accepts = ", ".join(str(a).lower() if isinstance(a, bool) else str(a) for a in allowed)
            raise ValueError(f"module {module_id!r}, activity {spec.id!r}, key 'roles.{key}': the exercise type "
                             f"{spec.type!r} cannot fill {key}: {value!r} (it accepts: {accepts})")
        values[key] = value
    return Roles(**values)
