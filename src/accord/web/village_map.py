"""The village map: an account's stakeholders as an influence diagram, one SVG string.

A pure function of a list of ``MapPerson``; no I/O, deterministic output (ids derive from the
content), presentation attributes only (no ``style``, no script), so it passes the pages'
Content Security Policy and draws the same in a PDF.

What it encodes — every channel is also written as text, so nothing rests on colour alone:

* **one circle per active stakeholder**, its **area ∝ effective weight** (``r = R_MAX·√(w / s)``
  with ``s = max(1, heaviest weight)``, so a weight of 1 is the largest circle on every
  account's map and maps compare); a weight of 0 is drawn as a 2 px dot so nobody is lost;
* **fill = current sentiment** (−100…100) on a diverging red–grey–green scale: in RGB from grey
  at 0 to red at −100 and green at +100, a fraction ``(|s| / 100)^0.7`` of the way (the power
  lifts mild views off the grey so ±30 reads as a lean); a stakeholder heard without a score is
  hatched grey; the number is printed under the name;
* **hollow** (white, dashed outline): not heard from in the window — "unheard";
* **veto holders**: a thick dark ring around the circle and a "VETO" label;
* **departed** stakeholders (``departed_on`` set) are drawn faint and dotted in their role, with
  the date they left, so the gap their departure left stays visible;
* stakeholders are **grouped by role**, heaviest role first (a role weighs its heaviest active
  member, as in the AXI), each group labelled, and a role nobody active was heard from is
  marked "unheard".

    >>> svg = village_map([MapPerson("c1", "Ingrid Holm", "technical_buyer", 0.9,
    ...                              sentiment=-100.0, veto=True, heard=True)],
    ...                   title="Village of Acme")
    >>> svg.count('class="vm-person') == 1
    True
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

__all__ = ["MapPerson", "radius", "sentiment_colour", "signed", "summary", "village_map"]

R_MAX = 30.0  # radius of a weight-1 stakeholder
MIN_R = 2.0
CELL_W, CELL_H = 100.0, 112.0
GROUP_PAD, GROUP_HEAD, GAP = 6.0, 24.0, 10.0
MAX_COLUMNS = 4  # people per row inside one role group

INK, MUTED, LINE, BOX = "#18212f", "#586476", "#d5dae2", "#f7f8fa"
VETO_RED = "#b01f14"
NEGATIVE = (192, 57, 43)  # −100
NEUTRAL = (201, 206, 214)  # 0
POSITIVE = (26, 127, 75)  # +100
NO_SCORE = "#c9ced6"  # under the hatch
COLOUR_POWER = 0.7
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

ROLE_LABELS = {
    "economic_buyer": "Economic buyer",
    "technical_buyer": "Technical buyer",
    "user": "Users",
    "procurement": "Procurement",
    "gatekeeper": "Gatekeepers",
    "champion": "Champion",
    "blocker": "Blocker",
    "executive": "Executive",
}


@dataclass(frozen=True)
class MapPerson:
    """One stakeholder as the map draws them.

    ``weight``: effective weight (recorded influence, else the profile's role default);
    ``sentiment``: current sentiment −100…100, None when not heard or heard without a score;
    ``heard``: any feedback from them in the window; ``departed_on``: the day they left, for a
    departed stakeholder (``active`` False).
    """

    id: str
    name: str
    role: str
    weight: float
    sentiment: float | None = None
    veto: bool = False
    heard: bool = False
    active: bool = True
    departed_on: date | None = None


def radius(weight: float, scale: float = 1.0) -> float:
    """Circle radius for a weight, so that area ∝ weight: ``R_MAX·√(w / scale)``."""
    if weight <= 0 or scale <= 0:
        return 0.0
    return R_MAX * math.sqrt(weight / scale)


def sentiment_colour(sentiment: float | None) -> str:
    """Hex fill for a sentiment: grey at 0, towards red at −100 and green at +100 by
    ``(|s| / 100)^0.7`` of the way; ``NO_SCORE`` grey for None."""
    if sentiment is None or math.isnan(sentiment):
        return NO_SCORE
    t = max(-1.0, min(1.0, sentiment / 100.0))
    end = POSITIVE if t > 0 else NEGATIVE
    share = abs(t) ** COLOUR_POWER
    rgb = (round(n + (e - n) * share) for n, e in zip(NEUTRAL, end, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def signed(value: float | None, digits: int = 0) -> str:
    """``+12``, ``−33`` (a true minus sign), ``0``; ``—`` for None."""
    if value is None or math.isnan(value):
        return "—"
    text = f"{value:+.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return text.replace("-", "−")


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(
    x: float,
    y: float,
    label: str,
    *,
    size: float = 11,
    fill: str = INK,
    anchor: str = "middle",
    weight: str | None = None,
    spacing: float | None = None,
    cls: str | None = None,
) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    extra += f' letter-spacing="{spacing}"' if spacing else ""
    extra += f' class="{cls}"' if cls else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_n(size)}" '
        f'fill="{fill}"{extra}>{escape(label)}</text>'
    )


def _short_name(name: str, limit: int = 15) -> str:
    if len(name) <= limit:
        return name
    parts = name.split()
    if len(parts) > 1:
        short = f"{parts[0]} {parts[-1][0]}."
        if len(short) <= limit:
            return short
    return name[: limit - 1] + "…"


def _role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role.replace("_", " ").capitalize())


def _status(p: MapPerson) -> str:
    """The text under a name: the sentiment, or why there is none."""
    if not p.active:
        return f"left {p.departed_on.day} {p.departed_on:%b %Y}" if p.departed_on else "inactive"
    if not p.heard:
        return "unheard"
    if p.sentiment is None:
        return "no score"
    return signed(p.sentiment)


def _tooltip(p: MapPerson) -> str:
    bits = [f"{p.name}, {_role_label(p.role).lower()}", f"weight {p.weight:.2f}"]
    if p.veto:
        bits.append("veto holder")
    status = _status(p)
    bits.append(f"sentiment {status}" if p.active and p.sentiment is not None else status)
    return "; ".join(bits)


def _person(p: MapPerson, cx: float, top: float, scale: float, hatch: str) -> str:
    """One cell: circle (with veto ring), name and status, centred on ``cx``."""
    cy = top + 12 + R_MAX + 4
    r = max(radius(p.weight, scale), MIN_R)
    parts = [f"<title>{escape(_tooltip(p))}</title>"]
    if not p.active:
        cls = "vm-departed"
        parts.append(
            f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="none" stroke="{MUTED}" '
            f'stroke-width="1.25" stroke-dasharray="2 3" opacity="0.6"/>'
        )
    elif not p.heard:
        cls = "vm-person is-unheard"
        parts.append(
            f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="#ffffff" stroke="#7d8797" '
            f'stroke-width="1.75" stroke-dasharray="4 3"/>'
        )
    else:
        cls = "vm-person is-heard"
        fill = sentiment_colour(p.sentiment) if p.sentiment is not None else f"url(#{hatch})"
        parts.append(
            f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="{fill}" '
            f'stroke="#ffffff" stroke-width="1"/>'
        )
    if p.veto and p.active:
        cls += " is-veto"
        parts.append(
            f'<circle class="vm-veto-ring" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r + 4)}" '
            f'fill="none" stroke="{INK}" stroke-width="3"/>'
        )
        parts.append(_text(cx, top + 9, "VETO", size=9, fill=VETO_RED, weight="700", spacing=0.8))
    faint = MUTED if not p.active else INK
    label_y = top + 12 + 2 * R_MAX + 8 + 16
    parts.append(_text(cx, label_y, _short_name(p.name), size=11.5, fill=faint, weight="600"))
    parts.append(_text(cx, label_y + 15, _status(p), size=11, fill=MUTED))
    return (
        f'<g class="{cls}" data-contact="{escape(p.id)}" data-weight="{p.weight:.4g}">'
        + "".join(parts)
        + "</g>"
    )


@dataclass
class _Group:
    role: str
    people: list[MapPerson]
    weight: float
    unheard: bool
    vacant: bool

    @property
    def columns(self) -> int:
        return min(len(self.people), MAX_COLUMNS)

    @property
    def rows(self) -> int:
        return math.ceil(len(self.people) / MAX_COLUMNS)

    @property
    def width(self) -> float:
        label = 7.0 * len(_role_label(self.role)) + 16 + (54 if self.unheard or self.vacant else 0)
        return max(self.columns * CELL_W, label) + 2 * GROUP_PAD

    @property
    def height(self) -> float:
        return GROUP_HEAD + self.rows * CELL_H + GROUP_PAD


def _groups(people: Sequence[MapPerson]) -> list[_Group]:
    by_role: dict[str, list[MapPerson]] = {}
    for p in people:
        by_role.setdefault(p.role, []).append(p)
    groups = []
    for role, members in by_role.items():
        active = [p for p in members if p.active]
        members.sort(key=lambda p: (not p.active, -p.weight, p.name))
        weight = max((p.weight for p in active), default=0.0)
        groups.append(
            _Group(
                role=role,
                people=members,
                weight=weight,
                unheard=bool(active) and not any(p.heard for p in active),
                vacant=not active,
            )
        )
    groups.sort(key=lambda g: (g.vacant, -g.weight, g.role))
    return groups


def _legend(top: float, width: float, hatch: str) -> tuple[list[str], float]:
    """The key under the map: sentiment colours, then the symbols, on the left; the size key on
    the right. Returns (markup, height)."""
    out = [
        f'<line x1="0" x2="{_n(width)}" y1="{_n(top)}" y2="{_n(top)}" stroke="{LINE}"/>',
        _text(0, top + 26, "Sentiment", size=11, anchor="start", weight="600"),
    ]
    x, row1, row2 = 78.0, top + 22, top + 50
    for value in (-100, -50, 0, 50, 100):
        out.append(
            f'<circle cx="{_n(x + 7)}" cy="{_n(row1)}" r="7" fill="{sentiment_colour(value)}"/>'
        )
        out.append(_text(x + 18, row1 + 4, signed(value), size=10.5, fill=MUTED, anchor="start"))
        x += 30 + 7 * len(signed(value))
    out.append(_text(0, row2 + 4, "Marks", size=11, anchor="start", weight="600"))
    x = 78.0
    symbols = [
        (f'fill="url(#{hatch})" stroke="#ffffff"', "heard, no score"),
        ('fill="#ffffff" stroke="#7d8797" stroke-width="1.5" stroke-dasharray="3 2"', "unheard"),
        ('fill="none" stroke="#586476" stroke-dasharray="2 3" opacity="0.7"', "departed"),
    ]
    for attrs, name in symbols:
        out.append(f'<circle cx="{_n(x + 7)}" cy="{_n(row2)}" r="7" {attrs}/>')
        out.append(_text(x + 19, row2 + 4, name, size=10.5, fill=MUTED, anchor="start"))
        x += 32 + 6.2 * len(name)
    out.append(
        f'<circle cx="{_n(x + 9)}" cy="{_n(row2)}" r="5" fill="{NO_SCORE}"/>'
        f'<circle cx="{_n(x + 9)}" cy="{_n(row2)}" r="9" fill="none" stroke="{INK}" '
        'stroke-width="3"/>'
    )
    out.append(_text(x + 24, row2 + 4, "veto holder", size=10.5, fill=MUTED, anchor="start"))
    # size key, right-aligned: a label, then three circles standing on one baseline
    weights = (0.25, 0.5, 1.0)
    span = 88 + sum(2 * radius(w) + 26 for w in weights)
    x = max(width - span, x + 100)
    base = top + 12 + 2 * R_MAX
    out.append(_text(x, base - 22, "Influence", size=11, anchor="start", weight="600"))
    out.append(_text(x, base - 8, "area ∝ weight", size=10.5, anchor="start", fill=MUTED))
    x += 88
    for w in weights:
        r = radius(w)
        out.append(
            f'<circle cx="{_n(x + r)}" cy="{_n(base - r)}" r="{_n(r)}" fill="none" '
            f'stroke="{MUTED}" stroke-width="1"/>'
        )
        out.append(_text(x + 2 * r + 4, base - 2, f"{w:g}", size=10.5, fill=MUTED, anchor="start"))
        x += 2 * r + 26
    return out, 12 + 2 * R_MAX + 6


def summary(people: Sequence[MapPerson]) -> str:
    """A plain-words description for screen readers (the ``<desc>``)."""
    active = [p for p in people if p.active]
    if not active:
        return "No active stakeholders recorded."
    heard = [p for p in active if p.heard]
    roles = {p.role for p in active}
    parts = [
        f"{len(active)} active stakeholder{'s' if len(active) != 1 else ''} in "
        f"{len(roles)} role{'s' if len(roles) != 1 else ''}, {len(heard)} heard from."
    ]
    vetoes = [p for p in active if p.veto]
    if vetoes:
        listed = ", ".join(f"{p.name} ({_status(p)})" for p in vetoes)
        parts.append(f"Veto holders: {listed}.")
    scored = sorted((p for p in heard if p.sentiment is not None), key=lambda p: p.sentiment or 0)
    if scored:
        low, high = scored[0], scored[-1]
        parts.append(f"Most negative: {low.name}, {_role_label(low.role).lower()}, {_status(low)}.")
        if high is not low:
            parts.append(f"Most positive: {high.name}, {_status(high)}.")
    unheard = [p.name for p in active if not p.heard]
    if unheard:
        parts.append(f"Unheard: {', '.join(unheard)}.")
    left = [p.name for p in people if not p.active]
    if left:
        parts.append(f"Departed: {', '.join(left)}.")
    return " ".join(parts)


def village_map(
    people: Sequence[MapPerson],
    *,
    title: str,
    desc: str | None = None,
    width: int = 800,
) -> str:
    """The influence diagram of ``people`` as an ``<svg role="img">`` string (module docstring).

    Active stakeholders are ``<g class="vm-person …">`` (``is-heard`` or ``is-unheard``, plus
    ``is-veto``), departed ones ``<g class="vm-departed">``; each carries ``data-contact`` and a
    ``<title>`` tooltip. ``desc`` defaults to a summary in words.
    """
    uid = (
        "vm"
        + hashlib.sha1(
            repr(
                [
                    (
                        p.id,
                        p.name,
                        p.role,
                        p.weight,
                        p.sentiment,
                        p.veto,
                        p.heard,
                        p.active,
                        p.departed_on,
                    )
                    for p in people
                ]
            ).encode()
        ).hexdigest()[:10]
    )
    hatch = f"{uid}-hatch"
    scale = max([1.0, *(p.weight for p in people)])
    body: list[str] = [
        f'<defs><pattern id="{hatch}" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="{NO_SCORE}"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#8a94a3" stroke-width="2"/></pattern></defs>'
    ]
    x = y = row_h = 0.0
    for g in _groups(people):
        if x > 0 and x + g.width > width:
            x, y = 0.0, y + row_h + GAP
            row_h = 0.0
        body.append(f'<g class="vm-role" data-role="{escape(g.role)}">')
        body.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(g.width)}" height="{_n(g.height)}" '
            f'rx="10" fill="{BOX}" stroke="{LINE}"/>'
        )
        body.append(
            _text(
                x + GROUP_PAD + 4,
                y + 17,
                _role_label(g.role).upper(),
                size=10,
                fill="#31456f",
                anchor="start",
                weight="700",
                spacing=0.5,
            )
        )
        note = "vacant" if g.vacant else "unheard" if g.unheard else ""
        if note:
            body.append(
                _text(
                    x + g.width - GROUP_PAD - 4,
                    y + 17,
                    note,
                    size=10,
                    fill=VETO_RED,
                    anchor="end",
                    weight="600",
                )
            )
        for i, p in enumerate(g.people):
            col, row = i % MAX_COLUMNS, i // MAX_COLUMNS
            inner = g.width - 2 * GROUP_PAD - g.columns * CELL_W  # a wide label: centre the row
            cx = x + GROUP_PAD + inner / 2 + col * CELL_W + CELL_W / 2
            top = y + GROUP_HEAD + row * CELL_H
            body.append(_person(p, cx, top, scale, hatch))
        body.append("</g>")
        x += g.width + GAP
        row_h = max(row_h, g.height)
    map_height = y + row_h if people else 0.0
    if not people:
        body.append(_text(width / 2, 30, "No stakeholders recorded", fill=MUTED))
        map_height = 44.0
    legend, legend_h = _legend(map_height + 16, width, hatch)
    body += legend
    height = map_height + 16 + legend_h
    said = desc if desc is not None else summary(people)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="village-map" '
        f'viewBox="-2 -2 {width + 4} {_n(height + 4)}" width="{width + 4}" '
        f'height="{_n(height + 4)}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{escape(FONT)}">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(said)}</desc>'
        + "".join(body)
        + "</svg>"
    )
