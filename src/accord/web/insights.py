"""Insight pages: the portfolio dashboard, the key drivers with their cause-and-effect view, the
segments, and the account page's village panel (``account_panel``).

Every figure comes from ``accord.insights.service`` with the viewer's actor, so an account
manager sees only their own accounts' figures. The models that learn from the book (renewal
risk, key drivers, segments) are fitted on the whole book by the service; their validation
figures are shown wherever their output is. Charts are server-rendered SVG, no JavaScript.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from typing import Any

import polars as pl
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from accord import charts
from accord.accounts import service as accounts
from accord.api.deps import SessionDep
from accord.auth.access import Actor
from accord.errors import InvalidInput, NotFound
from accord.insights import service
from accord.insights.axi import pessimistic, village
from accord.insights.coverage import lost_accounts
from accord.insights.frames import Portfolio
from accord.insights.views import clean, drivers_view, segments_view
from accord.listening import service as listening
from accord.listening.models import Feedback
from accord.vocabulary import DRIVERS
from accord.web.cause_effect import DriverLink, cause_effect
from accord.web.deps import ViewerDep
from accord.web.insight_charts import (
    DRIVER_NAMES,
    Importance,
    axi_band,
    bullet,
    driver_profile,
    importance_chart,
)
from accord.web.nav import STAFF, register_nav
from accord.web.templating import label, render
from accord.web.village_map import MapPerson, summary, village_map

router = APIRouter(include_in_schema=False)
register_nav("Insights", "/insights", order=20, roles=STAFF)

WATCHLIST = 20  # accounts on the dashboard's pessimistic list unless all are asked for
TARGETS = {"renewal": "Renewal", "rebuy": "Re-buy"}
AXI_BINS = list(range(-100, 101, 20))


# --- the account page's panel -----------------------------------------------------------------


@dataclass(frozen=True)
class Weakest:
    """The veto holder with the lowest current sentiment, and the answer behind it."""

    name: str
    role: str
    sentiment: float | None
    feedback: Feedback | None  # the latest answer behind their sentiment
    latest: Feedback | None = None  # their latest words, when that answer has none


@dataclass(frozen=True)
class AccountPanel:
    """What the account page shows about the account's village (``insights/_account_panel``)."""

    row: dict[str, Any]  # the account's ``account_table`` row, NaN as None
    people: list[MapPerson]
    map_svg: Markup
    map_summary: str  # the map in words, shown under it
    band_svg: Markup
    drivers_svg: Markup
    unheard_roles: list[str]
    unheard_veto: list[str]  # names, heaviest first
    departed_gap: list[str]
    veto_holders: list[MapPerson]
    weakest: Weakest | None
    model: dict[str, Any] | None  # the risk model's validation figures
    lost: bool  # the latest renewal churned: no longer scored for risk

    @property
    def active(self) -> list[MapPerson]:
        return [p for p in self.people if p.active]


def _one_account(portfolio: Portfolio, account_id: str) -> Portfolio:
    keep = pl.col("account_id") == account_id
    return replace(
        portfolio,
        accounts=portfolio.accounts.filter(keep),
        contacts=portfolio.contacts.filter(keep),
        feedback=portfolio.feedback.filter(keep),
        fulfilments=portfolio.fulfilments.filter(keep),
        opportunities=portfolio.opportunities.filter(keep),
    )


def map_people(session: Session, actor: Actor, account_id: str) -> list[MapPerson]:
    """The account's stakeholders as the AXI sees them today — effective weight, veto, active,
    heard in the window, current sentiment — with their names. Departed stakeholders are kept
    only when they left within the window (the gap their departure left)."""
    return _village(session, actor, account_id)[0]


def _village(
    session: Session, actor: Actor, account_id: str
) -> tuple[list[MapPerson], dict[str, Feedback | None]]:
    """``map_people``, and each stakeholder's latest feedback (anything, any time)."""
    b = service.book(session)
    v = village(_one_account(b.portfolio, account_id))
    stakeholders = accounts.village(session, actor, account_id)
    names = {s.contact.id: s.contact.name for s in stakeholders}
    heard = set(v.heard["contact_id"].drop_nulls().to_list())
    sentiment = dict(zip(v.sentiments["contact_id"], v.sentiments["sentiment"], strict=True))
    window_start = b.portfolio.today.toordinal() - v.window_days
    people = []
    for s in v.stakeholders.iter_rows(named=True):
        left = s["departed_on"]
        if not s["active"] and (left is None or left.toordinal() <= window_start):
            continue  # long gone, or not yet joined
        people.append(
            MapPerson(
                id=s["contact_id"],
                name=names.get(s["contact_id"], s["contact_id"]),
                role=s["role"],
                weight=float(s["weight"]),
                sentiment=clean(sentiment.get(s["contact_id"])),
                veto=bool(s["veto"]),
                heard=s["contact_id"] in heard,
                active=bool(s["active"]),
                departed_on=left,
            )
        )
    return people, {s.contact.id: s.latest for s in stakeholders}


