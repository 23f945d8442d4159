"""Property tests for every parser the kit has beyond the roster: journal import, module data, query strings.

Whatever the input, each parser either returns a well-formed result or raises the kit's own error with a
clear message; it never crashes with another exception and never changes the store on refusal.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from netcourse.core.course import CourseModule
from netcourse.core.errors import ContentError, NetcourseError
from netcourse.core.store import AnswerStore
from netcourse.outputs.journal import JournalImportError, import_journal, parse_journal
from netcourse.pages.session import Visit, parse_query, resolve_visit

JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=5)),
    max_leaves=20,
)
JOURNAL_KEYS = st.fixed_dictionaries(
    {"format": st.sampled_from(["netcourse-journal", "other", 3])},
    optional={"schema_version": st.one_of(st.integers(-2, 5), st.text(max_size=3), st.booleans()),
              "participant_id": st.one_of(st.text(max_size=70), st.integers()),
              "answers": st.one_of(JSONISH, st.lists(st.dictionaries(
                  st.sampled_from(["participant_id", "module", "exercise", "answer", "updated_at"]), JSONISH,
                  max_size=5), max_size=4))},
)


@settings(max_examples=150)
@given(raw=st.one_of(st.binary(max_size=200), JSONISH.map(lambda v: json.dumps(v).encode()),
                     JOURNAL_KEYS.map(lambda v: json.dumps(v).encode())))
def test_journal_parser_returns_answers_or_a_journal_error(raw: bytes) -> None:
    try:
        participant, answers = parse_journal(raw, "fuzz.json")
    except JournalImportError as exc:
        assert str(exc).startswith("fuzz.json: ") and exc.code
    else:
        assert participant and all(a.participant_id == participant for a in answers)


@settings(max_examples=40)
@given(raw=JOURNAL_KEYS.map(lambda v: json.dumps(v).encode()))
def test_refused_journals_leave_the_store_unchanged(tmp_path_factory, raw: bytes) -> None:
    store = AnswerStore(tmp_path_factory.mktemp("s") / "store.sqlite")
    store.save("p1", "ausblick", "plan", {"text": "bleibt"})
    before = [a.as_dict() for a in store.answers()]
    try:
        import_journal(store, raw, "fuzz.json", participant_id="p1")
    except NetcourseError:
        assert [a.as_dict() for a in store.answers()] == before


MODULE_FIELDS = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.text(max_size=10), st.integers()),
    "order": st.one_of(st.integers(-5, 100), st.text(max_size=4), st.none()),
    "minutes": st.one_of(st.integers(-5, 200), st.text(max_size=4), st.none()),
    "notebook": st.one_of(st.text(max_size=10), st.none()),
    "sections": st.one_of(st.lists(st.text(max_size=6), max_size=3), st.text(max_size=5), st.integers()),
    "activities": st.one_of(st.lists(st.one_of(st.dictionaries(st.sampled_from(["id", "type", "config"]), JSONISH),
                                               st.text(max_size=4)), max_size=3), st.integers()),
    "page": st.one_of(st.lists(st.text(max_size=12), max_size=3), st.none()),
})


@settings(max_examples=150)
@given(data=st.one_of(MODULE_FIELDS, JSONISH))
def test_module_metadata_loads_or_names_the_file(tmp_path_factory, data) -> None:
    folder: Path = tmp_path_factory.mktemp("module")
    (folder / "module.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        module = CourseModule.from_directory(folder)
    except ContentError as exc:
        assert str(folder / "module.yaml") in str(exc)
    else:
        assert module.minutes > 0 and isinstance(module.id, str)


@given(query=st.text(max_size=300))
def test_query_strings_parse_to_printable_single_values(query: str) -> None:
    params = parse_query(query)
    assert all(isinstance(k, str) and isinstance(v, str) and v.isprintable() for k, v in params.items())


@settings(max_examples=60)
@given(token=st.text(max_size=60), trainer=st.text(max_size=40))
def test_any_token_without_a_profile_is_refused(tmp_path_factory, monkeypatch_module, token, trainer) -> None:
    store = AnswerStore(tmp_path_factory.mktemp("s") / "store.sqlite")
    visit = resolve_visit(store, params={"p": token, "trainer": trainer})
    assert isinstance(visit, Visit)
    assert visit.participant_id is None and visit.problem in ("missing_link", "unknown_link")
    assert visit.mode == "participant"
