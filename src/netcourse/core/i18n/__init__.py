"""Languages: German is the source and default, English a complete translation.

The language comes from an explicit argument (papermill parameter, CLI ``--lang``), else ``$NETCOURSE_LANG``,
else German. Interface strings (buttons, status messages) live in ``ui.<lang>.yaml`` beside this file.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from typing import Any

from netcourse.core.errors import NetcourseError
from netcourse.core.yamlfile import safe_load

LANGUAGES = ("de", "en")
DEFAULT_LANG = "de"
LANG_ENV = "NETCOURSE_LANG"


def resolve_lang(explicit: str | None = None) -> str:
    """The language to use: the explicit one, else ``$NETCOURSE_LANG``, else German."""
    lang = (explicit or os.environ.get(LANG_ENV) or DEFAULT_LANG).strip().lower()
    if lang not in LANGUAGES:
        raise NetcourseError(f"language {lang!r} is not supported; choose one of: {', '.join(LANGUAGES)}")
    return lang


def _ui_strings(lang: str) -> dict[str, str]:
    return text_file("ui", lang)


def ui(lang: str, key: str, **values: Any) -> str:
    """One interface string in ``lang``, formatted with ``values``."""
    template = _ui_strings(resolve_lang(lang))[key]
    return template.format(**values) if values else template


def ui_keys(lang: str) -> set[str]:
    return set(_ui_strings(lang))


TEXT_FILES = ("ui", "course", "workbook", "documentation")


@cache
def text_file(name: str, lang: str) -> dict[str, str]:
    """One of the kit's own text files (``ui``, ``course``, ``workbook``) in ``lang``."""
    text = resources.files(__name__).joinpath(f"{name}.{resolve_lang(lang)}.yaml").read_text(encoding="utf-8")
    return safe_load(text)


def course_texts(lang: str) -> dict[str, str]:
    """Texts of the course as a whole (start page) in ``lang``."""
    return text_file("course", lang)
