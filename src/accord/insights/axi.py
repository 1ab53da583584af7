"""Account Experience Index (AXI): the village's weighed and nested sentiment, −100…100.

Formula, for account ``a`` as of day ``T`` (``docs/insights/village.md`` says the same):

* **Active** stakeholders: ``active_from ≤ T ≤ active_to`` (an empty bound is open). Departed
  ones (``active_to < T``) do not count: the weights re-balance over whoever is left.
* A stakeholder's **weight** ``w_c`` is their recorded influence; where none is recorded, the
  influence profile's weight for (the account's purchase type, its phase, the contact's role);
  else 0. A **veto holder** is a contact flagged ``veto``, or — when no influence is recorded
  for them — one whose role holds a veto in the profile (the rule of the village page).
* **Window**: feedback with ``T − 365 < day ≤ T``; an answer of age ``t`` days weighs
  ``d(t) = 0.5^(t / h)`` (half-life ``h`` = 180 days).
* A stakeholder's **current sentiment** ``s_c`` is the ``d``-weighted mean of their answers'
  sentiments (``sentiment.with_sentiment``) in the window, taking only answers from the best
  source they used — NPS, else driver ratings, else CSAT/CES, else text — so a one-driver
  rating after a delivery never stands in for their view of the relationship. Their
  **freshness** ``f_c = d(age of that latest answer)``. (Why not the latest answer alone: it is
  one noisy draw; see ``docs/insights/village.md`` for the comparison on the synthetic world.)
* Within a role: ``S_r = Σ f_c s_c / Σ f_c`` over its heard members (``F_r = Σ f_c``): one
  person, one voice, a stale one fainter.
* Across roles: a role's weight ``W_r = max w_c`` over its **active** members, heard or not —
  the max, not the sum, because a role's say does not grow with its headcount (five users do
  not outvote the one engineer who can veto); the profile weighs roles, and the role's
  strongest member carries it. ``AXI = Σ_r W_r S_r / Σ_r W_r`` over the heard roles; null
  when nobody was heard (or the heard roles weigh 0).

**Uncertainty band** (a margin of error around the AXI). An answer of age ``t`` carries ``d(t)``
of a fresh answer's information, so the AXI, a weighted mean with weights ``a_c = ω_r d_c / D_r``
(``ω_r = W_r / Σ W``), has variance ``σ² Σ a_c² / d_c = σ² Σ_r ω_r² / D_r``: the AXI is worth
``n_eff = 1 / Σ_r ω_r² / D_r`` fresh respondents (the Kish effective sample size when every
answer is fresh). The band is ``AXI ± 1.645 σ / √n_eff`` (90 %), clipped to −100…100, so it
always contains the AXI and is wide when few voices were heard: three answers give about ±47,
thirty about ±15. ``σ`` is the pooled within-account spread of individual sentiments
(``Σ (s_c − AXI_a)² / Σ (n_a − 1)``) once at least 30 degrees of freedom are available, else 50.
An account nobody was heard from has a null AXI and the segment's band,
``μ ± 1.645 σ / √k`` around the segment's mean AXI ``μ`` with ``k`` pseudo-respondents
(default 3), so a pessimistic sort (by ``axi_low``) never ranks the unknown among the safe.
Sorting by ``axi_low`` puts first the accounts whose experience may be worst — including the
sparsely heard, which is the point: three answers are not a verdict, go and listen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import polars as pl

from accord.insights.frames import Portfolio
from accord.insights.sentiment import SOURCES, with_sentiment

DEFAULT_HALF_LIFE_DAYS = 180.0
DEFAULT_WINDOW_DAYS = 365
DEFAULT_PRIOR_STRENGTH = 3.0  # pseudo-respondents
DEFAULT_SPREAD = 50.0  # respondent-level s.d. when the portfolio is too small to estimate it
MIN_SPREAD_DF = 30
BAND_Z = 1.645  # two-sided 90 %

AsOf = date | datetime | pl.DataFrame | None


def as_of_frame(portfolio: Portfolio, as_of: AsOf = None) -> pl.DataFrame:
    """``account_id, as_of`` (Date) for the accounts to compute: every account on one day
    (``as_of`` a date, default ``portfolio.today``), or each account of a frame
    ``account_id, as_of`` on its own day (accounts outside the portfolio are dropped)."""
    ids = portfolio.accounts.select("account_id")
    if as_of is None:
        as_of = portfolio.today
    if isinstance(as_of, pl.DataFrame):
        missing = {"account_id", "as_of"} - set(as_of.columns)
        if missing:
            raise ValueError(f"as_of frame lacks {sorted(missing)}")
        frame = as_of.select("account_id", pl.col("as_of").cast(pl.Date))
        if frame["account_id"].is_duplicated().any():
            raise ValueError("as_of frame has an account_id more than once")
        if frame["as_of"].null_count():
            raise ValueError("as_of frame has an empty as_of")
        return ids.join(frame, on="account_id", how="inner")
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    return ids.with_columns(as_of=pl.lit(day, pl.Date))


@dataclass(frozen=True)
class Village:
    """The frames every village insight starts from, for one set of as-of days.

    - ``as_of``: account_id, as_of
    - ``stakeholders``: every contact of those accounts — account_id, contact_id, role,
      weight, weight_source ("recorded" | "profile" | "none"), veto, active, departed_on
      (active_to when they left before as_of, else null), as_of
    - ``heard``: feedback of those accounts in the window — the feedback columns plus
      sentiment, sentiment_source, as_of, age_days, decay
    - ``sentiments``: each heard contact's current sentiment (``stakeholder_sentiments``)
    """

    as_of: pl.DataFrame
    stakeholders: pl.DataFrame
    heard: pl.DataFrame
    sentiments: pl.DataFrame
    window_days: int
    half_life_days: float


def stakeholder_weights(portfolio: Portfolio, as_of: pl.DataFrame) -> pl.DataFrame:
    """Every contact of the accounts in ``as_of`` with their effective weight and veto."""
    accounts = portfolio.accounts.select("account_id", "purchase_type", "phase").join(
        as_of, on="account_id", how="inner"
    )
    profiles = portfolio.profiles.select(
        "purchase_type",
        "phase",
        "role",
        profile_weight=pl.col("weight"),
        profile_veto=pl.col("veto"),
    )
    influence = pl.col("influence")
    t = pl.col("as_of")
    active = (pl.col("active_from").is_null() | (pl.col("active_from") <= t)) & (
        pl.col("active_to").is_null() | (pl.col("active_to") >= t)
    )
    return (
        portfolio.contacts.join(accounts, on="account_id", how="inner")
        .join(profiles, on=["purchase_type", "phase", "role"], how="left")
        .select(
            "account_id",
            "contact_id",
            "role",
            weight=pl.coalesce(influence, pl.col("profile_weight"), pl.lit(0.0)),
            weight_source=pl.when(influence.is_not_null())
            .then(pl.lit("recorded"))
            .when(pl.col("profile_weight").is_not_null())
            .then(pl.lit("profile"))
            .otherwise(pl.lit("none")),
            veto=pl.col("veto").fill_null(False)
            | (influence.is_null() & pl.col("profile_veto").fill_null(False)),
            active=active,
            departed_on=pl.when(pl.col("active_to") < t).then(pl.col("active_to")),
            as_of=t,
        )
    )


def feedback_in_window(
    portfolio: Portfolio,
    as_of: pl.DataFrame,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> pl.DataFrame:
    """Feedback of the ``as_of`` accounts with ``as_of − window < day ≤ as_of``, with its
    sentiment, age in days and decay ``0.5^(age / half-life)``."""
    if half_life_days <= 0 or window_days <= 0:
        raise ValueError("half_life_days and window_days must be positive")
    age = (pl.col("as_of") - pl.col("occurred_at").dt.date()).dt.total_days()
    feedback = portfolio.feedback
    days = as_of["as_of"].unique()
    if days.len() == 1:
        # One day for every account (the usual case): cut the window before the join and the
        # sentiment, which then touch a fraction of the rows. Same rows as the filter below.
        first = datetime.combine(days[0] - timedelta(days=window_days - 1), time.min)
        after = datetime.combine(days[0] + timedelta(days=1), time.min)
        feedback = feedback.filter(pl.col("occurred_at").is_between(first, after, closed="left"))
    return (
        with_sentiment(feedback)
        .join(as_of, on="account_id", how="inner")
        .with_columns(age_days=age)
        .filter(pl.col("age_days").is_between(0, window_days - 1))
        .with_columns(decay=pl.lit(0.5).pow(pl.col("age_days") / half_life_days))
    )


def stakeholder_sentiments(heard: pl.DataFrame) -> pl.DataFrame:
    """Each speaker's current sentiment from the window's feedback (``heard``).

    Only their answers from the best source they used count (NPS over driver ratings over
    CSAT/CES over text); the sentiment is the decay-weighted mean of those answers, and the
    speaker's freshness is the decay of the latest. Columns: account_id, contact_id, sentiment,
    freshness, answers, feedback_id and age_days (of the latest of those answers).
    """
    rank = pl.col("sentiment_source").replace_strict(
        {name: i for i, name in enumerate(SOURCES)}, return_dtype=pl.Int8
    )
    scored = heard.filter(
        pl.col("sentiment").is_not_null() & pl.col("contact_id").is_not_null()
    ).with_columns(rank=rank)
    best = scored.filter(pl.col("rank") == pl.col("rank").min().over("account_id", "contact_id"))
    return (
        best.sort("occurred_at", "feedback_id")
        .group_by("account_id", "contact_id")
        .agg(
            sentiment=(pl.col("decay") * pl.col("sentiment")).sum() / pl.col("decay").sum(),
            freshness=pl.col("decay").last(),
            answers=pl.len(),
            feedback_id=pl.col("feedback_id").last(),
            age_days=pl.col("age_days").last(),
        )
    )


def village(
    portfolio: Portfolio,
    as_of: AsOf = None,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
) -> Village:
    """The shared frames for ``as_of`` (see ``Village``); compute once, reuse for every insight."""
    days = as_of_frame(portfolio, as_of)
    heard = feedback_in_window(
        portfolio, days, window_days=window_days, half_life_days=half_life_days
    )
    return Village(
        as_of=days,
        stakeholders=stakeholder_weights(portfolio, days),
        heard=heard,
        sentiments=stakeholder_sentiments(heard),
        window_days=window_days,
        half_life_days=half_life_days,
    )


def _pooled_spread(respondents: pl.DataFrame, raw: pl.DataFrame) -> float:
    """Pooled within-account s.d. of individual sentiments around the account's AXI."""
    resid = respondents.join(raw.select("account_id", "axi"), on="account_id").filter(
        pl.col("axi").is_not_null()
    )
    per_account = resid.group_by("account_id").agg(
        ss=((pl.col("sentiment") - pl.col("axi")) ** 2).sum(), n=pl.len()
    )
    df = int((per_account["n"] - 1).clip(lower_bound=0).sum())
    if df < MIN_SPREAD_DF:
        return DEFAULT_SPREAD
    ss = float(per_account.filter(pl.col("n") > 1)["ss"].sum())
    return math.sqrt(ss / df)


