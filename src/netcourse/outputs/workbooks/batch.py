"""``netcourse workbooks``: one personalised, executed workbook per participant of a roster.

Order of work: read and check the roster (nothing is written if it is bad) → reuse the ids, tokens and
folders of an earlier run (kept in ``DIR/.netcourse/participants.json``) → store the profiles → write
``links.csv`` and ``uebersicht.html`` → execute the workbooks with papermill on warm kernels in parallel
workers. Ctrl-C keeps finished workbooks; a re-run continues and never overwrites a workbook whose
participant already has answers, unless ``--force``.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

from slugify import slugify

from netcourse.core.atomic import atomic_path, atomic_write
from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import resolve_lang, ui, ui_keys
from netcourse.core.identity import new_participant_id
from netcourse.core.participants import TRAIT_LABELS, Profile, new_token
from netcourse.core.roster import RosterEntry, assign_groups, read_roster
from netcourse.core.safety import spreadsheet_safe
from netcourse.core.store import AnswerStore

ALLOWED_PARAMETERS = ("participant", "lang", "store")
WORKBOOK_NAME = "workbook.ipynb"
MANIFEST = Path(".netcourse") / "participants.json"
GERMAN_SLUG = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"]]


def template_path() -> Path:
    """The workbook template, package data (``netcourse/data/workbook.ipynb``)."""
    from netcourse.core.paths import workbook_template_path

    path = workbook_template_path()
    if not path.exists():
        raise NetcourseError(f"{path}: workbook template not found")
    return path


def check_parameters(parameters: dict[str, object]) -> dict[str, object]:
    """Only names from the fixed list reach papermill (a crafted name would run as code)."""
    for name, value in parameters.items():
        if name not in ALLOWED_PARAMETERS or not name.isidentifier():
            raise NetcourseError(f"parameter {name!r} refused: workbooks accept only {', '.join(ALLOWED_PARAMETERS)}")
        if value is not None and not isinstance(value, str):
            raise NetcourseError(f"parameter {name!r} must be text")
    return parameters


def folder_slug(name: str, taken: set[str]) -> str:
    """A folder name from a person's name: ASCII slug, never a path; numbered when taken."""
    base = slugify(name, replacements=GERMAN_SLUG, max_length=60, word_boundary=True) or "teilnehmende"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug


@dataclass
class Planned:
    profile: Profile
    token: str
    slug: str
    row: int

    @property
    def key(self) -> str:
        return f"{self.profile.name}\x1f{self.profile.municipality}"


@dataclass
class Summary:
    total: int
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False


def _load_manifest(out_dir: Path) -> list[dict[str, str]]:
    path = out_dir / MANIFEST
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [dict(p) for p in data["participants"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise NetcourseError(f"{path}: damaged ({exc}); move the folder away or choose another --out") from exc


def plan(entries: list[RosterEntry], out_dir: Path, lang: str) -> list[Planned]:
    """Ids, tokens and folders: reused from an earlier run for the same name + municipality (in order)."""
    earlier: dict[str, list[dict[str, str]]] = {}
    for item in _load_manifest(out_dir):
        earlier.setdefault(f"{item['name']}\x1f{item['municipality']}", []).append(item)
    taken = {item["slug"] for items in earlier.values() for item in items}
    matched: list[dict[str, str] | None] = []
    for entry in entries:  # same name + municipality, in roster order: the same person as last time
        previous = earlier.get(f"{entry.name}\x1f{entry.municipality}")
        matched.append(previous.pop(0) if previous else None)
    # an empty group cell keeps the group of the earlier run, so nobody moves when the roster grows
    entries = [replace(e, group=e.group or (old or {}).get("group", ""))
               for e, old in zip(entries, matched, strict=True)]
    groups = assign_groups(entries)
    planned = []
    for entry, group, old in zip(entries, groups, matched, strict=True):
        if old:
            pid, token, slug = old["participant_id"], old["token"], old["slug"]
        else:
            pid, token, slug = new_participant_id(), new_token(), folder_slug(entry.name, taken)
        profile = Profile(pid, entry.name, entry.municipality, group, entry.email, lang)
        planned.append(Planned(profile, token, slug, entry.row))
    for item in planned:
        folder = (out_dir / item.slug).resolve()
        if folder.parent != out_dir.resolve():
            raise NetcourseError(f"{item.slug}: folder would leave {out_dir}")
    return planned


def write_manifest(out_dir: Path, planned: list[Planned]) -> None:
    path = out_dir / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"participants": [{"participant_id": p.profile.participant_id, "name": p.profile.name,
                              "municipality": p.profile.municipality, "group": p.profile.group,
                              "token": p.token, "slug": p.slug} for p in planned]}
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1), mode=0o600)


