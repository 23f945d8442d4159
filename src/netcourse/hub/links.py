"""Personal hub links of a run: each participant's key (the token of their course link) at the hub's
login address, and a new trainer key for the run's trainer."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from netcourse.core.errors import NetcourseError
from netcourse.core.store import AnswerStore
from netcourse.core.store.runs import get_run, issue_trainer_key
from netcourse.outputs.workbooks.batch import read_links_rows

LOGIN_PATH = "/hub/netcourse-login"


def hub_link(hub_url: str, run: str, key: str, next_url: str = "") -> str:
    """The login link: opens the hub as the key's owner (``next``: where to go afterwards, e.g. /hub/admin)."""
    query = {"run": run, "key": key, **({"next": next_url} if next_url else {})}
    return f"{hub_url.rstrip('/')}{LOGIN_PATH}?{urlencode(query)}"


def link_token(link: str) -> str:
    """The participant token (``p=``) of a personal course link; empty if it has none."""
    values = parse_qs(urlsplit(link.strip()).query).get("p", [])
    return values[0] if values else ""


def roster_links(links_file: Path) -> list[tuple[str, str, str, str]]:
    """(name, municipality, group, token) of every row of a ``links.csv`` written by ``netcourse workbooks``."""
    try:
        rows = read_links_rows(links_file)
    except OSError as exc:
        raise NetcourseError(f"{links_file}: cannot read the links file ({exc.strerror})") from None
    found = [(r[0], r[1], r[2], link_token(r[3])) for r in rows if len(r) >= 4]
    return [row for row in found if row[3]]


def run_hub_links(store: AnswerStore, hub_url: str, links_file: Path | None = None,
                  trainer: bool = True) -> tuple[list[tuple[str, str, str, str]], str | None]:
    """Each participant's hub link (name, municipality, group, link) and a new trainer link (the run's
    previous trainer key stops working). The participants come from the run's ``links.csv``."""
    run = get_run(store)
    if run.archived:
        raise NetcourseError(f"run {run.run_id} is archived; see 'netcourse run list'")
    source = links_file or (Path(run.links) if run.links else None)
    if source is None:
        raise NetcourseError(f"run {run.run_id} has no links file yet: run 'netcourse workbooks ROSTER --run "
                             f"{run.run_id}' first, or give --links")
    rows = [(name, town, group, hub_link(hub_url, run.run_id, token))
            for name, town, group, token in roster_links(source)]
    trainer_link = hub_link(hub_url, run.run_id, issue_trainer_key(store)) if trainer else None
    return rows, trainer_link
