"""The Voila command line and environment that ``netcourse present`` builds (served for real in tests/browser)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from netcourse.core.errors import NetcourseError
from netcourse.pages.present import MAX_RUNTIME_DIR, PresentOptions, kernel_runtime_dir, voila_argv, voila_env


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
