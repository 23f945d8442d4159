"""``netcourse-singleuser``: a participant's (or the trainer's) single-user server on JupyterHub.

The hub's spawner starts this instead of ``jupyterhub-singleuser``; it sets the page environment from the
hub user's name (``<run>--<participant>``, set by the spawner as ``$JUPYTERHUB_USER``, which the user
cannot change) and replaces itself with ``jupyterhub-singleuser`` serving the course with Voila's server
extension and the netcourse template. The store comes from the hub (``$NETCOURSE_STORE``, password by
``$PGPASSWORD`` or ``~/.pgpass``), the run from the user name.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from netcourse.core.errors import NetcourseError
from netcourse.core.identity import MODE_ENV, PARTICIPANT_ENV
from netcourse.core.store import RUN_ENV, STORE_ENV
from netcourse.hub.access import parse_user
from netcourse.pages.present import TEMPLATE, page_server_env, page_server_options
from netcourse.pages.session import ACCESS_ENV, TRAINER_ENV

VOILA_ARGS = [
    f"--VoilaConfiguration.template={TEMPLATE}",
    "--VoilaConfiguration.strip_sources=True",
    "--VoilaConfiguration.show_tracebacks=False",
    "--VoilaConfiguration.theme=light",
]


def server_env(environ: dict[str, str]) -> dict[str, str]:
    """The environment of the server and its page kernels for the hub user in ``environ``."""
    who = parse_user(environ.get("JUPYTERHUB_USER", ""))
    if not environ.get(STORE_ENV):
        raise NetcourseError(f"${STORE_ENV} is not set: the hub passes the store (c.Spawner.environment)")
    env = dict(environ)
    env[RUN_ENV] = who.run
    env[PARTICIPANT_ENV] = who.participant_id
    env[MODE_ENV] = "trainer" if who.is_trainer else "participant"
    env[ACCESS_ENV] = "hub"  # identity from this environment, never from a page's query string
    env.pop(TRAINER_ENV, None)
    return page_server_env(env)


def server_argv(args: list[str]) -> list[str]:
    """``jupyterhub-singleuser`` (beside this Python, else on PATH) with the spawner's and Voila's options."""
    local = Path(sys.executable).with_name("jupyterhub-singleuser")
    program = str(local) if local.exists() else (shutil.which("jupyterhub-singleuser") or "jupyterhub-singleuser")
    argv = [program, *args, *VOILA_ARGS, *page_server_options()]
    if os.name == "posix" and os.geteuid() == 0 and "--allow-root" not in argv:
        argv.append("--allow-root")
    return argv


def main() -> None:
    try:
        env = server_env(dict(os.environ))
    except NetcourseError as exc:
        print(f"netcourse-singleuser: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    argv = server_argv(sys.argv[1:])
    os.execve(argv[0], argv, env) if os.path.isabs(argv[0]) else os.execvpe(argv[0], argv, env)


if __name__ == "__main__":  # pragma: no cover
    main()
