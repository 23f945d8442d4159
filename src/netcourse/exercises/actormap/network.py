"""The actor map: actors with a sector, ties between them, simple indicators, drawing and export.

Plain functions over the stored answer ``{"actors": [{"id", "name", "sector"}], "ties": [[id, id], ...]}``,
so the exercise view, journals and documentation share one implementation.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netcourse.core.safety import spreadsheet_safe

if TYPE_CHECKING:  # networkx (~11 MiB) is imported on first use: most pages have no actor map
    import networkx as nx

# Okabe-Ito: distinguishable with colour-vision deficiencies.
SECTOR_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]


@dataclass(frozen=True)
class Indicators:
    actors: int
    ties: int
    sectors: int
    sector_evenness: float  # 0 = one sector only … 1 = all sectors equally present
    connected_share: float  # share of actors with at least one tie
    density: float  # ties / possible ties
    isolated: tuple[str, ...]  # names of actors without a tie
    hubs: tuple[str, ...]  # names of the best-connected actors


def build_graph(answer: Mapping[str, Any]) -> nx.Graph:
    import networkx as nx

    graph = nx.Graph()
    for actor in answer.get("actors") or []:
        graph.add_node(actor["id"], name=actor["name"], sector=actor["sector"])
    for a, b in answer.get("ties") or []:
        if a in graph and b in graph and a != b:
            graph.add_edge(a, b)
    return graph


def indicators(answer: Mapping[str, Any]) -> Indicators:
    import networkx as nx

    graph = build_graph(answer)
    n = graph.number_of_nodes()
    counts = Counter(nx.get_node_attributes(graph, "sector").values())
    if len(counts) > 1:
        shares = [c / n for c in counts.values()]
        evenness = -sum(p * math.log(p) for p in shares) / math.log(len(counts))
    else:
        evenness = 0.0
    degrees = dict(graph.degree())
    names = nx.get_node_attributes(graph, "name")
    top = max(degrees.values(), default=0)
    return Indicators(
        actors=n,
        ties=graph.number_of_edges(),
        sectors=len(counts),
        sector_evenness=round(evenness, 2),
        connected_share=round(sum(1 for d in degrees.values() if d > 0) / n, 2) if n else 0.0,
        density=round(nx.density(graph), 2) if n > 1 else 0.0,
        isolated=tuple(names[node] for node, d in degrees.items() if d == 0),
        hubs=tuple(names[node] for node, d in degrees.items() if d == top and top > 1),
    )


def draw_png(answer: Mapping[str, Any], sector_labels: Mapping[str, str], sector_order: Sequence[str],
             size_in: tuple[float, float] = (7.0, 5.0)) -> bytes:
    """The map as a PNG: actors coloured by sector, labelled with their names, a sector legend."""
    import networkx as nx

    from netcourse.exercises.charts import png_figure, pyplot

    plt = pyplot()
    graph = build_graph(answer)
    colours = {s: SECTOR_COLOURS[i % len(SECTOR_COLOURS)] for i, s in enumerate(sector_order)}
    with png_figure(size_in) as (fig, buffer):
        ax = fig.add_subplot()
        ax.set_axis_off()
        if graph.number_of_nodes():
            pos = nx.spring_layout(graph, seed=7, k=1.4 / math.sqrt(graph.number_of_nodes()))
            nx.draw_networkx_edges(graph, pos, ax=ax, edge_color="#7a7a7a", width=1.4)
            nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=520, edgecolors="#1a1a1a", linewidths=0.8,
                                   node_color=[colours.get(graph.nodes[n]["sector"], "#999999") for n in graph])
            label_pos = {node: (x, y + 0.07) for node, (x, y) in pos.items()}
            labels = {node: plain_label(name) for node, name in nx.get_node_attributes(graph, "name").items()}
            nx.draw_networkx_labels(graph, label_pos, ax=ax, labels=labels, font_size=9, verticalalignment="bottom",
                                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
            present = [s for s in sector_order if any(graph.nodes[n]["sector"] == s for n in graph)]
            handles = [plt.Line2D([], [], marker="o", linestyle="", markersize=9, color=colours[s],
                                  markeredgecolor="#1a1a1a") for s in present]
            ax.legend(handles, [sector_labels.get(s, s) for s in present], loc="lower left", fontsize=8,
                      frameon=False, bbox_to_anchor=(0, -0.08), ncol=min(4, max(1, len(present))))
        ax.margins(0.15)
    return buffer.getvalue()


def plain_label(text: str) -> str:
    """Participant text for a matplotlib label: ``$`` would start mathtext, so escape it."""
    return text.replace("$", r"\$")


def describe_ties(answer: Mapping[str, Any], sector_labels: Mapping[str, str]) -> list[str]:
    import networkx as nx

    graph = build_graph(answer)
    name = nx.get_node_attributes(graph, "name")
    return [f"{name[a]} – {name[b]}" for a, b in graph.edges()]


def actors_csv(answer: Mapping[str, Any], sector_labels: Mapping[str, str]) -> str:
    """Actors as CSV (id, name, sector, sector label, ties), safe to open in a spreadsheet."""
    graph = build_graph(answer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "sector", "sector_label", "ties"])
    for node, data in graph.nodes(data=True):
        writer.writerow([node, spreadsheet_safe(data["name"]), data["sector"],
                         spreadsheet_safe(sector_labels.get(data["sector"], data["sector"])), graph.degree(node)])
    return out.getvalue()


def ties_csv(answer: Mapping[str, Any]) -> str:
    """Ties as CSV edge list (source, target by id, with names)."""
    graph = build_graph(answer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["source", "target", "source_name", "target_name"])
    for a, b in graph.edges():
        writer.writerow([a, b, spreadsheet_safe(graph.nodes[a]["name"]), spreadsheet_safe(graph.nodes[b]["name"])])
    return out.getvalue()


def graphml(answer: Mapping[str, Any]) -> str:
    """GraphML for network tools (Gephi, yEd, networkx); XML-escaped by networkx."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(build_graph(answer)))
