"""Participants: ``netcourse workbooks`` (a personal workbook and link each), ``participants`` and ``forget``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from netcourse.cli.app import RUN_OPTION, STORE_OPTION, cli
from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import LANGUAGES


@cli.command()
@click.argument("roster", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the workbooks, links.csv and the overview.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Language of the workbooks (default de).")
@click.option("--jobs", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Parallel workers, each with one warm kernel.")
@click.option("--no-execute", is_flag=True, help="Only write personalised notebooks, do not run them.")
@click.option("--html", is_flag=True, help="Also write an offline HTML copy of every workbook.")
@click.option("--force", is_flag=True, help="Rewrite workbooks even where the participant already has answers.")
@click.option("--base-url", default="http://127.0.0.1:8866", show_default=True,
              help="Address of the Voila server the personal links point to.")
@click.option("--server-token", default=None,
              help="The --token the server will be started with (servers beyond loopback); added to the links.")
@STORE_OPTION
@RUN_OPTION
def workbooks(roster: Path, out_dir: Path, lang: str | None, jobs: int, no_execute: bool, html: bool,
              force: bool, base_url: str, server_token: str | None, store: str | None, run: str | None) -> None:
    """Build one personalised workbook per participant of a roster (CSV from Excel is fine).

    The roster needs a header row with Name and optionally Kommune, Gruppe (Tausch, Ziele,
    Unterschiedlichkeit, Vertrauen; empty = assigned evenly) and E-Mail; ',' or ';', UTF-8 or
    Windows-1252. Writes DIR/<name>/workbook.ipynb, DIR/links.csv and DIR/uebersicht.html.

    \b
    Example:  netcourse workbooks teilnehmende.csv --out build --jobs 2
    """
    from tqdm import tqdm

    from netcourse.core.roster import read_roster
    from netcourse.core.store import AnswerStore
    from netcourse.core.store.runs import get_run, set_run_files
    from netcourse.outputs.workbooks.batch import build_workbooks

    total = len(read_roster(roster))  # a bad roster is reported before the store is touched
    answers_store = AnswerStore(store, run)
    if get_run(answers_store).archived:
        raise NetcourseError(f"{answers_store.path}: run {answers_store.run} is archived; create a new run")
    with tqdm(total=total, unit="Arbeitsheft", desc="Arbeitshefte", disable=None, leave=True) as bar:
        summary = build_workbooks(roster, out_dir, store=answers_store, lang=lang, jobs=jobs,
                                  execute=not no_execute, force=force, html=html, base_url=base_url,
                                  server_token=server_token,
                                  progress=bar.update)
        bar.update(len(summary.skipped))
    set_run_files(answers_store, roster=str(roster.absolute()), links=str((out_dir / "links.csv").absolute()))
    click.echo(f"{out_dir}: {len(summary.written)} workbooks written, {len(summary.skipped)} kept "
               f"(answers exist; --force rewrites), {len(summary.failed)} failed, of {summary.total}; "
               f"links in {out_dir / 'links.csv'}")
    for label, error in summary.failed:
        click.echo(f"  {label}: {error}", err=True)
    if summary.interrupted:
        click.echo(f"netcourse: interrupted; {len(summary.written)} finished workbooks are intact. "
                   "Run the same command again to continue.", err=True)
        raise SystemExit(130)
    if summary.failed:
        raise SystemExit(1)


@cli.command()
@click.argument("participant_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@STORE_OPTION
@RUN_OPTION
def forget(participant_id: str, yes: bool, store: str | None, run: str | None) -> None:
    """Delete every answer of one participant from the store (right to erasure).

    \b
    Example:  netcourse forget 3f9a0c2e1b7d4a55 --yes
    """
    from netcourse.core.identity import check_participant_id
    from netcourse.core.store import AnswerStore

    check_participant_id(participant_id)
    answers_store = AnswerStore(store, run)
    if not answers_store.path.exists():
        raise NetcourseError(f"{answers_store.path}: no such answer store; check --store")
    known = answers_store.profile(participant_id) is not None or bool(answers_store.answers(participant_id))
    if not known:
        raise NetcourseError(f"{answers_store.path}: no answers or profile of participant {participant_id} in "
                             f"run {answers_store.run}; see 'netcourse participants --run {answers_store.run}'")
    if not yes:
        click.confirm(f"Delete all answers and the profile of {participant_id} (run {answers_store.run}) from "
                      f"{answers_store.path}?", abort=True)
    removed = answers_store.forget(participant_id)
    click.echo(f"{answers_store.path}: {removed} answers and the profile of {participant_id} deleted")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@STORE_OPTION
@RUN_OPTION
def participants(as_json: bool, store: str | None, run: str | None) -> None:
    """List the participants in a store: id, name, municipality, group and number of answers.

    \b
    Example:  netcourse participants --store ~/.local/share/netcourse/answers.sqlite
    """
    from collections import Counter

    from netcourse.core.store import AnswerStore

    answers_store = AnswerStore(store, run)
    if not answers_store.path.exists():
        raise NetcourseError(f"{answers_store.path}: no such answer store; check --store")
    counts = Counter(a.participant_id for a in answers_store.answers())
    rows = [{**p.as_dict(), "answers": counts.pop(p.participant_id, 0)} for p in answers_store.profiles()]
    rows += [{"participant_id": pid, "name": "", "municipality": "", "group": "", "email": "", "lang": "",
              "answers": n} for pid, n in sorted(counts.items())]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['participant_id']:<18} {row['name'][:28]:<28} {row['municipality'][:22]:<22} "
                   f"{row['group']:<20} {row['answers']:>3} answers")
    click.echo(f"{len(rows)} participants in {answers_store.path}")
