"""The plugin door: one registry shape for modules, exercise types and exporters.

Every kind is discovered from its entry-point group with :mod:`importlib.metadata`. Nothing is imported
until a plugin is asked for (``get``) or all are listed (``records``). A plugin that fails to import or is
malformed is recorded with its error and skipped; it never breaks ``import netcourse`` or the CLI.
Built-ins are registered through the same entry points as third-party plugins.

This module holds only the machinery. Each registry lives beside the contract it checks, so no arrow
points upward: ``netcourse.exercises.registry`` (course modules and exercise types) and
``netcourse.outputs.exporters.registry`` (exporters). A registry enters :data:`REGISTRIES` when created.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from netcourse.core.errors import PluginError, UnknownPluginError

log = logging.getLogger(__name__)

BUILTIN_DISTRIBUTION = "netcourse"
KIND_ORDER = ("module", "exercise", "exporter")

Validator = Callable[[str, Any], None]


@dataclass
class PluginRecord:
    """What is known about one plugin: where it comes from and whether it loaded."""

    kind: str
    name: str
    value: str
    distribution: str
    error: str | None = None
    obj: Any = field(default=None, repr=False)
    loaded: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "value": self.value,
            "distribution": self.distribution,
            "loaded": self.loaded and self.error is None,
            "error": self.error,
        }


def _distribution_name(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return dist.metadata["Name"] if dist is not None else "(unknown)"


REGISTRIES: dict[str, Registry] = {}


class Registry:
    """Plugins of one kind: discovered from an entry-point group, loaded lazily, looked up by name."""

    def __init__(self, kind: str, group: str, validate: Validator | None = None) -> None:
        self.kind = kind
        self.group = group
        self._validate = validate
        self._records: dict[str, PluginRecord] | None = None
        self._clashes: list[PluginRecord] = []
        self._entry_points: dict[str, EntryPoint] = {}
        REGISTRIES[kind] = self

    # discovery -----------------------------------------------------------------------------------
    def _discover(self) -> dict[str, PluginRecord]:
        if self._records is not None:
            return self._records
        records: dict[str, PluginRecord] = {}
        found = sorted(
            entry_points(group=self.group),
            key=lambda ep: (_distribution_name(ep) != BUILTIN_DISTRIBUTION, ep.name),
        )
        for ep in found:
            record = PluginRecord(self.kind, ep.name, ep.value, _distribution_name(ep))
            if ep.name in records:
                owner = records[ep.name].distribution
                record.error = f"name clashes with the {self.kind} {ep.name!r} of {owner}; skipped"
                self._clashes.append(record)
                self._warn(record)
                continue
            records[ep.name] = record
            self._entry_points[ep.name] = ep
        self._records = records
        return records

    def register(self, name: str, obj: Any, distribution: str = "(registered at runtime)") -> None:
        """Register an object directly (tests, notebooks); it is validated like an entry point."""
        records = self._discover()
        if name in records:
            raise PluginError(self.kind, name, f"already provided by {records[name].distribution}")
        record = PluginRecord(self.kind, name, repr(obj), distribution)
        self._accept(record, obj)
        records[name] = record
        if record.error:
            raise PluginError(self.kind, name, record.error)

    def unregister(self, name: str) -> None:
        self._discover().pop(name, None)
        self._entry_points.pop(name, None)

    # loading -------------------------------------------------------------------------------------
    def _accept(self, record: PluginRecord, obj: Any) -> None:
        try:
            if self._validate is not None:
                self._validate(record.name, obj)
        except Exception as exc:  # a malformed plugin is reported, never raised into the caller
            record.error = f"malformed: {exc}"
        else:
            record.obj = obj
        record.loaded = True

    def _load(self, record: PluginRecord) -> PluginRecord:
        if record.loaded:
            return record
        ep = self._entry_points.get(record.name)
        if ep is None:  # registered at runtime
            return record
        try:
            obj = ep.load()
        except Exception as exc:  # noqa: BLE001 - any import failure of foreign code is reported
            record.error = f"failed to load {record.value}: {type(exc).__name__}: {exc}"
            record.loaded = True
            self._warn(record)
            return record
        self._accept(record, obj)
        if record.error:
            self._warn(record)
        return record

    def _warn(self, record: PluginRecord) -> None:
        """One line naming the distribution, the plugin and what is wrong with it."""
        message = " ".join(str(record.error).split())
        log.warning("netcourse: %s plugin %r of %s skipped: %s", self.kind, record.name, record.distribution, message)

    # lookup --------------------------------------------------------------------------------------
    def names(self) -> list[str]:
        """Names of the plugins that load and validate."""
        return sorted(r.name for r in self.records() if r.error is None)

    def get(self, name: str) -> Any:
        """The plugin object called ``name``; raises with the known names if there is none."""
        records = self._discover()
        if name not in records:
            raise UnknownPluginError(self.kind, name, self.names())
        record = self._load(records[name])
        if record.error:
            raise PluginError(self.kind, name, record.error)
        return record.obj

    def records(self) -> list[PluginRecord]:
        """Every plugin of this kind (loading each once), clashes included, sorted by name."""
        records = [self._load(r) for r in self._discover().values()]
        return sorted(records + self._clashes, key=lambda r: (r.name, r.distribution))

    def items(self) -> list[tuple[str, Any]]:
        return [(r.name, r.obj) for r in self.records() if r.error is None]

    def reset(self) -> None:
        """Forget discovery so the next lookup reads the entry points again (after a pip install)."""
        self._records = None
        self._clashes = []
        self._entry_points = {}


def all_records() -> list[PluginRecord]:
    """Every plugin of every kind whose registry is imported, in kind order (module, exercise, exporter)."""
    return [rec for registry in _ordered() for rec in registry.records()]


def reset_all() -> None:
    for registry in REGISTRIES.values():
        registry.reset()


def _ordered() -> list[Registry]:
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    return sorted(REGISTRIES.values(), key=lambda r: (order.get(r.kind, len(order)), r.kind))
