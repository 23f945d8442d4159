"""One exception root; each subclass carries what a trainer needs to fix the problem."""

from __future__ import annotations


class NetcourseError(Exception):
    """Root of every error the kit raises on purpose. The CLI prints it as one line."""


class PluginError(NetcourseError):
    """A plugin could not be loaded or is malformed."""

    def __init__(self, kind: str, name: str, message: str) -> None:
        self.kind, self.name = kind, name
        super().__init__(f"plugin {kind}:{name}: {message}")


class UnknownPluginError(NetcourseError):
    """Lookup of a name that no plugin provides; lists the known ones."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        self.kind, self.name = kind, name
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(sorted(known)) or '(none)'}")


class StoreError(NetcourseError):
    """The answer store cannot be opened, read or written."""

    def __init__(self, path: object, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class AnswerError(NetcourseError):
    """An answer does not fit its exercise; names the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


class ContentError(NetcourseError):
    """A module's data file is missing, unreadable or incomplete; names the file and key."""

    def __init__(self, path: object, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class MissingExtraError(NetcourseError):
    """An optional part of netcourse is not installed; the message names the extra that brings it."""

    def __init__(self, purpose: str, extra: str) -> None:
        super().__init__(f"{purpose} needs the optional extra '{extra}': pip install 'netcourse[{extra}]'")
        self.extra = extra
