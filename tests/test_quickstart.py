"""The README's quick start as a newcomer runs it, and CI walking the same path.

- The README's quick-start block holds exactly two commands; ``.ci/run`` runs the second one (and the venv
  note's command) verbatim, in a fresh virtual environment.
- The first command serves the course: run as a subprocess on a free port, its trainer link returns the
  start page, and Ctrl-C (SIGINT to the foreground process group, as a terminal sends it) ends it cleanly
  with no kernel left behind.
- ``.ci/run`` without a reachable package index ends with one line that says so, not a wall of pip output.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.processes import HOST, alive, descendants, free_port, port_answers, read_page, wait_until

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
CI_RUN = REPO / ".ci" / "run"


def quickstart_commands() -> list[str]:
    """The lines of the first ``bash`` block under the README's quick-start heading."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Schnellstart", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block, "README: no ```bash block in the quick start"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def ci_variable(name: str) -> str:
    match = re.search(rf'^{name}="(.*)"$', CI_RUN.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f".ci/run: no {name}=... line"
    return match.group(1)


# README and CI agree ----------------------------------------------------------------------------
def test_quickstart_is_exactly_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2, commands
    assert "netcourse present" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command_verbatim() -> None:
    assert ci_variable("readme_test_command") == quickstart_commands()[1]
    script = CI_RUN.read_text(encoding="utf-8")
    assert 'install_command="${readme_test_command%% && *}"' in script
    assert 'eval "${install_command}"' in script and 'eval "${pytest_command}"' in script


def test_ci_creates_the_venv_the_readme_tells_users_to_create() -> None:
    venv_command = ci_variable("readme_venv_command")
    assert f"`{venv_command}`" in README.read_text(encoding="utf-8")
    script = CI_RUN.read_text(encoding="utf-8")
    assert script.index('eval "${readme_venv_command}"') < script.index('eval "${install_command}"')
    assert os.access(CI_RUN, os.X_OK)


def test_ci_without_a_package_index_says_so_in_one_line(tmp_path: Path) -> None:
    """A checkout's .ci/run with pip pointed at a closed port: exit 2 and one line naming the cause."""
    assert Path("/usr/bin/chromium").exists(), "the CI test needs Debian's chromium: apt-get install -y chromium"
    checkout = tmp_path / "checkout"
    (checkout / ".ci").mkdir(parents=True)
    shutil.copy2(CI_RUN, checkout / ".ci" / "run")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, checkout / name)
    (checkout / "src" / "netcourse").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL=f"http://{HOST}:{free_port()}/simple",
               PIP_RETRIES="0", PIP_TIMEOUT="3", PIP_DISABLE_PIP_VERSION_CHECK="1")
    proc = subprocess.run([str(checkout / ".ci" / "run")], cwd=checkout, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    assert errors[-1].startswith(".ci/run: pip could not reach the package index"), proc.stderr[-2000:]
    assert len(errors) == 1, f"more than one line on stderr: {errors}"
    assert "Successfully installed" not in proc.stdout
    assert (checkout / ".venv" / "bin" / "python").exists()  # the venv was created before pip ran


# the first command ------------------------------------------------------------------------------
def test_first_command_serves_the_course_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    serve = quickstart_commands()[0].split(" && ")[-1]
    argv = shlex.split(serve)
    assert argv[:2] == ["netcourse", "present"], serve
    script = Path(sys.executable).with_name("netcourse")
    assert script.exists(), f"{script}: the console script is missing: pip install -e ."
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NETCOURSE_", "JUPYTER_", "VOILA_"))}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               PYTHONUNBUFFERED="1")
    log = tmp_path / "present.log"
    with log.open("wb") as out:  # from the repository root, as the README says; its own process group
        process = subprocess.Popen([str(script), *argv[1:], "--port", str(port)], cwd=REPO, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    kernels: set[int] = set()
    try:
        # the banner first (a port taken by another program on a busy machine must not count as ours)
        assert wait_until(lambda: process.poll() is not None or ("Strg+C" in log.read_text(errors="replace")
                                                                 and port_answers(port)), 60), log.read_text()[-3000:]
        assert process.poll() is None, log.read_text()[-3000:]
        banner = log.read_text(encoding="utf-8")
        match = re.search(r"Trainer-Ansicht \(nicht weitergeben\): (\S+)", banner)
        assert match, banner[-3000:]
        assert match.group(1).startswith(f"http://{HOST}:{port}/")
        store = re.search(r"Antworten: (.+)", banner)
        assert store and Path(store.group(1)).is_relative_to(tmp_path / "data"), banner  # the per-user data folder
        page = read_page(match.group(1), time.monotonic() + 60, timeout=60)
        assert '<html lang="de"' in page
        assert "Netzwerke erkennen lernen" in page
        kernels = {pid for pid in descendants(process.pid) if alive(pid)}
        assert kernels, "no kernel ran for the page"
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal
        returncode = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for pid in kernels:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    output = log.read_text(encoding="utf-8", errors="replace")
    assert returncode == 0, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    left = {pid for pid in kernels if alive(pid)}
    assert not left, f"kernels left after Ctrl-C: {left}"
