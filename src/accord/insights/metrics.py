"""One row of village metrics per account — the features the renewal-risk model, key-driver
analysis, segments and every list of accounts read.

``account_metrics`` computes, for each account as of a day ``T`` (one day for all, or each
account's own day), over the window ``T − window < day ≤ T``:

* ``axi, axi_low, axi_high, n_heard`` — ``axi.py`` (n_heard: active stakeholders with a
  sentiment in the window);
* ``nps`` — plain NPS: ``100 · (share of answers 9–10 − share 0–6)`` over every NPS answer in
  the window, any channel, any speaker; ``mean_nps`` — their plain mean (the baseline the AXI
  is judged against); null without answers;
* ``coverage, unheard_roles, unheard_veto, departed_gap`` — ``coverage.py``;
* ``veto_risk, weakest_veto_contact, weakest_veto_sentiment, weakest_veto_feedback_id`` —
  ``veto.py``;
* ``driver_<d>`` for the six drivers — ``drivers.py`` (account view, ratings only);
* ``on_time_rate`` — measured: the share of fulfilments delivered in the window with
  ``delivered_at ≤ promised_at`` (those with both times); ``reported_on_time_rate`` — the share
  of the same fulfilments the front line reported on time (where reported);
* ``scenario_nps`` — NPS of the scenario-channel answers (after a fulfilment) in the window;
* ``ticket_count`` — feedback on the ``ticket`` channel in the window.
"""

from __future__ import annotations

import polars as pl

from accord.insights.axi import (
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_PRIOR_STRENGTH,
    DEFAULT_WINDOW_DAYS,
    AsOf,
    Village,
    axi_from_village,
    village,
)
from accord.insights.coverage import coverage_from_village, revenue_coverage
from accord.insights.drivers import driver_scores_from_village
from accord.insights.frames import Portfolio
from accord.insights.veto import veto_from_village
from accord.vocabulary import DRIVERS

__all__ = ["METRIC_COLUMNS", "account_metrics", "nps_score", "revenue_coverage"]

METRIC_COLUMNS: tuple[str, ...] = (
    "account_id",
    "axi",
    "axi_low",
    "axi_high",
    "n_heard",
    "nps",
    "mean_nps",
    "coverage",
    "unheard_roles",
    "unheard_veto",
    "departed_gap",
    "veto_risk",
    "weakest_veto_contact",
    "weakest_veto_sentiment",
    "weakest_veto_feedback_id",
    *(f"driver_{d}" for d in DRIVERS),
    "on_time_rate",
    "reported_on_time_rate",
    "scenario_nps",
    "ticket_count",
)


def nps_score(nps: pl.Expr) -> pl.Expr:
    """Net Promoter Score of the non-null answers: 100 · (%9–10 − %0–6); null without answers."""
    answered = nps.drop_nulls()
    promoters = (answered >= 9).cast(pl.Float64).mean()
    detractors = (answered <= 6).cast(pl.Float64).mean()
    return 100.0 * (promoters - detractors)


def _listening(v: Village) -> pl.DataFrame:
    scenario = pl.col("nps").filter(pl.col("channel") == "scenario")
    return v.heard.group_by("account_id").agg(
        nps=nps_score(pl.col("nps")),
        mean_nps=pl.col("nps").cast(pl.Float64).mean(),
        scenario_nps=nps_score(scenario),
        ticket_count=(pl.col("channel") == "ticket").sum().cast(pl.UInt32),
    )


def _deliveries(portfolio: Portfolio, v: Village) -> pl.DataFrame:
    age = (pl.col("as_of") - pl.col("delivered_at").dt.date()).dt.total_days()
    on_time = pl.col("delivered_at") <= pl.col("promised_at")
    return (
        portfolio.fulfilments.join(v.as_of, on="account_id", how="inner")
        .filter(
            pl.col("delivered_at").is_not_null()
            & pl.col("promised_at").is_not_null()
            & age.is_between(0, v.window_days - 1)
        )
        .group_by("account_id")
        .agg(
            on_time_rate=on_time.mean(),
            reported_on_time_rate=pl.col("reported_on_time").cast(pl.Float64).mean(),
        )
    )


def account_metrics(
    portfolio: Portfolio,
    *,
    as_of: AsOf = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    window_days: int = DEFAULT_WINDOW_DAYS,
    prior_strength: float = DEFAULT_PRIOR_STRENGTH,
) -> pl.DataFrame:
    """One row per account (every account on ``as_of``, default ``portfolio.today``; or each
    account of an ``account_id, as_of`` frame on its own day), columns ``METRIC_COLUMNS`` in
    that order; formulas in the module docstring and the modules it names."""
    v = village(portfolio, as_of, window_days=window_days, half_life_days=half_life_days)
    axi = axi_from_village(v, portfolio, prior_strength=prior_strength)
    drivers = driver_scores_from_village(v, portfolio, by="account")
    frame = (
        v.as_of.select("account_id")
        .join(axi, on="account_id", how="left")
        .join(_listening(v), on="account_id", how="left")
        .join(coverage_from_village(v), on="account_id", how="left")
        .join(veto_from_village(v), on="account_id", how="left")
        .join(drivers, on="account_id", how="left")
        .join(_deliveries(portfolio, v), on="account_id", how="left")
        .with_columns(pl.col("ticket_count").fill_null(0))
    )
    return frame.select(METRIC_COLUMNS).sort("account_id")
