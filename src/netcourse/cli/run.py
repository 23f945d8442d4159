"""``netcourse run create|list|archive``: runs of the course („Durchführungen“) in one store."""

from __future__ import annotations

import json

import click

from netcourse.cli.app import STORE_OPTION, cli


@cli.group("run")
def run_group() -> None:
    """Runs of the course (Durchführungen): one store holds many, each with its own roster, links,
    trainer key and answers; no run sees another's answers.

    \b
    Example:  netcourse run create "Netzwerkkurs Fulda" --date 2026-03-14
              netcourse workbooks teilnehmende.csv --out build --run netzwerkkurs-fulda-3f9a0c
              netcourse present --trainer --roster-dir build --run netzwerkkurs-fulda-3f9a0c
    """


@run_group.command("create")
@click.argument("title")
@click.option("--date", default="", help="Date of the run, e.g. 2026-03-14.")
@STORE_OPTION
def run_create(title: str, date: str, store: str | None) -> None:
    """Create a run; prints its id (give it as --run to the other commands)."""
    from netcourse.core.store import AnswerStore
    from netcourse.core.store.runs import create_run

    answers_store = AnswerStore(store)
    run = create_run(answers_store, title, date)
    click.echo(f"{answers_store.path}: run {run.run_id} created ({run.title}{', ' + run.date if run.date else ''})")
    click.echo(run.run_id)


@run_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--all", "show_all", is_flag=True, help="Show archived runs too.")
@STORE_OPTION
def run_list(as_json: bool, show_all: bool, store: str | None) -> None:
    """List the runs in a store: id, date, title, state."""
    from netcourse.core.store import AnswerStore
    from netcourse.core.store.runs import list_runs

    answers_store = AnswerStore(store)
    found = list_runs(answers_store, include_archived=show_all)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in found], ensure_ascii=False, indent=2))
        return
    for run in found:
        state = "archived" if run.archived else "active"
        click.echo(f"{run.run_id:<32} {run.date:<10} {run.title[:40]:<40} {state}")
    click.echo(f"{len(found)} runs in {answers_store.path}")


@run_group.command("archive")
@click.argument("run_id")
@STORE_OPTION
def run_archive(run_id: str, store: str | None) -> None:
    """Archive a run: its answers stay (documentation, collect), but it is no longer presented."""
    from netcourse.core.store import AnswerStore
    from netcourse.core.store.runs import archive_run

    answers_store = AnswerStore(store)
    run = archive_run(answers_store, run_id)
    click.echo(f"{answers_store.path}: run {run.run_id} archived")
