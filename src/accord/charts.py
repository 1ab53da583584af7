"""Small charts as SVG strings: bar, horizontal bar, line and histogram. Pure functions, no I/O.

They render the same in a page (inline SVG: the Content Security Policy allows it, since only
presentation attributes are used — no ``style``, no script) and in a PDF (WeasyPrint draws SVG
itself), with no JavaScript and nothing fetched. Each chart is an ``<svg role="img">`` labelled
by its ``<title>`` and ``<desc>``: screen readers announce the title and read the description,
so write the finding into ``desc`` ("On time rose from 82 % to 91 %"), not "a bar chart".
Values are printed on the chart as text, so they can be read, copied and found in a PDF.

Every function takes ``title`` (required), ``desc`` and a ``fmt`` for values — a format string
(``"{:,.0f}"``, ``"{:.0%}"``) or a function — and returns markup to insert as-is (escape
nothing further; every label is escaped here). Output is deterministic: the same input gives
the same string (element ids derive from the content), so charts can be compared in tests.

    >>> svg = bar_chart([("Q1", 12), ("Q2", 15)], title="Deliveries per quarter")
    >>> svg.startswith("<svg") and "Deliveries per quarter" in svg
    True
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from html import escape

__all__ = ["PALETTE", "bar_chart", "hbar_chart", "histogram", "line_chart", "nice_ticks"]

Fmt = str | Callable[[float], str]

# Colour-blind-safe (Okabe–Ito order, our accent first); text stays dark ink for contrast.
PALETTE = ("#2f5bea", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a7a7a")
INK, MUTED, GRID, HIGHLIGHT = "#18212f", "#586476", "#e2e6ed", "#d55e00"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def _fmt(fmt: Fmt, value: float) -> str:
    return fmt(value) if callable(fmt) else fmt.format(value)


def _n(x: float) -> str:
    """A coordinate, short."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks (1, 2, 2.5 or 5 × 10ⁿ apart) covering [low, high]."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks, tick = [], start
    while tick < high + step * 0.5:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _text(x: float, y: float, label: str, *, anchor: str = "start", size: int = 11,
          fill: str = INK, weight: str | None = None) -> str:  # fmt: skip
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{bold}>{escape(label)}</text>'
    )


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    inner = "".join(body)
    uid = "c" + hashlib.sha1(f"{title}\n{desc}\n{inner}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{escape(FONT)}">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc or title)}'
        f"</desc>{inner}</svg>"
    )


def _legend(names: Sequence[str], colours: Sequence[str], x: float, y: float) -> list[str]:
    out, at = [], x
    for name, colour in zip(names, colours, strict=False):
        out.append(f'<rect x="{_n(at)}" y="{_n(y - 9)}" width="10" height="10" fill="{colour}"/>')
        out.append(_text(at + 14, y, name, size=11))
        at += 24 + 6.5 * len(name)
    return out


