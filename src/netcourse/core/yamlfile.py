"""YAML for the kit's own files (module.yaml, texts, glossary): safe loading, with libyaml's C parser when
PyYAML has it (about ten times faster than the pure-Python one: every page kernel loads every module's
YAML, so under a burst of page opens this is CPU the pages wait for)."""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with the C parser when available (same tags, same results)."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader, C or pure Python
