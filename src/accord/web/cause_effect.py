"""The cause-and-effect view of key driver analysis: the six drivers — three forces (rational)
and three senses (perceptual) — each an arrow into the booking outcome, **arrow thickness ∝
importance** (the driver's share of R², ``w = 16 px · share / largest share``, never thinner
than 1 px so a minor driver stays visible). An arrow is blue when the driver moves with the
outcome (positive correlation) and orange, labelled "inverse", when against it. Each driver's
share is printed in its box; the outcome box carries R², its interval and the sample size.

A pure function returning one ``<svg role="img">`` string; presentation attributes only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from accord.web.insight_charts import DRIVER_NAMES, FORCES, SENSES

__all__ = ["DriverLink", "cause_effect"]

INK, MUTED, LINE = "#18212f", "#586476", "#cfd5df"
POSITIVE, INVERSE = "#2f5bea", "#d55e00"
FORCE_BG, SENSE_BG, OUTCOME_BG = "#eef2fd", "#f4effb", "#18212f"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
MAX_WIDTH, MIN_WIDTH = 16.0, 1.0

MEANING = {
    "product": "fit, quality, specs",
    "price": "value for money",
    "fulfilment": "delivery and service",
    "ease": "peace of mind",
    "presence": "helps them show results",
    "trust": "reliable account team",
}


@dataclass(frozen=True)
class DriverLink:
    """One driver's arrow: its share of R² (%) and the sign of its correlation with the
    outcome."""

    driver: str
    share: float
    positive: bool = True


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, label: str, *, size: float = 11, fill: str = INK,
          anchor: str = "start", weight: str | None = None) -> str:  # fmt: skip
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_n(size)}" '
        f'fill="{fill}"{bold}>{escape(label)}</text>'
    )


def arrow_width(share: float, largest: float) -> float:
    """Stroke width for a driver's share of R²: proportional, at least ``MIN_WIDTH``."""
    if largest <= 0:
        return MIN_WIDTH
    return max(MIN_WIDTH, MAX_WIDTH * max(share, 0.0) / largest)


