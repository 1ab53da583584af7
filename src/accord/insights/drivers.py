"""Driver scores: how the village rates the three forces (product, price, fulfilment) and the
three senses (ease, presence, trust), −100…100, per account, per role and per segment.

For the window ``T − 365 < day ≤ T`` (answers weigh ``d(t) = 0.5^(t / 180)`` by age, as in the
AXI), each **observation** of driver ``x`` is

* a rating ``r`` (1–5): ``(r − 3) / 2 · 100`` — 1 → −100, 3 → 0, 5 → +100;
* a text **tag** (``feedback_id, driver, polarity`` from the text classifier) where that
  feedback has no rating for the driver: positive +50, neutral 0, negative −50 — a tag says
  which side, not how far, so it counts as a 4, 3 or 2 (a numeric polarity in −1…1 is scaled
  by 50 the same way).

Then, like the AXI, one person one voice and roles weighed by the village:

* a stakeholder's score ``x_c`` = the ``d``-weighted mean of their observations, their
  freshness ``f_c`` = ``d`` of the latest;
* a role's ``X_r = Σ f_c x_c / Σ f_c`` over its active members who spoke on the driver;
* the **account** score ``Σ_r W_r X_r / Σ_r W_r`` over those roles (``W_r`` = the max weight of
  the role's active members); departed stakeholders and unknown speakers do not count;
* the **role** score (portfolio-wide) ``Σ f_c x_c / Σ f_c`` over everyone in that role;
* the **segment** score is the plain mean of its accounts' scores (each account one vote);
* ``account_role``: each account's ``X_r`` (the village map's driver profile).

Every score comes with ``n_<driver>``, the number of observations behind it, and is null where
nobody spoke on the driver.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from accord.insights.axi import (
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_WINDOW_DAYS,
    AsOf,
    Village,
    village,
)
from accord.insights.frames import Portfolio
from accord.vocabulary import DRIVERS

By = Literal["account", "role", "segment", "account_role"]
TAG_SCALE = 50.0
POLARITY = {"positive": 1.0, "neutral": 0.0, "negative": -1.0}


def _rating_observations(heard: pl.DataFrame) -> pl.DataFrame:
    drivers = [d for d in DRIVERS if d in heard.columns]
    return (
        heard.select("feedback_id", "account_id", "contact_id", "occurred_at", "decay", *drivers)
        .unpivot(
            index=["feedback_id", "account_id", "contact_id", "occurred_at", "decay"],
            on=drivers,
            variable_name="driver",
            value_name="rating",
        )
        .filter(pl.col("rating").is_not_null())
        .select(
            "feedback_id",
            "account_id",
            "contact_id",
            "occurred_at",
            "decay",
            "driver",
            score=(pl.col("rating").cast(pl.Float64) - 3.0) / 2.0 * 100.0,
        )
    )


def _tag_observations(heard: pl.DataFrame, tags: pl.DataFrame) -> pl.DataFrame:
    polarity = pl.col("polarity")
    if tags.schema["polarity"] == pl.String:
        polarity = polarity.str.to_lowercase().replace_strict(
            POLARITY, default=None, return_dtype=pl.Float64
        )
    return (
        tags.filter(pl.col("driver").is_in(DRIVERS))
        .select("feedback_id", "driver", score=polarity.cast(pl.Float64).clip(-1, 1) * TAG_SCALE)
        .filter(pl.col("score").is_not_null())
        .unique(subset=["feedback_id", "driver"], keep="first", maintain_order=True)
        .join(
            heard.select("feedback_id", "account_id", "contact_id", "occurred_at", "decay"),
            on="feedback_id",
            how="inner",
        )
        .select(
            "feedback_id", "account_id", "contact_id", "occurred_at", "decay", "driver", "score"
        )
    )


def driver_observations(v: Village, tags: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every driver observation in the window: ratings, and tags where the same feedback has no
    rating for that driver. Columns: feedback_id, account_id, contact_id, occurred_at, decay,
    driver, score, source ("rating" | "tag")."""
    ratings = _rating_observations(v.heard).with_columns(source=pl.lit("rating"))
    if tags is None or tags.is_empty():
        return ratings
    missing = {"feedback_id", "driver", "polarity"} - set(tags.columns)
    if missing:
        raise ValueError(f"tags frame lacks {sorted(missing)}")
    tagged = _tag_observations(v.heard, tags).join(
        ratings.select("feedback_id", "driver"), on=["feedback_id", "driver"], how="anti"
    )
    return pl.concat([ratings, tagged.with_columns(source=pl.lit("tag"))])


