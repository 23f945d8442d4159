"""The participant documentation as data, built from an answer store (rendered beside it: ``formats``,
``pdf``, ``export``).

What it holds: the event (facts from the seed, in ``i18n/documentation.<lang>.yaml``), each module's key
points (title, lead, objectives), and one part per activity whose ``roles.documentation`` (module.yaml) is not
``none``: the activity's exercise type summarises every participant's answer in that mode
(``Exercise.summarise``: idea cards by group, quoted texts, rating means with a chart, actor-map indicators in
aggregate). No module is named here: what appears is what the installed modules declare. Names come from the
participants table and only when not anonymised; participant ids, e-mail addresses and actor names never
enter the model. A forgotten participant has no rows left, so nothing of them can appear.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from netcourse.core.course import CourseModule
from netcourse.core.i18n import resolve_lang, text_file
from netcourse.core.store import AnswerStore
from netcourse.exercises import registry
from netcourse.exercises.charts import radar_svg
from netcourse.exercises.registry import course_modules, role_activities
from netcourse.exercises.summary import (
    CardGroups,
    Contribution,
    GroupIdeas,
    Idea,
    MapSummary,
    Quotes,
    RatingSummary,
    Reflection,
    Summary,
    TraitAverage,
)

__all__ = ["ActivityPart", "Documentation", "GroupIdeas", "Idea", "MapSummary", "ModulePoints", "RatingSummary",
           "Reflection", "ReflectionGroup", "TraitAverage", "build_documentation", "doc_texts", "number"]


def doc_texts(lang: str | None = None) -> dict[str, Any]:
    """The documentation's own texts (headings, event facts) in ``lang``."""
    return text_file("documentation", resolve_lang(lang))


def number(value: float, lang: str, digits: int = 1) -> str:
    """A number as a reader of ``lang`` writes it (German decimal comma)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "de" else text


@dataclass(frozen=True)
class ModulePoints:
    module_id: str
    kicker: str
    title: str
    lead: str
    objectives: tuple[str, ...]


@dataclass
class ActivityPart:
    """One activity in the documentation: where it comes from, how it is summarised, and the summary."""

    module_id: str
    module_title: str
    activity_id: str
    title: str  # the part's own heading: ``documentation.heading`` of the activity texts, else module – activity
    heading: str  # the activity's heading
    intro: str
    prompt: str
    mode: str  # list, summary or chart (roles.documentation)
    summary: Summary


@dataclass(frozen=True)
class ReflectionGroup:
    module_title: str
    heading: str
    prompt: str
    entries: list[Reflection]


@dataclass
class Documentation:
    lang: str
    anonymized: bool
    texts: Mapping[str, Any]
    created: date
    participants: int
    answers: int
    contributors: list[str]
    modules: list[ModulePoints]
    parts: list[ActivityPart]

    def t(self, key: str, **values: Any) -> str:
        template = str(self.texts[key])
        return template.format(**values) if values else template

    def parts_of(self, kind: type) -> list[ActivityPart]:
        """The parts whose summary is of one kind (``CardGroups``, ``Quotes``, ``RatingSummary``, ``MapSummary``)."""
        return [p for p in self.parts if isinstance(p.summary, kind)]

    @property
    def groups(self) -> list[GroupIdeas]:
        """Every idea-card group of every ``list`` part of an ideas activity, in course order."""
        return [g for p in self.parts_of(CardGroups) for g in p.summary.groups]  # type: ignore[union-attr]

    @property
    def ratings(self) -> RatingSummary | None:
        found = self.parts_of(RatingSummary)
        return found[0].summary if found else None  # type: ignore[return-value]

    @property
    def maps(self) -> MapSummary | None:
        found = [p.summary for p in self.parts_of(MapSummary) if p.summary.maps]  # type: ignore[union-attr]
        return found[0] if found else None  # type: ignore[return-value]

    @property
    def reflections(self) -> list[ReflectionGroup]:
        return [ReflectionGroup(p.module_title, p.heading, p.prompt, p.summary.entries)  # type: ignore[union-attr]
                for p in self.parts_of(Quotes)]


def build_documentation(store: AnswerStore, lang: str | None = None, *, anonymize: bool = False,
                        with_chart: bool = True, today: date | None = None) -> Documentation:
    """Collect everything the documentation shows from ``store``; names only when not ``anonymize``."""
    lang = resolve_lang(lang)
    texts = doc_texts(lang)
    from netcourse.core.identity import TRAINER_ID

    # the trainer's own try-outs are no participant's contribution
    answers = [a for a in store.answers() if isinstance(a.value, Mapping) and a.participant_id != TRAINER_ID]
    authors = {} if anonymize else _authors(store, {a.participant_id for a in answers})
    by_activity: dict[tuple[str, str], list[Contribution]] = {}
    for answer in answers:
        by_activity.setdefault((answer.module, answer.exercise), []).append(
            Contribution(answer.value, authors.get(answer.participant_id)))
    parts = []
    for module, spec, roles in role_activities("documentation"):
        activity_texts = module.activity_texts(spec.id, lang)
        exercise = registry.exercises.get(spec.type)(spec, activity_texts, lang)
        summary = exercise.summarise(by_activity.get((module.id, spec.id), []), roles.documentation)
        own = activity_texts.get("documentation") or {}
        heading = str(activity_texts.get("heading", spec.id))
        title = str(own.get("heading") or f"{module.title(lang)} – {heading}")
        parts.append(ActivityPart(module.id, module.title(lang), spec.id, title, heading, str(own.get("intro", "")),
                                  str(activity_texts.get("prompt", "")).strip(), roles.documentation, summary))
        if isinstance(summary, RatingSummary):
            _chart(summary, roles.documentation == "chart" and with_chart, lang, texts)
    return Documentation(
        lang=lang,
        anonymized=anonymize,
        texts=texts,
        created=today or date.today(),
        participants=len({a.participant_id for a in answers}),
        answers=len(answers),
        contributors=sorted(set(authors.values()), key=str.casefold),
        modules=[_points(m, lang) for m in course_modules()],
        parts=parts,
    )


# pieces -----------------------------------------------------------------------------------------------
def _authors(store: AnswerStore, participant_ids: set[str]) -> dict[str, str]:
    """participant id → "Name (Kommune)" for those with a profile; never the id itself."""
    out = {}
    for pid in participant_ids:
        profile = store.profile(pid)
        if profile is None or not profile.name.strip():
            continue
        name = profile.name.strip()
        out[pid] = f"{name} ({profile.municipality.strip()})" if profile.municipality.strip() else name
    return out


def _points(module: CourseModule, lang: str) -> ModulePoints:
    t = module.texts(lang)
    return ModulePoints(module.id, str(t.get("kicker", "")), str(t["title"]), str(t["lead"]),
                        tuple(str(o) for o in t.get("objectives") or ()))


def _chart(summary: RatingSummary, draw: bool, lang: str, texts: Mapping[str, Any]) -> None:
    """The text alternative of a rating summary (always) and its radar chart (when asked for)."""
    if not summary.respondents:
        return
    parts = "; ".join(
        f"{t.label}: {number(t.mean, lang) if t.mean is not None else texts['not_rated']} (n = {t.n})"
        for t in summary.traits)
    summary.chart_alt = str(texts["ratings_chart_alt"]).format(min=summary.minimum, max=summary.maximum,
                                                               values=parts)
    if draw:
        summary.chart_image = radar_svg([t.label for t in summary.traits], [t.mean for t in summary.traits],
                                      summary.minimum, summary.maximum)
