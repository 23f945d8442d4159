"""The registry of exporters (journal formats), beside the exporter contract it checks."""

from __future__ import annotations

from typing import Any

from netcourse.core.plugins import Registry
from netcourse.outputs.exporters.base import Exporter


def _validate_exporter(name: str, obj: Any) -> None:
    if not (isinstance(obj, type) and issubclass(obj, Exporter)):
        raise TypeError(f"expected a subclass of netcourse.outputs.exporters.base.Exporter, got {obj!r}")


exporters = Registry("exporter", "netcourse.exporters", _validate_exporter)
