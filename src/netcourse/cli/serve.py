"""``netcourse present`` (serve the course with Voila) and ``netcourse plugins`` (what is installed)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from netcourse.cli.app import RUN_OPTION, STORE_HELP, cli
from netcourse.core import plugins
from netcourse.core.i18n import LANGUAGES


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def plugins_cmd(as_json: bool) -> None:
    """List every plugin (modules, exercise types, exporters) with its origin and load errors.

    \b
    Example:  netcourse plugins --json
    """
    from netcourse.exercises import registry  # noqa: F401 - the module and exercise registries join the list

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
@click.option("--store", metavar="PATH|URL", default=None,
              help=STORE_HELP.replace("Default:", "Default: the demo store; with --roster-dir, --self-study or "
                                                  "--run"))
@RUN_OPTION
@click.option("--roster-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder written by 'netcourse workbooks': participants open their links from its links.csv.")
@click.option("--self-study", is_flag=True, help="No personal links: one person works through the course.")
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of course notebooks to serve instead of the generated pages (pages it lacks are "
                   "generated). Default: the pages of the installed modules.")
@click.option("--token", default=None, help="Access token required by Voila (needed beyond loopback).")
@click.option("--pool-size", default=1, show_default=True, type=click.IntRange(0, 32),
              help="Preheated kernels kept ready per page (0 = none).")
@click.option("--start-pool", default=None, type=click.IntRange(0, 64), metavar="N",
              help="Preheated kernels kept ready for the start page, which personal links open (often all at "
                   "once when a session begins). Each waiting kernel holds about 80 MiB; Voila starts a new one "
                   "for every one taken. Default: --pool-size. For a group of N opening their links at once: N.")
@click.option("--fill-delay", default=1.0, show_default=True, type=click.FloatRange(0, 600), metavar="SECONDS",
              help="Seconds before Voila replaces a preheated kernel a visitor took (every page's pool). "
                   "Longer values keep the CPUs for the pages being opened during a burst, but visitors beyond "
                   "a page's pool wait that long too. With --start-pool N for a group of N: 5.")
@click.option("--cull-idle", default=120, show_default=True, type=click.IntRange(5, None),
              help="Seconds after which kernels of closed pages are shut down.")
@click.option("--browser/--no-browser", "open_browser", default=False, show_default=True,
              help="Open a web browser.")
def present(trainer: bool, host: str, port: int, lang: str, store: str | None, run: str | None,
            roster_dir: Path | None,
            self_study: bool, course_dir: Path | None, token: str | None, pool_size: int, start_pool: int | None,
            fill_delay: float, cull_idle: int, open_browser: bool) -> None:
    """Serve the course with Voila (no code visible, widgets only).

    Without --roster-dir the bundled sample roster (16 fictional participants) is used, so you can try
    the whole session at once: the personal links are printed, the trainer link with --trainer.

    \b
    Example:  netcourse present --trainer
              netcourse present --trainer --roster-dir build
              netcourse present --self-study
    """
    import platformdirs

    from netcourse.core.paths import find_course_dir
    from netcourse.core.store import AnswerStore
    from netcourse.core.store.runs import get_run, issue_trainer_key
    from netcourse.pages.notebooks import build_site, prune_sites
    from netcourse.pages.present import PresentOptions, check_not_served, prepare_demo, serve

    if roster_dir and self_study:
        raise click.UsageError("--roster-dir and --self-study exclude each other.")
    data_dir = platformdirs.user_data_path("netcourse", appauthor=False)
    # the demo store, unless a store, a roster, self-study or a run is named ($NETCOURSE_STORE or the default)
    answers = AnswerStore(store or (None if (roster_dir or self_study or run) else data_dir / "demo.sqlite"), run)
    the_run = get_run(answers)  # an unknown run: one line listing the known ones
    if the_run.archived:
        raise click.UsageError(f"run {the_run.run_id} is archived; see 'netcourse run list'")
    opts = PresentOptions(
        course_dir=find_course_dir(course_dir), host=host, port=port, trainer=trainer, lang=lang,
        store=answers.path, open_browser=open_browser, token=token, cull_idle_timeout=cull_idle,
        cull_interval=max(5, cull_idle // 4), pool_size=pool_size,
        start_pool=start_pool, fill_delay=fill_delay,
        access="open" if self_study else "personal",
        trainer_key=issue_trainer_key(answers) if trainer else None,  # a new key per start; its hash is stored
        locator=answers.locator, run_title=f"{the_run.title} ({the_run.run_id})",
    )
    if opts.course_dir is not None:
        check_not_served(opts.course_dir, opts.store, roster_dir)
    # serve a generated folder: every installed module's page (and --course-dir's notebooks, if given)
    cache = platformdirs.user_cache_path("netcourse", appauthor=False)
    prune_sites(cache)
    opts.course_dir = build_site(opts.course_dir, cache / f"site-{port}")
    check_not_served(opts.course_dir, opts.store, roster_dir)
    if roster_dir:
        opts.links_file = roster_dir / "links.csv"
    elif the_run.links and not self_study:
        opts.links_file = Path(the_run.links)  # written by 'netcourse workbooks --run'
    elif not self_study:
        opts.links_file = prepare_demo(answers, data_dir / "demo-links.csv", opts.url, opts.token)
    serve(opts)