def personal_link(base_url: str, token: str, server_token: str | None = None) -> str:
    """The participant's link: the course start page with their secret (``?p=``); with a Voila access
    token (servers beyond loopback) that is appended as ``token=``."""
    query = urlencode({"p": token, **({"token": server_token} if server_token else {})})
    return f"{base_url.rstrip('/')}/voila/render/00-start.ipynb?{query}"


def write_links_rows(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """A links file for Excel (UTF-8 with BOM, ``;``), every cell guarded against formula injection."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, mode=0o600) as part, open(part, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["Name", "Kommune", "Gruppe", "Persönlicher Link"])
        writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
    return path


def read_links_rows(path: Path) -> list[list[str]]:
    """The rows of a links file written by :func:`write_links_rows`, without its header."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))[1:]


def write_links(out_dir: Path, planned: list[Planned], base_url: str, server_token: str | None = None) -> Path:
    """``DIR/links.csv``: name, municipality, group and personal link of every participant."""
    return write_links_rows(out_dir / "links.csv", [
        (p.profile.name, p.profile.municipality, TRAIT_LABELS.get(p.profile.group, p.profile.group),
         personal_link(base_url, p.token, server_token)) for p in planned])


def write_overview(out_dir: Path, planned: list[Planned], base_url: str,
                   server_token: str | None = None) -> Path:
    """A small HTML page for the trainer: who is in which group, with their links (all text escaped)."""
    from netcourse.core.templates import render_template

    lang = planned[0].profile.lang if planned else "de"
    counts = Counter(p.profile.group for p in planned)
    rows = [{"name": p.profile.name, "municipality": p.profile.municipality,
             "group": TRAIT_LABELS.get(p.profile.group, p.profile.group),
             "link": personal_link(base_url, p.token, server_token), "folder": p.slug} for p in planned]
    groups = ", ".join(f"{TRAIT_LABELS.get(g, g)}: {n}" for g, n in sorted(counts.items()))
    municipalities = len({p.profile.municipality for p in planned if p.profile.municipality})
    t = {key.removeprefix("overview_"): ui(lang, key) for key in ui_keys(lang) if key.startswith("overview_")}
    summary = ui(lang, "overview_summary", count=len(planned), municipalities=municipalities, groups=groups)
    html = render_template("outputs/participants.html.j2", lang=lang, t=t, summary=summary, rows=rows)
    path = out_dir / "uebersicht.html"
    atomic_write(path, html, mode=0o600)
    return path


# execution --------------------------------------------------------------------------------------
def execute_one(template: str, output: str, parameters: dict[str, object], execute: bool, html: bool) -> str:
    """Run one workbook with papermill (warm kernel engine) into ``output``; written atomically."""
    import papermill

    check_parameters(parameters)
    out = Path(output)
    with atomic_path(out, suffix=".ipynb") as part:
        papermill.execute_notebook(template, str(part), parameters=parameters, engine_name="netcourse",
                                   prepare_only=not execute, progress_bar=False, log_output=False,
                                   language="python", kernel_name="python3")
    if html:
        atomic_write(out.with_suffix(".html"), offline_html(out))
    return output


def offline_html(notebook: Path) -> str:
    """An HTML copy without code that needs nothing from the internet (netcourse_offline template)."""
    from nbconvert import HTMLExporter

    from netcourse.core.paths import share_dir

    exporter = HTMLExporter(template_name="netcourse_offline", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True,
                            extra_template_basedirs=[str(share_dir() / "nbconvert" / "templates")])
    body, _ = exporter.from_filename(str(notebook))
    return body


def _worker_init() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides on Ctrl-C


def run_jobs(jobs: list[tuple[str, str, dict[str, object]]], *, workers: int, execute: bool, html: bool,
             on_done: Callable[[str, str | None], None]) -> None:
    """Execute jobs (label, output, parameters) in ``workers`` processes; report each as it finishes."""
    template = str(template_path())
    if workers <= 1:
        for label, output, params in jobs:
            try:
                execute_one(template, output, params, execute, html)
                on_done(label, None)
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # noqa: BLE001 - reported per workbook, the others go on
                on_done(label, _one_line(exc))
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init) as pool:
        pending: dict[Future[str], str] = {}
        queue: Iterator[tuple[str, str, dict[str, object]]] = iter(jobs)
        try:
            for _ in range(workers * 2):
                _submit_next(pool, queue, pending, template, execute, html)
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    label = pending.pop(future)
                    error = future.exception()
                    on_done(label, _one_line(error) if error else None)
                    _submit_next(pool, queue, pending, template, execute, html)
        except KeyboardInterrupt:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _submit_next(pool: ProcessPoolExecutor, queue: Iterator[tuple[str, str, dict[str, object]]],
                 pending: dict[Future[str], str], template: str, execute: bool, html: bool) -> None:
    job = next(queue, None)
    if job is not None:
        label, output, params = job
        pending[pool.submit(execute_one, template, output, params, execute, html)] = label


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}"[:300]


