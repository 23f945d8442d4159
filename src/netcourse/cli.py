"""The ``netcourse`` command line. Errors come out as one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from netcourse import __version__, plugins
from netcourse.errors import NetcourseError
from netcourse.i18n import LANGUAGES

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="netcourse")
def cli() -> None:
    """netcourse – a Jupyter/Voila training kit for network-management courses.

    \b
    Serve the course:         netcourse present
    Serve for the trainer:    netcourse present --trainer
    See installed plugins:    netcourse plugins
    """


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def plugins_cmd(as_json: bool) -> None:
    """List every plugin (modules, exercise types, exporters) with its origin and load errors.

    \b
    Example:  netcourse plugins --json
    """
    records = plugins.all_records()
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in records], ensure_ascii=False, indent=2))
        return
    width = max((len(r.name) for r in records), default=4)
    for r in records:
        state = "ok" if r.error is None else f"ERROR: {r.error}"
        click.echo(f"{r.kind:<9} {r.name:<{width}}  {r.distribution:<24} {state}")
    failed = sum(r.error is not None for r in records)
    click.echo(f"{len(records)} plugins, {failed} with errors")


plugins_cmd.name = "plugins"


@cli.command()
@click.option("--trainer", is_flag=True, help="Trainer mode: show trainer notes.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; others need --token.")
@click.option("--port", default=8866, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="de", show_default=True, help="Course language.")
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Answer store (SQLite). Default: $NETCOURSE_STORE or the per-user data folder.")
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of course notebooks. Default: ./course")
@click.option("--token", default=None, help="Access token required by Voila (needed beyond loopback).")
@click.option("--cull-idle", default=120, show_default=True, type=click.IntRange(5, None),
              help="Seconds after which kernels of closed pages are shut down.")
@click.option("--open/--no-open", "open_browser", default=False, show_default=True, help="Open a browser.")
def present(trainer: bool, host: str, port: int, lang: str, store: Path | None, course_dir: Path | None,
            token: str | None, cull_idle: int, open_browser: bool) -> None:
    """Serve the course with Voila (no code visible, widgets only).

    \b
    Example:  netcourse present --trainer --port 8866
    """
    from netcourse.present import PresentOptions, find_course_dir, serve
    from netcourse.store import default_store_path

    opts = PresentOptions(
        course_dir=find_course_dir(course_dir), host=host, port=port, trainer=trainer, lang=lang,
        store=store or default_store_path(), open_browser=open_browser, token=token,
        cull_idle_timeout=cull_idle, cull_interval=max(5, cull_idle // 4),
    )
    serve(opts)


STORE_OPTION = click.option(
    "--store", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Answer store (SQLite). Default: $NETCOURSE_STORE or the per-user data folder.")
FORMAT_ALIASES = {"md": "markdown", "markdown": "markdown", "html": "html", "json": "json"}


@cli.group()
def journal() -> None:
    """Your personal learning journal: export all your answers, import them again elsewhere.

    \b
    Example:  netcourse journal export --format html --out mein-journal.html
              netcourse journal import mein-journal.json
    """


@journal.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMAT_ALIASES)), default="html", show_default=True,
              help="md (Markdown), html (one self-contained file) or json (to import again).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write. Default: lernjournal.<suffix> in the current folder.")
@click.option("--participant", default=None, help="Participant id. Default: you (the local self-learner).")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Language of questions and titles.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@STORE_OPTION
def journal_export(fmt: str, out: Path | None, participant: str | None, lang: str | None, force: bool,
                   store: Path | None) -> None:
    """Write your answers with their questions (and your charts) to one file.

    \b
    Example:  netcourse journal export --format md --out journal.md
    """
    from netcourse.identity import resolve_participant
    from netcourse.journal import build_journal, export_journal
    from netcourse.store import AnswerStore

    exporter = plugins.exporters.get(FORMAT_ALIASES[fmt])
    target = out or Path(f"lernjournal{exporter.suffix}")
    if target.exists() and not force:
        raise NetcourseError(f"{target}: file exists; choose another --out or pass --force")
    answers_store = AnswerStore(store)
    pid = resolve_participant(participant)
    book = build_journal(answers_store, pid, lang)
    if not book.answers:
        raise NetcourseError(f"{answers_store.path}: no answers of participant {pid} to export")
    data = export_journal(book, FORMAT_ALIASES[fmt])
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(data)
    tmp.replace(target)
    click.echo(f"{target}: {len(book.answers)} answers of participant {pid} written ({fmt})")


@journal.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--participant", default=None, help="Import for this participant id (default: you).")
@STORE_OPTION
def journal_import(file: Path, participant: str | None, store: Path | None) -> None:
    """Restore answers from a journal JSON file (e.g. on a fresh Binder session).

    A file of another participant, a damaged file or one from a newer netcourse is refused and nothing
    changes. Where the store already holds a newer answer, that one is kept.

    \b
    Example:  netcourse journal import lernjournal.json
    """
    from netcourse.journal import import_journal
    from netcourse.store import AnswerStore

    report = import_journal(AnswerStore(store), file.read_bytes(), source=file, participant_id=participant)
    adopted = " (continuing as this participant)" if report.adopted_id else ""
    click.echo(f"{file}: {report.written} answers imported for participant {report.participant_id}{adopted}; "
               f"{report.kept_newer} newer answers kept")


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
@STORE_OPTION
def workbooks(roster: Path, out_dir: Path, lang: str | None, jobs: int, no_execute: bool, html: bool,
              force: bool, base_url: str, store: Path | None) -> None:
    """Build one personalised workbook per participant of a roster (CSV from Excel is fine).

    The roster needs a header row with Name and optionally Kommune, Gruppe (Tausch, Ziele,
    Unterschiedlichkeit, Vertrauen; empty = assigned evenly) and E-Mail; ',' or ';', UTF-8 or
    Windows-1252. Writes DIR/<name>/workbook.ipynb, DIR/links.csv and DIR/uebersicht.html.

    \b
    Example:  netcourse workbooks teilnehmende.csv --out build --jobs 2
    """
    from tqdm import tqdm

    from netcourse.roster import read_roster
    from netcourse.store import AnswerStore
    from netcourse.workbooks import build_workbooks

    total = len(read_roster(roster))
    with tqdm(total=total, unit="Arbeitsheft", desc="Arbeitshefte", disable=None, leave=True) as bar:
        summary = build_workbooks(roster, out_dir, store=AnswerStore(store), lang=lang, jobs=jobs,
                                  execute=not no_execute, force=force, html=html, base_url=base_url,
                                  progress=bar.update)
        bar.update(len(summary.skipped))
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
def forget(participant_id: str, yes: bool, store: Path | None) -> None:
    """Delete every answer of one participant from the store (right to erasure).

    \b
    Example:  netcourse forget 3f9a0c2e1b7d4a55 --yes
    """
    from netcourse.identity import check_participant_id
    from netcourse.store import AnswerStore

    check_participant_id(participant_id)
    answers_store = AnswerStore(store)
    if not yes:
        click.confirm(f"Delete all answers of {participant_id} from {answers_store.path}?", abort=True)
    removed = answers_store.forget(participant_id)
    click.echo(f"{answers_store.path}: {removed} answers of {participant_id} deleted")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning expected errors into one line on stderr."""
    try:
        cli.main(args=argv, prog_name="netcourse", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.UsageError as exc:
        hint = " Try 'netcourse --help'." if exc.ctx is None or exc.ctx.command is cli else \
            f" Try 'netcourse {exc.ctx.info_name} --help'."
        click.echo(f"netcourse: error: {exc.format_message()}{hint}", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"netcourse: error: {exc.format_message()}", err=True)
        return exc.exit_code
    except click.Abort:
        click.echo("netcourse: aborted", err=True)
        return 130
    except NetcourseError as exc:
        click.echo(f"netcourse: error: {exc}", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
