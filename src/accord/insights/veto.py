"""Veto risk: someone who can kill the decision is unhappy.

For account ``a`` as of day ``T``:

* **Veto holders**: active stakeholders flagged ``veto``, or — with no influence recorded for
  them — whose role holds a veto in the account's influence profile (as in ``axi``).
* Each one's **current sentiment** ``s_c`` (``axi.stakeholder_sentiments``: the decay-weighted
  mean of their answers in the window from the best source they used).
* ``veto_risk`` ⇔ some veto holder has ``s_c < 0`` (the threshold; for a lone NPS answer that is
  a detractor, NPS ≤ 6).
* The **weakest** veto holder is the heard one with the lowest ``s_c`` (ties: the heavier, then
  the lower contact id), reported whether or not they are below the threshold, with the
  ``feedback_id`` of the latest answer behind their sentiment, so what they said can be shown.
  Unheard veto holders are listed by ``coverage`` (``unheard_veto``), not guessed at here.
"""

from __future__ import annotations

import polars as pl

from accord.insights.axi import (
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_WINDOW_DAYS,
    AsOf,
    Village,
    village,
)
from accord.insights.frames import Portfolio

VETO_THRESHOLD = 0.0


def veto_holders(v: Village) -> pl.DataFrame:
    """Every active veto holder: account_id, contact_id, role, weight, sentiment (null when
    unheard), feedback_id, age_days."""
    return (
        v.stakeholders.filter(pl.col("active") & pl.col("veto"))
        .join(
            v.sentiments.select("account_id", "contact_id", "sentiment", "feedback_id", "age_days"),
            on=["account_id", "contact_id"],
            how="left",
        )
        .select(
            "account_id", "contact_id", "role", "weight", "sentiment", "feedback_id", "age_days"
        )
        .sort("account_id", "contact_id")
    )


def veto_from_village(v: Village, *, threshold: float = VETO_THRESHOLD) -> pl.DataFrame:
    """account_id, veto_risk, veto_holders, veto_heard, weakest_veto_contact,
    weakest_veto_sentiment, weakest_veto_feedback_id for every account in ``v.as_of``."""
    holders = veto_holders(v)
    counts = holders.group_by("account_id").agg(
        veto_holders=pl.len(),
        veto_heard=pl.col("sentiment").is_not_null().sum(),
        veto_risk=(pl.col("sentiment") < threshold).any(),
    )
    weakest = (
        holders.filter(pl.col("sentiment").is_not_null())
        .sort(["sentiment", "weight", "contact_id"], descending=[False, True, False])
        .group_by("account_id", maintain_order=True)
        .first()
        .select(
            "account_id",
            weakest_veto_contact="contact_id",
            weakest_veto_sentiment="sentiment",
            weakest_veto_feedback_id="feedback_id",
        )
    )
    return (
        v.as_of.select("account_id")
        .join(counts, on="account_id", how="left")
        .join(weakest, on="account_id", how="left")
        .select(
            "account_id",
            veto_risk=pl.col("veto_risk").fill_null(False),
            veto_holders=pl.col("veto_holders").fill_null(0),
            veto_heard=pl.col("veto_heard").fill_null(0),
            weakest_veto_contact="weakest_veto_contact",
            weakest_veto_sentiment="weakest_veto_sentiment",
            weakest_veto_feedback_id="weakest_veto_feedback_id",
        )
        .sort("account_id")
    )


def veto_risk(
    portfolio: Portfolio,
    *,
    as_of: AsOf = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    threshold: float = VETO_THRESHOLD,
) -> pl.DataFrame:
    """Veto risk per account as of a day (or each account's own day); see the module docstring."""
    v = village(portfolio, as_of, window_days=window_days, half_life_days=half_life_days)
    return veto_from_village(v, threshold=threshold)