def axi_from_village(
    v: Village,
    portfolio: Portfolio,
    *,
    prior_strength: float = DEFAULT_PRIOR_STRENGTH,
    spread: float | None = None,
) -> pl.DataFrame:
    """The AXI of every account in ``v.as_of``: account_id, axi, axi_low, axi_high, n_heard,
    n_eff, spread (the σ used)."""
    if prior_strength <= 0:
        raise ValueError("prior_strength must be positive")
    active = v.stakeholders.filter("active")
    respondents = active.join(
        v.sentiments.select("account_id", "contact_id", "sentiment", "freshness"),
        on=["account_id", "contact_id"],
        how="inner",
    )
    role_weight = active.group_by("account_id", "role").agg(W=pl.col("weight").max())
    roles = (
        respondents.group_by("account_id", "role")
        .agg(
            S=(pl.col("freshness") * pl.col("sentiment")).sum() / pl.col("freshness").sum(),
            F=pl.col("freshness").sum(),
            n=pl.len(),
        )
        .join(role_weight, on=["account_id", "role"], how="left")
        .with_columns(omega=pl.col("W") / pl.col("W").sum().over("account_id"))
    )
    weighed = pl.col("W").sum() > 0
    raw = roles.group_by("account_id").agg(
        axi=pl.when(weighed).then((pl.col("W") * pl.col("S")).sum() / pl.col("W").sum()),
        n_eff=pl.when(weighed).then(1.0 / (pl.col("omega") ** 2 / pl.col("F")).sum()),
        n_heard=pl.col("n").sum(),
    )
    sigma = spread if spread is not None else _pooled_spread(respondents, raw)
    accounts = v.as_of.join(
        portfolio.accounts.select("account_id", "segment"), on="account_id", how="left"
    ).join(raw, on="account_id", how="left")
    known = accounts["axi"].drop_nulls()
    overall = float(known.sum()) / known.len() if known.len() else 0.0
    k = prior_strength
    n_eff = pl.col("n_eff").fill_null(0.0)
    mu = pl.col("axi").mean().over("segment").fill_null(overall)
    heard = pl.col("axi").is_not_null() & (n_eff > 0)
    # Heard: a margin of error around the AXI. Unheard: the segment's band, worth k voices.
    centre = pl.when(heard).then(pl.col("axi")).otherwise(mu)
    sd = pl.when(heard).then(sigma / n_eff.sqrt()).otherwise(sigma / math.sqrt(k))
    return accounts.select(
        "account_id",
        "axi",
        axi_low=(centre - BAND_Z * sd).clip(-100.0, 100.0),
        axi_high=(centre + BAND_Z * sd).clip(-100.0, 100.0),
        n_heard=pl.col("n_heard").fill_null(0).cast(pl.UInt32),
        n_eff=n_eff,
        spread=pl.lit(sigma, pl.Float64),
    ).sort("account_id")


def account_axi(
    portfolio: Portfolio,
    *,
    as_of: AsOf = None,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    window_days: int = DEFAULT_WINDOW_DAYS,
    prior_strength: float = DEFAULT_PRIOR_STRENGTH,
    spread: float | None = None,
) -> pl.DataFrame:
    """AXI per account as of a day (or each account's own day): account_id, axi, axi_low,
    axi_high, n_heard, n_eff, spread. Formula and band in the module docstring."""
    v = village(portfolio, as_of, window_days=window_days, half_life_days=half_life_days)
    return axi_from_village(v, portfolio, prior_strength=prior_strength, spread=spread)


def pessimistic(frame: pl.DataFrame) -> pl.DataFrame:
    """Worst first by what we can claim: ascending ``axi_low`` (then ``axi``), empty last."""
    return frame.sort(["axi_low", "axi"], nulls_last=True)