def _y_axis(ticks: list[float], scale: Callable[[float], float], left: float, right: float,
            fmt: Fmt) -> list[str]:  # fmt: skip
    out = []
    if len({_fmt(fmt, t) for t in ticks}) < len(ticks):  # e.g. 0.25 steps shown as "{:,.0f}"
        fmt = "{:g}"
    for tick in ticks:
        y = scale(tick)
        out.append(
            f'<line x1="{_n(left)}" x2="{_n(right)}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(left - 6, y + 4, _fmt(fmt, tick), anchor="end", size=10, fill=MUTED))
    return out


def bar_chart(
    data: Sequence[tuple[str, float | None]],
    *,
    title: str,
    desc: str = "",
    width: int = 560,
    height: int = 240,
    fmt: Fmt = "{:,.0f}",
    colour: str = PALETTE[0],
    highlight: Collection[str] = (),
) -> str:
    """Vertical bars, one per (label, value); ``None`` leaves a gap labelled "n/a". Labels in
    ``highlight`` are drawn in the highlight colour (e.g. "you" among peers)."""
    values = [v for _, v in data if v is not None]
    ticks = nice_ticks(min(0.0, *values) if values else 0.0, max(values) if values else 1.0)
    left, right, top, bottom = 56.0, width - 12.0, 16.0, height - 36.0
    lo, hi = ticks[0], ticks[-1]

    def y(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    body = _y_axis(ticks, y, left, right, fmt)
    slot = (right - left) / max(len(data), 1)
    bar = min(slot * 0.7, 64.0)
    for i, (label, value) in enumerate(data):
        cx = left + slot * (i + 0.5)
        body.append(_text(cx, bottom + 15, label, anchor="middle", size=10, fill=MUTED))
        if value is None:
            body.append(_text(cx, bottom - 4, "n/a", anchor="middle", size=10, fill=MUTED))
            continue
        y0, y1 = y(max(value, 0.0)), y(min(value, 0.0))
        fill = HIGHLIGHT if label in highlight else colour
        body.append(
            f'<rect x="{_n(cx - bar / 2)}" y="{_n(y0)}" width="{_n(bar)}" '
            f'height="{_n(max(y1 - y0, 0.5))}" fill="{fill}"><title>{escape(label)}: '
            f"{escape(_fmt(fmt, value))}</title></rect>"
        )
        body.append(_text(cx, y0 - 4, _fmt(fmt, value), anchor="middle", size=10))
    body.append(
        f'<line x1="{_n(left)}" x2="{_n(right)}" y1="{_n(y(max(lo, 0)))}" '
        f'y2="{_n(y(max(lo, 0)))}" stroke="{MUTED}" stroke-width="1"/>'
    )
    return _svg(width, height, title, desc, body)


def hbar_chart(
    data: Sequence[tuple[str, float | None]],
    *,
    title: str,
    desc: str = "",
    width: int = 560,
    bar_height: int = 20,
    fmt: Fmt = "{:,.0f}",
    colour: str = PALETTE[0],
    highlight: Collection[str] = (),
    max_value: float | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    label_width: int = 170,
) -> str:
    """Horizontal bars — good for long labels (pain points, reasons, metrics). ``ranges`` draws
    a thin band per label (e.g. the peers' 25th–75th percentile) behind its bar."""
    values = [v for _, v in data if v is not None]
    spans = [b for r in (ranges or {}).values() for b in r]
    top_value = max_value if max_value is not None else max([*values, *spans, 0.0]) or 1.0
    left, right, gap = float(label_width), width - 64.0, 8
    height = int(16 + len(data) * (bar_height + gap) + 8)

    def x(v: float) -> float:
        return left + max(v, 0.0) / top_value * (right - left)

    body: list[str] = []
    for i, (label, value) in enumerate(data):
        y = 12 + i * (bar_height + gap)
        shown = label if len(label) <= label_width // 6 else label[: label_width // 6 - 1] + "…"
        body.append(_text(left - 8, y + bar_height * 0.7, shown, anchor="end", size=11))
        if ranges and label in ranges:
            a, b = ranges[label]
            body.append(
                f'<rect x="{_n(x(a))}" y="{_n(y - 2)}" width="{_n(max(x(b) - x(a), 1))}" '
                f'height="{bar_height + 4}" fill="{GRID}"/>'
            )
        if value is None:
            body.append(_text(left + 4, y + bar_height * 0.7, "n/a", size=10, fill=MUTED))
            continue
        fill = HIGHLIGHT if label in highlight else colour
        body.append(
            f'<rect x="{_n(left)}" y="{_n(y)}" width="{_n(max(x(value) - left, 0.5))}" '
            f'height="{bar_height}" fill="{fill}"><title>{escape(label)}: '
            f"{escape(_fmt(fmt, value))}</title></rect>"
        )
        body.append(_text(x(value) + 5, y + bar_height * 0.7, _fmt(fmt, value), size=10))
    return _svg(width, height, title, desc, body)


def line_chart(
    series: Mapping[str, Sequence[float | None]],
    labels: Sequence[str],
    *,
    title: str,
    desc: str = "",
    width: int = 560,
    height: int = 240,
    fmt: Fmt = "{:,.0f}",
    colours: Sequence[str] = PALETTE,
    y_min: float | None = None,
    y_max: float | None = None,
) -> str:
    """One line per series over the x ``labels``; ``None`` breaks a line. Each point carries
    its value as a tooltip, and the last point of each line is labelled."""
    values = [v for vs in series.values() for v in vs if v is not None]
    lo = y_min if y_min is not None else min([0.0, *values])
    hi = y_max if y_max is not None else max([*values, lo + 1.0])
    ticks = nice_ticks(lo, hi)
    lo, hi = min(ticks[0], lo), max(ticks[-1], hi)
    left, right, top = 56.0, width - 60.0, 16.0
    bottom = height - (44.0 if len(series) > 1 else 30.0)

    def y(v: float) -> float:
        return bottom - (v - lo) / ((hi - lo) or 1.0) * (bottom - top)

    step = (right - left) / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + step * i if len(labels) > 1 else (left + right) / 2

    body = _y_axis(ticks, y, left, right, fmt)
    every = max(1, math.ceil(len(labels) / 12))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            body.append(_text(x(i), bottom + 15, label, anchor="middle", size=10, fill=MUTED))
    for (name, points), colour in zip(series.items(), colours, strict=False):
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(points):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x(i), y(v)))
                body.append(
                    f'<circle cx="{_n(x(i))}" cy="{_n(y(v))}" r="3" fill="{colour}">'
                    f"<title>{escape(name)}, {escape(labels[i])}: {escape(_fmt(fmt, v))}</title>"
                    "</circle>"
                )
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{_n(a)},{_n(b)}" for a, b in run)
                body.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
        last = next(((i, v) for i, v in reversed(list(enumerate(points))) if v is not None), None)
        if last is not None:
            body.append(_text(x(last[0]) + 6, y(last[1]) + 4, _fmt(fmt, last[1]), size=10))
    if len(series) > 1:
        body += _legend(list(series), list(colours), left, height - 8)
    return _svg(width, height, title, desc, body)


