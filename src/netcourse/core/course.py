"""Course modules as data: ``module.yaml`` (structure) plus one text file per language.

A module plugin is a :class:`CourseModule`. Its directory holds::

    module.yaml   id, order, minutes, notebook, sections, activities (id, type, config, roles)
    de.yaml       every text in German: title, lead, objectives, trainer_note, sections, activities
    en.yaml       the same keys in English

Structure is written once; texts once per language, so one notebook serves both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from netcourse.core.errors import ContentError
from netcourse.core.i18n import LANGUAGES, resolve_lang
from netcourse.core.yamlfile import safe_load

REQUIRED_TEXT_KEYS = ("title", "lead", "objectives", "trainer_note")
#: What an activity can feed besides its own page (``roles:`` in module.yaml); which values an exercise type
#: accepts, and its defaults, are declared by the type (``Exercise.fills``) and checked at registration.
ROLE_KEYS = ("board", "documentation", "workbook", "journal")


@dataclass(frozen=True)
class ActivitySpec:
    """One activity of a module: an exercise type plus its language-independent configuration."""

    id: str
    type: str
    config: Mapping[str, Any] = field(default_factory=dict)
    #: roles as declared in module.yaml (``board``, ``documentation``, ``workbook``, ``journal``); the
    #: exercise type fills in its defaults for the others (``netcourse.exercises.roles``)
    roles: Mapping[str, Any] = field(default_factory=dict)


def read_yaml(path: Path) -> Any:
    try:
        return safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(path, "file not found") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(path, f"not valid UTF-8 YAML: {exc}".splitlines()[0]) from exc


def flatten_keys(data: Any, prefix: str = "") -> set[str]:
    """Dotted key paths of nested mappings; list items count by index."""
    keys: set[str] = set()
    if isinstance(data, Mapping):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            keys.add(path)
            keys |= flatten_keys(value, path)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            path = f"{prefix}[{index}]"
            keys.add(path)
            keys |= flatten_keys(value, path)
    return keys


def _roles(path: Path, module_id: object, activity: Mapping[str, Any]) -> dict[str, Any]:
    """The ``roles`` mapping of one activity in module.yaml; an unknown role names the activity and key."""
    roles = activity.get("roles") or {}
    where = f"module {module_id!r}, activity {activity.get('id')!r}"
    if not isinstance(roles, Mapping):
        raise ContentError(path, f"{where}, key 'roles': expected a mapping of {', '.join(ROLE_KEYS)}")
    for key in roles:
        if key not in ROLE_KEYS:
            raise ContentError(path, f"{where}, key 'roles.{key}': unknown role; known: {', '.join(ROLE_KEYS)}")
    return dict(roles)


@dataclass
class CourseModule:
    """A course module: structure from ``module.yaml``, texts from ``<lang>.yaml``."""

    id: str
    order: int
    minutes: int
    notebook: str
    directory: Path
    sections: tuple[str, ...] = ()
    activities: tuple[ActivitySpec, ...] = ()
    page: tuple[str, ...] = ()
    live_only: tuple[str, ...] = ()  # page pieces shown only in a live session, not to self-learners
    recall: tuple[str, ...] = ()  # earlier answers the page piece ``recall`` shows: ``module/activity``

    @property
    def page_pieces(self) -> tuple[str, ...]:
        """What the module's notebook shows, in order: ``header``, ``agenda``, ``board``, ``recall``, ``section:ID``,
        ``activity:ID``, ``selfstudy:ACTIVITY`` (the self-study task of a group activity), ``examples:ACTIVITY``
        (example ideas revealed to a self-learner after a saved idea).

        From ``page`` in module.yaml, else the header, every section, then every activity.
        """
        if self.page:
            return self.page
        return ("header", *(f"section:{s}" for s in self.sections), *(f"activity:{a.id}" for a in self.activities))

    @classmethod
    def from_directory(cls, directory: str | Path) -> CourseModule:
        directory = Path(directory)
        path = directory / "module.yaml"
        data = read_yaml(path)
        if not isinstance(data, Mapping):
            raise ContentError(path, "expected a mapping at the top level")
        try:
            activities = tuple(
                ActivitySpec(str(a["id"]), str(a["type"]), dict(a.get("config") or {}), _roles(path, data.get("id"), a))
                for a in data.get("activities") or ()
            )
            module = cls(
                id=str(data["id"]),
                order=int(data["order"]),
                minutes=int(data["minutes"]),
                notebook=str(data["notebook"]),
                directory=directory,
                sections=tuple(str(s) for s in data.get("sections") or ()),
                activities=activities,
                page=tuple(str(p) for p in data.get("page") or ()),
                live_only=tuple(str(p) for p in data.get("live_only") or ()),
                recall=tuple(str(r) for r in data.get("recall") or ()),
            )
        except KeyError as exc:
            raise ContentError(path, f"missing field {exc.args[0]!r}") from exc
        except (TypeError, ValueError) as exc:
            raise ContentError(path, f"malformed field: {exc}") from exc
        if module.minutes <= 0:
            raise ContentError(path, "field 'minutes' must be positive")
        module.check_page(path)
        return module

    def check_page(self, path: Path) -> None:
        activities = [a.id for a in self.activities]
        known = {"header", "agenda", "board", "recall", *(f"section:{s}" for s in self.sections),
                 *(f"{kind}:{a}" for a in activities for kind in ("activity", "board", "selfstudy", "examples"))}
        for piece in (*self.page, *self.live_only):
            if piece not in known:
                raise ContentError(path, f"page piece {piece!r} is neither header, agenda, board, recall, "
                                         "a section, an activity nor board:/selfstudy:/examples: of an activity")
        for entry in self.recall:
            module_id, _, activity_id = entry.partition("/")
            if not module_id or not activity_id:
                raise ContentError(path, f"recall entry {entry!r} is not of the form module/activity")

    # texts ---------------------------------------------------------------------------------------
    @cached_property
    def _texts(self) -> dict[str, dict[str, Any]]:
        texts = {}
        for lang in LANGUAGES:
            path = self.directory / f"{lang}.yaml"
            data = read_yaml(path)
            if not isinstance(data, Mapping):
                raise ContentError(path, "expected a mapping at the top level")
            for key in REQUIRED_TEXT_KEYS:
                if key not in data:
                    raise ContentError(path, f"missing text {key!r}")
            for section in self.sections:
                if section not in (data.get("sections") or {}):
                    raise ContentError(path, f"missing text for section {section!r}")
            for activity in self.activities:
                key = activity.config.get("texts")
                if key and not isinstance(data.get(key), Mapping):
                    raise ContentError(path, f"missing texts {key!r} for activity {activity.id!r}")
                if not key and activity.id not in (data.get("activities") or {}):
                    raise ContentError(path, f"missing texts for activity {activity.id!r}")
            texts[lang] = dict(data)
        return texts

    def texts(self, lang: str | None = None) -> dict[str, Any]:
        """All texts of this module in one language."""
        return self._texts[resolve_lang(lang)]

    def title(self, lang: str | None = None) -> str:
        return str(self.texts(lang)["title"])

    def section_texts(self, section_id: str, lang: str | None = None) -> Mapping[str, Any]:
        sections = self.texts(lang).get("sections") or {}
        if section_id not in sections:
            raise ContentError(self.directory / f"{resolve_lang(lang)}.yaml", f"no section {section_id!r}")
        return sections[section_id]

    def activity(self, activity_id: str) -> ActivitySpec:
        for activity in self.activities:
            if activity.id == activity_id:
                return activity
        known = ", ".join(a.id for a in self.activities)
        raise ContentError(self.directory / "module.yaml", f"no activity {activity_id!r}; known: {known}")

    def activity_text_key(self, activity_id: str) -> str:
        """Where an activity's texts are in ``<lang>.yaml``: ``activities.<id>``, or the top-level key named by
        its config ``texts`` (the self-check reads ``self_check``)."""
        activity = self.activity(activity_id)
        return str(activity.config.get("texts") or f"activities.{activity.id}")

    def activity_texts(self, activity_id: str, lang: str | None = None) -> Mapping[str, Any]:
        activity = self.activity(activity_id)
        key = activity.config.get("texts")
        if key:
            return self.texts(lang)[str(key)]
        return (self.texts(lang).get("activities") or {})[activity.id]

    def missing_translations(self) -> dict[str, set[str]]:
        """Text keys present in one language and not in another, per language that lacks them."""
        keys = {lang: flatten_keys(self._texts[lang]) for lang in LANGUAGES}
        every = set().union(*keys.values())
        return {lang: every - have for lang, have in keys.items() if every - have}

