"""Key driver analysis: which drivers move a booking outcome, by Johnson's relative weights.

Relative weights (Johnson 2000) split the R² of an ordinary least-squares regression of the
outcome ``y`` on the drivers ``X`` into one non-negative share per driver, even when the drivers
are correlated (they always are: an account happy with its account team tends to rate delivery
well too). With ``R_xx`` the drivers' correlation matrix and ``r_xy`` their correlations with
the outcome:

    R_xx = P Λ Pᵀ                       eigen-decomposition
    Λ* = P Λ^½ Pᵀ                        correlations of X with Z, the orthogonal variables closest
                                         to X in the least-squares sense (Z = X P Λ^-½ Pᵀ)
    β = Λ*⁻¹ r_xy                        standardised regression of y on Z
    ε_j = Σ_k (λ*_jk)² β_k²              raw relative weight of driver j

Σ_j ε_j = βᵀβ = r_xyᵀ R_xx⁻¹ r_xy = R². Rescaled importance = 100 · ε_j / R² (% of R²). With
orthogonal drivers ε_j = r_jy², the squared correlation.

Missing values: ``key_driver_analysis`` drops every row with a missing driver or outcome
(listwise deletion) and reports how many it dropped. A binary outcome (renewed 1 / churned 0)
is analysed as a linear probability model: R² is that of OLS on the 0/1 outcome, as in
Johnson (2000); Tonidandel & LeBreton's (2010) logistic variant would give weights on a pseudo-R²
scale, which is harder to read beside the plain correlations. Confidence intervals are bootstrap
percentile intervals (Tonidandel, LeBreton & Johnson 2009), all resamples computed as one batch
of correlation matrices.

References: Johnson, J. W. (2000). A heuristic method for estimating the relative weight of
predictor variables in multiple regression. Multivariate Behavioral Research 35(1), 1–19.
Tonidandel, S. & LeBreton, J. M. (2011). Relative importance analysis: a useful supplement to
regression analysis. Journal of Business and Psychology 26(1), 1–9.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from accord.insights.frames import Portfolio
from accord.insights.metrics import account_metrics
from accord.vocabulary import DRIVERS

_EIGEN_TOL = 1e-10  # eigenvalues below this (relative to the largest) count as zero
_BOOT_BATCH_CELLS = 4_000_000  # floats per bootstrap batch: bounds memory at ~32 MB


class NotEnoughData(ValueError):
    """Too few complete rows, or no variation, to estimate what was asked."""


def relative_weights_from_correlations(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Johnson's raw relative weights from correlations alone.

    ``rxx`` is the predictors' correlation matrix (p × p), ``rxy`` their correlations with the
    outcome (p). Both may carry leading batch dimensions ((…, p, p) and (…, p)); the answer is
    (…, p). Formula in the module docstring; a singular ``rxx`` is handled with the
    pseudo-inverse of Λ* (zero eigenvalues contribute nothing).
    """
    rxx = np.asarray(rxx, dtype=float)
    rxy = np.asarray(rxy, dtype=float)
    eigval, eigvec = np.linalg.eigh(rxx)
    top = np.max(eigval, axis=-1, keepdims=True)
    keep = eigval > _EIGEN_TOL * np.maximum(top, 1e-300)
    root = np.sqrt(np.where(keep, eigval, 0.0))
    inv_root = np.where(keep, 1.0 / np.where(keep, root, 1.0), 0.0)
    # Λ* = P diag(√λ) Pᵀ and Λ*⁻¹ = P diag(1/√λ) Pᵀ
    lam_star = (eigvec * root[..., None, :]) @ np.swapaxes(eigvec, -1, -2)
    lam_star_inv = (eigvec * inv_root[..., None, :]) @ np.swapaxes(eigvec, -1, -2)
    beta = (lam_star_inv @ rxy[..., None])[..., 0]
    return np.asarray((lam_star**2) @ (beta**2)[..., None])[..., 0]


