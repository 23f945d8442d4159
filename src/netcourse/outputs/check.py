"""The content check for module authors (``netcourse check``): one line per problem, ``module: file: key: problem``.

Checks a module package (a directory with ``module.yaml`` and one text file per language): the schema of
``module.yaml``, every text present in every language and not empty, the texts each exercise type needs
(``Exercise.check_texts``: a self-check item needs feedback for every option), the glossary's variants to
avoid, no raw HTML in learner text, and the module's minutes against the planned length of the course. An
agenda over the planned length is a warning (the trainer decides what to shorten), everything else an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netcourse.core.agenda import build_agenda
from netcourse.core.course import REQUIRED_TEXT_KEYS, CourseModule, flatten_keys, read_yaml
from netcourse.core.errors import ContentError, NetcourseError
from netcourse.core.glossary import avoided_variants, glossary, keyed_strings
from netcourse.core.i18n import LANGUAGES, course_texts
from netcourse.exercises import registry

MODULE_KEYS = {"id", "order", "minutes", "notebook", "sections", "activities", "page", "live_only", "recall"}
REQUIRED_MODULE_KEYS = ("id", "order", "minutes", "notebook")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?\s*>|<!--|&#?\w+;")


@dataclass(frozen=True)
class Problem:
    module: str
    file: str
    key: str
    problem: str
    warning: bool = False

    def line(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.module}: {self.file}: {self.key}: {kind}{self.problem}"


def check_target(target: str) -> list[Problem]:
    """Check a module directory, or an installed module by its id."""
    path = Path(target)
    if path.is_dir():
        return check_module_dir(path)
    for record in registry.modules.records():
        if record.name == target:
            if record.obj is not None:
                return check_module_dir(Path(record.obj.directory))
            return [Problem(target, "(entry point)", record.value, f"does not load: {record.error}")]
    raise NetcourseError(f"{target!r} is neither a module directory nor an installed module id "
                         f"(installed: {', '.join(registry.modules.names())})")


def check_installed() -> list[Problem]:
    """Every installed module (including those that fail to load)."""
    problems: list[Problem] = []
    for record in registry.modules.records():
        problems.extend(check_target(record.name))
    over = [p for p in problems if p.warning and p.key == "minutes"]
    return [p for p in problems if p not in over[:-1]]  # the course-wide over-length once, not per module


def check_module_dir(directory: Path) -> list[Problem]:
    directory = Path(directory)
    name = directory.name
    try:
        data = read_yaml(directory / "module.yaml")
    except ContentError as exc:
        return [Problem(name, "module.yaml", "-", str(exc).split(": ", 1)[-1])]
    if not isinstance(data, Mapping):
        return [Problem(name, "module.yaml", "-", "expected a mapping at the top level")]
    name = str(data.get("id") or name)
    problems = _check_structure(name, data)
    if any(not p.warning for p in problems):
        return problems  # the texts cannot be checked against a broken structure
    try:
        module = CourseModule.from_directory(directory)
    except ContentError as exc:
        return [*problems, Problem(name, "module.yaml", "-", str(exc))]
    texts = _load_texts(module, problems)
    if len(texts) == len(LANGUAGES):
        problems += _check_texts(module, texts)
    problems += _check_minutes(module)
    return problems


def _check_structure(name: str, data: Mapping[str, Any]) -> list[Problem]:
    out: list[Problem] = []

    def bad(key: str, problem: str) -> None:
        out.append(Problem(name, "module.yaml", key, problem))

    for key in REQUIRED_MODULE_KEYS:
        if key not in data:
            bad(key, "missing")
    for key in data:
        if key not in MODULE_KEYS:
            bad(str(key), f"unknown key (known: {', '.join(sorted(MODULE_KEYS))})")
    if "id" in data and not ID_PATTERN.fullmatch(str(data["id"])):
        bad("id", "use lower-case letters, digits and '-'")
    for key in ("order", "minutes"):
        if key in data and not (isinstance(data[key], int) and not isinstance(data[key], bool)):
            bad(key, "must be a whole number")
    if isinstance(data.get("minutes"), int) and data["minutes"] <= 0:
        bad("minutes", "must be positive")
    if "notebook" in data and not str(data["notebook"]).endswith(".ipynb"):
        bad("notebook", "must name an .ipynb file")
    seen: set[str] = set()
    types = set(registry.exercises.names())
    for index, activity in enumerate(data.get("activities") or []):
        key = f"activities[{index}]"
        if not isinstance(activity, Mapping) or "id" not in activity or "type" not in activity:
            bad(key, "needs id and type")
            continue
        if str(activity["id"]) in seen:
            bad(f"{key}.id", f"duplicate activity id {activity['id']!r}")
        seen.add(str(activity["id"]))
        if str(activity["type"]) not in types:
            bad(f"{key}.type", f"unknown exercise type {activity['type']!r} (installed: {', '.join(sorted(types))})")
    return out


def _load_texts(module: CourseModule, problems: list[Problem]) -> dict[str, Mapping[str, Any]]:
    texts = {}
    for lang in LANGUAGES:
        try:
            data = read_yaml(module.directory / f"{lang}.yaml")
        except ContentError as exc:
            problems.append(Problem(module.id, f"{lang}.yaml", "-", str(exc).split(": ", 1)[-1]))
            continue
        if not isinstance(data, Mapping):
            problems.append(Problem(module.id, f"{lang}.yaml", "-", "expected a mapping at the top level"))
            continue
        texts[lang] = data
    return texts


def _check_texts(module: CourseModule, texts: dict[str, Mapping[str, Any]]) -> list[Problem]:
    out: list[Problem] = []
    keys = {lang: flatten_keys(data) for lang, data in texts.items()}
    every = set().union(*keys.values())
    for lang, data in texts.items():
        file = f"{lang}.yaml"
        required = [*REQUIRED_TEXT_KEYS, *(f"sections.{s}" for s in module.sections),
                    *(module.activity_text_key(a.id) for a in module.activities)]
        for key in required:
            if key not in keys[lang]:
                out.append(Problem(module.id, file, key, "missing text"))
        for key in sorted(every - keys[lang]):
            if key not in required and not any(key.startswith(f"{r}.") for r in required if r not in keys[lang]):
                others = ", ".join(f"{o}.yaml" for o in texts if key in keys[o])
                out.append(Problem(module.id, file, key, f"missing in this language (present in {others})"))
        for key, text in keyed_strings(data):
            if not text.strip():
                out.append(Problem(module.id, file, key, "empty text"))
            if RAW_HTML.search(text):
                out.append(Problem(module.id, file, key, f"raw HTML {RAW_HTML.search(text).group(0)!r}: "
                                                         "learner text is Markdown, HTML is shown as text"))
            for term_id, variant in avoided_variants(text, lang):
                preferred = glossary()[term_id][lang]["term"]
                out.append(Problem(module.id, file, key, f"glossary: “{variant}” – the course writes “{preferred}”"))
        for activity in module.activities:
            text_key = module.activity_text_key(activity.id)
            activity_texts = _lookup(data, text_key)
            if not isinstance(activity_texts, Mapping):
                continue
            exercise = registry.exercises.get(activity.type)
            for key, problem in exercise.check_texts(activity.config, activity_texts):
                out.append(Problem(module.id, file, f"{text_key}.{key}", problem))
    return out


def _lookup(data: Mapping[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _check_minutes(module: CourseModule) -> list[Problem]:
    """The course with this module (installed ones, this one replacing its namesake) against the planned length."""
    others = [m for m in registry.course_modules() if m.id != module.id]
    course = sorted([*others, module], key=lambda m: (m.order, m.id))
    texts = course_texts("de")
    agenda = build_agenda(((m.id, m.id, m.minutes, m.notebook) for m in course), texts)
    if not agenda.over:
        return []
    return [Problem(module.id, "module.yaml", "minutes",
                    f"the course agenda with this module takes {agenda.total} minutes ({agenda.module_minutes} in "
                    f"modules), {agenda.over} more than the planned {agenda.planned}", warning=True)]
