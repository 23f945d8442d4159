"""The plugin door: built-ins through entry points, broken third-party plugins reported and skipped."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netcourse.core import plugins
from netcourse.core.course import CourseModule
from netcourse.core.errors import NetcourseError, PluginError, UnknownPluginError
from netcourse.exercises import registry
from netcourse.exercises.base import Exercise
from netcourse.exercises.choice.model import Choice
from netcourse.exercises.freetext.model import FreeText
from netcourse.exercises.rating.model import RatingScale
from netcourse.outputs.exporters.base import Exporter
from netcourse.outputs.exporters.jsonexport import JsonExporter
from netcourse.outputs.exporters.markdown import MarkdownExporter
from netcourse.outputs.exporters.registry import exporters

BUILTINS = {
    ("module", "grundmerkmale"),
    ("exercise", "rating"),
    ("exercise", "freetext"),
    ("exercise", "choice"),
    ("exporter", "json"),
    ("exporter", "markdown"),
}

pytestmark = pytest.mark.usefixtures("fresh_plugins")


def record(kind: str, name: str, distribution: str) -> plugins.PluginRecord:
    key = (kind, name, distribution)
    found = [r for r in plugins.all_records() if (r.kind, r.name, r.distribution) == key]
    assert len(found) == 1, f"{kind}:{name} from {distribution} listed {len(found)} times"
    return found[0]


# built-ins ----------------------------------------------------------------------------------------
def test_builtins_are_discovered_through_entry_points() -> None:
    builtin = {(r.kind, r.name) for r in plugins.all_records() if r.distribution == "netcourse"}
    assert builtin >= BUILTINS  # the skeleton's built-ins; later modules and types may join them
    for kind, name in BUILTINS:
        rec = record(kind, name, "netcourse")
        assert rec.error is None and rec.loaded
        assert rec.value.startswith("netcourse.")


def test_builtin_objects_have_the_right_types() -> None:
    module = registry.modules.get("grundmerkmale")
    assert isinstance(module, CourseModule) and module.id == "grundmerkmale"
    assert registry.exercises.get("rating") is RatingScale
    assert registry.exercises.get("freetext") is FreeText
    assert registry.exercises.get("choice") is Choice
    assert exporters.get("json") is JsonExporter
    assert exporters.get("markdown") is MarkdownExporter


def test_record_as_dict_is_json_ready() -> None:
    data = record("exercise", "rating", "netcourse").as_dict()
    assert data == {
        "kind": "exercise", "name": "rating", "value": "netcourse.exercises.rating.model:RatingScale",
        "distribution": "netcourse", "loaded": True, "error": None,
    }


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownPluginError) as info:
        registry.exercises.get("no-such-type")
    message = str(info.value)
    assert "no-such-type" in message
    for name in ("choice", "freetext", "rating"):
        assert name in message
    assert info.value.kind == "exercise" and info.value.name == "no-such-type"
    assert isinstance(info.value, NetcourseError)


# runtime registration -----------------------------------------------------------------------------
class Sorting(FreeText):
    type_name = "sorting"


def test_register_validates_like_an_entry_point() -> None:
    registry.exercises.register("sorting", Sorting)
    assert registry.exercises.get("sorting") is Sorting
    assert "sorting" in registry.exercises.names()

    with pytest.raises(PluginError, match="already provided by netcourse"):
        registry.exercises.register("rating", Sorting)
    with pytest.raises(PluginError, match="differs from type_name"):
        registry.exercises.register("other-name", Sorting)
    with pytest.raises(PluginError, match="expected a subclass"):
        exporters.register("not-a-class", object())

    registry.exercises.unregister("sorting")
    with pytest.raises(UnknownPluginError):
        registry.exercises.get("sorting")


# a broken third-party distribution -----------------------------------------------------------------
def test_fake_distribution_is_really_discovered(broken_dist: Path) -> None:
    names = {(r.kind, r.name) for r in plugins.all_records() if r.distribution == "brokenplug"}
    assert names == {
        ("module", "grundmerkmale"), ("module", "exploding"), ("module", "misnamed"),
        ("exercise", "malformed"), ("exporter", "fakegood"),
    }


def test_plugin_failing_at_import_is_reported_and_skipped(broken_dist: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="netcourse.core.plugins"):
        rec = record("module", "exploding", "brokenplug")
    assert rec.error is not None
    assert "brokenplug_boom:module" in rec.error
    assert "RuntimeError: boom at import" in rec.error
    assert "exploding" not in registry.modules.names()
    assert any("exploding" in m and "boom at import" in m for m in caplog.messages)

    with pytest.raises(PluginError) as info:
        registry.modules.get("exploding")
    assert info.value.name == "exploding"
    assert "exploding" in str(info.value) and "boom at import" in str(info.value)


def test_malformed_plugins_are_reported_and_skipped(broken_dist: Path) -> None:
    wrong_type = record("exercise", "malformed", "brokenplug")
    assert wrong_type.error is not None and wrong_type.error.startswith("malformed:")
    assert "expected a subclass of netcourse.exercises.base.Exercise" in wrong_type.error
    assert wrong_type.obj is None

    wrong_id = record("module", "misnamed", "brokenplug")
    assert wrong_id.error is not None
    assert "'misnamed' differs from the module id 'grundmerkmale'" in wrong_id.error

    assert "malformed" not in registry.exercises.names()
    assert "misnamed" not in registry.modules.names()
    with pytest.raises(PluginError, match="exercise:malformed: malformed"):
        registry.exercises.get("malformed")
    with pytest.raises(PluginError, match="module:misnamed"):
        registry.modules.get("misnamed")


def test_name_clash_keeps_the_builtin_and_never_imports_the_intruder(broken_dist: Path) -> None:
    clash = record("module", "grundmerkmale", "brokenplug")
    assert clash.error is not None
    assert "clashes with the module 'grundmerkmale' of netcourse" in clash.error
    assert record("module", "grundmerkmale", "netcourse").error is None

    module = registry.modules.get("grundmerkmale")
    assert isinstance(module, CourseModule)
    assert module.directory.parent.name == "modules"
    assert "brokenplug_clash" not in sys.modules


def test_good_plugins_keep_working_beside_broken_ones(broken_dist: Path) -> None:
    assert {"grundmerkmale"} <= set(registry.modules.names())
    assert {"choice", "freetext", "rating"} <= set(registry.exercises.names())
    assert {"fakegood", "json", "markdown"} <= set(exporters.names())
    working = set(registry.modules.names() + registry.exercises.names())
    assert not {"exploding", "misnamed", "malformed"} & working
    assert registry.exercises.get("rating") is RatingScale
    fake = exporters.get("fakegood")
    assert issubclass(fake, Exporter) and fake.__module__ == "brokenplug_good"


def test_unknown_name_lists_only_working_plugins(broken_dist: Path) -> None:
    with pytest.raises(UnknownPluginError) as info:
        registry.modules.get("no-such-module")
    message = str(info.value)
    assert "'no-such-module'" in message and "grundmerkmale" in message
    assert "exploding" not in message and "misnamed" not in message


def test_discovery_does_not_import_plugin_modules(broken_dist: Path) -> None:
    for name in ("brokenplug_boom", "brokenplug_clash", "brokenplug_parts", "brokenplug_good"):
        assert name not in sys.modules
    assert isinstance(registry.modules.get("grundmerkmale"), CourseModule)
    assert exporters.get("json") is JsonExporter
    assert issubclass(registry.exercises.get("choice"), Exercise)
    loaded = {name for name in sys.modules if name.startswith("brokenplug")}
    assert loaded == set(), f"discovery imported {loaded}"

    exporters.get("fakegood")
    assert "brokenplug_good" in sys.modules
    assert "brokenplug_boom" not in sys.modules


def test_reset_forgets_an_uninstalled_distribution(broken_dist: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert "fakegood" in exporters.names()
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(broken_dist)])
    assert "fakegood" in exporters.names(), "discovery is cached until reset"
    plugins.reset_all()
    assert "fakegood" not in exporters.names()


def test_import_netcourse_survives_broken_plugins_in_a_fresh_interpreter(broken_dist_dir: Path) -> None:
    code = (
        "import netcourse, netcourse.core.plugins as p, netcourse.exercises.registry as r\n"
        "import netcourse.outputs.exporters.registry\n"
        "print(r.modules.get('grundmerkmale').id)\n"
        "print(sorted(r.name for r in p.all_records() if r.error))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(broken_dist_dir)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "grundmerkmale"
    assert lines[1] == "['exploding', 'grundmerkmale', 'malformed', 'misnamed']"
    assert "Traceback" not in done.stderr

