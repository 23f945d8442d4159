"""``netcourse journal``: a participant's own learning journal, exported and imported again."""

from __future__ import annotations

from pathlib import Path

import click

from netcourse.cli.app import RUN_OPTION, STORE_OPTION, cli
from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import LANGUAGES
from netcourse.outputs.exporters.registry import exporters

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
@RUN_OPTION
def journal_export(fmt: str, out: Path | None, participant: str | None, lang: str | None, force: bool,
                   store: str | None, run: str | None) -> None:
    """Write your answers with their questions (and your charts) to one file.

    \b
    Example:  netcourse journal export --format md --out journal.md
    """
    from netcourse.core.atomic import atomic_write
    from netcourse.core.identity import resolve_participant
    from netcourse.core.store import AnswerStore
    from netcourse.outputs.journal import build_journal, export_journal

    exporter = exporters.get(FORMAT_ALIASES[fmt])
    target = out or Path(f"lernjournal{exporter.suffix}")
    if target.exists() and not force:
        raise NetcourseError(f"{target}: file exists; choose another --out or pass --force")
    answers_store = AnswerStore(store, run)
    pid = resolve_participant(participant)
    book = build_journal(answers_store, pid, lang)
    if not book.answers:
        raise NetcourseError(f"{answers_store.path}: no answers of participant {pid} to export")
    data = export_journal(book, FORMAT_ALIASES[fmt])
    atomic_write(target, data)
    click.echo(f"{target}: {len(book.answers)} answers of participant {pid} written ({fmt})")


@journal.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--participant", default=None, help="Import for this participant id (default: you).")
@STORE_OPTION
@RUN_OPTION
def journal_import(file: Path, participant: str | None, store: str | None, run: str | None) -> None:
    """Restore answers from a journal JSON file (e.g. on a fresh Binder session).

    A file of another participant, a damaged file or one from a newer netcourse is refused and nothing
    changes. Where the store already holds a newer answer, that one is kept.

    \b
    Example:  netcourse journal import lernjournal.json
    """
    from netcourse.core.store import AnswerStore
    from netcourse.outputs.journal import import_journal

    report = import_journal(AnswerStore(store, run), file.read_bytes(), source=file, participant_id=participant)
    adopted = " (continuing as this participant)" if report.adopted_id else ""
    click.echo(f"{file}: {report.written} answers imported for participant {report.participant_id}{adopted}; "
               f"{report.kept_newer} newer answers kept")