def account_panel(session: Session, actor: Actor, account_id: str) -> AccountPanel:
    """The village panel of one account; NotFound when the actor may not see it."""
    row = clean(service.account_insight(session, actor, account_id))
    people, latest = _village(session, actor, account_id)
    by_id = {p.id: p for p in people}
    weakest = None
    if row.get("weakest_veto_contact"):
        who = by_id.get(row["weakest_veto_contact"])
        said = None
        if row.get("weakest_veto_feedback_id"):
            try:
                said = listening.get_feedback(session, actor, row["weakest_veto_feedback_id"])
            except NotFound:
                said = None
        newest = latest.get(row["weakest_veto_contact"])
        weakest = Weakest(
            name=who.name if who else row["weakest_veto_contact"],
            role=who.role if who else "",
            sentiment=row.get("weakest_veto_sentiment"),
            feedback=said,
            # the answer behind the score may carry no words; then show their latest words
            latest=newest if newest is not None and newest.text and newest is not said else None,
        )
    b = service.book(session)
    lost = lost_accounts(_one_account(b.portfolio, account_id))["account_id"].to_list()
    name = row["name"]
    return AccountPanel(
        row=row,
        people=people,
        map_svg=Markup(village_map(people, title=f"Village map of {name}")),
        map_summary=summary(people),
        band_svg=Markup(
            axi_band(row.get("axi"), row.get("axi_low"), row.get("axi_high"), width=220)
        ),
        drivers_svg=Markup(
            driver_profile(
                [(d, row.get(f"driver_{d}")) for d in DRIVERS], title=f"Driver profile of {name}"
            )
        ),
        unheard_roles=list(row.get("unheard_roles") or []),
        unheard_veto=[by_id[c].name if c in by_id else c for c in row.get("unheard_veto") or []],
        departed_gap=list(row.get("departed_gap") or []),
        veto_holders=[p for p in people if p.active and p.veto],
        weakest=weakest,
        model=b.risk.model.validation() if b.risk is not None else None,
        lost=bool(lost),
    )


# --- the dashboard ----------------------------------------------------------------------------


def _driver_means(table: pl.DataFrame) -> dict[str, float | None]:
    """Mean driver scores of an ``account_table`` (each account one vote)."""
    out = {}
    for d in DRIVERS:
        col = table[f"driver_{d}"].drop_nulls().drop_nans()
        out[d] = float(col.mean()) if col.len() else None  # type: ignore[arg-type]
    return out


def _reason(exc: InvalidInput) -> str:
    """The service's message for a person: without the field prefix, capitalised."""
    text = str(exc).removeprefix("target: ")
    return text[:1].upper() + text[1:]


def _owner_label(email: str | None) -> str:
    return (email or "no owner").split("@")[0]


def _risk_charts(risk: dict[str, Any]) -> dict[str, Markup]:
    out = {}
    for key, column, name, tidy in (
        ("by_owner", "owner_email", "owner", _owner_label),
        ("by_segment", "segment", "segment", label),
        ("by_region", "region", "region", label),
    ):
        rows = risk.get(key) or []
        data = [(tidy(r[column]), r["revenue_at_risk"]) for r in rows]
        total = sum(v for _, v in data)
        desc = "; ".join(f"{k}: {v:,.0f}" for k, v in data) or "nothing at risk"
        out[key] = Markup(
            charts.hbar_chart(
                data,
                title=f"Revenue at risk by {name} (total {total:,.0f})",
                desc=desc,
                width=520,
                label_width=150,
                fmt="{:,.0f}",
            )
        )
    return out


def _histogram(values: list[float]) -> Markup:
    if not values:
        return Markup("")
    median = statistics.median(values)
    low = sum(1 for v in values if v < 0)
    desc = (
        f"{len(values)} accounts with an AXI; median {median:+.0f}; {low} below zero "
        f"({low / len(values):.0%})."
    )
    return Markup(
        charts.histogram(
            {"Accounts": values},
            bins=AXI_BINS,
            title="AXI distribution",
            desc=desc,
            width=520,
            height=220,
            markers={"median": round(median)},
        )
    )


def _top_drivers(session: Session, actor: Actor) -> tuple[dict[str, Any] | None, str | None]:
    try:
        return drivers_view(service.key_drivers(session, actor, target="renewal")), None
    except InvalidInput as exc:
        return None, _reason(exc)


def _kpi_gaps(session: Session, actor: Actor) -> tuple[list[dict[str, Any]], str | None]:
    try:
        frame = service.kpi_gaps(session, actor, by="region")
    except InvalidInput as exc:
        return [], str(exc)
    return [clean(r) for r in frame.to_dicts()], None


