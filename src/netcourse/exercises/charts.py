"""Charts as PNG with a text alternative: rendered by matplotlib (Agg), shown as ``<img alt=…>``."""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

ACCENT = "#1f5f8b"
GRID = "#8a8a8a"


def pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend, imported on first use (it costs ~0.5 s)."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    # participant text may hold emoji the bundled font lacks: draw a box, do not warn
    warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
    import matplotlib.pyplot as plt

    return plt


@contextmanager
def png_figure(size_in: tuple[float, float]) -> Iterator[tuple[Any, io.BytesIO]]:
    """A matplotlib figure that is laid out, saved as PNG into the yielded buffer and closed on exit."""
    plt = pyplot()
    fig = plt.figure(figsize=size_in, dpi=110)
    buffer = io.BytesIO()
    try:
        yield fig, buffer
        fig.tight_layout()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)


def radar_png(labels: Sequence[str], values: Sequence[float | None], vmin: int, vmax: int,
              size_in: float = 4.2) -> bytes:
    """A radar (spider) chart of ``values`` on axes ``labels``; ``None`` is drawn at the centre."""
    n = len(labels)
    angles = [2 * math.pi * i / n for i in range(n)] + [0.0]
    points = [float(v) if v is not None else float(vmin) for v in values]
    points.append(points[0])
    with png_figure((size_in, size_in)) as (fig, buffer):
        ax = fig.add_subplot(polar=True)
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_ylim(vmin - 1, vmax)
        ax.set_yticks(range(vmin, vmax + 1))
        ax.set_yticklabels([str(t) for t in range(vmin, vmax + 1)], color="#444444", fontsize=8)
        ax.set_xticks(angles[:-1])
        ax.set_xticklabels(list(labels), fontsize=11, color="#1a1a1a")
        ax.tick_params(axis="x", pad=10)
        ax.grid(color=GRID, linewidth=0.6)
        ax.plot(angles, points, color=ACCENT, linewidth=2.2)
        ax.fill(angles, points, color=ACCENT, alpha=0.22)
        ax.scatter(angles[:-1], points[:-1], color=ACCENT, s=28, zorder=3)
    return buffer.getvalue()


def image_html(png: bytes, alt: str, caption: str | None = None) -> str:
    """An ``<img>`` with the PNG inline and an escaped ``alt``; optional escaped caption."""
    data = base64.b64encode(png).decode("ascii")
    img = f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" class="nc-chart">'
    if caption is None:
        return img
    return f'<figure class="nc-figure">{img}<figcaption>{html.escape(caption)}</figcaption></figure>'


def balance_png(points: Sequence[tuple[str, float, float]], max_hours: float, vmin: int, vmax: int,
                x_label: str, y_label: str, risk_hours: float, size_in: tuple[float, float] = (6.0, 4.2)) -> bytes:
    """Time invested (x) against added value (y) per member type; the risky corner is shaded."""
    with png_figure(size_in) as (fig, buffer):
        ax = fig.add_subplot()
        ax.set_xlim(0, max_hours * 1.05)
        ax.set_ylim(vmin - 0.5, vmax + 0.5)
        ax.axvspan(risk_hours, max_hours * 1.05, ymin=0, ymax=(2.5 - (vmin - 0.5)) / (vmax - vmin + 1),
                   color="#f4d6d6", zorder=0)
        ax.axhline(2.5, color=GRID, linewidth=0.8, linestyle="--")
        ax.axvline(risk_hours, color=GRID, linewidth=0.8, linestyle="--")
        ax.set_yticks(range(vmin, vmax + 1))
        ax.set_xlabel(x_label, fontsize=10)
        ax.set_ylabel(y_label, fontsize=10)
        for label, hours, value in points:
            ax.scatter([hours], [value], s=70, color=ACCENT, zorder=3)
            ax.annotate(label, (hours, value), textcoords="offset points", xytext=(7, 6), fontsize=9,
                        color="#1a1a1a")
        ax.spines[["top", "right"]].set_visible(False)
    return buffer.getvalue()
