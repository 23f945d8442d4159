"""Actor map: enter the actors of one's own network (name, sector) and the ties between them.

Config: ``sectors`` (ids), ``max_actors`` (default 40).
Texts: ``heading``, ``prompt``, ``sectors`` (id → label).
Answer: ``{"actors": [{"id", "name", "sector"}], "ties": [[id, id], ...]}``. Every change is saved at once.
Roles: ``documentation: summary`` (indicators of all maps in aggregate, never a name), ``journal``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import fmean
from typing import Any

from netcourse.core.errors import AnswerError
from netcourse.exercises.actormap import network as actormap
from netcourse.exercises.base import Exercise
from netcourse.exercises.summary import Contribution, MapSummary

MAX_NAME = 80


class ActorMap(Exercise):
    type_name = "actormap"
    view_class = "netcourse.exercises.actormap.view:ActorMapView"  # loaded when a page shows it
    fills = {"board": (False,), "documentation": ("none", "summary"), "workbook": (False,), "journal": (True, False)}

    def summarise(self, answers: Sequence[Contribution], mode: str) -> MapSummary | None:
        if mode != "summary":
            return None
        readings = []
        for answer in answers:
            try:
                ind = actormap.indicators(answer.value)
            except (AttributeError, KeyError, TypeError, ValueError):
                continue  # a damaged map is left out of the aggregate
            if ind.actors:
                readings.append(ind)
        if not readings:
            return MapSummary(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        return MapSummary(
            maps=len(readings),
            mean_actors=fmean(r.actors for r in readings),
            mean_ties=fmean(r.ties for r in readings),
            mean_sectors=fmean(r.sectors for r in readings),
            mean_evenness=fmean(r.sector_evenness for r in readings),
            mean_connected_share=fmean(r.connected_share for r in readings),
            mean_density=fmean(r.density for r in readings),
        )

    @property
    def sector_ids(self) -> list[str]:
        return [str(s) for s in self.config.get("sectors", [])]

    @property
    def sector_labels(self) -> dict[str, str]:
        labels = self.texts.get("sectors") or {}
        return {s: str(labels.get(s, s)) for s in self.sector_ids}

    def sector_label(self, sector: str) -> str:
        return self.sector_labels.get(sector, sector)

    @property
    def max_actors(self) -> int:
        return int(self.config.get("max_actors", 40))

    def validate(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise AnswerError("actors", self.t("map_empty"))
        actors_in, ties_in = raw.get("actors") or [], raw.get("ties") or []
        if not isinstance(actors_in, list) or not isinstance(ties_in, list):
            raise AnswerError("actors", self.t("map_empty"))
        if len(actors_in) > self.max_actors:
            raise AnswerError("actors", self.t("too_many", max=self.max_actors))
        actors, names, ids = [], set(), set()
        for index, actor in enumerate(actors_in):
            if not isinstance(actor, Mapping):
                raise AnswerError(f"actors[{index}]", self.t("required"))
            name = self.clean_text(f"actors[{index}].name", actor.get("name"), max_len=MAX_NAME)
            if not name:
                raise AnswerError(f"actors[{index}].name", self.t("actor_name_missing"))
            if name.casefold() in names:
                raise AnswerError(f"actors[{index}].name", self.t("actor_name_taken"))
            if actor.get("sector") not in self.sector_ids:
                raise AnswerError(f"actors[{index}].sector", self.t("unknown_option"))
            actor_id = str(actor.get("id", ""))
            if not actor_id or actor_id in ids:
                raise AnswerError(f"actors[{index}].id", self.t("unknown_option"))
            names.add(name.casefold())
            ids.add(actor_id)
            actors.append({"id": actor_id, "name": name, "sector": actor["sector"]})
        ties, seen = [], set()
        for index, tie in enumerate(ties_in):
            if not isinstance(tie, (list, tuple)) or len(tie) != 2 or not all(t in ids for t in tie):
                raise AnswerError(f"ties[{index}]", self.t("unknown_option"))
            if tie[0] == tie[1]:
                raise AnswerError(f"ties[{index}]", self.t("tie_same"))
            key = frozenset(tie)
            if key in seen:
                raise AnswerError(f"ties[{index}]", self.t("tie_exists"))
            seen.add(key)
            ties.append([str(tie[0]), str(tie[1])])
        return {"actors": actors, "ties": ties}

    def readings(self, answer: Mapping[str, Any]) -> list[str]:
        """The indicators in plain words, each tied to one of the four traits."""
        ind = actormap.indicators(answer)
        lines = [
            self.t("ind_size", actors=ind.actors, ties=ind.ties),
            self.t("ind_unterschiedlichkeit", sectors=ind.sectors, all_sectors=len(self.sector_ids),
                   evenness=_number(ind.sector_evenness, self.lang)),
            self.t("ind_tausch", share=round(ind.connected_share * 100)),
        ]
        if ind.isolated:
            lines.append(self.t("ind_isolated", names=", ".join(ind.isolated)))
        lines.append(self.t("ind_vertrauen", density=_number(ind.density, self.lang)))
        if ind.hubs:
            lines.append(self.t("ind_hubs", names=", ".join(ind.hubs)))
        lines.append(self.t("ind_ziele"))
        return lines

    def chart(self, answer: Mapping[str, Any]) -> tuple[bytes, str] | None:
        if not answer.get("actors"):
            return None
        names = ", ".join(f"{a['name']} ({self.sector_label(a['sector'])})" for a in answer["actors"])
        edges = ", ".join(actormap.describe_ties(answer, self.sector_labels)) or "–"
        alt = self.t("map_alt", actors=len(answer["actors"]), ties=len(answer.get("ties") or []),
                     names=names, edges=edges)
        return actormap.draw_svg(answer, self.sector_labels, self.sector_ids, title=alt), alt

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        names = ", ".join(f"{a['name']} ({self.sector_label(a['sector'])})" for a in answer.get("actors") or [])
        edges = "; ".join(actormap.describe_ties(answer, self.sector_labels)) or "–"
        return [(self.t("map_actors"), names), (self.t("map_ties"), edges),
                *[("", line) for line in self.readings(answer)]]


def _number(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "de" else text