def _wide(long: pl.DataFrame, keys: list[str], frame: pl.DataFrame) -> pl.DataFrame:
    """Long ``keys, driver, score, n`` → one row per key: driver_<d>, n_<d> for every driver."""
    out = frame
    for d in DRIVERS:
        one = long.filter(pl.col("driver") == d).select(
            *keys, pl.col("score").alias(f"driver_{d}"), pl.col("n").alias(f"n_{d}")
        )
        out = out.join(one, on=keys, how="left", nulls_equal=True)
        out = out.with_columns(pl.col(f"n_{d}").fill_null(0))
    return out.select(*keys, *(f"driver_{d}" for d in DRIVERS), *(f"n_{d}" for d in DRIVERS))


def _speakers(obs: pl.DataFrame, active: pl.DataFrame) -> pl.DataFrame:
    """Per active stakeholder and driver: score x_c, freshness f_c and n."""
    return (
        obs.join(active, on=["account_id", "contact_id"], how="inner")
        .sort("occurred_at", "feedback_id")
        .group_by("account_id", "contact_id", "role", "driver")
        .agg(
            x=(pl.col("decay") * pl.col("score")).sum() / pl.col("decay").sum(),
            f=pl.col("decay").last(),
            n=pl.len(),
        )
    )


def driver_scores_from_village(
    v: Village, portfolio: Portfolio, *, by: By = "account", tags: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Driver scores grouped ``by`` account, role, segment or account_role (module docstring):
    the key column(s), ``driver_<d>`` and ``n_<d>`` for the six drivers."""
    active = v.stakeholders.filter("active").select("account_id", "contact_id", "role", "weight")
    speakers = _speakers(driver_observations(v, tags), active)
    role_weight = active.group_by("account_id", "role").agg(W=pl.col("weight").max())
    per_role = speakers.group_by("account_id", "role", "driver").agg(
        score=(pl.col("f") * pl.col("x")).sum() / pl.col("f").sum(), n=pl.col("n").sum()
    )
    if by == "role":
        roles = speakers.group_by("role", "driver").agg(
            score=(pl.col("f") * pl.col("x")).sum() / pl.col("f").sum(), n=pl.col("n").sum()
        )
        keys = roles.select("role").unique().sort("role")
        return _wide(roles, ["role"], keys)
    if by == "account_role":
        keys = per_role.select("account_id", "role").unique().sort("account_id", "role")
        return _wide(per_role, ["account_id", "role"], keys)
    accounts = (
        per_role.join(role_weight, on=["account_id", "role"], how="left")
        .group_by("account_id", "driver")
        .agg(
            score=pl.when(pl.col("W").sum() > 0).then(
                (pl.col("W") * pl.col("score")).sum() / pl.col("W").sum()
            ),
            n=pl.col("n").sum(),
        )
    )
    if by == "account":
        return _wide(accounts, ["account_id"], v.as_of.select("account_id").sort("account_id"))
    if by == "segment":
        segments = (
            accounts.join(portfolio.accounts.select("account_id", "segment"), on="account_id")
            .group_by("segment", "driver")
            .agg(score=pl.col("score").mean(), n=pl.col("n").sum())
        )
        keys = portfolio.accounts.select("segment").unique().sort("segment", nulls_last=True)
        return _wide(segments, ["segment"], keys)
    raise ValueError(f"by must be account, role, segment or account_role, not {by!r}")


def driver_scores(
    portfolio: Portfolio,
    *,
    by: By = "account",
    as_of: AsOf = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    window_days: int = DEFAULT_WINDOW_DAYS,
    tags: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Driver scores per account, role, segment or account × role as of a day (or each
    account's own day), from ratings and optional text ``tags`` (feedback_id, driver, polarity)."""
    v = village(portfolio, as_of, window_days=window_days, half_life_days=half_life_days)
    return driver_scores_from_village(v, portfolio, by=by, tags=tags)
