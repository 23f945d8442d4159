"""``netcourse check``: the content check for module authors, run as the command an author runs.

The built-in modules and the example plugin pass; each broken fixture module under tests/fixtures/modules fails
with one line per problem, ``module: file: key: problem``, and exit status 1. A broken module is skipped at
start with a line naming it, while the other modules still load.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netcourse.core.course import CourseModule
from netcourse.core.errors import PluginError
from netcourse.core.plugins import BUILTIN_DISTRIBUTION
from netcourse.exercises.registry import course_modules, modules
from netcourse.outputs.check import check_module_dir

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "modules"
EXAMPLE = ROOT / "examples" / "netcourse-lernraum" / "src" / "netcourse_lernraum"
BUILT_IN = [r.name for r in modules.records() if r.distribution == BUILTIN_DISTRIBUTION]


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netcourse.cli.check_main", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def problem_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stdout.splitlines() if ": warning: " not in line]


def test_the_built_in_modules_pass() -> None:
    done = run_check(*BUILT_IN)
    assert done.returncode == 0, done.stdout + done.stderr
    assert problem_lines(done) == []


def test_every_installed_module_passes_by_default() -> None:
    done = run_check()
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_example_plugin_passes() -> None:
    done = run_check(str(EXAMPLE))
    assert done.returncode == 0, done.stdout + done.stderr
    assert problem_lines(done) == []


def test_a_valid_fixture_passes_but_warns_that_the_agenda_is_over_length() -> None:
    done = run_check(str(FIXTURES / "valid_module"))
    assert done.returncode == 0, done.stdout + done.stderr
    [warning] = done.stdout.splitlines()
    assert warning.startswith("valid-module: module.yaml: minutes: warning: the course agenda")
    assert run_check("--strict", str(FIXTURES / "valid_module")).returncode == 1


@pytest.mark.parametrize(("fixture", "expected"), [
    ("missing_language_key", ["missing-language-key: en.yaml: activities.notiz.hint: missing in this language "
                              "(present in de.yaml)"]),
    ("selfcheck_without_feedback", [
        f"selfcheck-without-feedback: {lang}.yaml: self_check.items.eins.feedback: no feedback: every option needs "
        "feedback that explains why" for lang in ("de", "en")]),
    ("raw_html", [f"raw-html: {lang}.yaml: sections.inhalt.body: raw HTML '<b>': learner text is Markdown, HTML is "
                  "shown as text" for lang in ("de", "en")]),
    ("unknown_exercise_type", ["unknown-exercise-type: module.yaml: activities[0].type: unknown exercise type 'quiz' "
                               "(installed: actormap, balance, choice, classify, freetext, ideas, rating, selfcheck)"]),
])
def test_a_broken_module_fails_with_one_line_per_problem(fixture: str, expected: list[str]) -> None:
    done = run_check(str(FIXTURES / fixture))
    assert done.returncode == 1, done.stdout + done.stderr
    assert problem_lines(done) == expected
    assert "problem(s)" in done.stderr and "Traceback" not in done.stderr


def test_several_targets_and_an_unknown_one() -> None:
    done = run_check("gruppenarbeit", str(FIXTURES / "raw_html"))
    assert done.returncode == 1 and len(problem_lines(done)) == 2
    done = run_check("no-such-module")
    assert done.returncode == 1 and "neither a module directory nor an installed module id" in done.stderr


def test_glossary_variants_are_problems(tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "glossary"
    shutil.copytree(FIXTURES / "valid_module", target)
    de = target / "de.yaml"
    de.write_text(de.read_text(encoding="utf-8").replace("Ein kurzer Absatz.", "Alle Akteure treffen sich."),
                  encoding="utf-8")
    lines = [p.line() for p in check_module_dir(target) if not p.warning]
    assert lines == ["valid-module: de.yaml: sections.inhalt.body: glossary: “Akteure” – the course writes "
                     "“Akteurinnen und Akteure”"]


@pytest.mark.parametrize("fixture", ["missing_language_key", "selfcheck_without_feedback"])
def test_a_broken_module_is_skipped_at_start_and_the_others_still_load(fixture: str) -> None:
    module = CourseModule.from_directory(FIXTURES / fixture)
    with pytest.raises(PluginError) as raised:
        modules.register(module.id, module)
    message = str(raised.value)
    assert module.id in message and ".yaml" in message
    assert ("activities.notiz.hint" in message) or ("self_check.items.eins.feedback" in message)
    try:
        loaded = {m.id for m in course_modules()}
        assert module.id not in loaded and set(BUILT_IN) <= loaded
    finally:
        modules.unregister(module.id)
