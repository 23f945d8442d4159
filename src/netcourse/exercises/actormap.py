"""Actor map: enter the actors of one's own network (name, sector) and the ties between them.

Config: ``sectors`` (ids), ``max_actors`` (default 40).
Texts: ``heading``, ``prompt``, ``sectors`` (id → label).
Answer: ``{"actors": [{"id", "name", "sector"}], "ties": [[id, id], ...]}``. Every change is saved at once.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse import actormap
from netcourse.charts import image_html
from netcourse.errors import AnswerError
from netcourse.exercises.base import Exercise, ExerciseView
from netcourse.rendering import esc

MAX_NAME = 80


def download_link(filename: str, media_type: str, text: str, label: str) -> str:
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (f'<a download="{esc(filename)}" href="data:{media_type};charset=utf-8;base64,{data}" '
            f'class="nc-download">{esc(label)}</a>')


class ActorMapView(ExerciseView):
    exercise: ActorMap

    def build(self) -> None:
        ex = self.exercise
        self.state: dict[str, Any] = {"actors": [], "ties": []}
        self.pending: dict[str, Any] | None = None
        self.save_button.layout.display = "none"  # every change saves at once
        self.name = widgets.Text(description=ex.t("actor_name"), style={"description_width": "6em"},
                                 layout=widgets.Layout(width="22em"))
        self.sector = widgets.Dropdown(options=[(ex.sector_label(s), s) for s in ex.sector_ids],
                                       description=ex.t("actor_sector"), style={"description_width": "6em"})
        self.add_actor_button = widgets.Button(description=ex.t("add_actor"), icon="plus", button_style="primary",
                                               tooltip=ex.t("add_actor"))
        self.tie_a = widgets.Dropdown(description=ex.t("tie_from"), style={"description_width": "8em"})
        self.tie_b = widgets.Dropdown(description=ex.t("tie_to"), style={"description_width": "3em"})
        self.add_tie_button = widgets.Button(description=ex.t("add_tie"), icon="link", tooltip=ex.t("add_tie"))
        self.remove_pick = widgets.Dropdown(description=ex.t("remove_actor_label"),
                                            style={"description_width": "8em"})
        self.remove_button = widgets.Button(description=ex.t("remove_actor"), icon="trash",
                                            tooltip=ex.t("remove_actor"))
        self.picture = widgets.HTML(value="")
        self.picture.add_class("nc-chart-box")
        self.reading = widgets.HTML(value="")
        self.downloads = widgets.HTML(value="")
        self.add_actor_button.on_click(lambda _b: self.add_actor())
        self.add_tie_button.on_click(lambda _b: self.add_tie())
        self.remove_button.on_click(lambda _b: self.remove_actor())
        self.refresh()

    def input_widgets(self) -> list[widgets.Widget]:
        return [
            widgets.HBox([self.name, self.sector, self.add_actor_button], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.tie_a, self.tie_b, self.add_tie_button], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.remove_pick, self.remove_button], layout=widgets.Layout(flex_flow="row wrap")),
        ]

    def footer_widgets(self) -> list[widgets.Widget]:
        return [self.picture, self.reading, self.downloads]

    # editing -------------------------------------------------------------------------------------
    def _commit(self, new_state: dict[str, Any]) -> bool:
        self.pending = new_state
        try:
            return self.save() is not None
        finally:
            self.pending = None

    def add_actor(self) -> bool:
        actors = self.state["actors"]
        used = {a["id"] for a in actors}
        number = len(actors) + 1
        while f"a{number}" in used:
            number += 1
        new = {"id": f"a{number}", "name": self.name.value, "sector": self.sector.value}
        if self._commit({"actors": [*actors, new], "ties": self.state["ties"]}):
            self.name.value = ""
            return True
        return False

    def add_tie(self) -> bool:
        return self._commit({"actors": self.state["actors"],
                             "ties": [*self.state["ties"], [self.tie_a.value, self.tie_b.value]]})

    def remove_actor(self) -> bool:
        gone = self.remove_pick.value
        if gone is None:
            return False
        return self._commit({"actors": [a for a in self.state["actors"] if a["id"] != gone],
                             "ties": [t for t in self.state["ties"] if gone not in t]})

    # the template's hooks --------------------------------------------------------------------------
    def collect(self) -> Any:
        return self.pending if self.pending is not None else self.state

    def fill(self, answer: Mapping[str, Any]) -> None:
        self.state = {"actors": [dict(a) for a in answer.get("actors") or []],
                      "ties": [list(t) for t in answer.get("ties") or []]}
        self.refresh()

    def on_saved(self, answer: Mapping[str, Any]) -> None:
        self.fill(answer)

    def refresh(self) -> None:
        ex = self.exercise
        options = [(a["name"], a["id"]) for a in self.state["actors"]]
        for dropdown in (self.tie_a, self.tie_b, self.remove_pick):
            dropdown.options = options
            dropdown.value = None
        if len(options) > 1:
            self.tie_a.value, self.tie_b.value = options[0][1], options[1][1]
        if not options:
            self.picture.value = f'<p class="nc-empty">{esc(ex.t("map_empty"))}</p>'
            self.reading.value = self.downloads.value = ""
            return
        png, alt = ex.chart(self.state) or (b"", "")
        self.picture.value = image_html(png, alt)
        self.reading.value = (f'<h3>{esc(ex.t("ind_heading"))}</h3><ul class="nc-readings">'
                              + "".join(f"<li>{esc(line)}</li>" for line in ex.readings(self.state)) + "</ul>")
        labels = ex.sector_labels
        self.downloads.value = (
            f'<p class="nc-downloads">{esc(ex.t("map_downloads"))} '
            + download_link("akteure.csv", "text/csv", actormap.actors_csv(self.state, labels), "Akteure (CSV)")
            + " · " + download_link("verbindungen.csv", "text/csv", actormap.ties_csv(self.state),
                                    "Verbindungen (CSV)" if ex.lang == "de" else "Ties (CSV)")
            + " · " + download_link("akteurslandkarte.graphml", "application/xml", actormap.graphml(self.state),
                                    "GraphML") + "</p>"
        )


class ActorMap(Exercise):
    type_name = "actormap"
    view_class = ActorMapView

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
        png = actormap.draw_png(answer, self.sector_labels, self.sector_ids)
        names = ", ".join(f"{a['name']} ({self.sector_label(a['sector'])})" for a in answer["actors"])
        edges = ", ".join(actormap.describe_ties(answer, self.sector_labels)) or "–"
        alt = self.t("map_alt", actors=len(answer["actors"]), ties=len(answer.get("ties") or []),
                     names=names, edges=edges)
        return png, alt

    def describe(self, answer: Mapping[str, Any]) -> list[tuple[str, str]]:
        names = ", ".join(f"{a['name']} ({self.sector_label(a['sector'])})" for a in answer.get("actors") or [])
        edges = "; ".join(actormap.describe_ties(answer, self.sector_labels)) or "–"
        return [(self.t("map_actors"), names), (self.t("map_ties"), edges),
                *[("", line) for line in self.readings(answer)]]


def _number(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "de" else text
