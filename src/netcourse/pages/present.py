"""``netcourse present``: serve the course notebooks with Voila and the kit's safe settings.

Loopback by default, sources stripped, no tracebacks, idle kernels culled (Voila otherwise keeps one
kernel per page load), the netcourse page template (German ``lang``, a main landmark, no CDN requests).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_core.paths import jupyter_runtime_dir

from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import LANG_ENV, resolve_lang
from netcourse.core.participants import TRAIT_LABELS, Profile, new_token, token_hash
from netcourse.core.paths import sample_roster_path, share_dir
from netcourse.core.store import STORE_ENV, AnswerStore, ServerLocation, default_store_path
from netcourse.pages.session import ACCESS_ENV, TRAINER_ENV

TEMPLATE = "netcourse"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_RUNTIME_DIR = 56  # bytes; AF_UNIX paths hold 107, the kernel's socket name adds up to 51
# ``python -m voila``, minus the warning traitlets gives for the dict in --Voila.tornado_settings=… (there is no
# other command-line form for a nested dict; importing voila re-enables traitlets' deprecation warnings).
VOILA_MAIN = ("import sys, warnings; from voila.app import main; "
              "warnings.filterwarnings('ignore', '--(tornado_settings|kernel_pools_config)=', DeprecationWarning); "
              "sys.exit(main())")
START_PAGE = "00-start.ipynb"  # the page every personal link opens
# Voila waits this long after a cell finished for its outputs (nbclient's default: 4 s), then drops the rest:
# under a burst of page opens a starved kernel's outputs come late, and the page would show text without
# widgets. Waiting longer costs nothing when outputs come in time.
IOPUB_TIMEOUT_S = 20


def voila_data_dirs() -> list[str]:
    """``share/jupyter`` folders holding Voila's own templates: our template extends
    ``voila/templates/lab``, which a virtual environment does not see on its own."""
    candidates = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)}
    import voila

    candidates.add(Path(voila.__file__).resolve().parents[4])  # <prefix>/lib/pythonX.Y/site-packages/voila/__init__.py
    return sorted(str(p / "share" / "jupyter") for p in candidates
                  if (p / "share" / "jupyter" / "voila" / "templates" / "lab").is_dir())


@dataclass
class PresentOptions:
    course_dir: Path | None  # the served folder; None until build_site made it
    host: str = "127.0.0.1"
    port: int = 8866
    trainer: bool = False
    lang: str = "de"
    store: Path | ServerLocation = field(default_factory=default_store_path)
    open_browser: bool = False
    cull_idle_timeout: int = 120
    cull_interval: int = 30
    token: str | None = None
    pool_size: int = 1
    start_pool: int | None = None  # preheated kernels for START_PAGE (default: pool_size)
    fill_delay: float = 1.0  # seconds before Voila refills a pool after a visitor took a kernel
    access: str = "personal"  # "personal": personal links required; "open": one local self-learner
    trainer_key: str | None = None
    links_file: Path | None = None
    locator: str | None = None  # how kernels open the store and run (default: ``store``, the default run)
    run_title: str = ""

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def page_url(self, notebook: str = START_PAGE, query: str = "") -> str:
        if self.token:  # Voila's own access token must travel with every link beyond loopback
            query = f"{query}&token={self.token}" if query else f"token={self.token}"
        return f"{self.url}voila/render/{notebook}" + (f"?{query}" if query else "")


def voila_argv(opts: PresentOptions) -> list[str]:
    """The Voila command line for these options."""
    if opts.host not in LOOPBACK and not opts.token:
        raise NetcourseError(f"--host {opts.host}: serving beyond this computer needs --token")
    argv = [
        sys.executable, "-c", VOILA_MAIN, str(opts.course_dir),
        f"--port={opts.port}",
        f"--Voila.ip={opts.host}",
        f"--template={TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
        f"--VoilaExporter.language_code={resolve_lang(opts.lang)}",
        f"--MappingKernelManager.cull_idle_timeout={opts.cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={opts.cull_interval}",
        *page_server_options(),
        "--Voila.tornado_settings=" + json.dumps({"jinja_template_vars": {"netcourse_lang": resolve_lang(opts.lang)}}),
    ]
    argv.append("--Voila.open_browser=" + ("True" if opts.open_browser else "False"))
    argv += pool_argv(opts)
    if opts.token:
        argv.append(f"--token={opts.token}")
    return argv


def pool_argv(opts: PresentOptions) -> list[str]:
    """Voila's preheated kernels: ``pool_size`` per page, ``start_pool`` for the start page (the page that
    personal links open, often all at once when a session begins), refilled ``fill_delay`` seconds after a
    visitor took one."""
    start = opts.pool_size if opts.start_pool is None else opts.start_pool
    if opts.pool_size <= 0 and start <= 0:
        return []
    argv = ["--preheat_kernel=True", f"--pool_size={opts.pool_size}",
            f"--VoilaKernelManager.fill_delay={opts.fill_delay:g}"]
    if start != opts.pool_size:
        pools = {"default": {"pool_size": opts.pool_size}, START_PAGE: {"pool_size": start}}
        argv.append("--VoilaKernelManager.kernel_pools_config=" + json.dumps(pools))
    return argv


def voila_env(opts: PresentOptions) -> dict[str, str]:
    """Environment for Voila and its kernels: template path, language, mode, store."""
    env = dict(os.environ)
    env[LANG_ENV] = resolve_lang(opts.lang)
    env[STORE_ENV] = opts.locator or str(opts.store)
    env.pop("NETCOURSE_RUN", None)  # the run travels in the locator
    env[ACCESS_ENV] = opts.access
    env.pop(TRAINER_ENV, None)
    env.pop("NETCOURSE_PARTICIPANT", None)  # identity comes from each page's link, never from the server
    env.pop("NETCOURSE_MODE", None)
    if opts.trainer_key:
        env[TRAINER_ENV] = token_hash(opts.trainer_key)
    return page_server_env(env)


def page_server_options() -> list[str]:
    """Options of every server of the course pages: ``present``'s Voila and a hub's single-user server."""
    options = [
        "--MappingKernelManager.cull_connected=False",
        # Voila's own pages ("/" lists the notebooks, error pages) use the template's page.html/tree.html:
        # page language, a main landmark, no CDN request.
        "--VoilaConfiguration.classic_tree=True",
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_S}",  # late outputs under load are kept
    ]
    if os.name == "posix":
        # Kernels talk to Voila over Unix sockets in a private folder: no TCP port race between a port
        # jupyter_client picked and a browser connection taking it (a kernel then dies at start and its
        # page never renders), and no kernel port other local users could reach.
        options.append("--KernelManager.transport=ipc")
    return options


def page_server_env(env: dict[str, str]) -> dict[str, str]:
    """``env`` (changed and returned) with what every server of the course pages needs: the template path,
    and private runtime and IPython folders for its page kernels."""
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(share_dir()), *voila_data_dirs(),
                                                        env.get("JUPYTER_PATH")]))
    if os.name == "posix":
        env["JUPYTER_RUNTIME_DIR"] = str(kernel_runtime_dir(env.get("JUPYTER_RUNTIME_DIR")))
    env["IPYTHONDIR"] = str(kernel_profile_dir(Path(env.get("JUPYTER_RUNTIME_DIR") or jupyter_runtime_dir())))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


KERNEL_CONFIG = {
    # Voila's preheated kernels wait inside an execute request for their page's visitor; when Voila stops
    # (Ctrl-C), each logs "Exception in message handler" with a traceback on the trainer's terminal. Page
    # errors reach Voila's own log; the kernels' log shows only what is critical.
    "IPKernelApp": {"log_level": "CRITICAL"},
    # Page kernels run the course's code only: no input history file in the trainer's home folder.
    "HistoryManager": {"enabled": False},
}


def kernel_profile_dir(runtime: Path) -> Path:
    """A private IPython folder for the page kernels (``IPYTHONDIR``) holding :data:`KERNEL_CONFIG`."""
    ipython_dir = runtime / "netcourse-ipython"
    profile = ipython_dir / "profile_default"
    profile.mkdir(mode=0o700, parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.json").write_text(json.dumps(KERNEL_CONFIG, indent=2), encoding="utf-8")
    return ipython_dir


def kernel_runtime_dir(configured: str | None = None) -> Path:
    """Where kernels put their connection files and IPC sockets: Jupyter's runtime folder, unless its path
    is too long for a Unix socket (``<dir>/kernel-<uuid>-ipc-<n>`` must stay under 108 bytes); then a
    private ``netcourse-<uid>`` folder in the temporary directory."""
    runtime = Path(configured or jupyter_runtime_dir())
    if len(os.fsencode(runtime)) <= MAX_RUNTIME_DIR:
        return runtime
    short = Path(tempfile.gettempdir()) / f"netcourse-{os.getuid()}"
    short.mkdir(mode=0o700, exist_ok=True)
    info = short.lstat()
    if short.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise NetcourseError(f"{short}: not a private folder of this user; remove it or set JUPYTER_RUNTIME_DIR "
                             "to a short path")
    return short


def check_not_served(course_dir: Path, *private: Path | ServerLocation | None) -> None:
    """Refuse to start when the store, the roster folder or links would lie inside the served folder."""
    served = course_dir.resolve()
    for path in private:
        if isinstance(path, ServerLocation):  # a database server: nothing on this disk to serve
            continue
        if path is not None and (path.resolve() == served or served in path.resolve().parents):
            raise NetcourseError(f"{path}: lies inside the served folder {served}; keep it elsewhere")


def prepare_demo(store: AnswerStore, out: Path, base_url: str, server_token: str | None = None) -> Path:
    """Register the bundled sample roster (fictional people) with fresh link tokens; write their links."""
    from netcourse.core.roster import assign_groups, read_roster
    from netcourse.outputs.workbooks.batch import personal_link, write_links_rows

    entries = read_roster(sample_roster_path())
    pairs = [(Profile(f"demo-{i:02d}", e.name, e.municipality, g, "", "de"), new_token())
             for i, (e, g) in enumerate(zip(entries, assign_groups(entries), strict=True), start=1)]
    store.add_participants(pairs)
    rows = [(p.name, p.municipality, TRAIT_LABELS[p.group], personal_link(base_url, token, server_token))
            for p, token in pairs]
    return write_links_rows(out, rows)


def sample_links(links_file: Path, per_group: int = 1) -> list[tuple[str, str, str]]:
    """(name, group, link) of the first participant(s) of every group in a links file, for the banner."""
    from netcourse.outputs.workbooks.batch import read_links_rows

    seen: dict[str, int] = {}
    picked = []
    for name, _municipality, group, link in read_links_rows(links_file):
        if seen.get(group, 0) < per_group:
            seen[group] = seen.get(group, 0) + 1
            picked.append((name, group, link))
    return picked


def live_board_page() -> str | None:
    """The page of the first activity (in course order) whose ``roles.board`` is true, if any module has one."""
    from netcourse.exercises.registry import role_activities

    boards = role_activities("board")
    return Path(boards[0][0].notebook).name if boards else None


def banner(opts: PresentOptions, participants: int) -> str:
    """What the trainer reads in the terminal, in the course language (``--lang``)."""
    from netcourse.core.i18n import ui

    lang = resolve_lang(opts.lang)
    t = lambda key, **values: ui(lang, key, **values)  # noqa: E731
    lines = [t("present_running", url=opts.page_url())]
    if opts.run_title:
        lines.append("  " + t("present_run", title=opts.run_title))
    if opts.trainer_key:
        lines.append("  " + t("present_trainer", url=opts.page_url(query="trainer=" + opts.trainer_key)))
        board = live_board_page()
        if board:
            lines.append("  " + t("present_board", url=opts.page_url(board, "trainer=" + opts.trainer_key)))
    if opts.access == "personal":
        lines.append("  " + (t("present_links_in", count=participants, path=opts.links_file) if opts.links_file
                             else t("present_links", count=participants)))
        if opts.links_file and opts.links_file.name == "demo-links.csv" and opts.links_file.exists():
            for name, group, link in sample_links(opts.links_file):
                lines.append("    " + t("present_example", group=group, name=name, link=link))
    else:
        lines.append("  " + t("present_selfstudy"))
    lines.extend(f"  {line}" for line in agenda_warning(opts.lang))
    lines.append("  " + t("present_answers", store=opts.store))
    lines.append("  " + t("present_stop"))
    return "\n".join(lines)


def agenda_warning(lang: str | None) -> list[str]:
    """A line for the trainer when the installed modules and agenda items exceed the planned length."""
    from netcourse.core.i18n import ui
    from netcourse.exercises.registry import course_agenda

    agenda = course_agenda(lang)
    if not agenda.over:
        return []
    return [ui(resolve_lang(lang), "agenda_over", total=agenda.total, planned=agenda.planned, over=agenda.over)]


def serve(opts: PresentOptions) -> None:
    """Replace this process with Voila (signals such as Ctrl-C go straight to it)."""
    argv = voila_argv(opts)
    env = voila_env(opts)
    participants = len(AnswerStore(opts.locator or opts.store).profiles()) if opts.access == "personal" else 0
    print(banner(opts, participants), flush=True)
    sys.stdout.flush()
    os.execve(sys.executable, argv, env)