def _correlations(data: np.ndarray) -> np.ndarray:
    """Pearson correlation matrices of the columns of ``data`` (…, n, m); NaN where a column is
    constant."""
    centred = data - data.mean(axis=-2, keepdims=True)
    cov = np.swapaxes(centred, -1, -2) @ centred
    sd = np.sqrt(np.diagonal(cov, axis1=-2, axis2=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(cov / (sd[..., :, None] * sd[..., None, :]))


def relative_weights(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Raw relative weights (Johnson 2000) of the columns of ``X`` (n × p) for outcome ``y`` (n):
    one non-negative weight per column, summing to the R² of the OLS regression of ``y`` on
    ``X`` (with intercept).

    ``R_xx = P Λ Pᵀ``, ``Λ* = P Λ^½ Pᵀ``, ``β = Λ*⁻¹ r_xy``, ``ε_j = Σ_k (λ*_jk)² β_k²``.
    Inputs must be finite; a constant column or outcome raises ``NotEnoughData``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
        raise ValueError(f"expected X (n × p) and y (n); got {X.shape} and {y.shape}")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("X and y must be finite; drop or impute missing values first")
    if X.shape[0] < 3:
        raise NotEnoughData("relative weights need at least 3 rows")
    corr = _correlations(np.column_stack([X, y]))
    if not np.isfinite(corr).all():
        raise NotEnoughData("a predictor or the outcome does not vary")
    return relative_weights_from_correlations(corr[:-1, :-1], corr[:-1, -1])


@dataclass(frozen=True)
class KeyDriverResult:
    """Relative weights of ``drivers`` on ``target`` with bootstrap intervals.

    ``table``: one row per driver, sorted by weight: driver, weight (raw ε, share of R²),
    ci_low, ci_high (percentile bootstrap of ε), importance (% of R²), rank, r (Pearson
    correlation with the target), r_rank (rank by |r|), sign (+1/−1, of r).
    """

    target: str
    table: pl.DataFrame
    r2: float
    r2_ci_low: float
    r2_ci_high: float
    n: int  # complete rows used
    n_dropped: int  # rows dropped for a missing driver or target (listwise deletion)
    n_boot: int  # bootstrap resamples that gave an estimate
    confidence: float
    binary: bool  # True: 0/1 target, R² of the linear probability model
    method: str = "relative weights (Johnson 2000), percentile bootstrap CIs, listwise deletion"

    @property
    def ranking(self) -> list[str]:
        """Drivers from most to least important by relative weight."""
        return self.table["driver"].to_list()

    @property
    def correlation_ranking(self) -> list[str]:
        """Drivers ordered by |r| with the target: the naive ranking, for comparison."""
        return self.table.sort("r_rank")["driver"].to_list()


def _bootstrap_weights(
    data: np.ndarray, n_boot: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Relative weights and R² for ``n_boot`` resamples of the rows of ``data`` (outcome last),
    in batches of correlation matrices. Degenerate resamples (a constant column) come back NaN."""
    n, m = data.shape
    batch = max(1, _BOOT_BATCH_CELLS // (n * m))
    weights = np.empty((n_boot, m - 1))
    for start in range(0, n_boot, batch):
        size = min(batch, n_boot - start)
        idx = rng.integers(0, n, size=(size, n))
        corr = _correlations(data[idx])
        ok = np.isfinite(corr).all(axis=(-2, -1))
        eps = np.full((size, m - 1), np.nan)
        if ok.any():
            good = corr[ok]
            eps[ok] = relative_weights_from_correlations(good[:, :-1, :-1], good[:, :-1, -1])
        weights[start : start + size] = eps
    return weights, weights.sum(axis=1)


def _ranks(values: np.ndarray) -> np.ndarray:
    """1 = largest; ties broken by position."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(1, len(values) + 1)
    return ranks


def key_driver_analysis(
    frame: pl.DataFrame,
    drivers: Sequence[str],
    target: str,
    *,
    n_boot: int = 500,
    seed: int = 0,
    confidence: float = 0.95,
) -> KeyDriverResult:
    """Relative weights of ``drivers`` on ``target`` (columns of ``frame``), with percentile
    bootstrap confidence intervals, R², rescaled importance (% of R²) and the plain Pearson
    correlation ranking beside them.

    Rows missing any driver or the target are dropped (listwise deletion; ``n_dropped`` says how
    many). A boolean or 0/1 target is treated as a linear probability model. The bootstrap draws
    ``n_boot`` resamples of the complete rows with ``numpy.random.default_rng(seed)``; the
    interval is the (1−c)/2 and (1+c)/2 percentiles of each weight over the resamples.
    Raises ``NotEnoughData`` with fewer than ``len(drivers) + 2`` complete rows or no variation.
    """
    drivers = list(drivers)
    if not drivers:
        raise ValueError("no drivers given")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    cols = [*drivers, target]
    data_frame = frame.select(pl.col(c).cast(pl.Float64) for c in cols)
    complete = data_frame.filter(
        pl.all_horizontal(pl.col(c).is_not_null() & pl.col(c).is_not_nan() for c in cols)
    )
    n = complete.height
    if n < len(drivers) + 2:
        raise NotEnoughData(
            f"{n} complete rows for {len(drivers)} drivers; need at least {len(drivers) + 2}"
        )
    data = complete.to_numpy()
    y = data[:, -1]
    binary = bool(np.isin(y, (0.0, 1.0)).all())
    weights = relative_weights(data[:, :-1], y)
    r2 = float(weights.sum())
    corr = _correlations(data)[:-1, -1]

    rng = np.random.default_rng(seed)
    boot, boot_r2 = _bootstrap_weights(data, n_boot, rng) if n_boot > 0 else (None, None)
    tail = 100 * (1 - confidence) / 2
    if boot is not None and np.isfinite(boot_r2).any():
        valid = np.isfinite(boot_r2)
        low, high = np.percentile(boot[valid], [tail, 100 - tail], axis=0)
        r2_low, r2_high = np.percentile(boot_r2[valid], [tail, 100 - tail])
        n_valid = int(valid.sum())
    else:
        low = high = np.full(len(drivers), np.nan)
        r2_low = r2_high = np.nan
        n_valid = 0

    table = pl.DataFrame(
        {
            "driver": drivers,
            "weight": weights,
            "ci_low": low,
            "ci_high": high,
            "importance": 100 * weights / r2 if r2 > 0 else np.zeros(len(drivers)),
            "rank": _ranks(weights),
            "r": corr,
            "r_rank": _ranks(np.abs(corr)),
            "sign": np.where(corr < 0, -1, 1),
        }
    ).sort("rank")
    return KeyDriverResult(
        target=target,
        table=table,
        r2=r2,
        r2_ci_low=float(r2_low),
        r2_ci_high=float(r2_high),
        n=n,
        n_dropped=frame.height - n,
        n_boot=n_valid,
        confidence=confidence,
        binary=binary,
    )


# target → (opportunity kinds, outcome counted 1, outcome counted 0)
BOOKING_TARGETS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "renewal": (("renewal",), "renewed", "churned"),
    "rebuy": (("rebuy", "modified_rebuy"), "won", "lost"),
}


def booking_outcomes(opportunities: pl.DataFrame, target: str = "renewal") -> pl.DataFrame:
    """Each account's latest decided booking of ``target`` (``renewal``: renewed 1 / churned 0;
    ``rebuy``: a straight or modified re-buy won 1 / lost 0): account_id, opportunity_id,
    as_of (its close date), outcome. One row per account, so it can be the ``as_of`` frame of
    ``account_metrics``."""
    if target not in BOOKING_TARGETS:
        raise ValueError(f"unknown booking target {target!r}; one of {', '.join(BOOKING_TARGETS)}")
    kinds, yes, no = BOOKING_TARGETS[target]
    return (
        opportunities.filter(
            pl.col("kind").is_in(kinds),
            pl.col("outcome").is_in([yes, no]),
            pl.col("closed_at").is_not_null(),
        )
        .sort("closed_at", "opportunity_id")
        .group_by("account_id", maintain_order=True)
        .last()
        .select(
            "account_id",
            "opportunity_id",
            pl.col("closed_at").alias("as_of"),
            (pl.col("outcome") == yes).cast(pl.Int8).alias("outcome"),
        )
        .sort("account_id")
    )


def key_drivers(
    portfolio: Portfolio,
    target: str = "renewal",
    *,
    n_boot: int = 500,
    seed: int = 0,
    half_life_days: float = 180,
    window_days: int = 365,
) -> KeyDriverResult:
    """Key driver analysis of the six driver scores on a booking outcome.

    ``target`` ``renewal`` or ``rebuy``: each account's latest decided booking of that kind,
    with its driver scores (``account_metrics``) as of the close date, so nothing heard after
    the decision counts. Any other ``target`` names a numeric column of ``portfolio.accounts``
    (a wallet share, say), analysed against the driver scores as of ``portfolio.today``.
    The table's ``driver`` column holds the plain driver names.
    """
    if target in BOOKING_TARGETS:
        outcomes = booking_outcomes(portfolio.opportunities, target)
        scores = account_metrics(
            portfolio,
            as_of=outcomes.select("account_id", "as_of"),
            half_life_days=half_life_days,
            window_days=window_days,
        )
        frame = outcomes.select("account_id", pl.col("outcome").alias(target))
    elif target in portfolio.accounts.columns and portfolio.accounts[target].dtype.is_numeric():
        scores = account_metrics(portfolio, half_life_days=half_life_days, window_days=window_days)
        frame = portfolio.accounts.select("account_id", target)
    else:
        raise ValueError(
            f"unknown target {target!r}: {', '.join(BOOKING_TARGETS)} or a numeric account column"
        )
    frame = frame.join(
        scores.select("account_id", *(pl.col(f"driver_{d}").alias(d) for d in DRIVERS)),
        on="account_id",
        how="left",
    )
    return key_driver_analysis(frame, DRIVERS, target, n_boot=n_boot, seed=seed)
