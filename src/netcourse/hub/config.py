"""A ``jupyterhub_config.py`` for netcourse: Voila single-user servers, personal-link login, culling.

:func:`hub_settings` gives the settings as ``{class: {trait: value}}``; :func:`render_config` writes them as a
plain config file an administrator can read and change. Nothing here imports JupyterHub.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from pprint import pformat

from netcourse.core.atomic import atomic_write
from netcourse.core.errors import NetcourseError
from netcourse.core.store import STORE_ENV, AnswerStore
from netcourse.core.store.model import ServerLocation
from netcourse.pages.present import START_PAGE

CULLER = "jupyterhub-idle-culler-service"
# JupyterHub's default env_keep plus what libpq reads for the store's password
ENV_KEEP = ["PATH", "PYTHONPATH", "CONDA_ROOT", "CONDA_DEFAULT_ENV", "VIRTUAL_ENV", "LANG", "LC_ALL",
            "JUPYTERHUB_SINGLEUSER_APP", "PGPASSWORD", "PGPASSFILE"]


@dataclass
class HubOptions:
    store: str  # answer store locator, as given (a password in it is never written to the file)
    site_dir: Path  # the course pages the servers show (``netcourse hub config`` builds them)
    lang: str = "de"
    local: bool = False  # all on loopback, SimpleLocalProcessSpawner, state in ``state_dir``
    state_dir: Path = field(default_factory=Path.cwd)  # hub database, cookie secret, proxy pid file
    ip: str = "127.0.0.1"
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    db_url: str = ""  # the hub's own database (default: SQLite in state_dir); e.g. postgresql+psycopg://…/jhub
    cull_timeout: int = 600  # seconds without activity before a server is stopped
    kernel_cull_timeout: int = 120  # seconds before a closed page's kernel is shut down
    python: str = field(default_factory=lambda: sys.executable)

    @property
    def url(self) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"http://{host}:{self.port}"


def store_locator(store: str) -> tuple[str, str | None]:
    """The locator to write (never a password) and the password to pass by ``$PGPASSWORD`` (or None)."""
    answers = AnswerStore(store)
    if not isinstance(answers.path, ServerLocation):
        return str(answers.path), None
    return answers.path.bare, answers.url.password


def check_store(store: str) -> None:
    """Reach the store once: an unreachable database is one line naming host and database (no password)."""
    AnswerStore(store).schema_version  # noqa: B018 - opens the store


def hub_settings(opts: HubOptions) -> dict[str, dict[str, object]]:
    locator, _password = store_locator(opts.store)
    bindir = Path(opts.python).parent
    singleuser = bindir / "netcourse-singleuser"
    settings: dict[str, dict[str, object]] = {
        "JupyterHub": {
            "authenticator_class": "netcourse",
            "services": [{"name": CULLER, "command": [
                opts.python, "-m", "jupyterhub_idle_culler", f"--timeout={opts.cull_timeout}"]}],
            "load_roles": [{"name": "jupyterhub-idle-culler-role", "services": [CULLER],
                            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}],
        },
        "NetcourseAuthenticator": {"store": locator, "lang": opts.lang},
        "Spawner": {
            "cmd": [str(singleuser) if singleuser.exists() else "netcourse-singleuser"],
            "notebook_dir": str(Path(opts.site_dir).absolute()),
            "default_url": f"/voila/render/{START_PAGE}",
            "environment": {STORE_ENV: locator, "NETCOURSE_LANG": opts.lang},
            "env_keep": ENV_KEEP,
            "args": [f"--MappingKernelManager.cull_idle_timeout={opts.kernel_cull_timeout}",
                     f"--MappingKernelManager.cull_interval={max(5, opts.kernel_cull_timeout // 4)}"],
        },
    }
    if opts.db_url:
        settings["JupyterHub"]["db_url"] = opts.db_url
    if opts.local:
        state = Path(opts.state_dir).absolute()
        settings["JupyterHub"].update({
            "bind_url": opts.url,
            "hub_bind_url": f"http://127.0.0.1:{opts.hub_port}",
            "spawner_class": "simple",  # every server runs as the hub's own OS user: one machine, no isolation
            "cookie_secret_file": str(state / "jupyterhub_cookie_secret"),
            "pid_file": str(state / "jupyterhub.pid"),
        })
        settings["JupyterHub"].setdefault("db_url", f"sqlite:///{state / 'jupyterhub.sqlite'}")
        settings["ConfigurableHTTPProxy"] = {"api_url": f"http://127.0.0.1:{opts.proxy_api_port}",
                                             "pid_file": str(state / "jupyterhub-proxy.pid")}
        settings["SimpleLocalProcessSpawner"] = {"home_dir_template": str(state / "home" / "{username}")}
    return settings


HEADER = '''"""JupyterHub configuration for a netcourse course, written by `netcourse hub config`.

Participants and the trainer log in by their personal hub links (`netcourse hub links --run RUN`); each gets
a Voila single-user server on the course pages; idle servers are stopped by jupyterhub-idle-culler.
The store's password is not in this file: give it to the hub as PGPASSWORD (or ~/.pgpass).
"""

c = get_config()  # noqa: F821 - provided by JupyterHub
'''


def render_config(opts: HubOptions) -> str:
    """The settings as a ``jupyterhub_config.py`` text."""
    lines = [HEADER]
    for cls, traits in hub_settings(opts).items():
        for trait, value in traits.items():
            text = pformat(value, width=100, sort_dicts=False)
            lines.append(f"c.{cls}.{trait} = {text}")
    return "\n".join(lines) + "\n"


def write_config(opts: HubOptions, path: Path) -> Path:
    if path.is_dir():
        raise NetcourseError(f"{path} is a folder; give the file to write, e.g. {path / 'jupyterhub_config.py'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, render_config(opts))
    return path
