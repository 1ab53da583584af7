"""The insight pages' own small SVG charts — the kinds ``accord.charts`` does not draw: a
bullet bar against a target, an AXI band on the −100…100 scale, a diverging driver profile,
and relative weights with confidence whiskers.

Pure functions returning ``<svg role="img">`` strings: presentation attributes only (the pages'
Content Security Policy allows no ``style``), every value also printed as text, deterministic
output. Colours come from ``village_map.sentiment_colour`` so the scales match across the pages.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from accord.web.village_map import sentiment_colour, signed

__all__ = ["Importance", "axi_band", "bullet", "driver_profile", "importance_chart"]

INK, MUTED, GRID, TRACK = "#18212f", "#586476", "#e2e6ed", "#e9edf3"
ACCENT, ACCENT_SOFT, GOOD, WARN = "#2f5bea", "#c9d5fb", "#1a7f4b", "#b7791f"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

DRIVER_NAMES = {
    "product": "Product",
    "price": "Price",
    "fulfilment": "Fulfilment",
    "ease": "Ease",
    "presence": "Presence",
    "trust": "Trust",
}
FORCES = ("product", "price", "fulfilment")
SENSES = ("ease", "presence", "trust")


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, label: str, *, size: float = 11, fill: str = INK,
          anchor: str = "start", weight: str | None = None) -> str:  # fmt: skip
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_n(size)}" '
        f'fill="{fill}"{bold}>{escape(label)}</text>'
    )


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _svg(cls: str, width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    """A labelled SVG; with an empty ``desc`` the title alone labels it (aria-label)."""
    inner = "".join(body)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {_n(width)} '
        f'{_n(height)}" width="{_n(width)}" height="{_n(height)}" role="img" '
        f'font-family="{escape(FONT)}"'
    )
    if not desc:
        return f'{head} aria-label="{escape(title)}"><title>{escape(title)}</title>{inner}</svg>'
    uid = cls[:3] + hashlib.sha1(f"{title}\n{desc}\n{inner}".encode()).hexdigest()[:10]
    return (
        f'{head} aria-labelledby="{uid}-t {uid}-d"><title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(desc)}</desc>{inner}</svg>'
    )


def bullet(value: float | None, *, target: float, title: str, width: int = 420) -> str:
    """A share (0…1) as a bar against a target line, e.g. revenue coverage against the 80 % bar;
    green when it meets the target, amber when not."""
    left, right, height = 4.0, width - 4.0, 46

    def x(v: float) -> float:
        return left + max(0.0, min(1.0, v)) * (right - left)

    body = [f'<rect x="{_n(left)}" y="8" width="{_n(right - left)}" height="16" rx="4" '
            f'fill="{TRACK}"/>']  # fmt: skip
    if not _missing(value):
        assert value is not None
        colour = GOOD if value >= target else WARN
        body.append(
            f'<rect x="{_n(left)}" y="8" width="{_n(max(x(value) - left, 1))}" height="16" '
            f'rx="4" fill="{colour}"/>'
        )
    tx = x(target)
    body.append(
        f'<line x1="{_n(tx)}" x2="{_n(tx)}" y1="3" y2="29" stroke="{INK}" stroke-width="2"/>'
    )
    body.append(_text(tx, 42, f"bar {target:.0%}", size=10.5, anchor="middle", weight="600"))
    for tick in (0.0, 0.5, 1.0):
        anchor = "start" if tick == 0 else "end" if tick == 1 else "middle"
        if abs(tick - target) > 0.12:
            body.append(_text(x(tick), 42, f"{tick:.0%}", size=10, fill=MUTED, anchor=anchor))
    shown = "no value" if _missing(value) else f"{value:.0%}"
    return _svg("bullet", width, height, f"{title}: {shown} against a bar of {target:.0%}", "",
                body)  # fmt: skip


def axi_band(axi: float | None, low: float | None, high: float | None, *, width: int = 132,
             label: str = "AXI") -> str:  # fmt: skip
    """The −100…100 scale with the uncertainty band (low…high) and the AXI as a dot coloured by
    sentiment; a hollow dot marks an account nobody was heard from (band = its segment's)."""
    left, right, mid = 5.0, width - 5.0, 9.0

    def x(v: float) -> float:
        return left + (max(-100.0, min(100.0, v)) + 100.0) / 200.0 * (right - left)

    body = [
        f'<line x1="{_n(left)}" x2="{_n(right)}" y1="{mid}" y2="{mid}" stroke="{GRID}" '
        'stroke-width="2"/>',
        f'<line x1="{_n(x(0))}" x2="{_n(x(0))}" y1="3" y2="15" stroke="#aab2bf"/>',
    ]
    if not _missing(low) and not _missing(high):
        assert low is not None and high is not None
        body.append(
            f'<rect x="{_n(x(low))}" y="{mid - 4}" width="{_n(max(x(high) - x(low), 1))}" '
            f'height="8" rx="4" fill="{ACCENT_SOFT}"/>'
        )
    if _missing(axi):
        centre = 0.0 if _missing(low) or _missing(high) else ((low or 0) + (high or 0)) / 2
        body.append(
            f'<circle cx="{_n(x(centre))}" cy="{mid}" r="4" fill="#ffffff" stroke="{MUTED}" '
            'stroke-width="1.5"/>'
        )
        words = f"{label}: nobody heard"
    else:
        assert axi is not None
        body.append(
            f'<circle cx="{_n(x(axi))}" cy="{mid}" r="5" fill="{sentiment_colour(axi)}" '
            f'stroke="{INK}" stroke-width="1"/>'
        )
        words = f"{label} {signed(axi)}"
    if not _missing(low) and not _missing(high):
        words += f", band {signed(low)} to {signed(high)}"
    return _svg("axi-band", width, 18, words, "", body)


def driver_profile(
    scores: Sequence[tuple[str, float | None]], *, title: str, width: int = 420
) -> str:
    """Six driver scores (−100…100) as bars either side of 0, forces then senses; a driver
    nobody rated reads "no ratings"."""
    label_w, right_pad, row, top = 124.0, 44.0, 24.0, 22.0
    left, right = label_w + 30, width - right_pad  # room for a −100 bar's label
    mid = (left + right) / 2
    order = {d: i for i, d in enumerate((*FORCES, *SENSES))}
    rows = sorted(scores, key=lambda s: order.get(s[0], 99))
    height = top + len(rows) * row + 6

    def x(v: float) -> float:
        return mid + max(-100.0, min(100.0, v)) / 100.0 * (right - mid)

    body = []
    for tick in (-100, -50, 0, 50, 100):
        body.append(
            f'<line x1="{_n(x(tick))}" x2="{_n(x(tick))}" y1="{top - 4}" '
            f'y2="{_n(top + len(rows) * row)}" stroke="{"#aab2bf" if tick == 0 else GRID}"/>'
        )
        body.append(_text(x(tick), top - 8, signed(tick), size=10, fill=MUTED, anchor="middle"))
    said = []
    for i, (driver, value) in enumerate(rows):
        y = top + i * row
        if i == len(FORCES) and len(rows) > len(FORCES):
            body.append(
                f'<line x1="0" x2="{_n(width)}" y1="{_n(y)}" y2="{_n(y)}" stroke="{GRID}" '
                'stroke-dasharray="3 3"/>'
            )
        name = DRIVER_NAMES.get(driver, driver.capitalize())
        kind = "force" if driver in FORCES else "sense" if driver in SENSES else ""
        body.append(_text(0, y + 15, name, size=12, weight="600"))
        if kind:
            body.append(_text(label_w - 10, y + 15, kind, size=10, fill=MUTED, anchor="end"))
        if _missing(value):
            body.append(_text(mid + 6, y + 15, "no ratings", size=10.5, fill=MUTED))
            said.append(f"{name} no ratings")
            continue
        assert value is not None
        x0, x1 = sorted((mid, x(value)))
        body.append(
            f'<rect x="{_n(x0)}" y="{_n(y + 5)}" width="{_n(max(x1 - x0, 1))}" height="14" '
            f'rx="2" fill="{sentiment_colour(value)}"><title>{escape(name)}: '
            f"{signed(value)}</title></rect>"
        )
        tx, anchor = (x1 + 5, "start") if value >= 0 else (x0 - 5, "end")
        body.append(_text(tx, y + 16, signed(value), size=11, anchor=anchor, weight="600"))
        said.append(f"{name} {signed(value)}")
    return _svg("driver-profile", width, height, title, "; ".join(said) + ".", body)


@dataclass(frozen=True)
class Importance:
    """One driver's relative weight (raw ε, a share of R²) with its confidence interval."""

    driver: str
    weight: float
    ci_low: float | None
    ci_high: float | None
    share: float  # % of R²


def importance_chart(rows: Sequence[Importance], *, title: str, width: int = 560) -> str:
    """Relative weights as bars (most important first) with bootstrap CI whiskers, each labelled
    with its share of R²."""
    label_w, right_pad, row, top = 96.0, 118.0, 30.0, 10.0
    left, right = label_w, width - right_pad
    spans = [r.weight for r in rows] + [r.ci_high for r in rows if not _missing(r.ci_high)]
    ticks = _ticks(max([*spans, 0.01]))  # type: ignore[list-item]
    top_value = ticks[-1]
    height = top + len(rows) * row + 34

    def x(v: float) -> float:
        return left + max(0.0, v) / top_value * (right - left)

    axis_y = top + len(rows) * row + 4
    body = []
    for tick in ticks:
        body.append(
            f'<line x1="{_n(x(tick))}" x2="{_n(x(tick))}" y1="{_n(top - 2)}" y2="{_n(axis_y)}" '
            f'stroke="{GRID}"/>'
        )
        body.append(_text(x(tick), axis_y + 14, f"{tick:.2f}", size=10, fill=MUTED,
                          anchor="middle"))  # fmt: skip
    body.append(_text(right, axis_y + 28, "R² contribution (raw relative weight)", size=10,
                      fill=MUTED, anchor="end"))  # fmt: skip
    said = []
    for i, r in enumerate(rows):
        y = top + i * row
        name = DRIVER_NAMES.get(r.driver, r.driver.capitalize())
        body.append(_text(label_w - 10, y + 17, name, size=12, anchor="end", weight="600"))
        body.append(
            f'<rect x="{_n(left)}" y="{_n(y + 6)}" width="{_n(max(x(r.weight) - left, 1))}" '
            f'height="16" rx="2" fill="{ACCENT}"><title>{escape(name)}: {r.weight:.3f} '
            f"({r.share:.0f}% of R²)</title></rect>"
        )
        ci = ""
        if not _missing(r.ci_low) and not _missing(r.ci_high):
            assert r.ci_low is not None and r.ci_high is not None
            a, b, cy = x(r.ci_low), x(r.ci_high), y + 14
            body.append(
                f'<g class="whisker" stroke="{INK}" stroke-width="1.5">'
                f'<line x1="{_n(a)}" x2="{_n(b)}" y1="{_n(cy)}" y2="{_n(cy)}"/>'
                f'<line x1="{_n(a)}" x2="{_n(a)}" y1="{_n(cy - 5)}" y2="{_n(cy + 5)}"/>'
                f'<line x1="{_n(b)}" x2="{_n(b)}" y1="{_n(cy - 5)}" y2="{_n(cy + 5)}"/></g>'
            )
            ci = f", CI {r.ci_low:.3f}–{r.ci_high:.3f}"
        body.append(_text(right + 10, y + 18, f"{r.share:.0f}% of R²", size=11.5,
                          weight="600"))  # fmt: skip
        said.append(f"{name} {r.weight:.3f} ({r.share:.0f}% of R²{ci})")
    return _svg("importance", width, height, title, "; ".join(said) + ".", body)


def _ticks(high: float) -> list[float]:
    """0 and round steps up to at least ``high``."""
    raw = high / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    count = math.ceil(high / step - 1e-9)
    return [round(step * i, 10) for i in range(count + 1)]
