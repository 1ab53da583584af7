"""The value report as HTML (for the web page and the PDF alike) and as a PDF (WeasyPrint).

One template, ``templates/value_body.html``, holds the report; the web page wraps it in the
site's layout and the PDF in ``templates/value_pdf.html`` with print styles. Charts are SVG
from ``accord.charts``, drawn here — nothing is fetched, so the PDF renders offline.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from accord import charts
from accord.reports.value import ValueReport

_env = Environment(
    loader=PackageLoader("accord.reports", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def pct(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.1%}" if signed else f"{value:.1%}"


def day(value: date | datetime | None) -> str:
    return "—" if value is None else f"{value.day} {value:%b %Y}"


def label(value: str | None) -> str:
    return "—" if not value else value.replace("_", " ").capitalize()


_env.filters.update(money=money, pct=pct, day=day, label=label)


def highlights(r: ValueReport) -> list[str]:
    """The sentences a purchaser can lift into their own report."""
    out = []
    s, d = r.spend, r.delivery
    if s.savings is not None and s.savings > 0:
        out.append(
            f"Saved {money(s.savings)} ({pct(s.savings_pct)}) against list price on "
            f"{s.priced} purchase{'s' if s.priced != 1 else ''}."
        )
    if s.purchases:
        change = (
            f", {pct(s.change, signed=True)} on {r.previous.label}" if s.change is not None else ""
        )
        out.append(f"Committed {money(s.amount)} in {r.period.label}{change}.")
    if d.delivered:
        peer = next((m for m in r.peers.metrics if m.key == "otif" and not m.withheld), None)
        versus = f" (peers' median {pct(peer.median)})" if peer and peer.median is not None else ""
        out.append(
            f"{pct(d.otif_rate)} of {d.delivered} deliveries arrived on time and complete{versus}."
        )
    if r.issues.raised:
        noun = "issue" if r.issues.raised == 1 else "issues"
        if r.issues.tracked:
            out.append(f"{r.issues.raised} {noun} raised, {r.issues.resolved} resolved.")
        else:
            out.append(f"{r.issues.raised} {noun} raised and heard by your account team.")
    if r.events:
        people = sum(n for _, _, n in r.events)
        events = "event" if len(r.events) == 1 else "events"
        out.append(f"Your team attended {len(r.events)} {events} ({people} attendances).")
    return out


def chart_set(r: ValueReport) -> dict[str, Markup]:
    s, d = r.spend, r.delivery
    out: dict[str, Markup] = {}
    out["spend"] = Markup(
        charts.bar_chart(
            s.by_month,
            title=f"Spend per month, {r.period.label}",
            desc=f"Total {money(s.amount)}: " + ", ".join(f"{m} {money(v)}" for m, v in s.by_month),
            height=200,
        )
    )
    rates = [v for _, v in d.by_month]
    out["on_time"] = Markup(
        charts.line_chart(
            {"On time": rates},
            [m for m, _ in d.by_month],
            title=f"Deliveries on time per month, {r.period.label}",
            desc=", ".join(f"{m} {pct(v)}" for m, v in d.by_month),
            fmt="{:.0%}",
            y_min=0.0,
            y_max=1.0,
            height=200,
        )
    )
    shown = [m for m in r.peers.metrics if not m.withheld]
    if shown and not r.peers.withheld:
        rows: list[tuple[str, float | None]] = []
        ranges = {}
        for m in shown:
            rows += [(f"{m.label}: you", m.you), (f"{m.label}: peers", m.median)]
            ranges[f"{m.label}: peers"] = (m.p25 or 0.0, m.p75 or 0.0)
        out["peers"] = Markup(
            charts.hbar_chart(
                rows,
                title=f"You and your peers ({r.peers.segment or 'same segment'}), {r.period.label}",
                desc="; ".join(
                    f"{m.label}: you {pct(m.you)}, peers' median {pct(m.median)} "
                    f"(middle half {pct(m.p25)}–{pct(m.p75)})"
                    for m in shown
                ),
                fmt="{:.1%}",
                max_value=1.0,
                highlight={f"{m.label}: you" for m in shown},
                ranges=ranges,
                label_width=200,
            )
        )
    if r.issues.by_theme:
        out["issues"] = Markup(
            charts.hbar_chart(
                r.issues.by_theme,
                title=f"Issues raised by theme, {r.period.label}",
                desc=", ".join(f"{t} {n}" for t, n in r.issues.by_theme),
            )
        )
    return out


def body_html(r: ValueReport) -> Markup:
    template = _env.get_template("value_body.html")
    context: dict[str, Any] = {"r": r, "charts": chart_set(r), "highlights": highlights(r)}
    return Markup(template.render(**context))


def document_html(r: ValueReport) -> str:
    return _env.get_template("value_pdf.html").render(r=r, body=body_html(r))


def pdf_bytes(r: ValueReport) -> bytes:
    """The report as a PDF (A4). WeasyPrint draws the SVG charts itself; nothing is fetched."""
    from weasyprint import HTML

    return HTML(string=document_html(r), base_url=None).write_pdf()  # type: ignore[no-any-return]
