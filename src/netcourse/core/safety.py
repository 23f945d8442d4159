"""Small guards for participant text leaving the kit (files opened in spreadsheets)."""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def spreadsheet_safe(value: object) -> str:
    """A cell value Excel/LibreOffice will not run as a formula (OWASP CSV injection guidance)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