def cause_effect(
    links: Sequence[DriverLink],
    *,
    outcome: str,
    r2: float,
    r2_ci: tuple[float | None, float | None] = (None, None),
    n: int | None = None,
    width: int = 720,
) -> str:
    """Drivers (forces above, senses below) → the outcome box, arrows as in the module
    docstring. ``outcome`` names the booking ("Renewal"); ``r2`` is the model's R²."""
    by_driver = {link.driver: link for link in links}
    largest = max((link.share for link in links), default=0.0)
    node_w, node_h, step = 214.0, 44.0, 54.0
    out_x, out_w = width - 190.0, 190.0
    rows: list[tuple[str, float]] = []  # (driver, top y)
    y = 26.0
    body: list[str] = [_text(0, 16, "THREE FORCES · rational", size=10.5, fill=MUTED,
                             weight="700")]  # fmt: skip
    for d in FORCES:
        rows.append((d, y))
        y += step
    y += 26
    body.append(_text(0, y - 10, "THREE SENSES · perceptual", size=10.5, fill=MUTED,
                      weight="700"))  # fmt: skip
    for d in SENSES:
        rows.append((d, y))
        y += step
    height = y - step + node_h + 8
    out_h = min(150.0, height - 40)
    out_y = (height - out_h) / 2
    # arrows arrive spread along the outcome's left edge, in the drivers' order (no crossings)
    arrive = [out_y + 22 + i * (out_h - 44) / max(len(rows) - 1, 1) for i in range(len(rows))]
    arrows = []
    for (d, top), end_y in zip(rows, arrive, strict=True):
        link = by_driver.get(d)
        if link is None:
            continue
        w = arrow_width(link.share, largest)
        colour = POSITIVE if link.positive else INVERSE
        x0, y0 = node_w, top + node_h / 2
        head_l, head_h = 8 + w * 0.55, max(5.0, w * 0.85)
        x1 = out_x - 2 - head_l
        mid = (x0 + x1) / 2
        arrows.append(
            (
                w,
                f'<g class="ce-arrow" data-driver="{escape(d)}" data-width="{w:.2f}">'
                f"<title>{escape(DRIVER_NAMES[d])} → {escape(outcome)}: {link.share:.0f}% of "
                f"R²{'' if link.positive else ', inverse'}</title>"
                f'<path d="M{_n(x0)},{_n(y0)} C{_n(mid)},{_n(y0)} {_n(mid)},{_n(end_y)} '
                f'{_n(x1 + 1)},{_n(end_y)}" fill="none" stroke="{colour}" '
                f'stroke-width="{w:.2f}" stroke-opacity="0.85"/>'
                f'<polygon points="{_n(x1)},{_n(end_y - head_h)} {_n(out_x - 2)},{_n(end_y)} '
                f'{_n(x1)},{_n(end_y + head_h)}" fill="{colour}"/></g>',
            )
        )
    body += [svg for _, svg in sorted(arrows, key=lambda a: -a[0])]  # thin ones on top
    for d, top in rows:
        link = by_driver.get(d)
        bg = FORCE_BG if d in FORCES else SENSE_BG
        body.append(
            f'<rect x="0" y="{_n(top)}" width="{_n(node_w)}" height="{_n(node_h)}" rx="8" '
            f'fill="{bg}" stroke="{LINE}"/>'
        )
        body.append(_text(12, top + 19, DRIVER_NAMES[d], size=13, weight="650"))
        body.append(_text(12, top + 35, MEANING[d], size=10.5, fill=MUTED))
        share = "—" if link is None else f"{link.share:.0f}%"
        body.append(_text(node_w - 12, top + 20, share, size=13, anchor="end", weight="700"))
        if link is not None and not link.positive:
            body.append(_text(node_w - 12, top + 35, "inverse", size=10, fill=INVERSE,
                              anchor="end", weight="600"))  # fmt: skip
        elif link is not None:
            body.append(_text(node_w - 12, top + 35, "of R²", size=10, fill=MUTED,
                              anchor="end"))  # fmt: skip
    body.append(
        f'<rect x="{_n(out_x)}" y="{_n(out_y)}" width="{_n(out_w)}" height="{_n(out_h)}" '
        f'rx="12" fill="{OUTCOME_BG}"/>'
    )
    cx = out_x + out_w / 2
    body.append(_text(cx, out_y + out_h / 2 - 14, outcome, size=18, fill="#ffffff",
                      anchor="middle", weight="700"))  # fmt: skip
    body.append(_text(cx, out_y + out_h / 2 + 10, f"R² {r2:.2f}", size=13, fill="#dfe6f1",
                      anchor="middle", weight="600"))  # fmt: skip
    low, high = r2_ci
    if low is not None and high is not None:
        body.append(_text(cx, out_y + out_h / 2 + 28, f"95% CI {low:.2f}–{high:.2f}",
                          size=11, fill="#c3cddc", anchor="middle"))  # fmt: skip
    if n is not None:
        body.append(_text(cx, out_y + out_h / 2 + 44, f"n = {n} accounts", size=11,
                          fill="#c3cddc", anchor="middle"))  # fmt: skip
    ranked = sorted(links, key=lambda link: -link.share)
    desc = f"{outcome}, R² {r2:.2f}. " + "; ".join(
        f"{DRIVER_NAMES.get(link.driver, link.driver)} {link.share:.0f}% of R²"
        + ("" if link.positive else " (inverse)")
        for link in ranked
    )
    title = f"What drives {outcome.lower()}: drivers to outcome, arrow thickness = importance"
    inner = "".join(body)
    uid = "ce" + hashlib.sha1(f"{title}\n{desc}\n{inner}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cause-effect" viewBox="0 0 {width} '
        f'{_n(height)}" width="{width}" height="{_n(height)}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="{escape(FONT)}">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}.</desc>'
        f"{inner}</svg>"
    )
