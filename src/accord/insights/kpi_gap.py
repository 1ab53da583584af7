"""KPI gap: what the front line reports about on-time delivery, what the timestamps say, and
what customers answer right after each delivery.

For the delivered fulfilments of a group (region, or owner as the account team):

    reported on-time rate = mean(reported_on_time)
    measured on-time rate = mean(delivered_at ≤ promised_at)
    gap = reported − measured = (b − c) / n

with ``b`` the late deliveries reported on time and ``c`` the on-time deliveries reported late:
each delivery is a matched pair of flags. Under honest reporting a disagreement is as likely in
either direction, so ``b ~ Binomial(b + c, ½)``; the one-sided exact McNemar test
(``scipy.stats.binomtest(b, b + c, 0.5, alternative="greater")``) asks whether late deliveries
are relabelled on time more often than the reverse. p-values are Holm-adjusted across the
groups (several regions are tested at once). A group is **beautified** when
``gap > threshold`` (default 2 points) **and** the adjusted p-value < ``alpha`` (default 0.01):
big enough to matter and unlikely to be chance.

**Scenario NPS** (NPS = % answers 9–10 − % answers 0–6) over the scenario-channel answers that
follow the group's deliveries: linked by ``fulfilment_id``, or, for answers without one, to the
account's latest delivery in the ``scenario_days`` (default 14) before the answer. It is shown
overall and split after on-time and after late deliveries: customers' answers do not go through
the front line's reporting, so they are lower where deliveries are truly late whatever the
reported rate says (seed 001: "use scenario NPS to collect the feedback of each performance").

Fulfilments not yet delivered (``delivered_at`` empty) or without a reported flag are skipped.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
from scipy.stats import binomtest

GROUPS = ("region", "owner_email", "segment")


def _nps(mask: pl.Expr | None = None) -> pl.Expr:
    """NPS of the ``nps`` answers (where ``mask``): 100 · (share 9–10 − share 0–6); null when
    there is none."""
    keep = pl.col("nps").is_not_null() if mask is None else pl.col("nps").is_not_null() & mask
    nps = pl.col("nps").filter(keep)
    return (100.0 * ((nps >= 9).mean() - (nps <= 6).mean())).cast(pl.Float64)


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment: p_(i) · (m − i + 1) for the i-th smallest, made monotone
    and capped at 1 (Holm 1979)."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    adjusted = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def delivered(fulfilments: pl.DataFrame, *, since: date | None = None) -> pl.DataFrame:
    """Delivered fulfilments with a reported flag, plus ``on_time`` (delivered_at ≤ promised_at),
    optionally only those delivered on or after ``since``."""
    frame = fulfilments.filter(
        pl.col("delivered_at").is_not_null(), pl.col("reported_on_time").is_not_null()
    )
    if since is not None:
        frame = frame.filter(pl.col("delivered_at") >= datetime.combine(since, datetime.min.time()))
    return frame.with_columns((pl.col("delivered_at") <= pl.col("promised_at")).alias("on_time"))


def scenario_answers(
    feedback: pl.DataFrame, fulfilments: pl.DataFrame, *, scenario_days: int = 14
) -> pl.DataFrame:
    """Scenario-channel answers with an NPS, each tied to the delivery it follows:
    feedback_id, account_id, fulfilment_id, nps, on_time. ``fulfilments`` must come from
    ``delivered``. Answers linked to an unknown or undelivered fulfilment are dropped."""
    answers = feedback.filter(pl.col("channel") == "scenario", pl.col("nps").is_not_null())
    linked = answers.filter(pl.col("fulfilment_id").is_not_null()).select(
        "feedback_id", "account_id", "fulfilment_id", "nps"
    )
    unlinked = (
        answers.filter(pl.col("fulfilment_id").is_null())
        .select("feedback_id", "account_id", "occurred_at", "nps")
        .sort("occurred_at")
    )
    if unlinked.height:
        deliveries = fulfilments.select(
            "account_id", "fulfilment_id", pl.col("delivered_at").alias("occurred_at")
        ).sort("occurred_at")
        matched = unlinked.join_asof(
            deliveries,
            on="occurred_at",
            by="account_id",
            strategy="backward",
            tolerance=timedelta(days=scenario_days),
            # both sides are sorted on the key above; polars cannot check that per group
            check_sortedness=False,
        ).filter(pl.col("fulfilment_id").is_not_null())
        linked = pl.concat(
            [linked, matched.select("feedback_id", "account_id", "fulfilment_id", "nps")]
        )
    return linked.join(
        fulfilments.select("fulfilment_id", "on_time"), on="fulfilment_id", how="inner"
    )


def kpi_gap(
    fulfilments: pl.DataFrame,
    accounts: pl.DataFrame,
    feedback: pl.DataFrame,
    *,
    by: str = "region",
    threshold: float = 0.02,
    alpha: float = 0.01,
    scenario_days: int = 14,
    since: date | None = None,
) -> pl.DataFrame:
    """Reported vs measured on-time rate vs scenario NPS per ``by`` (an ``accounts`` column:
    ``region``, ``owner_email`` for the account team, ``segment``), with the beautification
    test of the module docstring.

    Columns: {by}, delivered, reported_on_time_rate, measured_on_time_rate, gap,
    late_reported_on_time (b), on_time_reported_late (c), p_value, p_adjusted, beautified,
    scenario_answers, scenario_nps, scenario_nps_on_time, scenario_nps_late. Largest gap first.
    """
    if by not in accounts.columns:
        raise ValueError(f"unknown group column {by!r}; try one of {', '.join(GROUPS)}")
    group = accounts.select("account_id", by)
    done = delivered(fulfilments, since=since).join(group, on="account_id", how="inner")
    rates = done.group_by(by).agg(
        pl.len().alias("delivered"),
        pl.col("reported_on_time").mean().alias("reported_on_time_rate"),
        pl.col("on_time").mean().alias("measured_on_time_rate"),
        (pl.col("reported_on_time") & ~pl.col("on_time")).sum().alias("late_reported_on_time"),
        (~pl.col("reported_on_time") & pl.col("on_time")).sum().alias("on_time_reported_late"),
    )
    b = rates["late_reported_on_time"].to_numpy()
    c = rates["on_time_reported_late"].to_numpy()
    p = np.array(
        [
            binomtest(int(bi), int(bi + ci), 0.5, alternative="greater").pvalue if bi + ci else 1.0
            for bi, ci in zip(b, c, strict=True)
        ]
    )
    answers = scenario_answers(feedback, done, scenario_days=scenario_days).join(
        group, on="account_id", how="inner"
    )
    scenario = answers.group_by(by).agg(
        pl.len().alias("scenario_answers"),
        _nps().alias("scenario_nps"),
        _nps(pl.col("on_time")).alias("scenario_nps_on_time"),
        _nps(~pl.col("on_time")).alias("scenario_nps_late"),
    )
    return (
        rates.with_columns(
            (pl.col("reported_on_time_rate") - pl.col("measured_on_time_rate")).alias("gap"),
            pl.Series("p_value", p, dtype=pl.Float64),
            pl.Series("p_adjusted", holm(p), dtype=pl.Float64),
        )
        .with_columns(
            ((pl.col("gap") > threshold) & (pl.col("p_adjusted") < alpha)).alias("beautified")
        )
        .join(scenario, on=by, how="left")
        .with_columns(pl.col("scenario_answers").fill_null(0))
        .select(
            by,
            "delivered",
            "reported_on_time_rate",
            "measured_on_time_rate",
            "gap",
            "late_reported_on_time",
            "on_time_reported_late",
            "p_value",
            "p_adjusted",
            "beautified",
            "scenario_answers",
            "scenario_nps",
            "scenario_nps_on_time",
            "scenario_nps_late",
        )
        .sort("gap", by, descending=[True, False])
    )
