"""The course documentation: ``netcourse export``, ``open-doc`` and ``collect`` (merge stores first)."""

from __future__ import annotations

from pathlib import Path

import click

from netcourse.cli.app import RUN_OPTION, STORE_OPTION, cli
from netcourse.core.i18n import LANGUAGES

DOC_FORMATS = ("html", "pdf", "md")


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(DOC_FORMATS), default="html", show_default=True,
              help="html (one self-contained file), pdf (printed by Chromium) or md (Markdown).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write. Default: dokumentation.<format>, or dokumentation.zip for protected "
                   "HTML/Markdown.")
@click.option("--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Protect with the password on the first line of this file (at least 12 characters).")
@click.option("--generate-password", is_flag=True,
              help="Protect with a new random password; it is printed once and stored nowhere.")
@click.option("--anonymize", is_flag=True, help="No names, municipalities or ids in the document.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of the headings (default de).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@STORE_OPTION
@RUN_OPTION
def export_doc(fmt: str, out: Path | None, password_file: Path | None, generate_password: bool,
               anonymize: bool, lang: str | None, force: bool, store: str | None, run: str | None) -> None:
    """Write the participant documentation: the event, each module's key points, and every activity
    whose module declares a documentation role (ideas by group, averaged self-assessments, actor maps in
    aggregate, chosen reflections, and whatever installed plugins add).

    With a password, HTML and Markdown become an AES-256 zip (open it with 7-Zip or
    'netcourse open-doc'), a PDF an AES-256 PDF (opens in every PDF reader). No unprotected copy is
    written.

    \b
    Example:  netcourse export --format pdf --generate-password --out dokumentation.pdf
              netcourse export --password-file pw.txt --anonymize --out dokumentation.zip
    """
    from netcourse.core.store import AnswerStore
    from netcourse.outputs.documentation.export import export_documentation
    from netcourse.outputs.protect import read_password_file

    if password_file is not None and generate_password:
        raise click.UsageError("give either --password-file or --generate-password, not both")
    password = read_password_file(password_file) if password_file is not None else None
    result = export_documentation(AnswerStore(store, run), out, fmt, lang=lang, anonymize=anonymize,
                                  password=password, generate=generate_password, force=force)
    if not result.protected:
        how = "NOT password-protected"
    else:
        how = "AES-256 PDF" if fmt == "pdf" else f"AES-256 zip holding {result.inner_name}"
    click.echo(f"{result.path}: documentation of {result.participants} participant(s) written ({fmt}, {how}"
               f"{', anonymised' if anonymize else ''}) in {result.seconds:.1f} s")
    if result.generated_password:
        click.echo(f"password (shown only this once, pass it on separately): {result.generated_password}")
    if not result.protected:
        click.echo("netcourse: note: the file is not protected; use --password-file or --generate-password "
                   "before sharing it", err=True)


@cli.command("open-doc")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The password on the first line of this file. Default: ask for it.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the opened (unprotected) document.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def open_doc(file: Path, password_file: Path | None, out: Path, force: bool) -> None:
    """Open a documentation protected by 'netcourse export' (AES-256 zip or PDF).

    \b
    Example:  netcourse open-doc dokumentation.zip --password-file pw.txt --out dokumentation.html
    """
    from netcourse.outputs.protect import open_protected_named, read_password_file, write_file

    password = (read_password_file(password_file, check=False) if password_file is not None
                else click.prompt("Password", hide_input=True))
    name, data = open_protected_named(file, password)
    write_file(out, data, force=force)
    click.echo(f"{out}: {name} opened ({len(data)} bytes); this copy is not protected, delete it when done")


@cli.command("collect")
@click.argument("out_store", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only report what would be merged; write nothing.")
@RUN_OPTION
@click.option("--from-run", metavar="ID", default=None,
              help="Run to read from input stores holding several runs. Default: the same id as --run, or an "
                   "input's only run.")
def collect_cmd(out_store: Path, inputs: tuple[Path, ...], dry_run: bool, run: str | None,
                from_run: str | None) -> None:
    """Merge answer stores (SQLite) and journal exports (JSON) into the store OUT_STORE.

    The same answer twice is kept once; the same question answered differently keeps the newest answer
    and is reported. Profiles are merged too. Inputs are only read; a damaged input stops everything
    and OUT_STORE stays unchanged.

    \b
    Example:  netcourse collect gesamt.sqlite laptop1.sqlite laptop2.sqlite lernjournal.json
    """
    from netcourse.outputs.collect import collect

    report = collect(out_store, list(inputs), dry_run=dry_run, run=run, from_run=from_run)
    click.echo(report.summary())
    for conflict in [*report.conflicts, *report.profile_conflicts]:
        click.echo(f"  conflict {conflict}")
