"""The course glossary (``i18n/glossary.yaml``): preferred terms and the variants the course does not use.

Used by ``netcourse check`` (every module's texts) and by ``tests/test_glossary.py`` (the built-in texts).
German is matched case-sensitively, English not; whitespace is normalised before matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from netcourse.core.yamlfile import safe_load


def strings(data: Any) -> Iterator[str]:
    """Every string in nested mappings and lists."""
    for _, text in keyed_strings(data):
        yield text


def keyed_strings(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted key, string) for every string in nested mappings and lists; list items count by index."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from keyed_strings(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from keyed_strings(value, f"{prefix}[{index}]")
    elif isinstance(data, str):
        yield prefix, data


def normalise(text: str) -> str:
    """Single spaces; format placeholders such as {edges} are names for code, not text."""
    return re.sub(r"\s+", " ", re.sub(r"\{\w+\}", "{}", text))


@cache
def glossary() -> dict[str, Any]:
    """Term id → entry (``source``, ``modules``, ``de``/``en`` with ``term``, ``definition``, ``find``, ``avoid``…)."""
    text = resources.files("netcourse.core.i18n").joinpath("glossary.yaml").read_text(encoding="utf-8")
    return safe_load(text)["terms"]


def flags(lang: str) -> int:
    return 0 if lang == "de" else re.IGNORECASE


def preferred(entry: Mapping[str, Any], lang: str) -> re.Pattern[str]:
    side = entry[lang]
    return re.compile(side.get("find") or re.escape(side["term"]), flags(lang))


def avoided(entry: Mapping[str, Any], lang: str) -> list[re.Pattern[str]]:
    side = entry[lang]
    plain = [re.compile(rf"(?<!\w){re.escape(v)}(?!\w)", flags(lang)) for v in side.get("avoid") or ()]
    return plain + [re.compile(p, flags(lang)) for p in side.get("avoid_patterns") or ()]


def avoided_variants(text: str, lang: str) -> list[tuple[str, str]]:
    """(term id, the variant found) for every variant to avoid in ``text``."""
    found = []
    normal = normalise(text)
    for term_id, entry in glossary().items():
        for pattern in avoided(entry, lang):
            found.extend((term_id, match.group(0)) for match in pattern.finditer(normal))
    return found
