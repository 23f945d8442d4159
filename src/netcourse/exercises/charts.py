"""Charts as SVG, drawn in pure Python (no plotting library), shown as ``<img alt=…>``.

Each chart is a standalone SVG document (UTF-8 bytes) with ``role="img"``, an ``aria-label`` and a
``<title>``; pages, journals and the documentation embed it as a ``data:image/svg+xml`` image with an
escaped ``alt``, so it needs no outside request and no script. Every text inside the SVG goes through
:func:`xml_text` (characters XML cannot hold removed, markup escaped): participant text stays text.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence

ACCENT = "#1f5f8b"
GRID = "#8a8a8a"
INK = "#1a1a1a"
MUTED = "#444444"
RISK = "#f4d6d6"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates and U+FFFE/F
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_chars(text: object) -> str:
    """``text`` without the characters XML 1.0 cannot hold (a NUL would make the whole SVG unreadable)."""
    return _NOT_XML.sub("", str(text))


def xml_text(text: object) -> str:
    """``text`` safe inside an SVG element or attribute: invalid characters dropped, markup escaped."""
    return html.escape(xml_chars(text), quote=True)


def shorten(text: str, limit: int = 28) -> str:
    """A label that fits beside a point; the full text is in the chart's text alternative."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg_document(width: int, height: int, title: str, body: Iterable[str]) -> bytes:
    """A standalone SVG with its text alternative (``role="img"``, ``aria-label``, ``<title>``)."""
    label = xml_text(" ".join(title.split()))  # one line: attribute values cannot keep line breaks
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}" font-family="{FONT}">'
            f"<title>{label}</title>")
    return (head + "".join(body) + "</svg>").encode("utf-8")


def text(x: float, y: float, content: str, size: int = 11, anchor: str = "middle", colour: str = INK,
         halo: bool = False, baseline: str = "middle", rotate: int = 0) -> str:
    extra = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"' if halo else ""
    if rotate:
        extra += f' transform="rotate({rotate} {num(x)} {num(y)})"'
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'dominant-baseline="{baseline}" fill="{colour}"{extra}>{xml_text(content)}</text>')


def polyline(points: Sequence[tuple[float, float]], closed: bool = True) -> str:
    coords = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return f'<{"polygon" if closed else "polyline"} points="{coords}"'


def radar_svg(labels: Sequence[str], values: Sequence[float | None], vmin: int, vmax: int,
              title: str = "") -> bytes:
    """A radar (spider) chart of ``values`` on axes ``labels``; ``None`` is drawn at the innermost ring."""
    width, height, cx, cy, radius = 460, 350, 230.0, 175.0, 120.0
    n = max(len(labels), 1)
    low = vmin - 1  # the centre: one step below the scale, so the lowest rating is still a ring

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * (value - low) / (vmax - low)
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body = []
    for tick in range(vmin, vmax + 1):
        body.append(polyline([point(i, tick) for i in range(n)]) + f' fill="none" stroke="{GRID}" stroke-width="0.6"/>')
    for i, label in enumerate(labels):
        x, y = point(i, vmax)
        body.append(f'<line x1="{num(cx)}" y1="{num(cy)}" x2="{num(x)}" y2="{num(y)}" stroke="{GRID}" '
                    'stroke-width="0.6"/>')
        lx, ly = point(i, vmax + (vmax - low) * 0.16)
        anchor = "middle" if abs(lx - cx) < 1 else ("start" if lx > cx else "end")
        body.append(text(lx, ly, shorten(label, 22), size=16, anchor=anchor))
    for tick in range(vmin, vmax + 1):
        x, y = point(0, tick)
        body.append(text(x + 4, y, str(tick), size=11, anchor="start", colour=MUTED, halo=True))
    points = [point(i, float(v) if v is not None else float(vmin)) for i, v in enumerate(values)]
    if points:
        body.append(polyline(points) + f' fill="{ACCENT}" fill-opacity="0.22" stroke="{ACCENT}" '
                    'stroke-width="2.2" stroke-linejoin="round"/>')
        body += [f'<circle cx="{num(x)}" cy="{num(y)}" r="4" fill="{ACCENT}"/>' for x, y in points]
    return svg_document(width, height, title or ", ".join(labels), body)


def nice_step(span: float, ticks: int = 6) -> float:
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def balance_svg(points: Sequence[tuple[str, float, float]], max_hours: float, vmin: int, vmax: int,
                x_label: str, y_label: str, risk_hours: float, title: str = "") -> bytes:
    """Time invested (x) against added value (y) per member type; the risky corner (much time, little
    value: right of ``risk_hours``, below 2.5) is shaded."""
    width, height = 620, 420
    left, right, top, bottom = 64.0, 600.0, 20.0, 360.0
    x_max, y_lo, y_hi = max_hours * 1.05, vmin - 0.5, vmax + 0.5

    def px(hours: float) -> float:
        return left + (right - left) * hours / x_max

    def py(value: float) -> float:
        return bottom - (bottom - top) * (value - y_lo) / (y_hi - y_lo)

    body = [f'<rect x="{num(px(risk_hours))}" y="{num(py(2.5))}" width="{num(right - px(risk_hours))}" '
            f'height="{num(bottom - py(2.5))}" fill="{RISK}"/>',
            f'<line x1="{num(left)}" y1="{num(py(2.5))}" x2="{num(right)}" y2="{num(py(2.5))}" stroke="{GRID}" '
            'stroke-width="0.8" stroke-dasharray="5 4"/>',
            f'<line x1="{num(px(risk_hours))}" y1="{num(top)}" x2="{num(px(risk_hours))}" y2="{num(bottom)}" '
            f'stroke="{GRID}" stroke-width="0.8" stroke-dasharray="5 4"/>',
            f'<path d="M{num(left)},{num(top)} V{num(bottom)} H{num(right)}" fill="none" stroke="{INK}" '
            'stroke-width="1"/>']
    for value in range(vmin, vmax + 1):
        body.append(f'<line x1="{num(left - 5)}" y1="{num(py(value))}" x2="{num(left)}" y2="{num(py(value))}" '
                    f'stroke="{INK}"/>')
        body.append(text(left - 9, py(value), str(value), size=10, anchor="end", colour=MUTED))
    step = nice_step(x_max)
    hours = 0.0
    while hours <= x_max + 1e-9:
        body.append(f'<line x1="{num(px(hours))}" y1="{num(bottom)}" x2="{num(px(hours))}" y2="{num(bottom + 5)}" '
                    f'stroke="{INK}"/>')
        body.append(text(px(hours), bottom + 16, num(hours), size=10, colour=MUTED))
        hours += step
    body.append(text((left + right) / 2, bottom + 42, x_label, size=12))
    body.append(text(18, (top + bottom) / 2, y_label, size=12, rotate=-90))
    for label, hours, value in points:
        x, y = px(hours), py(value)
        body.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="5.5" fill="{ACCENT}"/>')
        anchor = "end" if x > right - 140 else "start"
        body.append(text(x + (-9 if anchor == "end" else 9), y - 9, shorten(label), size=11, anchor=anchor,
                         halo=True))
    return svg_document(width, height, title or f"{x_label} / {y_label}", body)