def build_workbooks(roster: Path, out_dir: Path, *, store: AnswerStore, lang: str | None = None,
                    jobs: int = 2, execute: bool = True, force: bool = False, html: bool = False,
                    base_url: str = "http://127.0.0.1:8866", server_token: str | None = None,
                    progress: Callable[[int], None] | None = None) -> Summary:
    """The whole job; see the module docstring for the order that keeps it safe."""
    lang = resolve_lang(lang)
    entries = read_roster(roster)  # raises before anything is written
    if out_dir.exists() and not out_dir.is_dir():
        raise NetcourseError(f"{out_dir}: exists and is not a folder")
    removed = {item["participant_id"] for item in _load_manifest(out_dir)}
    planned = plan(entries, out_dir, lang)
    removed -= {p.profile.participant_id for p in planned}
    out_dir.mkdir(parents=True, exist_ok=True)
    write_manifest(out_dir, planned)
    store.add_participants([(p.profile, p.token) for p in planned])
    store.revoke_links(sorted(removed))  # no longer on the roster: their links stop working
    write_links(out_dir, planned, base_url, server_token)
    write_overview(out_dir, planned, base_url, server_token)

    summary = Summary(total=len(planned))
    todo = []
    for item in planned:
        target = out_dir / item.slug / WORKBOOK_NAME
        if target.exists() and not force and store.answers(item.profile.participant_id):
            summary.skipped.append(item.slug)
            continue
        target.parent.mkdir(exist_ok=True)
        params = {"participant": item.profile.participant_id, "lang": lang, "store": store.locator}
        todo.append((item.slug, str(target), params))

    def done(label: str, error: str | None) -> None:
        (summary.failed.append((label, error)) if error else summary.written.append(label))
        if progress:
            progress(1)

    try:
        run_jobs(todo, workers=max(1, jobs), execute=execute, html=html, on_done=done)
    except KeyboardInterrupt:
        summary.interrupted = True
    return summary
