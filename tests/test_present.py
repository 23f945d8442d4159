"""The Voila command line and environment that ``netcourse present`` builds (served for real in tests/browser)."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

import pytest

from netcourse.core.errors import NetcourseError
from netcourse.pages.present import (
    MAX_RUNTIME_DIR,
    START_PAGE,
    PresentOptions,
    kernel_runtime_dir,
    voila_argv,
    voila_env,
)


def options(tmp_path: Path, **changes: object) -> PresentOptions:
    return PresentOptions(course_dir=tmp_path / "course", store=tmp_path / "answers.sqlite", **changes)


def test_safe_settings_on_the_command_line(tmp_path: Path) -> None:
    argv = voila_argv(options(tmp_path))
    for setting in ("--strip_sources=True", "--show_tracebacks=False", "--Voila.ip=127.0.0.1",
                    "--template=netcourse", "--MappingKernelManager.cull_connected=False"):
        assert setting in argv
    assert any(a.startswith("--MappingKernelManager.cull_idle_timeout=") for a in argv)
    if os.name == "posix":
        assert "--KernelManager.transport=ipc" in argv  # no TCP port race, no kernel port on the network


def test_beyond_loopback_needs_a_token(tmp_path: Path) -> None:
    with pytest.raises(NetcourseError, match="--token"):
        voila_argv(options(tmp_path, host="0.0.0.0"))
    assert "--token=s3cr3t-long-enough" in voila_argv(options(tmp_path, host="0.0.0.0", token="s3cr3t-long-enough"))


def test_preheated_pools(tmp_path: Path) -> None:
    """One preheated kernel per page by default; the start page (personal links) can have its own pool."""
    argv = voila_argv(options(tmp_path))
    assert "--preheat_kernel=True" in argv and "--pool_size=1" in argv
    assert not any(a.startswith("--VoilaKernelManager.kernel_pools_config") for a in argv)
    assert any(a.startswith("--VoilaExecutor.iopub_timeout=") for a in argv)  # late outputs under load are kept
    argv = voila_argv(options(tmp_path, start_pool=8, fill_delay=5))
    pools = next(a for a in argv if a.startswith("--VoilaKernelManager.kernel_pools_config="))
    assert json.loads(pools.split("=", 1)[1]) == {"default": {"pool_size": 1}, START_PAGE: {"pool_size": 8}}
    assert "--VoilaKernelManager.fill_delay=5" in argv
    assert "--preheat_kernel=True" not in voila_argv(options(tmp_path, pool_size=0))


def test_yaml_loads_alike_with_either_parser() -> None:
    import yaml

    from netcourse.core.yamlfile import safe_load

    text = "a: 1\nb: [x, 'y', 2.5]\nc: {d: null, e: true}\nf: |\n  zwei\n  Zeilen\n"
    assert safe_load(text) == yaml.load(text, Loader=yaml.SafeLoader)
    with pytest.raises(yaml.YAMLError):
        safe_load("a: !!python/object:os.system x")


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
def test_kernel_sockets_go_to_a_short_private_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    short_enough = "/run/user/1000/jupyter"  # Jupyter's own folder is kept
    assert kernel_runtime_dir(short_enough) == Path(short_enough)

    long = tmp_path / ("x" * MAX_RUNTIME_DIR)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    chosen = kernel_runtime_dir(str(long))
    assert chosen == tmp_path / f"netcourse-{os.getuid()}"
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o700

    chosen.chmod(0o755)  # someone opened it up: refuse rather than put sockets there
    with pytest.raises(NetcourseError, match="not a private folder"):
        kernel_runtime_dir(str(long))


def test_environment_names_store_language_and_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", "/run/user/1000/jupyter")
    monkeypatch.setenv("NETCOURSE_PARTICIPANT", "leaked-id")
    env = voila_env(options(tmp_path, lang="en"))
    assert env["NETCOURSE_STORE"] == str(tmp_path / "answers.sqlite")
    assert env["NETCOURSE_LANG"] == "en"
    assert "NETCOURSE_PARTICIPANT" not in env  # identity comes from each page's link only
    if os.name == "posix":
        assert env["JUPYTER_RUNTIME_DIR"] == "/run/user/1000/jupyter"


@pytest.mark.parametrize(("lang", "running", "stop"), [("de", "Kurs läuft unter", "Beenden mit Strg+C"),
                                                       ("en", "course running at", "Stop with Ctrl+C")])
def test_the_banner_follows_the_course_language(tmp_path: Path, lang: str, running: str, stop: str) -> None:
    from netcourse.pages.present import banner

    text = banner(options(tmp_path, lang=lang, trainer_key="k3y", run_title="Kurs Fulda"), 0)
    assert running in text and stop in text and "k3y" in text and "Kurs Fulda" in text
    other = "Stop with Ctrl+C" if lang == "de" else "Beenden mit Strg+C"
    assert other not in text
