"""The ``netcourse`` command group, its shared options, and :func:`main`, which turns expected errors into one
line on stderr and a non-zero exit, never a traceback. The commands live beside this file, one file per group."""

from __future__ import annotations

import click

from netcourse.core.errors import MissingExtraError, NetcourseError
from netcourse.core.version import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

STORE_HELP = ("Answer store: a SQLite file (path or sqlite:///…) or a database URL such as "
              "postgresql+psycopg://user@host/db (password via PGPASSWORD or ~/.pgpass). "
              "Default: $NETCOURSE_STORE or the per-user data folder.")
STORE_OPTION = click.option("--store", metavar="PATH|URL", default=None, help=STORE_HELP)
RUN_OPTION = click.option(
    "--run", "run", metavar="ID", default=None,
    help="Run of the course (Durchführung, see 'netcourse run list'). Default: $NETCOURSE_RUN or 'default'.")


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="netcourse")
def cli() -> None:
    """netcourse – a Jupyter/Voila training kit for network-management courses.

    \b
    Serve the course:         netcourse present
    Serve for the trainer:    netcourse present --trainer
    See installed plugins:    netcourse plugins
    """


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning expected errors into one line on stderr."""
    try:
        cli.main(args=argv, prog_name="netcourse", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.UsageError as exc:
        path = exc.ctx.command_path if exc.ctx is not None else "netcourse"
        hint = f" Try '{path} --help'."
        click.echo(f"netcourse: error: {exc.format_message().rstrip('.')}.{hint}", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"netcourse: error: {exc.format_message()}", err=True)
        return exc.exit_code
    except click.Abort:
        click.echo("netcourse: aborted", err=True)
        return 130
    except MissingExtraError as exc:  # not an error in the input: one line naming what to install
        click.echo(f"netcourse: {exc}", err=True)
        return 1
    except NetcourseError as exc:
        click.echo(f"netcourse: error: {exc}", err=True)
        return 1
    return 0
