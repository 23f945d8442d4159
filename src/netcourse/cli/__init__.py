"""The ``netcourse`` command line: the group and :func:`main` in ``app``, one file per command group.

Importing this package registers every command on :data:`cli`.
"""

from netcourse.cli import (  # noqa: F401 - registers the commands
    check,
    documentation,
    hub,
    journal,
    participants,
    run,
    serve,
)
from netcourse.cli.app import cli, main

__all__ = ["cli", "main"]
