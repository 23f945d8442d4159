"""Binder (repo2docker) without Docker: the files in ``binder/`` are right, resolve, and do their job.

- ``requirements.txt`` pins the same packages as ``pyproject.toml`` and resolves on PyPI (``pip install
  --dry-run --report``; skipped without a connection to PyPI).
- ``postBuild`` is executable, installs the package and, run in a throwaway venv, leaves Voila configured
  so that the badge's ``voila/render/...`` page is served with the netcourse template.
- ``repo2docker --no-build --debug`` accepts the repository (repo2docker is a test extra).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from tests.processes import free_port, read_page, run_checked
from tests.venvs import make_layered_venv

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
TIMEOUT = 300


def pypi_reachable(timeout: float = 3.0) -> bool:
    if os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy"):
        return True
    url = urlparse(os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple"))
    try:
        with socket.create_connection((url.hostname or "pypi.org", url.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


needs_pypi = pytest.mark.skipif(not pypi_reachable(), reason="no network connection to PyPI (pypi.org:443)")


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return run_checked(cmd, timeout=TIMEOUT, **kwargs)


def pinned_requirements() -> dict[str, Requirement]:
    lines = (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
    reqs = [Requirement(line.split("#")[0].strip()) for line in lines if line.split("#")[0].strip()]
    return {canonicalize_name(r.name): r for r in reqs}


def package_dependencies() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(dep) for dep in project["dependencies"]]
    return {canonicalize_name(r.name): r for r in reqs}


def pinned_version(req: Requirement) -> str:
    (spec,) = req.specifier
    assert spec.operator == "==", f"{req}: pin an exact version for a reproducible Binder"
    return spec.version


# static checks ------------------------------------------------------------------------------------
def test_runtime_is_python_311() -> None:
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"


def test_requirements_pin_exactly_the_package_dependencies() -> None:
    pinned, needed = pinned_requirements(), package_dependencies()
    assert sorted(pinned) == sorted(needed), "binder/requirements.txt and pyproject.toml list other packages"
    for name, req in needed.items():
        version = pinned_version(pinned[name])
        assert req.specifier.contains(version, prereleases=True), f"{name}=={version} violates {req}"


def test_postbuild_is_an_executable_strict_bash_script_that_installs_the_package() -> None:
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable (chmod +x)"
    text = post_build.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in text
    assert re.search(r"^python -m pip install .*\s\.$", text, re.MULTILINE), "postBuild must pip install ."
    run(["bash", "-n", str(post_build)])
    config = json.loads((BINDER / "netcourse-voila.json").read_text(encoding="utf-8"))
    assert config["VoilaConfiguration"]["template"] == "netcourse"
    assert config["VoilaConfiguration"]["strip_sources"] is True
    assert config["VoilaConfiguration"]["show_tracebacks"] is False


def binder_badge_target() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((https://mybinder\.org/v2/gh/[^)\s]+)\)", readme)
    assert links, "README.md has no Binder badge (https://mybinder.org/v2/gh/...)"
    assert "https://mybinder.org/badge_logo.svg" in readme
    (urlpath,) = {unquote(parse_qs(urlparse(link).query)["urlpath"][0]) for link in links}
    return urlpath


def test_readme_binder_badge_opens_a_course_page_with_voila() -> None:
    urlpath = binder_badge_target()
    assert urlpath.startswith("voila/render/"), urlpath
    notebook = REPO / urlpath.removeprefix("voila/render/")
    assert notebook.suffix == ".ipynb" and notebook.is_file(), f"badge points to a missing page: {urlpath}"


# against PyPI -------------------------------------------------------------------------------------
@pytest.mark.slow
@needs_pypi
def test_requirements_resolve_from_scratch(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--disable-pip-version-check", "--report", str(report), "-r", str(BINDER / "requirements.txt")])
    resolved = {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
                for item in json.loads(report.read_text())["install"]}
    for name, req in pinned_requirements().items():
        assert resolved.get(name) == pinned_version(req), f"{name}: resolved {resolved.get(name)} for {req}"


# postBuild for real, in a throwaway venv ----------------------------------------------------------

@pytest.fixture(scope="module")
def binder_env(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """A copy of the repository and a venv in which ``binder/postBuild`` ran, as repo2docker would run it."""
    if not pypi_reachable():
        pytest.skip("postBuild builds netcourse with pip's build isolation, which needs PyPI")
    root = tmp_path_factory.mktemp("binder")
    repo = root / "repo"
    ignore = shutil.ignore_patterns("*.egg-info", "__pycache__", "build", ".ipynb_checkpoints")
    for name in ("src", "binder", "course", "exercises"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, repo / name, ignore=ignore, symlinks=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, repo / name)
    venv = root / "venv"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NETCOURSE_", "JUPYTER_")) and k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_INPUT="1", PYTHONNOUSERSITE="1", JUPYTER_PLATFORM_DIRS="1",
               JUPYTER_CONFIG_DIR=str(root / "jupyter-config"), JUPYTER_DATA_DIR=str(root / "jupyter-data"),
               XDG_DATA_HOME=str(root / "xdg-data"), NETCOURSE_STORE=str(root / "answers.sqlite"),
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    make_layered_venv(venv, env)
    proc = run(["./binder/postBuild"], cwd=repo, env=env)
    return SimpleNamespace(root=root, repo=repo, venv=venv, env=env, log=proc.stdout + proc.stderr)


@pytest.mark.slow
def test_postbuild_installs_the_package_and_configures_voila(binder_env: SimpleNamespace) -> None:
    python = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = binder_env.venv / "lib" / python / "site-packages"
    assert list(site.glob("netcourse-*.dist-info")), f"netcourse not installed in the venv:\n{binder_env.log}"
    assert (site / "netcourse" / "modules" / "grundmerkmale" / "de.yaml").is_file()
    template = binder_env.venv / "share" / "jupyter" / "voila" / "templates" / "netcourse"
    assert (template / "index.html.j2").is_file() and (template / "conf.json").is_file()
    config = json.loads((binder_env.venv / "etc" / "jupyter" / "jupyter_server_config.json").read_text())
    assert config["VoilaConfiguration"]["template"] == "netcourse"
    assert config["VoilaExporter"]["language_code"] == "de"



@pytest.mark.slow
def test_badge_page_renders_with_the_netcourse_template(binder_env: SimpleNamespace) -> None:
    """The Binder URL path, served by Jupyter Server with the Voila extension, as a Binder session does."""
    port = free_port()
    # On Binder, Voila, nbconvert and netcourse share one environment. Here the venv is a layer over this
    # one: show Jupyter this environment's data files (Voila's base templates) and switch Voila's server
    # extension on by flag. The netcourse template itself can only come from what postBuild did in the venv.
    env = dict(binder_env.env, JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"))
    cmd = [str(binder_env.venv / "bin" / "python"), "-m", "jupyter_server", "--no-browser",
           f"--port={port}", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
           "--ServerApp.jpserver_extensions={'voila': True}", f"--ServerApp.root_dir={binder_env.repo}",
           "--ServerApp.allow_root=True",  # CI runs as root; Binder does not
           # should this test be killed before it stops the server, the server stops itself
           "--MappingKernelManager.cull_idle_timeout=60", "--MappingKernelManager.cull_interval=15",
           "--ServerApp.shutdown_no_activity_timeout=120"]
    log = binder_env.root / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(cmd, cwd=binder_env.repo, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    url = f"http://127.0.0.1:{port}/{binder_badge_target()}"
    deadline, page, error = time.monotonic() + 60, "", None
    try:
        while time.monotonic() < deadline and not page and server.poll() is None:
            try:
                page = read_page(url, deadline)
            except (ConnectionRefusedError, urllib.error.URLError) as exc:
                error = exc
                if not isinstance(getattr(exc, "reason", exc), ConnectionRefusedError):
                    break  # an HTTP error or anything but "not listening yet": no second try
                time.sleep(0.3)
            except OSError as exc:  # timeouts: no second try
                error = exc
                break
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()
    assert page, f"{url} not served: {error!r}\n{log.read_text()[-3000:]}"
    assert '<html lang="de"' in page
    assert 'id="nc-main"' in page  # the netcourse template, not Voila's default
    assert "Netzwerke erkennen lernen" in page  # the badge opens the course start page
    assert "StartPage(" not in page and "lesson.header()" not in page  # sources stripped
    assert not re.findall(r'(?:src|href)="https?://[^"]*"', page)  # no stylesheet or script from a CDN


# repo2docker --------------------------------------------------------------------------------------
def test_repo2docker_accepts_the_repository() -> None:
    """repo2docker (a test extra) reads binder/ and writes its Dockerfile; building it needs Docker."""
    command = shutil.which("jupyter-repo2docker") or shutil.which("repo2docker")
    assert command, "jupyter-repo2docker is missing: pip install -e '.[test]'"
    proc = run([command, "--no-build", "--debug", str(REPO)])
    dockerfile = proc.stdout + proc.stderr
    assert "python=3.11" in dockerfile
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "./binder/postBuild" in dockerfile