@router.get("/insights")
def dashboard(
    request: Request, session: SessionDep, viewer: ViewerDep, watch: str = ""
) -> Response:
    actor = viewer.actor
    table = service.account_table(session, actor)
    rows = [clean(r) for r in pessimistic(table).to_dicts()]
    axis = [r["axi"] for r in rows if r["axi"] is not None]
    risk = clean(service.risk_summary(session, actor))
    coverage = clean(service.portfolio_coverage(session, actor))
    drivers, drivers_problem = _top_drivers(session, actor)
    gaps, gaps_problem = _kpi_gaps(session, actor)
    lost = set(lost_accounts(service.book(session).portfolio)["account_id"].to_list())
    for r in rows:
        r["lost"] = r["account_id"] in lost
    show_all = watch == "all"
    listed = rows if show_all else rows[:WATCHLIST]
    for r in listed:
        r["band_svg"] = Markup(axi_band(r["axi"], r["axi_low"], r["axi_high"]))
    total_value = sum(r["annual_value"] or 0.0 for r in rows)
    means = _driver_means(table)
    book_profile = driver_profile(
        [(d, means[d]) for d in DRIVERS],
        title="Mean driver scores of " + ("your accounts" if actor.owns_only else "all accounts"),
    )
    context = {
        "rows": rows,
        "watch": listed,
        "show_all": show_all,
        "watch_limit": WATCHLIST,
        "n_accounts": len(rows),
        "n_with_axi": len(axis),
        "median_axi": statistics.median(axis) if axis else None,
        "veto_risk_count": sum(1 for r in rows if r["veto_risk"]),
        "histogram": _histogram(axis),
        "risk": risk,
        "risk_charts": _risk_charts(risk) if risk.get("model") else {},
        "total_value": total_value,
        "coverage": coverage,
        "coverage_svg": Markup(
            bullet(
                coverage.get("revenue_coverage"), target=coverage["bar"], title="Revenue coverage"
            )
        ),
        "names": {r["account_id"]: r["name"] for r in rows},
        "drivers": drivers,
        "drivers_problem": drivers_problem,
        "gaps": gaps,
        "gaps_problem": gaps_problem,
        "driver_names": DRIVER_NAMES,
        "book_profile": Markup(book_profile),
    }
    return render(request, "insights/dashboard.html", context, viewer=viewer)


# --- drivers ----------------------------------------------------------------------------------


@router.get("/insights/drivers")
def drivers_page(
    request: Request, session: SessionDep, viewer: ViewerDep, target: str = "renewal"
) -> Response:
    target = target if target in TARGETS else "renewal"
    context: dict[str, Any] = {"target": target, "targets": TARGETS, "driver_names": DRIVER_NAMES}
    try:
        result = drivers_view(service.key_drivers(session, viewer.actor, target=target))
    except InvalidInput as exc:
        context["problem"] = _reason(exc)
        return render(request, "insights/drivers.html", context, viewer=viewer)
    rows = result["drivers"]
    outcome = TARGETS[target]
    context.update(
        result=result,
        rows=rows,
        means=_driver_means(service.account_table(session, viewer.actor)),
        importance_svg=Markup(
            importance_chart(
                [
                    Importance(
                        r["driver"],
                        r["importance"] or 0.0,
                        r["ci_low"],
                        r["ci_high"],
                        r["share_of_r2"] or 0.0,
                    )
                    for r in rows
                ],
                title=f"Relative importance of the six drivers for {outcome.lower()}",
            )
        ),
        cause_effect_svg=Markup(
            cause_effect(
                [
                    DriverLink(r["driver"], r["share_of_r2"] or 0.0, (r["r"] or 0.0) >= 0)
                    for r in rows
                ],
                outcome=outcome,
                r2=result["r2"] or 0.0,
                r2_ci=(result["r2_ci"][0], result["r2_ci"][1]),
                n=result["n"],
            )
        ),
        by_correlation=sorted(rows, key=lambda r: r["correlation_rank"]),
    )
    return render(request, "insights/drivers.html", context, viewer=viewer)


# --- segments ---------------------------------------------------------------------------------


@router.get("/insights/segments")
def segments_page(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    context: dict[str, Any] = {"driver_names": DRIVER_NAMES}
    try:
        result = segments_view(service.segments(session, viewer.actor))
    except InvalidInput as exc:
        context["problem"] = _reason(exc)
        return render(request, "insights/segments.html", context, viewer=viewer)
    mine: dict[int, int] = {}
    for a in result["assignments"]:
        mine[a["cluster"]] = mine.get(a["cluster"], 0) + 1
    segments = []
    for s in result["segments"]:
        scores = [(d, s.get(f"driver_{d}")) for d in DRIVERS]
        segments.append(
            {
                **s,
                "visible": mine.get(s["cluster"], 0),
                "profile_svg": Markup(
                    driver_profile(
                        scores, title=f"Driver profile of segment {s['cluster'] + 1}", width=380
                    )
                ),
            }
        )
    context.update(result=result, segments=segments, own_only=viewer.actor.owns_only)
    return render(request, "insights/segments.html", context, viewer=viewer)
