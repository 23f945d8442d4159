"""The participant documentation as data, built from an answer store (rendered beside it: ``formats``,
``pdf``, ``export``).

What it holds: the event (facts from the seed, in ``i18n/documentation.<lang>.yaml``), each module's key
points (title, lead, objectives), the four groups' ideas per trait, the self-assessments averaged per trait,
the actor maps' indicators in aggregate and chosen reflections. Names come from the participants table and
only when not anonymised; participant ids, e-mail addresses and actor names never enter the model.
A forgotten participant has no rows left, so nothing of them can appear.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from statistics import fmean
from typing import Any

from netcourse.core.course import CourseModule
from netcourse.core.errors import NetcourseError
from netcourse.core.i18n import resolve_lang, text_file
from netcourse.core.store import Answer, AnswerStore
from netcourse.exercises import registry
from netcourse.exercises.actormap import network as actormap
from netcourse.exercises.charts import radar_png
from netcourse.exercises.registry import course_modules

IDEAS = ("gruppenarbeit", "ideen")
RATINGS = ("grundmerkmale", "selbsteinschaetzung")
MAPS = ("akteurslandkarte", "karte")
REFLECTIONS: tuple[tuple[str, str], ...] = (("fazit", "erkenntnis"), ("ausblick", "plan"))


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


@dataclass(frozen=True)
class Idea:
    title: str
    text: str
    author: str | None  # "Name (Kommune)"; None when anonymised or without a profile


@dataclass
class GroupIdeas:
    group: str
    name: str
    task: str
    ideas: list[Idea] = field(default_factory=list)


@dataclass(frozen=True)
class TraitAverage:
    trait: str
    label: str
    mean: float | None
    n: int


@dataclass
class RatingSummary:
    minimum: int
    maximum: int
    respondents: int
    traits: list[TraitAverage]
    chart_png: bytes | None = None
    chart_alt: str = ""


@dataclass(frozen=True)
class MapSummary:
    maps: int
    mean_actors: float
    mean_ties: float
    mean_sectors: float
    mean_evenness: float
    mean_connected_share: float  # 0–1
    mean_density: float


@dataclass(frozen=True)
class Reflection:
    text: str
    author: str | None


@dataclass
class ReflectionGroup:
    module_title: str
    heading: str
    prompt: str
    entries: list[Reflection] = field(default_factory=list)


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
    groups: list[GroupIdeas]
    ratings: RatingSummary | None
    maps: MapSummary | None
    reflections: list[ReflectionGroup]

    def t(self, key: str, **values: Any) -> str:
        template = str(self.texts[key])
        return template.format(**values) if values else template


def build_documentation(store: AnswerStore, lang: str | None = None, *, anonymize: bool = False,
                        reflections: tuple[tuple[str, str], ...] = REFLECTIONS,
                        with_chart: bool = True, today: date | None = None) -> Documentation:
    """Collect everything the documentation shows from ``store``; names only when not ``anonymize``."""
    lang = resolve_lang(lang)
    texts = doc_texts(lang)
    from netcourse.core.identity import TRAINER_ID

    # the trainer's own try-outs are no participant's contribution
    answers = [a for a in store.answers() if isinstance(a.value, Mapping) and a.participant_id != TRAINER_ID]
    authors = {} if anonymize else _authors(store, {a.participant_id for a in answers})
    by_activity: dict[tuple[str, str], list[Answer]] = {}
    for answer in answers:
        by_activity.setdefault((answer.module, answer.exercise), []).append(answer)
    return Documentation(
        lang=lang,
        anonymized=anonymize,
        texts=texts,
        created=today or date.today(),
        participants=len({a.participant_id for a in answers}),
        answers=len(answers),
        contributors=sorted(set(authors.values()), key=str.casefold),
        modules=[_points(m, lang) for m in course_modules()],
        groups=_ideas(by_activity.get(IDEAS, []), lang, authors),
        ratings=_ratings(by_activity.get(RATINGS, []), lang, texts, with_chart),
        maps=_maps(by_activity.get(MAPS, [])),
        reflections=[group for key in reflections
                     if (group := _reflections(key, by_activity.get(key, []), lang, authors)) is not None],
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


def _activity(module_id: str, activity_id: str, lang: str) -> tuple[CourseModule, Any] | None:
    """The installed module and exercise of an activity, or None where that module is not installed."""
    try:
        module = registry.modules.get(module_id)
        spec = module.activity(activity_id)
        exercise = registry.exercises.get(spec.type)(spec, module.activity_texts(activity_id, lang), lang)
    except NetcourseError:
        return None
    return module, exercise


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _ideas(answers: list[Answer], lang: str, authors: Mapping[str, str]) -> list[GroupIdeas]:
    found = _activity(*IDEAS, lang)
    if found is None:
        return []
    _, exercise = found
    groups = {g: GroupIdeas(g, exercise.group_name(g), exercise.group_task(g)) for g in exercise.group_ids}
    cards: list[tuple[str, str, Idea]] = []
    for answer in answers:
        for card in answer.value.get("cards") or []:
            if not isinstance(card, Mapping):
                continue
            group = card.get("group", answer.value.get("group"))
            title, text = _text(card.get("title")), _text(card.get("text"))
            if group in groups and (title or text):
                cards.append((str(card.get("created_at", "")), group,
                              Idea(title, text, authors.get(answer.participant_id))))
    for _, group, idea in sorted(cards, key=lambda c: c[0]):
        groups[group].ideas.append(idea)
    return list(groups.values())


def _ratings(answers: list[Answer], lang: str, texts: Mapping[str, Any],
             with_chart: bool) -> RatingSummary | None:
    found = _activity(*RATINGS, lang)
    if found is None:
        return None
    _, exercise = found
    lo, hi = exercise.minimum, exercise.maximum
    values: dict[str, list[int]] = {item: [] for item in exercise.item_ids}
    respondents = 0
    for answer in answers:
        ratings = answer.value.get("ratings") or {}
        if not isinstance(ratings, Mapping):
            continue
        given = False
        for item, value in ratings.items():
            valid = isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
            if item in values and valid:
                values[item].append(value)
                given = True
        respondents += given
    traits = [TraitAverage(item, exercise.item_label(item), round(fmean(v), 2) if v else None, len(v))
              for item, v in values.items()]
    summary = RatingSummary(lo, hi, respondents, traits)
    if respondents:
        parts = "; ".join(
            f"{t.label}: {number(t.mean, lang) if t.mean is not None else texts['not_rated']} (n = {t.n})"
            for t in traits)
        summary.chart_alt = str(texts["ratings_chart_alt"]).format(min=lo, max=hi, values=parts)
        if with_chart:
            summary.chart_png = radar_png([t.label for t in traits], [t.mean for t in traits], lo, hi)
    return summary


def _maps(answers: list[Answer]) -> MapSummary | None:
    readings = []
    for answer in answers:
        try:
            ind = actormap.indicators(answer.value)
        except (KeyError, TypeError, ValueError):
            continue  # a damaged map is left out of the aggregate
        if ind.actors:
            readings.append(ind)
    if not readings:
        return None
    return MapSummary(
        maps=len(readings),
        mean_actors=fmean(r.actors for r in readings),
        mean_ties=fmean(r.ties for r in readings),
        mean_sectors=fmean(r.sectors for r in readings),
        mean_evenness=fmean(r.sector_evenness for r in readings),
        mean_connected_share=fmean(r.connected_share for r in readings),
        mean_density=fmean(r.density for r in readings),
    )


def _reflections(key: tuple[str, str], answers: list[Answer], lang: str,
                 authors: Mapping[str, str]) -> ReflectionGroup | None:
    found = _activity(*key, lang)
    if found is None:
        return None
    module, exercise = found
    group = ReflectionGroup(module.title(lang), str(exercise.texts.get("heading", key[1])),
                            str(exercise.texts.get("prompt", "")).strip())
    for answer in answers:
        text = _text(answer.value.get("text"))
        if text:
            group.entries.append(Reflection(text, authors.get(answer.participant_id)))
    return group