def histogram(
    groups: Mapping[str, Sequence[float]],
    *,
    bins: Sequence[float],
    title: str,
    desc: str = "",
    width: int = 560,
    height: int = 240,
    colours: Sequence[str] = PALETTE,
    markers: Mapping[str, float] | None = None,
    share: bool = False,
) -> str:
    """Counts of each group's values per bin (``bins`` are the edges, lower edge inclusive, the
    last bin also takes the top edge), groups side by side within a bin. ``markers`` draws a
    labelled vertical line at a value (e.g. the mql and sql thresholds). With ``share``, bars
    are each group's share of its own total, so groups of different size compare."""
    edges = list(bins)
    counts: dict[str, list[float]] = {}
    for name, values in groups.items():
        row = [0.0] * (len(edges) - 1)
        for v in values:
            for i in range(len(edges) - 1):
                last = i == len(edges) - 2
                if edges[i] <= v < edges[i + 1] or (last and v == edges[-1]):
                    row[i] += 1
                    break
        total = sum(row)
        counts[name] = [c / total for c in row] if share and total else row
    fmt: Fmt = "{:.0%}" if share else "{:,.0f}"
    peak = max((c for row in counts.values() for c in row), default=1.0) or 1.0
    ticks = nice_ticks(0.0, peak)
    left, right, top = 56.0, width - 12.0, 18.0
    bottom = height - (44.0 if len(groups) > 1 else 30.0)

    def y(v: float) -> float:
        return bottom - v / ticks[-1] * (bottom - top)

    def x(v: float) -> float:
        return left + (v - edges[0]) / ((edges[-1] - edges[0]) or 1.0) * (right - left)

    body = _y_axis(ticks, y, left, right, fmt)
    names = list(counts)
    for i in range(len(edges) - 1):
        x0, x1 = x(edges[i]), x(edges[i + 1])
        inner = (x1 - x0) * 0.85 / max(len(names), 1)
        for j, name in enumerate(names):
            value = counts[name][i]
            colour = colours[j % len(colours)]
            bx = x0 + (x1 - x0) * 0.075 + inner * j
            body.append(
                f'<rect x="{_n(bx)}" y="{_n(y(value))}" width="{_n(inner)}" '
                f'height="{_n(bottom - y(value))}" fill="{colour}"><title>{escape(name)}, '
                f"{_fmt('{:g}', edges[i])}–{_fmt('{:g}', edges[i + 1])}: "
                f"{escape(_fmt(fmt, value))}</title></rect>"
            )
    for edge in edges[:: max(1, math.ceil(len(edges) / 12))]:
        body.append(_text(x(edge), bottom + 15, f"{edge:g}", anchor="middle", size=10, fill=MUTED))
    for label, value in (markers or {}).items():
        mx = x(value)
        body.append(
            f'<line x1="{_n(mx)}" x2="{_n(mx)}" y1="{_n(top - 6)}" y2="{_n(bottom)}" '
            f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        body.append(_text(mx + 3, top + 2, f"{label} {value:g}", size=10, weight="600"))
    if len(groups) > 1:
        body += _legend(names, list(colours), left, height - 8)
    return _svg(width, height, title, desc, body)
