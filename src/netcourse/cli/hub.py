"""``netcourse hub config|links|serve``: the course on JupyterHub (many courses at once)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import click

from netcourse.cli.app import RUN_OPTION, STORE_OPTION, cli
from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import LANGUAGES

PORT = click.IntRange(1, 65535)
CHP_HINT = "configurable-http-proxy not found: npm install -g configurable-http-proxy"


@cli.group("hub")
def hub_group() -> None:
    """Run the course on JupyterHub: every participant gets their own Voila server, logged in by their
    personal hub link (no password); the trainer's link opens the run's trainer view and the hub's user
    list of the run. Idle servers are stopped by jupyterhub-idle-culler.

    \b
    Example:  netcourse hub serve --run netzwerkkurs-fulda-3f9a0c          (one machine, to try it)
              netcourse hub config --store postgresql+psycopg://netcourse@db/netcourse --out jupyterhub_config.py
              netcourse hub links --run netzwerkkurs-fulda-3f9a0c --hub-url https://kurs.example.org
    """


def _store_or_env(store: str | None) -> str:
    from netcourse.core.store import AnswerStore

    return store or AnswerStore(None).locator.split("#", 1)[0]


def _options(store: str | None, site_dir: Path, course_dir: Path | None, lang: str, **kw: object):  # noqa: ANN202
    from netcourse.core.paths import find_course_dir
    from netcourse.hub.config import HubOptions, check_store
    from netcourse.pages.notebooks import build_site

    locator = _store_or_env(store)
    check_store(locator)  # unreachable: one line naming host and database, never the password
    build_site(find_course_dir(course_dir), site_dir)
    return HubOptions(store=locator, site_dir=site_dir, lang=lang, **kw)  # type: ignore[arg-type]


@hub_group.command("config")
@STORE_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("jupyterhub_config.py"),
              show_default=True, help="Config file to write.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("netcourse-site"),
              show_default=True, help="Folder for the course pages the servers show (built now).")
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of course notebooks to serve instead of the generated pages.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="de", show_default=True)
@click.option("--local", is_flag=True, help="All on this machine: loopback ports, SimpleLocalProcessSpawner, "
                                            "hub state next to the config file.")
@click.option("--port", default=8000, show_default=True, type=PORT, help="Public port of the hub's proxy.")
@click.option("--hub-port", default=8081, show_default=True, type=PORT, help="With --local: the hub's own port.")
@click.option("--proxy-api-port", default=8001, show_default=True, type=PORT,
              help="With --local: the port of the proxy's API.")
@click.option("--db-url", default="", help="The hub's own database (default SQLite), e.g. "
                                           "postgresql+psycopg://jhub@db/jhub.")
@click.option("--cull-timeout", default=600, show_default=True, type=click.IntRange(60, None),
              help="Seconds without activity after which a participant's server is stopped.")
def hub_config(store: str | None, out: Path, site_dir: Path, course_dir: Path | None, lang: str, local: bool,
               port: int, hub_port: int, proxy_api_port: int, db_url: str, cull_timeout: int) -> None:
    """Write a jupyterhub_config.py for the course (and build the course pages it serves).

    \b
    Example:  netcourse hub config --store postgresql+psycopg://netcourse@db.example.org/netcourse
              PGPASSWORD=… jupyterhub -f jupyterhub_config.py
    """
    from netcourse.hub.config import write_config

    opts = _options(store, site_dir.absolute(), course_dir, lang, local=local, port=port, hub_port=hub_port,
                    proxy_api_port=proxy_api_port, db_url=db_url, cull_timeout=cull_timeout,
                    state_dir=out.absolute().parent)
    write_config(opts, out)
    click.echo(f"{out}: JupyterHub configuration written (course pages in {site_dir})")
    click.echo(f"start: jupyterhub -f {out}   links: netcourse hub links --run RUN --hub-url URL")


@hub_group.command("links")
@STORE_OPTION
@RUN_OPTION
@click.option("--hub-url", required=True, help="Public address of the hub, e.g. https://kurs.example.org.")
@click.option("--links", "links_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="links.csv of the run (default: the one 'netcourse workbooks --run' noted).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("hub-links.csv"),
              show_default=True, help="Where to write the participants' hub links (CSV for Excel).")
def hub_links(store: str | None, run: str | None, hub_url: str, links_file: Path | None, out: Path) -> None:
    """Write each participant's personal hub link and print a new trainer link (the old one stops working)."""
    from netcourse.core.store import AnswerStore
    from netcourse.hub.links import run_hub_links
    from netcourse.outputs.workbooks.batch import write_links_rows

    answers = AnswerStore(store, run)
    rows, trainer = run_hub_links(answers, hub_url, links_file)
    write_links_rows(out, rows)
    click.echo(f"{out}: {len(rows)} personal hub links of run {answers.run} (send each person only their own)")
    click.echo(f"Trainer (do not share): {trainer}")


@hub_group.command("serve")
@STORE_OPTION
@RUN_OPTION
@click.option("--port", default=8000, show_default=True, type=PORT, help="Port of the hub on 127.0.0.1.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="de", show_default=True)
@click.option("--cull-timeout", default=600, show_default=True, type=click.IntRange(60, None),
              help="Seconds without activity after which a participant's server is stopped.")
def hub_serve(store: str | None, run: str | None, port: int, lang: str, cull_timeout: int) -> None:
    """Start JupyterHub and its proxy on this computer (127.0.0.1) for one run, with its links.

    \b
    Example:  netcourse hub serve --run netzwerkkurs-fulda-3f9a0c
    """
    import platformdirs

    from netcourse.core.extras import require
    from netcourse.core.store import AnswerStore
    from netcourse.hub.config import store_locator, write_config
    from netcourse.hub.links import run_hub_links
    from netcourse.outputs.workbooks.batch import write_links_rows

    require("hub", "netcourse hub serve")
    proxy = shutil.which("configurable-http-proxy")
    if proxy is None:
        raise NetcourseError(CHP_HINT)
    answers = AnswerStore(store, run)
    state = platformdirs.user_data_path("netcourse", appauthor=False) / f"hub-{answers.run}"
    opts = _options(store, state / "site", None, lang, local=True, port=port, state_dir=state,
                    cull_timeout=cull_timeout, hub_port=_free_port(), proxy_api_port=_free_port())
    config = write_config(opts, state / "jupyterhub_config.py")
    rows, trainer = run_hub_links(answers, opts.url)
    links = write_links_rows(state / "hub-links.csv", rows)
    click.echo(f"JupyterHub for run {answers.run}: {opts.url}/hub/  (Ctrl-C stops it)")
    click.echo(f"  {len(rows)} personal hub links: {links}")
    click.echo(f"  Trainer (do not share): {trainer}")
    env = dict(os.environ)
    _locator, password = store_locator(opts.store)
    if password:
        env["PGPASSWORD"] = password
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), str(Path(proxy).parent), env.get("PATH", "")])
    hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=state, env=env)
    try:
        hub.wait()
    except KeyboardInterrupt:
        hub.send_signal(signal.SIGTERM)  # the hub stops the proxy and every server it started
        hub.wait(timeout=60)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
