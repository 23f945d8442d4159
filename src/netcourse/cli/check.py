"""``netcourse check``: the content check for module authors (logic in :mod:`netcourse.outputs.check`)."""

from __future__ import annotations

import click

from netcourse.cli.app import cli


@cli.command("check")
@click.argument("targets", nargs=-1)
@click.option("--strict", is_flag=True, help="Count warnings (an agenda over the planned length) as problems.")
def check(targets: tuple[str, ...], strict: bool) -> None:
    """Check course modules: TARGETS are module directories or installed module ids (default: every installed
    module). Prints one line per problem, module: file: key: problem; exits 1 on problems."""
    from netcourse.outputs.check import check_installed, check_target

    problems = [p for target in targets for p in check_target(target)] if targets else check_installed()
    for problem in problems:
        click.echo(problem.line())
    errors = [p for p in problems if strict or not p.warning]
    checked = ", ".join(targets) if targets else "every installed module"
    if errors:
        click.echo(f"netcourse check: {len(errors)} problem(s) in {checked}", err=True)
        raise SystemExit(1)
    click.echo(f"netcourse check: {checked}: no problems" + (f" ({len(problems)} warning(s))" if problems else ""),
               err=True)
