"""/api/insights: the village insights, scoped to what the caller may see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from accord.api.deps import ActorDep, SessionDep
from accord.insights import service
from accord.insights.views import account_fields, clean, drivers_view, records, segments_view
from accord.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api/insights", responses=ERROR_RESPONSES)


SORTS = {
    "axi_low": False,  # pessimistic: worst claimable experience first
    "axi": False,
    "renewal_risk": True,
    "revenue_at_risk": True,
    "coverage": False,
}


@router.get("/accounts")
def accounts(
    session: SessionDep,
    actor: ActorDep,
    sort: str = Query("axi_low", pattern="^(" + "|".join(SORTS) + ")$"),
) -> list[dict[str, Any]]:
    """Every visible account with AXI (and its band), NPS, coverage, unheard roles, veto risk,
    renewal risk and revenue at risk; by default worst first by the pessimistic bound
    ``axi_low`` (``sort`` picks another order; unknown values last)."""
    table = service.account_table(session, actor)
    rows = table.sort(sort, descending=SORTS[sort], nulls_last=True).to_dicts()
    return [_account_out(r) for r in rows]


def _account_out(row: dict[str, Any]) -> dict[str, Any]:
    """The interface fields on top, every metric under ``detail``."""
    detail = clean({k: v for k, v in row.items() if k not in ("account_id", "name")})
    return {"id": row["account_id"], "name": row["name"], **account_fields(row), "detail": detail}


@router.get("/accounts/{account_id}")
def account(account_id: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """One account's village metrics."""
    return _account_out(service.account_insight(session, actor, account_id))


@router.get("/drivers")
def drivers(
    session: SessionDep,
    actor: ActorDep,
    target: str = Query("renewal", pattern="^(renewal|rebuy)$"),
) -> dict[str, Any]:
    """Relative weights of the six drivers on a booking outcome, with bootstrap intervals."""
    return drivers_view(service.key_drivers(session, actor, target=target))


@router.get("/kpi-gap")
def kpi_gap(
    session: SessionDep,
    actor: ActorDep,
    by: str = Query("region", pattern="^(region|owner_email|segment)$"),
) -> list[dict[str, Any]]:
    """Reported vs measured on-time rate vs scenario NPS per region or team."""
    return records(service.kpi_gaps(session, actor, by=by))


@router.get("/segments")
def segments(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """Needs-and-behaviour segments, described in words, with top drivers."""
    return segments_view(service.segments(session, actor))


@router.get("/revenue-at-risk")
def revenue_at_risk(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The renewal-risk model's validation figures and revenue at risk by owner, segment, region."""
    return clean(service.risk_summary(session, actor))


@router.get("/coverage")
def coverage(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """Revenue coverage: the share of annual value whose key roles were heard this quarter."""
    return clean(service.portfolio_coverage(session, actor))
