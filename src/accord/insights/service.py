"""The insights service: the one place insights meet the database and the actor.

The whole book is loaded in bulk (``frames.load_portfolio``) and computed once per change of
the data: a cheap fingerprint query (row counts and latest ``updated_at`` of every table the
insights read) keys an in-process cache, so pages and API calls reuse one computation until
something is imported or edited.

Scope: models that learn from the portfolio — renewal risk, key drivers, segments — are fitted
on the whole book, because one owner's thirty renewals are too few to learn from; what they
show about *accounts* (rows, revenue at risk, KPI gaps) is limited to the accounts the actor may
see, through ``accord.auth.access``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.accounts.models import Account, Contact, InfluenceProfile
from accord.auth.access import OPERATOR, Actor, visible_accounts
from accord.auth.models import AuditEntry
from accord.errors import InvalidInput, NotFound
from accord.insights.frames import Portfolio, load_portfolio
from accord.insights.key_drivers import KeyDriverResult, NotEnoughData
from accord.insights.key_drivers import key_drivers as analyse_drivers
from accord.insights.kpi_gap import kpi_gap
from accord.insights.metrics import account_metrics, revenue_coverage
from accord.insights.risk import (
    RenewalRiskModel,
    RenewalRiskReport,
    fit_portfolio_risk,
    renewal_risk_report,
    revenue_at_risk_by,
)
from accord.insights.segments import SegmentResult
from accord.insights.segments import segments as segment_portfolio
from accord.journey.models import Fulfilment, Opportunity
from accord.listening.models import Feedback

TARGETS = ("renewal", "rebuy")


@dataclass(frozen=True)
class Book:
    """The whole portfolio, computed once per data version."""

    portfolio: Portfolio
    metrics: pl.DataFrame  # account_metrics as of today, every account
    risk: RenewalRiskReport | None
    risk_problem: str | None  # why there is no risk model, when there is none


_cache: dict[tuple[Any, ...], Book] = {}
_models: dict[tuple[Any, ...], RenewalRiskModel] = {}
_lock = threading.Lock()


def _fingerprint(session: Session, models: tuple[type[Any], ...]) -> tuple[Any, ...]:
    # Every change through Accord writes an audit entry; counts and timestamps also catch
    # changes made beside it (a restore, a manual fix in SQL).
    parts: list[Any] = [str(session.get_bind().engine.url)]
    for model in models:
        parts.extend(session.execute(select(func.count(), func.max(model.updated_at))).one())
    parts.extend(session.execute(select(func.count(), func.sum(InfluenceProfile.weight))).one())
    return tuple(parts)


DATA = (Account, Contact, Feedback, Fulfilment, Opportunity)
# The risk model learns from decided renewals: it is refitted when bookings, accounts or
# villages change, or on a new day — not on every new response, which only moves predictions.
OUTCOMES = (Account, Contact, Opportunity)


def book(session: Session, *, today: date | None = None) -> Book:
    """The computed portfolio for ``today``, from the cache when the data has not changed."""
    today = today or date.today()
    audit = session.scalar(select(func.max(AuditEntry.id)))
    key = (today, audit, _fingerprint(session, DATA))
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        portfolio = load_portfolio(session, OPERATOR, today=today)
        metrics = account_metrics(portfolio)
        model_key = (today, _fingerprint(session, OUTCOMES))
        try:
            model = _models.get(model_key) or fit_portfolio_risk(portfolio)
            _models.clear()
            _models[model_key] = model
            risk, problem = renewal_risk_report(portfolio, model=model, now=metrics), None
        except (NotEnoughData, ValueError) as exc:
            risk, problem = None, str(exc)
        result = Book(portfolio, metrics, risk, problem)
        _cache.clear()  # one version at a time: the newest is the only one worth keeping
        _cache[key] = result
        return result


def _visible_ids(session: Session, actor: Actor) -> pl.Series:
    ids = session.scalars(select(Account.id).where(visible_accounts(actor))).all()
    return pl.Series("account_id", list(ids), dtype=pl.String)


def account_table(session: Session, actor: Actor, *, today: date | None = None) -> pl.DataFrame:
    """Every visible account with its village metrics, renewal risk and revenue at risk."""
    b = book(session, today=today)
    visible = _visible_ids(session, actor)
    info = b.portfolio.accounts.select(
        "account_id", "name", "segment", "region", "owner_email", "annual_value", "renewal_date"
    )
    frame = info.join(b.metrics, on="account_id", how="left")
    if b.risk is not None:
        risk = b.risk.accounts.select(
            "account_id", pl.col("risk").alias("renewal_risk"), "revenue_at_risk"
        )
        frame = frame.join(risk, on="account_id", how="left")
    else:
        frame = frame.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("renewal_risk"),
            pl.lit(None, dtype=pl.Float64).alias("revenue_at_risk"),
        )
    return frame.filter(pl.col("account_id").is_in(visible.implode()))


def account_insight(
    session: Session, actor: Actor, account_id: str, *, today: date | None = None
) -> dict[str, Any]:
    """One account's row of ``account_table`` as a dict; NotFound when not visible."""
    rows = account_table(session, actor, today=today).filter(pl.col("account_id") == account_id)
    if rows.height == 0:
        raise NotFound(f"account {account_id!r} not found")
    return rows.to_dicts()[0]


