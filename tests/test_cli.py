"""The real ``netcourse`` command in a subprocess: help, plugin list, one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from netcourse import __version__

COURSE = Path(__file__).resolve().parents[1] / "course"
BUILTINS = [
    ("module", "grundmerkmale"),
    ("exercise", "choice"), ("exercise", "freetext"), ("exercise", "rating"),
    ("exporter", "json"), ("exporter", "markdown"),
]


def one_line_error(done) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("netcourse: error: ")
    return lines[0]


@pytest.mark.parametrize("as_module", [False, True], ids=["script", "python-m"])
def test_help_lists_the_commands(run_cli, as_module: bool) -> None:
    done = run_cli("--help", as_module=as_module)
    assert done.returncode == 0, done.stderr
    assert "Usage: netcourse" in done.stdout
    commands = done.stdout.split("Commands:", 1)[1]
    for command in ("plugins", "present"):
        assert f"  {command} " in commands
    assert done.stderr == ""


def test_version(run_cli) -> None:
    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"netcourse, version {__version__}"


def test_plugins_lists_builtins_with_kind_name_distribution(run_cli) -> None:
    done = run_cli("plugins")
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[:-1]]
    for kind, name in BUILTINS:
        assert [kind, name, "netcourse", "ok"] in rows
    assert re.fullmatch(r"\d+ plugins, \d+ with errors", done.stdout.splitlines()[-1])


@pytest.mark.parametrize("as_module", [False, True], ids=["script", "python-m"])
def test_plugins_json(run_cli, as_module: bool) -> None:
    done = run_cli("plugins", "--json", as_module=as_module)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert isinstance(records, list) and records
    for rec in records:
        assert isinstance(rec, dict)
        assert {"kind", "name", "distribution", "error"} <= rec.keys()
    builtin = {(r["kind"], r["name"]) for r in records if r["distribution"] == "netcourse"}
    assert builtin >= set(BUILTINS)
    assert all(r["error"] is None for r in records if r["distribution"] == "netcourse")


def test_plugins_reports_broken_plugins_without_failing(run_cli, broken_dist_dir: Path) -> None:
    done = run_cli("plugins", pythonpath=broken_dist_dir)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    broken = {line.split()[1]: line for line in lines if " brokenplug " in line}
    assert set(broken) == {"grundmerkmale", "exploding", "misnamed", "malformed", "fakegood"}
    assert "RuntimeError: boom at import" in broken["exploding"]
    assert "ERROR: name clashes" in broken["grundmerkmale"]
    assert "ERROR: malformed" in broken["malformed"]
    assert broken["fakegood"].rstrip().endswith("ok")
    total, failed = map(int, re.fullmatch(r"(\d+) plugins, (\d+) with errors", lines[-1]).groups())
    assert failed >= 4 and total >= len(BUILTINS) + 5

    as_json = json.loads(run_cli("plugins", "--json", pythonpath=broken_dist_dir).stdout)
    errors = {r["name"] for r in as_json if r["distribution"] == "brokenplug" and r["error"]}
    assert errors == {"grundmerkmale", "exploding", "misnamed", "malformed"}


@pytest.mark.parametrize("as_module", [False, True], ids=["script", "python-m"])
def test_unknown_command_is_one_line(run_cli, as_module: bool) -> None:
    done = run_cli("frobnicate", as_module=as_module)
    line = one_line_error(done)
    assert "frobnicate" in line and "netcourse --help" in line
    assert done.returncode == 2


def test_unknown_option_names_the_subcommand(run_cli) -> None:
    line = one_line_error(run_cli("plugins", "--colour"))
    assert "--colour" in line and "netcourse plugins --help" in line


def test_present_help(run_cli) -> None:
    done = run_cli("present", "--help")
    assert done.returncode == 0, done.stderr
    for option in ("--trainer", "--host", "--port", "--lang", "--store", "--token", "--cull-idle"):
        assert option in done.stdout


def test_present_beyond_loopback_needs_a_token(run_cli, tmp_path: Path) -> None:
    done = run_cli("present", "--host", "0.0.0.0", "--course-dir", str(COURSE),
                   "--store", str(tmp_path / "s.sqlite"), timeout=30)
    line = one_line_error(done)
    assert "0.0.0.0" in line and "--token" in line
    assert done.stdout == ""  # Voila was never started


def test_present_rejects_a_bad_port_and_language(run_cli) -> None:
    assert "--port" in one_line_error(run_cli("present", "--port", "70000"))
    assert "--lang" in one_line_error(run_cli("present", "--lang", "fr"))


def test_present_without_a_course_folder_is_one_line(run_cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    line = one_line_error(run_cli("present", "--course-dir", str(missing), timeout=30))
    assert "nowhere" in line
