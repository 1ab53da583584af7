"""Segments: accounts clustered on needs and behaviour, described in words, so value-added
services can be targeted (seed 001: "carry out differentiated value-added services for
different key customer groups").

**Features** per account, in six blocks:

- size: ``log(annual_value)``;
- segment label: one-hot of the account's ``segment``;
- purchase type: one-hot of ``purchase_type``;
- purchase mix: the shares of ``new``, ``rebuy``, ``modified_rebuy`` and ``lease`` among its
  non-renewal opportunities;
- driver profile: the six driver scores (−100…100) from ``account_metrics``;
- roles that carry weight: each role's share of the active village's weight (a contact's
  recorded influence, else the profile's role weight for the account's purchase type and phase).

Each column is standardised (z-score; a missing value becomes the column mean, i.e. 0) and
divided by √(columns of its block that vary), so every block carries the same total variance
(1) and no concept wins by having more columns.

**Clustering**: k-means (k-means++ starts, 10 restarts, seeded) for every k in 2…8 (capped at
n − 1); the chosen k maximises the mean silhouette coefficient (Rousseeuw 1987), reported per k.
Clusters are numbered by total annual value, largest first.

**Descriptions** come from each cluster's profile against the portfolio: size word by the
cluster's median annual value against the portfolio's terciles, the dominant purchase type(s)
and segment label, the purchase mix that stands out, the role with the largest mean weight share,
and the **top drivers**: by relative weights on renewal within the cluster
(``key_driver_analysis``) when it has at least ``min_renewals`` decided renewals with at least
``min_churned`` churns, else the drivers on which the cluster scores furthest below the
portfolio mean (a gap, worded as such).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from accord.insights.frames import Portfolio
from accord.insights.key_drivers import NotEnoughData, booking_outcomes, key_driver_analysis
from accord.insights.metrics import account_metrics
from accord.vocabulary import DRIVERS, OpportunityKind, Role

KINDS = (
    OpportunityKind.new.value,
    OpportunityKind.rebuy.value,
    OpportunityKind.modified_rebuy.value,
    OpportunityKind.lease.value,
)
ROLES = tuple(r.value for r in Role)
DRIVER_COLUMNS = tuple(f"driver_{d}" for d in DRIVERS)

ROLE_WORDS = {  # subject of "… carry the weight"
    "economic_buyer": "economic buyers carry",
    "technical_buyer": "engineers and specifiers carry",
    "user": "users carry",
    "procurement": "procurement carries",
    "gatekeeper": "gatekeepers (IT, safety, quality) carry",
    "champion": "champions carry",
    "blocker": "blockers carry",
    "executive": "executives carry",
}
PURCHASE_WORDS = {
    "precision_components": "precision components",
    "mro_supplies": "MRO supplies",
    "software_platform": "software platforms",
    "employee_gifts": "employee gifts",
    "logistics_services": "logistics services",
    "facility_services": "facility services",
}
DRIVER_WORDS = {
    "product": "product",
    "price": "price",
    "fulfilment": "fulfilment",
    "ease": "peace of mind",
    "presence": "sense of presence",
    "trust": "trust",
}
KIND_WORDS = {
    "new": "new business",
    "rebuy": "straight re-buys",
    "modified_rebuy": "modified re-buys",
    "lease": "leases",
}
# Value-added services that answer each driver (seed 001's examples).
SERVICES = {
    "product": "product selection consultation and help for engineers with technical questions",
    "price": "cost-reduction reports and volume tiers procurement can defend",
    "fulfilment": "a delivery manager, order tracking and help with tallying and shelving",
    "ease": "one contact for every role, transparent prices, stock and order status",
    "presence": "savings and results reports the buyer can show their leadership",
    "trust": "regular reviews with a trained, stable account team",
}


def _words(value: str) -> str:
    return PURCHASE_WORDS.get(value, value.replace("_", " "))


def role_shares(
    accounts: pl.DataFrame, contacts: pl.DataFrame, profiles: pl.DataFrame, *, today: date
) -> pl.DataFrame:
    """Each role's share of the active village's weight per account: account_id, role_<role>.
    Weight = recorded influence, else the profile weight for (purchase_type, phase, role)."""
    active = contacts.filter(
        pl.col("active_from").is_null() | (pl.col("active_from") <= today),
        pl.col("active_to").is_null() | (pl.col("active_to") >= today),
    )
    weighted = (
        active.join(accounts.select("account_id", "purchase_type", "phase"), on="account_id")
        .join(
            profiles.select("purchase_type", "phase", "role", pl.col("weight").alias("default")),
            on=["purchase_type", "phase", "role"],
            how="left",
        )
        .with_columns(pl.coalesce("influence", "default").fill_null(0.0).alias("w"))
    )
    shares = (
        weighted.group_by("account_id", "role")
        .agg(pl.col("w").sum())
        .with_columns((pl.col("w") / pl.col("w").sum().over("account_id")).alias("share"))
        .pivot(on="role", index="account_id", values="share")
    )
    for role in ROLES:
        if role not in shares.columns:
            shares = shares.with_columns(pl.lit(None, dtype=pl.Float64).alias(role))
    return shares.select(
        "account_id", *(pl.col(r).fill_nan(None).fill_null(0.0).alias(f"role_{r}") for r in ROLES)
    )


def kind_mix(opportunities: pl.DataFrame) -> pl.DataFrame:
    """Shares of new / rebuy / modified_rebuy / lease among each account's non-renewal
    opportunities: account_id, mix_<kind>."""
    deals = opportunities.filter(pl.col("kind").is_in(KINDS))
    return deals.group_by("account_id").agg(
        (pl.col("kind") == kind).mean().alias(f"mix_{kind}") for kind in KINDS
    )


def segment_features(
    accounts: pl.DataFrame,
    contacts: pl.DataFrame,
    profiles: pl.DataFrame,
    opportunities: pl.DataFrame,
    metrics: pl.DataFrame | None,
    *,
    today: date,
) -> pl.DataFrame:
    """One row per account with what the clustering reads: account_id, segment, purchase_type,
    annual_value, log_value, mix_<kind>…, driver_<d>… (null when unrated), role_<role>…."""
    frame = accounts.select("account_id", "segment", "purchase_type", "annual_value").join(
        kind_mix(opportunities), on="account_id", how="left"
    )
    drivers = (
        metrics.select("account_id", *DRIVER_COLUMNS)
        if metrics is not None
        else accounts.select(
            "account_id", *(pl.lit(None, dtype=pl.Float64).alias(c) for c in DRIVER_COLUMNS)
        )
    )
    return (
        frame.join(drivers, on="account_id", how="left")
        .join(role_shares(accounts, contacts, profiles, today=today), on="account_id", how="left")
        .with_columns(
            pl.col("annual_value").clip(lower_bound=1.0).log().alias("log_value"),
            *(pl.col(f"role_{r}").fill_null(0.0) for r in ROLES),
        )
    )


def _standardise(block: np.ndarray) -> np.ndarray:
    """z-scores with missing → 0 (the mean) and constant columns → 0; the block divided by
    √(columns that vary) so its total variance is 1 (0 when nothing in it varies)."""
    finite = np.isfinite(block)
    counts = finite.sum(axis=0)
    sums = np.where(finite, block, 0.0).sum(axis=0)
    mean = np.divide(sums, counts, out=np.zeros(block.shape[1]), where=counts > 0)
    filled = np.where(finite, block, mean)
    sd = filled.std(axis=0)
    varies = sd > 1e-12
    z = np.where(varies, (filled - mean) / np.where(varies, sd, 1.0), 0.0)
    return np.asarray(z / np.sqrt(max(int(varies.sum()), 1)))


def _one_hot(values: pl.Series) -> tuple[np.ndarray, list[str]]:
    levels = sorted(v for v in values.unique().to_list() if v is not None)
    return (
        np.column_stack([(values == v).fill_null(False).to_numpy() for v in levels]).astype(float)
        if levels
        else np.zeros((len(values), 0)),
        levels,
    )


def design_matrix(features: pl.DataFrame) -> np.ndarray:
    """The standardised, block-weighted matrix k-means runs on (module docstring)."""
    blocks = [features.select("log_value").to_numpy().astype(float)]
    for column in ("segment", "purchase_type"):
        hot, _ = _one_hot(features[column])
        if hot.shape[1]:
            blocks.append(hot)
    blocks.append(features.select(f"mix_{k}" for k in KINDS).to_numpy().astype(float))
    blocks.append(features.select(DRIVER_COLUMNS).to_numpy().astype(float))
    blocks.append(features.select(f"role_{r}" for r in ROLES).to_numpy().astype(float))
    return np.column_stack([_standardise(b) for b in blocks])


@dataclass(frozen=True)
class SegmentResult:
    """Clusters, the criterion that chose k, and each cluster's profile and description.

    ``assignments``: account_id, cluster. ``profiles``: cluster, accounts, annual_value,
    median_value, top_purchase_type, top_segment, key_role, driver_<d> means, top_drivers,
    drivers_source (``key_driver_analysis`` or ``driver_gap``), description, services.
    """

    k: int
    criterion: str
    scores: dict[int, float]
    assignments: pl.DataFrame
    profiles: pl.DataFrame
    method: str = "k-means on standardised, block-weighted features; k by mean silhouette"


def _cluster_drivers(
    members: pl.DataFrame,
    renewals: pl.DataFrame | None,
    portfolio_means: dict[str, float],
    *,
    min_renewals: int,
    min_churned: int,
    seed: int,
) -> tuple[list[str], str]:
    if renewals is not None:
        rows = renewals.join(members.select("account_id"), on="account_id", how="semi").drop_nulls(
            ["renewed", *DRIVER_COLUMNS]
        )
        churned = int((rows["renewed"] == 0).sum()) if rows.height else 0
        if rows.height >= min_renewals and churned >= min_churned:
            try:
                result = key_driver_analysis(rows, DRIVER_COLUMNS, "renewed", n_boot=0, seed=seed)
            except NotEnoughData:
                pass
            else:
                return [d.removeprefix("driver_") for d in result.ranking[:2]], (
                    "key_driver_analysis"
                )
    gaps = {
        d: float(members[f"driver_{d}"].mean()) - portfolio_means[d]  # type: ignore[operator]
        for d in DRIVERS
        if members[f"driver_{d}"].null_count() < members.height and np.isfinite(portfolio_means[d])
    }
    return sorted(gaps, key=lambda d: gaps[d])[:2], "driver_gap"


def _describe(
    members: pl.DataFrame,
    everyone: pl.DataFrame,
    top_drivers: list[str],
    source: str,
) -> tuple[str, str, str, str]:
    """(description, top purchase type, top segment label, key role) for one cluster."""
    low, high = np.quantile(everyone["annual_value"].to_numpy(), [1 / 3, 2 / 3])
    median = float(np.median(members["annual_value"].to_numpy()))
    size = "Large" if median >= high else "Small" if median <= low else "Mid-size"

    def dominant(column: str) -> list[tuple[str, float]]:
        counts = members[column].value_counts(sort=True, name="n")
        return [(str(v), n / members.height) for v, n in counts.iter_rows()]

    types = dominant("purchase_type")
    labels = dominant("segment")
    buying = (
        _words(types[0][0])
        if types[0][1] >= 0.6 or len(types) == 1
        else f"{_words(types[0][0])} and {_words(types[1][0])}"
    )
    parts = [f"{size} accounts (median annual value {median:,.0f}"]
    if labels[0][1] >= 0.6:
        parts[0] += f", mostly {_words(labels[0][0])}"
    parts[0] += f") buying {buying}"
    mix = {
        k: float(members[f"mix_{k}"].mean() or 0.0) - float(everyone[f"mix_{k}"].mean() or 0.0)
        for k in KINDS
    }
    standout = max(mix, key=lambda k: mix[k])
    if mix[standout] > 0.05:
        parts[0] += f", with more {KIND_WORDS[standout]} than average"
    if top_drivers:
        named = " and ".join(DRIVER_WORDS[d] for d in top_drivers)
        parts.append(
            f"{named} matter most for renewal"
            if source == "key_driver_analysis"
            else f"{named} lag the portfolio most"
        )
    role_means = {r: float(members[f"role_{r}"].mean() or 0.0) for r in ROLES}
    key_role = max(role_means, key=lambda r: role_means[r])
    parts.append(f"{ROLE_WORDS[key_role]} the weight")
    return "; ".join(parts), types[0][0], labels[0][0], key_role


def segment_accounts(
    features: pl.DataFrame,
    *,
    renewals: pl.DataFrame | None = None,
    k_range: Sequence[int] = range(2, 9),
    seed: int = 0,
    min_renewals: int = 40,
    min_churned: int = 5,
) -> SegmentResult:
    """Cluster ``features`` (from ``segment_features``) and describe each cluster.

    ``renewals`` (optional): account_id, renewed (1/0), driver_<d>… as of each renewal date —
    the key-driver input; used per cluster when it has enough decided renewals.
    Raises ``NotEnoughData`` with fewer than 3 accounts.
    """
    n = features.height
    ks = [k for k in k_range if 2 <= k <= n - 1]
    if not ks:
        raise NotEnoughData(f"{n} accounts are too few to cluster")
    X = design_matrix(features)
    scores: dict[int, float] = {}
    labels_by_k: dict[int, np.ndarray] = {}
    for k in ks:
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X)
        if len(np.unique(labels)) < 2:
            continue
        scores[k] = float(silhouette_score(X, labels))
        labels_by_k[k] = labels
    if not scores:
        raise NotEnoughData("the accounts do not separate into clusters")
    k = max(scores, key=lambda kk: (scores[kk], -kk))
    raw = labels_by_k[k]
    # number clusters by total annual value, largest first
    value = features["annual_value"].to_numpy()
    order = sorted(np.unique(raw), key=lambda c: -value[raw == c].sum())
    renumber = {int(c): i for i, c in enumerate(order)}
    assigned = features.with_columns(
        pl.Series("cluster", [renumber[int(c)] for c in raw], dtype=pl.Int64)
    )
    portfolio_means = {d: float(features[f"driver_{d}"].mean() or np.nan) for d in DRIVERS}

    rows = []
    for cluster in range(len(order)):
        members = assigned.filter(pl.col("cluster") == cluster)
        top, source = _cluster_drivers(
            members,
            renewals,
            portfolio_means,
            min_renewals=min_renewals,
            min_churned=min_churned,
            seed=seed,
        )
        description, purchase_type, label, key_role = _describe(members, features, top, source)
        rows.append(
            {
                "cluster": cluster,
                "accounts": members.height,
                "annual_value": float(members["annual_value"].sum()),
                "median_value": float(members["annual_value"].median() or 0.0),
                "top_purchase_type": purchase_type,
                "top_segment": label,
                "key_role": key_role,
                **{c: members[c].mean() for c in DRIVER_COLUMNS},
                "top_drivers": top,
                "drivers_source": source,
                "description": description,
                "services": "; ".join(SERVICES[d] for d in top),
            }
        )
    profiles = pl.DataFrame(
        rows,
        schema_overrides=dict.fromkeys(DRIVER_COLUMNS, pl.Float64),
    )
    profiles = _distinct_descriptions(profiles)
    return SegmentResult(
        k=k,
        criterion=f"mean silhouette, k-means, k in {min(ks)}…{max(ks)}",
        scores=scores,
        assignments=assigned.select("account_id", "cluster"),
        profiles=profiles,
    )


def _distinct_descriptions(profiles: pl.DataFrame) -> pl.DataFrame:
    """Two clusters may read alike; number the look-alikes so every description differs."""
    seen: dict[str, int] = {}
    out = []
    for text in profiles["description"].to_list():
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} (group {seen[text]})")
    return profiles.with_columns(pl.Series("description", out))


def segments(
    portfolio: Portfolio,
    *,
    k_range: Sequence[int] = range(2, 9),
    seed: int = 0,
    half_life_days: float = 180,
    window_days: int = 365,
) -> SegmentResult:
    """Segment the portfolio: features as of ``portfolio.today`` (driver scores from
    ``account_metrics``), top drivers from each cluster's decided renewals with the driver
    scores as of each renewal date."""
    options = {"half_life_days": half_life_days, "window_days": window_days}
    now = account_metrics(portfolio, **options)  # type: ignore[arg-type]
    outcomes = booking_outcomes(portfolio.opportunities, "renewal")
    past = account_metrics(
        portfolio,
        as_of=outcomes.select("account_id", "as_of"),
        **options,  # type: ignore[arg-type]
    )
    renewals = outcomes.select("account_id", pl.col("outcome").alias("renewed")).join(
        past.select("account_id", *DRIVER_COLUMNS), on="account_id", how="left"
    )
    features = segment_features(
        portfolio.accounts,
        portfolio.contacts,
        portfolio.profiles,
        portfolio.opportunities,
        now,
        today=portfolio.today,
    )
    return segment_accounts(features, renewals=renewals, k_range=k_range, seed=seed)