def risk_summary(session: Session, actor: Actor, *, today: date | None = None) -> dict[str, Any]:
    """The model's validation figures and revenue at risk rolled up by owner, segment, region —
    over the visible accounts."""
    b = book(session, today=today)
    if b.risk is None:
        return {"model": None, "problem": b.risk_problem}
    visible = _visible_ids(session, actor).implode()
    per_account = b.risk.accounts.filter(pl.col("account_id").is_in(visible))
    return {
        "model": b.risk.model.validation(),
        "total_revenue_at_risk": float(per_account["revenue_at_risk"].sum() or 0.0),
        "by_owner": revenue_at_risk_by(per_account, "owner_email").to_dicts(),
        "by_segment": revenue_at_risk_by(per_account, "segment").to_dicts(),
        "by_region": revenue_at_risk_by(per_account, "region").to_dicts(),
    }


def portfolio_coverage(
    session: Session, actor: Actor, *, today: date | None = None
) -> dict[str, Any]:
    b = book(session, today=today)
    visible = b.metrics.filter(pl.col("account_id").is_in(_visible_ids(session, actor).implode()))
    return revenue_coverage(b.portfolio, visible)


def key_drivers(
    session: Session, actor: Actor, *, target: str = "renewal", today: date | None = None
) -> KeyDriverResult:
    """Relative weights of the six drivers on a booking outcome, over the whole book."""
    if target not in TARGETS:
        raise InvalidInput(f"target: {target!r} is not one of {', '.join(TARGETS)}")
    b = book(session, today=today)
    try:
        return analyse_drivers(b.portfolio, target)
    except NotEnoughData as exc:
        raise InvalidInput(f"target: not enough decided {target} outcomes yet ({exc})") from None


def kpi_gaps(
    session: Session, actor: Actor, *, by: str = "region", today: date | None = None
) -> pl.DataFrame:
    """Reported vs measured on-time vs scenario NPS per region or team, visible accounts only."""
    b = book(session, today=today)
    visible = _visible_ids(session, actor).implode()
    p = b.portfolio
    try:
        return kpi_gap(
            p.fulfilments.filter(pl.col("account_id").is_in(visible)),
            p.accounts.filter(pl.col("account_id").is_in(visible)),
            p.feedback.filter(pl.col("account_id").is_in(visible)),
            by=by,
        )
    except ValueError as exc:
        raise InvalidInput(f"by: {exc}") from None


def segments(session: Session, actor: Actor, *, today: date | None = None) -> SegmentResult:
    """Needs-and-behaviour segments of the whole book; assignments of visible accounts only."""
    b = book(session, today=today)
    try:
        result = segment_portfolio(b.portfolio)
    except NotEnoughData as exc:
        raise InvalidInput(f"not enough accounts to segment ({exc})") from None
    visible = _visible_ids(session, actor).implode()
    return replace(
        result, assignments=result.assignments.filter(pl.col("account_id").is_in(visible))
    )
