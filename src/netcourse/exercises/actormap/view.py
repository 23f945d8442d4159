"""Actor map: the widget view (ipywidgets) over the plain model in ``model``."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from netcourse.core.templates import render_macro
from netcourse.exercises.actormap import network as actormap
from netcourse.exercises.actormap.model import ActorMap
from netcourse.exercises.view import ExerciseView

TEMPLATE = "exercises/actormap.html.j2"


def download_link(filename: str, media_type: str, text: str, label: str) -> tuple[str, str, str]:
    """(file name, ``data:`` URI, label) of a download; the template builds the link."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return filename, f"data:{media_type};charset=utf-8;base64,{data}", label


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
            self.picture.value = render_macro(TEMPLATE, "empty", ex.t("map_empty"))
            self.reading.value = self.downloads.value = ""
            return
        image, alt = ex.chart(self.state) or (b"", "")
        self.picture.value = render_macro(TEMPLATE, "picture", image, alt)
        self.reading.value = render_macro(TEMPLATE, "readings", ex.t("ind_heading"), ex.readings(self.state))
        self.downloads.value = render_macro(TEMPLATE, "downloads", ex.t("map_downloads"), [
            download_link(ex.t("map_actors_file"), "text/csv", actormap.actors_csv(self.state, ex.sector_labels),
                          ex.t("map_download_actors")),
            download_link(ex.t("map_ties_file"), "text/csv", actormap.ties_csv(self.state),
                          ex.t("map_download_ties")),
            download_link(ex.t("map_file_stem") + ".graphml", "application/xml", actormap.graphml(self.state),
                          ex.t("map_download_graphml")),
        ])
