"""Optional parts of netcourse, installed as extras (``pip install 'netcourse[pdf]'``), imported lazily.

``require(extra, purpose)`` is called before any work starts, so a missing extra stops a command with
one line naming it and nothing half-written.
"""

from __future__ import annotations

import importlib

from netcourse.core.errors import MissingExtraError

#: extra → the modules it must make importable
EXTRAS: dict[str, tuple[str, ...]] = {
    # Chromium through Playwright prints the PDF; pypdf with cryptography encrypts it with AES-256
    "pdf": ("playwright.sync_api", "pypdf", "cryptography"),
    # the course on JupyterHub: the hub, its idle culler as a service (netcourse hub)
    "hub": ("jupyterhub", "jupyterhub_idle_culler"),
}


def missing(extra: str) -> list[str]:
    """The modules of ``extra`` that cannot be imported."""
    absent = []
    for module in EXTRAS[extra]:
        try:
            importlib.import_module(module)
        except ImportError:
            absent.append(module)
    return absent


def require(extra: str, purpose: str) -> None:
    """Raise :class:`MissingExtraError` unless every module of ``extra`` imports."""
    if missing(extra):
        raise MissingExtraError(purpose, extra)
