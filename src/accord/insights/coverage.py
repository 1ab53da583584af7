"""Coverage: how much of the village's influence we have actually heard, and who is missing.

For account ``a`` as of day ``T`` (stakeholder weights and veto holders as in ``axi``):

* **Heard**: an active stakeholder with any feedback (scored or not) in the window
  ``T − 365 < day ≤ T``.
* ``coverage = Σ_{active, heard} w_c / Σ_{active} w_c`` — only active stakeholders count, so
  when someone departs the weights re-balance at once. Null when the active village weighs 0.
* ``unheard_roles``: roles with active members none of whom was heard, heaviest first (a role
  weighs ``max w_c`` of its active members, as in the AXI).
* ``unheard_veto``: active veto holders not heard, heaviest first (contact ids).
* ``departed_gap``: roles someone left within the window (``T − 365 < active_to < T``) and that
  now have nobody active, heaviest departed first — the gap the departure left.

**Revenue coverage** of the portfolio, ``Σ annual_value of covered accounts / Σ annual_value``,
where an account is *covered* when all its **key roles** were heard in the last 90 days (a
quarter). Key roles: every role with an active veto holder, plus the heaviest active role (ties:
all of them) — the people who can kill the decision and the one who carries it. An account
with no active stakeholders is not covered. Accounts whose latest renewal churned on or before
``T`` are lost revenue and left out. A leading vendor sets the bar at 80 %.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from accord.insights.axi import DEFAULT_WINDOW_DAYS, AsOf, Village, village
from accord.insights.frames import Portfolio

REVENUE_COVERAGE_BAR = 0.8
QUARTER_DAYS = 90

_EMPTY = pl.lit([], dtype=pl.List(pl.String))


def _heard_contacts(v: Village, within_days: int | None = None) -> pl.DataFrame:
    heard = v.heard.filter(pl.col("contact_id").is_not_null())
    if within_days is not None:
        heard = heard.filter(pl.col("age_days") < within_days)
    return heard.select("account_id", "contact_id").unique().with_columns(heard=pl.lit(True))


def _ranked(frame: pl.DataFrame, item: str, weight: str, name: str) -> pl.DataFrame:
    """``account_id, name``: the items of each account, heaviest first (ties by name)."""
    return frame.group_by("account_id").agg(
        pl.col(item).sort_by([weight, item], descending=[True, False]).alias(name)
    )


def coverage_from_village(v: Village) -> pl.DataFrame:
    """account_id, coverage, heard_weight, total_weight, unheard_roles, unheard_veto,
    departed_gap for every account in ``v.as_of``."""
    people = v.stakeholders.join(
        _heard_contacts(v), on=["account_id", "contact_id"], how="left"
    ).with_columns(pl.col("heard").fill_null(False))
    active = people.filter("active")
    totals = active.group_by("account_id").agg(
        total_weight=pl.col("weight").sum(),
        heard_weight=pl.col("weight").filter("heard").sum(),
    )
    roles = active.group_by("account_id", "role").agg(
        W=pl.col("weight").max(), heard=pl.col("heard").any()
    )
    unheard_roles = _ranked(roles.filter(~pl.col("heard")), "role", "W", "unheard_roles")
    unheard_veto = _ranked(
        active.filter(pl.col("veto") & ~pl.col("heard")), "contact_id", "weight", "unheard_veto"
    )
    window_start = pl.col("as_of") - pl.duration(days=v.window_days)
    departed = people.filter(
        pl.col("departed_on").is_not_null() & (pl.col("departed_on") > window_start)
    ).join(roles.select("account_id", "role"), on=["account_id", "role"], how="anti")
    gap = _ranked(
        departed.group_by("account_id", "role").agg(W=pl.col("weight").max()),
        "role",
        "W",
        "departed_gap",
    )
    total = pl.col("total_weight")
    return (
        v.as_of.select("account_id")
        .join(totals, on="account_id", how="left")
        .join(unheard_roles, on="account_id", how="left")
        .join(unheard_veto, on="account_id", how="left")
        .join(gap, on="account_id", how="left")
        .select(
            "account_id",
            coverage=pl.when(total > 0).then(pl.col("heard_weight") / total),
            heard_weight=pl.col("heard_weight").fill_null(0.0),
            total_weight=total.fill_null(0.0),
            unheard_roles=pl.col("unheard_roles").fill_null(_EMPTY),
            unheard_veto=pl.col("unheard_veto").fill_null(_EMPTY),
            departed_gap=pl.col("departed_gap").fill_null(_EMPTY),
        )
        .sort("account_id")
    )


def account_coverage(
    portfolio: Portfolio, *, as_of: AsOf = None, window_days: int = DEFAULT_WINDOW_DAYS
) -> pl.DataFrame:
    """Coverage per account as of a day (or each account's own day); see the module docstring."""
    return coverage_from_village(village(portfolio, as_of, window_days=window_days))


def key_roles_heard(v: Village, *, quarter_days: int = QUARTER_DAYS) -> pl.DataFrame:
    """account_id, key_roles, unheard_key_roles (lists of roles), covered (bool): whether every
    key role (each active veto role and the heaviest active role) was heard in the quarter."""
    people = v.stakeholders.filter("active").join(
        _heard_contacts(v, quarter_days), on=["account_id", "contact_id"], how="left"
    )
    roles = (
        people.with_columns(pl.col("heard").fill_null(False))
        .group_by("account_id", "role")
        .agg(W=pl.col("weight").max(), veto=pl.col("veto").any(), heard=pl.col("heard").any())
        .filter(pl.col("veto") | (pl.col("W") == pl.col("W").max().over("account_id")))
    )
    key = roles.group_by("account_id").agg(
        key_roles=pl.col("role").sort_by(["W", "role"], descending=[True, False]),
        unheard_key_roles=pl.col("role")
        .filter(~pl.col("heard"))
        .sort_by(pl.col("W").filter(~pl.col("heard")), descending=True),
    )
    return (
        v.as_of.select("account_id")
        .join(key, on="account_id", how="left")
        .select(
            "account_id",
            key_roles=pl.col("key_roles").fill_null(_EMPTY),
            unheard_key_roles=pl.col("unheard_key_roles").fill_null(_EMPTY),
            covered=pl.col("key_roles").is_not_null()
            & (pl.col("unheard_key_roles").list.len() == 0),
        )
        .sort("account_id")
    )


def lost_accounts(portfolio: Portfolio, as_of: AsOf = None) -> pl.DataFrame:
    """account_id of accounts whose latest renewal decided on or before the day churned."""
    day = portfolio.today if as_of is None or isinstance(as_of, pl.DataFrame) else as_of
    return (
        portfolio.opportunities.filter(
            (pl.col("kind") == "renewal")
            & pl.col("outcome").is_in(["renewed", "churned"])
            & (pl.col("closed_at") <= day)
        )
        .sort("closed_at", "opportunity_id")
        .group_by("account_id")
        .agg(pl.col("outcome").last())
        .filter(pl.col("outcome") == "churned")
        .select("account_id")
    )


def revenue_coverage(
    portfolio: Portfolio,
    metrics: pl.DataFrame | None = None,
    *,
    as_of: AsOf = None,
    quarter_days: int = QUARTER_DAYS,
    bar: float = REVENUE_COVERAGE_BAR,
) -> dict[str, Any]:
    """Share of annual value whose key roles were heard this quarter (module docstring).

    ``metrics`` (any frame with ``account_id``, e.g. ``account_metrics``' result, perhaps
    filtered) limits the accounts counted; by default every account in the portfolio.
    Returns revenue_coverage (null when there is no value), bar, meets_bar, covered_value,
    total_value, accounts, accounts_covered, and uncovered: the uncovered account ids, most
    valuable first.
    """
    if isinstance(as_of, pl.DataFrame):
        raise ValueError("revenue coverage is a portfolio figure for one day")
    v = village(portfolio, as_of, window_days=quarter_days)
    frame = (
        key_roles_heard(v, quarter_days=quarter_days)
        .join(portfolio.accounts.select("account_id", "annual_value"), on="account_id")
        .join(lost_accounts(portfolio, as_of), on="account_id", how="anti")
        .with_columns(pl.col("annual_value").fill_null(0.0))
    )
    if metrics is not None:
        frame = frame.join(metrics.select("account_id"), on="account_id", how="semi")
    total = float(frame["annual_value"].sum())
    covered = float(frame.filter("covered")["annual_value"].sum())
    share = covered / total if total > 0 else None
    uncovered = frame.filter(~pl.col("covered")).sort(
        ["annual_value", "account_id"], descending=[True, False]
    )
    return {
        "revenue_coverage": share,
        "bar": bar,
        "meets_bar": share is not None and share >= bar,
        "covered_value": covered,
        "total_value": total,
        "accounts": frame.height,
        "accounts_covered": int(frame["covered"].sum()),
        "uncovered": uncovered["account_id"].to_list(),
    }
