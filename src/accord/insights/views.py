"""Insights as plain JSON-ready dicts, shared by the CLI, the API and the web pages."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import polars as pl

from accord.insights.key_drivers import KeyDriverResult
from accord.insights.segments import SegmentResult

# The village fields every account listing carries (``accord accounts list --json``, the API).
ACCOUNT_FIELDS = (
    "axi",
    "axi_low",
    "axi_high",
    "nps",
    "coverage",
    "veto_risk",
    "unheard",
    "unheard_veto",
    "departed_gap",
    "renewal_risk",
    "revenue_at_risk",
)


def clean(value: Any) -> Any:
    """JSON-safe: NaN becomes null, dates become ISO strings, floats keep 4 decimals."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [clean(row) for row in frame.to_dicts()]


def account_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The village fields of one ``account_table`` row, under their interface names."""
    out = {k: row.get(k) for k in ACCOUNT_FIELDS if k != "unheard"}
    out["unheard"] = row.get("unheard_roles") or []
    return clean(out)


def drivers_view(result: KeyDriverResult) -> dict[str, Any]:
    rows = []
    for r in result.table.to_dicts():
        rows.append(
            {
                "driver": r["driver"].removeprefix("driver_"),
                "importance": r["weight"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "share_of_r2": r.get("importance"),
                "rank": r["rank"],
                "r": r["r"],
                "correlation_rank": r["r_rank"],
                "r2": result.r2,
            }
        )
    return clean(
        {
            "target": result.target,
            "r2": result.r2,
            "r2_ci": [result.r2_ci_low, result.r2_ci_high],
            "n": result.n,
            "n_dropped": result.n_dropped,
            "method": result.method,
            "drivers": rows,
            "correlation_ranking": [d.removeprefix("driver_") for d in result.correlation_ranking],
        }
    )


def segments_view(result: SegmentResult) -> dict[str, Any]:
    return clean(
        {
            "k": result.k,
            "criterion": result.criterion,
            "scores": {str(k): v for k, v in result.scores.items()},
            "method": result.method,
            "segments": records(result.profiles),
            "assignments": records(result.assignments),
        }
    )
