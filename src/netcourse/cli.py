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
@click.option("--trainer", is_flag=True,
              help="Enable the trainer view (trainer notes, live board, timer) behind a secret trainer link.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; others need --token.")
@click.option("--port", default=8866, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="de", show_default=True, help="Course language.")
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Answer store (SQLite). Default: the demo store, or $NETCOURSE_STORE / the per-user data "
                   "folder with --roster-dir or --self-study.")
@click.option("--roster-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder written by 'netcourse workbooks': participants open their links from its links.csv.")
@click.option("--self-study", is_flag=True, help="No personal links: one person works through the course.")
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of course notebooks. Default: ./course")
@click.option("--token", default=None, help="Access token required by Voila (needed beyond loopback).")
@click.option("--pool-size", default=1, show_default=True, type=click.IntRange(0, 32),
              help="Preheated kernels kept ready per page (0 = none).")
@click.option("--cull-idle", default=120, show_default=True, type=click.IntRange(5, None),
              help="Seconds after which kernels of closed pages are shut down.")
@click.option("--browser/--no-browser", "open_browser", default=False, show_default=True,
              help="Open a web browser.")
def present(trainer: bool, host: str, port: int, lang: str, store: Path | None, roster_dir: Path | None,
            self_study: bool, course_dir: Path | None, token: str | None, pool_size: int, cull_idle: int,
            open_browser: bool) -> None:
    """Serve the course with Voila (no code visible, widgets only).

    Without --roster-dir the bundled sample roster (16 fictional participants) is used, so you can try
    the whole session at once: the personal links are printed, the trainer link with --trainer.

    \b
    Example:  netcourse present --trainer
              netcourse present --trainer --roster-dir build
              netcourse present --self-study
    """
    import secrets

    import platformdirs

    from netcourse.notebooks import build_site, prune_sites
    from netcourse.present import PresentOptions, check_not_served, find_course_dir, prepare_demo, serve
    from netcourse.store import AnswerStore, default_store_path

    if roster_dir and self_study:
        raise click.UsageError("--roster-dir and --self-study exclude each other.")
    data_dir = platformdirs.user_data_path("netcourse", appauthor=False)
    opts = PresentOptions(
        course_dir=find_course_dir(course_dir), host=host, port=port, trainer=trainer, lang=lang,
        store=(store.expanduser().absolute() if store
               else default_store_path() if (roster_dir or self_study) else data_dir / "demo.sqlite"),
        open_browser=open_browser, token=token, cull_idle_timeout=cull_idle,
        cull_interval=max(5, cull_idle // 4), pool_size=pool_size,
        access="open" if self_study else "personal",
        trainer_key=secrets.token_urlsafe(18) if trainer else None,
    )
    check_not_served(opts.course_dir, opts.store, roster_dir)
    # serve a copy holding only the notebooks, plus generated pages for plugin modules
    cache = platformdirs.user_cache_path("netcourse", appauthor=False)
    prune_sites(cache)
    opts.course_dir = build_site(opts.course_dir, cache / f"site-{port}")
    check_not_served(opts.course_dir, opts.store, roster_dir)
    if roster_dir:
        opts.links_file = roster_dir / "links.csv"
    elif not self_study:
        opts.links_file = prepare_demo(AnswerStore(opts.store), data_dir / "demo-links.csv", opts.url,
                                       opts.token)
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
@click.option("--server-token", default=None,
              help="The --token the server will be started with (servers beyond loopback); added to the links.")
@STORE_OPTION
def workbooks(roster: Path, out_dir: Path, lang: str | None, jobs: int, no_execute: bool, html: bool,
              force: bool, base_url: str, server_token: str | None, store: Path | None) -> None:
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
                                  server_token=server_token,
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
    if not answers_store.path.exists():
        raise NetcourseError(f"{answers_store.path}: no such answer store; check --store")
    known = answers_store.profile(participant_id) is not None or bool(answers_store.answers(participant_id))
    if not known:
        raise NetcourseError(f"{answers_store.path}: no answers or profile of participant {participant_id}; "
                             "see 'netcourse participants'")
    if not yes:
        click.confirm(f"Delete all answers and the profile of {participant_id} from {answers_store.path}?",
                      abort=True)
    removed = answers_store.forget(participant_id)
    click.echo(f"{answers_store.path}: {removed} answers and the profile of {participant_id} deleted")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@STORE_OPTION
def participants(as_json: bool, store: Path | None) -> None:
    """List the participants in a store: id, name, municipality, group and number of answers.

    \b
    Example:  netcourse participants --store ~/.local/share/netcourse/answers.sqlite
    """
    from collections import Counter

    from netcourse.store import AnswerStore

    answers_store = AnswerStore(store)
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
def export_doc(fmt: str, out: Path | None, password_file: Path | None, generate_password: bool,
               anonymize: bool, lang: str | None, force: bool, store: Path | None) -> None:
    """Write the participant documentation: the event, each module's key points, the four groups'
    ideas, the averaged self-assessments, the actor maps in aggregate and chosen reflections.

    With a password, HTML and Markdown become an AES-256 zip (open it with 7-Zip or
    'netcourse open-doc'), a PDF an AES-256 PDF (opens in every PDF reader). No unprotected copy is
    written.

    \b
    Example:  netcourse export --format pdf --generate-password --out dokumentation.pdf
              netcourse export --password-file pw.txt --anonymize --out dokumentation.zip
    """
    from netcourse.docrender import export_documentation
    from netcourse.protect import read_password_file
    from netcourse.store import AnswerStore

    if password_file is not None and generate_password:
        raise click.UsageError("give either --password-file or --generate-password, not both")
    password = read_password_file(password_file) if password_file is not None else None
    result = export_documentation(AnswerStore(store), out, fmt, lang=lang, anonymize=anonymize,
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
    from netcourse.protect import open_protected_named, read_password_file, write_file

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
def collect_cmd(out_store: Path, inputs: tuple[Path, ...], dry_run: bool) -> None:
    """Merge answer stores (SQLite) and journal exports (JSON) into the store OUT_STORE.

    The same answer twice is kept once; the same question answered differently keeps the newest answer
    and is reported. Profiles are merged too. Inputs are only read; a damaged input stops everything
    and OUT_STORE stays unchanged.

    \b
    Example:  netcourse collect gesamt.sqlite laptop1.sqlite laptop2.sqlite lernjournal.json
    """
    from netcourse.collect import collect

    report = collect(out_store, list(inputs), dry_run=dry_run)
    click.echo(report.summary())
    for conflict in [*report.conflicts, *report.profile_conflicts]:
        click.echo(f"  conflict {conflict}")


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
    except NetcourseError as exc:
        click.echo(f"netcourse: error: {exc}", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
