"""The actor map: actors with a sector, ties between them, simple indicators, drawing and export.

Plain functions over the stored answer ``{"actors": [{"id", "name", "sector"}], "ties": [[id, id], ...]}``,
so the exercise view, journals and documentation share one implementation.
"""

from __future__ import annotations

import csv
import io
import math
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from netcourse.core.safety import spreadsheet_safe
from netcourse.exercises.charts import INK, shorten, svg_document, text, xml_chars, xml_text

# Okabe-Ito: distinguishable with colour-vision deficiencies.
SECTOR_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]


@dataclass
class Graph:
    """An undirected simple graph in insertion order: nodes keep the answer's actor order, each node's
    neighbours the order its ties were drawn (duplicate ties and self-loops dropped)."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    adjacency: dict[str, dict[str, None]] = field(default_factory=dict)

    def add_node(self, node: str, **attrs: str) -> None:
        self.nodes[node] = attrs
        self.adjacency.setdefault(node, {})

    def add_edge(self, a: str, b: str) -> None:
        self.adjacency[a][b] = None
        self.adjacency[b][a] = None

    def degree(self, node: str) -> int:
        return len(self.adjacency[node])

    def edges(self) -> list[tuple[str, str]]:
        """Each tie once, from the node that comes first in actor order."""
        seen: set[str] = set()
        out = []
        for node, neighbours in self.adjacency.items():
            out += [(node, other) for other in neighbours if other not in seen]
            seen.add(node)
        return out

    def density(self) -> float:
        n = len(self.nodes)
        return 2 * len(self.edges()) / (n * (n - 1)) if n > 1 else 0.0


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


def build_graph(answer: Mapping[str, Any]) -> Graph:
    graph = Graph()
    for actor in answer.get("actors") or []:
        graph.add_node(actor["id"], name=actor["name"], sector=actor["sector"])
    for a, b in answer.get("ties") or []:
        if a in graph.nodes and b in graph.nodes and a != b:
            graph.add_edge(a, b)
    return graph


def indicators(answer: Mapping[str, Any]) -> Indicators:
    graph = build_graph(answer)
    n = len(graph.nodes)
    counts = Counter(data["sector"] for data in graph.nodes.values())
    if len(counts) > 1:
        shares = [c / n for c in counts.values()]
        evenness = -sum(p * math.log(p) for p in shares) / math.log(len(counts))
    else:
        evenness = 0.0
    degrees = {node: graph.degree(node) for node in graph.nodes}
    names = {node: data["name"] for node, data in graph.nodes.items()}
    top = max(degrees.values(), default=0)
    return Indicators(
        actors=n,
        ties=len(graph.edges()),
        sectors=len(counts),
        sector_evenness=round(evenness, 2),
        connected_share=round(sum(1 for d in degrees.values() if d > 0) / n, 2) if n else 0.0,
        density=round(graph.density(), 2) if n > 1 else 0.0,
        isolated=tuple(names[node] for node, d in degrees.items() if d == 0),
        hubs=tuple(names[node] for node, d in degrees.items() if d == top and top > 1),
    )


def layout(graph: Graph, sector_order: Sequence[str], centre: tuple[float, float],
           radius: float) -> dict[str, tuple[float, float]]:
    """Actors on a circle, grouped by sector in ``sector_order`` (unknown sectors last), clockwise from
    the top, with a gap between sectors; deterministic, so the same answer always gives the same map."""
    rank = {s: i for i, s in enumerate(sector_order)}
    nodes = sorted(graph.nodes, key=lambda n: rank.get(graph.nodes[n]["sector"], len(rank)))
    if len(nodes) == 1:
        return {nodes[0]: centre}
    groups = len({graph.nodes[n]["sector"] for n in nodes})
    slots = len(nodes) + (groups if groups > 1 else 0)  # one empty slot after each sector
    positions, slot, previous = {}, 0, None
    for node in nodes:
        sector = graph.nodes[node]["sector"]
        if previous is not None and sector != previous and groups > 1:
            slot += 1
        angle = -math.pi / 2 + 2 * math.pi * slot / slots
        positions[node] = (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))
        slot, previous = slot + 1, sector
    return positions


def draw_svg(answer: Mapping[str, Any], sector_labels: Mapping[str, str], sector_order: Sequence[str],
             title: str = "") -> bytes:
    """The map as SVG: actors on a circle coloured and grouped by sector, ties as lines, names beside the
    points (escaped), a sector legend below."""
    width, height, centre, radius = 720, 520, (360.0, 235.0), 170.0
    graph = build_graph(answer)
    colours = {s: SECTOR_COLOURS[i % len(SECTOR_COLOURS)] for i, s in enumerate(sector_order)}
    pos = layout(graph, sector_order, centre, radius)
    body = [f'<line x1="{pos[a][0]:.1f}" y1="{pos[a][1]:.1f}" x2="{pos[b][0]:.1f}" y2="{pos[b][1]:.1f}" '
            'stroke="#7a7a7a" stroke-width="1.4"/>' for a, b in graph.edges()]
    for node, (x, y) in pos.items():
        data = graph.nodes[node]
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{colours.get(data["sector"], "#999999")}" '
                    f'stroke="{INK}" stroke-width="0.8"><title>{xml_text(data["name"])}</title></circle>')
        dx, dy = x - centre[0], y - centre[1]
        anchor = "middle" if abs(dx) < 20 else ("start" if dx > 0 else "end")
        offset = 1 if len(pos) > 1 else 0
        lx = x + offset * 16 * (dx / radius) if anchor != "middle" else x
        ly = y + (offset * 24 * (dy / radius) if anchor == "middle" else 0) - (18 if len(pos) == 1 else 0)
        body.append(text(lx, ly, shorten(data["name"]), size=12, anchor=anchor, halo=True))
    present = [s for s in sector_order if any(d["sector"] == s for d in graph.nodes.values())]
    present += sorted({d["sector"] for d in graph.nodes.values()} - set(present))
    x, y = 24.0, height - 22.0
    for sector in present:
        label = shorten(sector_labels.get(sector, sector), 24)
        body.append(f'<circle cx="{x + 6:.1f}" cy="{y:.1f}" r="6" fill="{colours.get(sector, "#999999")}" '
                    f'stroke="{INK}" stroke-width="0.8"/>')
        body.append(text(x + 16, y, label, size=11, anchor="start"))
        x += 30 + 6.5 * len(label)
        if x > width - 120:
            x, y = 24.0, y - 20
    return svg_document(width, height, title or ", ".join(d["name"] for d in graph.nodes.values()), body)


def describe_ties(answer: Mapping[str, Any], sector_labels: Mapping[str, str]) -> list[str]:
    graph = build_graph(answer)
    return [f"{graph.nodes[a]['name']} – {graph.nodes[b]['name']}" for a, b in graph.edges()]


def actors_csv(answer: Mapping[str, Any], sector_labels: Mapping[str, str]) -> str:
    """Actors as CSV (id, name, sector, sector label, ties), safe to open in a spreadsheet."""
    graph = build_graph(answer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "sector", "sector_label", "ties"])
    for node, data in graph.nodes.items():
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
    """GraphML for network tools (Gephi, yEd, networkx): names and sectors as node data, XML-escaped by
    ``xml.etree`` (characters XML cannot hold are dropped)."""
    graph = build_graph(answer)
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", {"xmlns": ns})
    for key in ("name", "sector"):
        ET.SubElement(root, "key", {"id": key, "for": "node", "attr.name": key, "attr.type": "string"})
    container = ET.SubElement(root, "graph", {"edgedefault": "undirected"})
    for node, data in graph.nodes.items():
        element = ET.SubElement(container, "node", {"id": xml_chars(node)})
        for key in ("name", "sector"):
            ET.SubElement(element, "data", {"key": key}).text = xml_chars(data[key])
    for a, b in graph.edges():
        ET.SubElement(container, "edge", {"source": xml_chars(a), "target": xml_chars(b)})
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
