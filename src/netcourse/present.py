"""``netcourse present``: serve the course notebooks with Voila and the kit's safe settings.

Loopback by default, sources stripped, no tracebacks, idle kernels culled (Voila otherwise keeps one
kernel per page load), the netcourse page template (German ``lang``, a main landmark, no CDN requests).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from netcourse.errors import NetcourseError
from netcourse.i18n import LANG_ENV, resolve_lang
from netcourse.identity import MODE_ENV
from netcourse.store import STORE_ENV, default_store_path

TEMPLATE = "netcourse"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def share_dir() -> Path:
    """The kit's ``share/jupyter`` folder, holding the Voila template."""
    return Path(str(resources.files("netcourse").joinpath("share/jupyter")))


def find_course_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The folder of course notebooks: explicit, else ``./course``, else the one beside the source tree."""
    candidates = [Path(explicit)] if explicit else [Path.cwd() / "course",
                                                      Path(__file__).resolve().parents[2] / "course"]
    for candidate in candidates:
        if (candidate / "01-grundmerkmale.ipynb").exists() or (explicit and candidate.is_dir()):
            return candidate.resolve()
    where = candidates[0]
    raise NetcourseError(f"{where}: no course folder found; run from the netcourse folder or pass --course-dir")


@dataclass
class PresentOptions:
    course_dir: Path
    host: str = "127.0.0.1"
    port: int = 8866
    trainer: bool = False
    lang: str = "de"
    store: Path = field(default_factory=default_store_path)
    open_browser: bool = False
    cull_idle_timeout: int = 120
    cull_interval: int = 30
    token: str | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


def voila_argv(opts: PresentOptions) -> list[str]:
    """The Voila command line for these options."""
    if opts.host not in LOOPBACK and not opts.token:
        raise NetcourseError(f"--host {opts.host}: serving beyond this computer needs --token")
    argv = [
        sys.executable, "-m", "voila", str(opts.course_dir),
        f"--port={opts.port}",
        f"--Voila.ip={opts.host}",
        f"--template={TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
        f"--VoilaExporter.language_code={resolve_lang(opts.lang)}",
        f"--MappingKernelManager.cull_idle_timeout={opts.cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={opts.cull_interval}",
        "--MappingKernelManager.cull_connected=False",
    ]
    argv.append("--Voila.open_browser=" + ("True" if opts.open_browser else "False"))
    if opts.token:
        argv.append(f"--token={opts.token}")
    return argv


def voila_env(opts: PresentOptions) -> dict[str, str]:
    """Environment for Voila and its kernels: template path, language, mode, store."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(share_dir()), env.get("JUPYTER_PATH")]))
    env[LANG_ENV] = resolve_lang(opts.lang)
    env[MODE_ENV] = "trainer" if opts.trainer else "participant"
    env[STORE_ENV] = str(opts.store)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def serve(opts: PresentOptions) -> None:
    """Replace this process with Voila (signals such as Ctrl-C go straight to it)."""
    argv = voila_argv(opts)
    env = voila_env(opts)
    print(f"netcourse: Kurs unter {opts.url} (Antworten in {opts.store})", flush=True)
    sys.stdout.flush()
    os.execve(sys.executable, argv, env)
