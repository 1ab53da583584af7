"""Renewal risk and revenue at risk, with the model's own validation figures always attached.

**Training set.** Every account's latest decided renewal (an opportunity of kind ``renewal``
with outcome ``renewed`` or ``churned`` and a ``closed_at``): outcome ``churned`` = 1, features
as of the renewal date (``account_metrics(portfolio, as_of=…)``), so nothing heard after the
decision leaks into the model.

**Features.** AXI and its pessimistic bound, coverage, veto risk and the weakest veto holder's
sentiment, the account's NPS, the six driver scores, measured on-time rate, scenario NPS,
and the counts ``n_heard`` and ``ticket_count`` as ``log(1 + x)``. Booleans enter as 0/1.

**Model.** Median imputation with a missingness indicator per feature that has gaps,
standardisation, then L2-regularised logistic regression ``P(churn) = σ(b₀ + bᵀz)``, its
strength ``C`` chosen from 0.001…10 (9 steps, log scale) by an inner stratified k-fold on
log-loss. Everything — imputation medians, scaling, the choice of ``C`` — is learnt inside each
outer training fold (nested cross-validation). Logistic regression rather than gradient
boosting: a portfolio has a few hundred decided renewals and a few dozen churns, too few for
trees to beat a linear score without overfitting; the features are strongly correlated (AXI,
NPS and the drivers all read the same voices), which the shrinkage handles; and revenue at risk
multiplies money by the probability, so the probabilities should be calibrated, which a
logistic fit on unweighted classes gives.

**Validation.** Stratified k-fold (k = 5, shuffled, seeded; fewer folds when there are fewer
churns) out-of-fold probabilities (``cross_val_predict``); ``auc`` is the ROC AUC of those
probabilities against the outcome, pooled over the folds. ``auc_mean_nps`` is the AUC of plain
mean NPS (lower → riskier; accounts without an NPS answer scored at the median, i.e. no
information) on the same accounts, so the model's value over the survey average is visible.

**Revenue at risk** = annual value × risk, per account and summed by owner, segment and region.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from accord.insights.frames import Portfolio
from accord.insights.key_drivers import NotEnoughData, booking_outcomes
from accord.insights.metrics import account_metrics
from accord.vocabulary import DRIVERS

FEATURES: tuple[str, ...] = (
    "axi",
    "axi_low",
    "coverage",
    "veto_risk",
    "weakest_veto_sentiment",
    "nps",
    *(f"driver_{d}" for d in DRIVERS),
    "on_time_rate",
    "scenario_nps",
    "n_heard",
    "ticket_count",
)
LOG_COUNTS: tuple[str, ...] = ("n_heard", "ticket_count")  # enter as log(1 + x)
MIN_CHURNED = 2  # fewer churns than this: no stratified folds, no AUC, no model
C_GRID: tuple[float, ...] = tuple(float(c) for c in np.logspace(-3, 1, 9))  # 0.001 … 10
METHOD = (
    "L2 logistic regression on standardised features (median imputation with missingness "
    "indicators), C chosen from 0.001–10 by inner {inner}-fold log-loss; AUC from stratified "
    "{k}-fold out-of-fold probabilities"
)


@dataclass(frozen=True)
class RenewalRiskModel:
    """A fitted renewal-risk model and how well it did out of fold.

    ``out_of_fold``: account_id, churned, risk (the out-of-fold probability), mean_nps.
    ``coefficients``: the standardised logistic coefficients by input column (positive = more
    churn), for explanation.
    """

    pipeline: Pipeline
    features: tuple[str, ...]
    auc: float
    auc_mean_nps: float
    auc_folds: tuple[float, ...]
    n_train: int
    n_churned: int
    n_with_nps: int
    n_splits: int
    method: str
    out_of_fold: pl.DataFrame
    c: float  # the regularisation strength the inner search chose on all the data
    coefficients: dict[str, float] = field(default_factory=dict)

    def validation(self) -> dict[str, object]:
        """The figures to show beside every use of the model's output."""
        return {
            "auc": round(self.auc, 4),
            "auc_mean_nps": round(self.auc_mean_nps, 4),
            "n_train": self.n_train,
            "n_churned": self.n_churned,
            "method": self.method,
        }


def renewal_outcomes(opportunities: pl.DataFrame) -> pl.DataFrame:
    """Each account's latest decided renewal: account_id, opportunity_id, as_of (the close
    date), churned (1 = churned, 0 = renewed). One row per account, so it can be passed as the
    ``as_of`` frame of ``account_metrics``."""
    return booking_outcomes(opportunities, "renewal").select(
        "account_id", "opportunity_id", "as_of", (1 - pl.col("outcome")).alias("churned")
    )


def active_accounts(accounts: pl.DataFrame, opportunities: pl.DataFrame) -> pl.DataFrame:
    """Accounts still customers (their latest decided renewal was not a churn): account_id,
    renewal_date (the open renewal's date when there is one, else the account's), renewal_open
    (an open renewal opportunity exists), opportunity_id of that open renewal."""
    churned = renewal_outcomes(opportunities).filter(pl.col("churned") == 1)["account_id"]
    open_renewals = (
        opportunities.filter(pl.col("kind") == "renewal", pl.col("outcome") == "open")
        .sort("opportunity_id")
        .group_by("account_id", maintain_order=True)
        .first()
        .select("account_id", "opportunity_id", pl.col("closed_at").alias("expected_close"))
    )
    return (
        accounts.filter(~pl.col("account_id").is_in(churned.implode()))
        .select("account_id", "renewal_date")
        .join(open_renewals, on="account_id", how="left")
        .with_columns(
            pl.col("opportunity_id").is_not_null().alias("renewal_open"),
            pl.coalesce("expected_close", "renewal_date").alias("renewal_date"),
        )
        .drop("expected_close")
    )


def _design(frame: pl.DataFrame, features: Sequence[str]) -> np.ndarray:
    exprs = []
    for name in features:
        col = pl.col(name).cast(pl.Float64)
        exprs.append(col.log1p().alias(name) if name in LOG_COUNTS else col.alias(name))
    return frame.select(exprs).to_numpy().astype(float)


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    return float(roc_auc_score(y, score)) if 0 < y.sum() < len(y) else float("nan")


def _lrcv_options() -> dict[str, object]:
    """scikit-learn 1.9 deprecates LogisticRegressionCV's legacy attributes and the implicit
    l1_ratios; say what we mean there, and pass nothing on the older versions we support."""
    params = inspect.signature(LogisticRegressionCV).parameters
    if "use_legacy_attributes" in params:
        return {"use_legacy_attributes": False, "l1_ratios": (0.0,)}
    return {}


def _model(inner: int, seed: int) -> Pipeline:
    if inner >= 2:
        final: LogisticRegression | LogisticRegressionCV = LogisticRegressionCV(
            Cs=list(C_GRID),
            cv=StratifiedKFold(n_splits=inner, shuffle=True, random_state=seed),
            scoring="neg_log_loss",
            max_iter=1000,
            **_lrcv_options(),  # type: ignore[arg-type]
        )
    else:
        final = LogisticRegression(C=1.0, max_iter=1000)
    return make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True), StandardScaler(), final
    )


def _chosen_c(model: LogisticRegression | LogisticRegressionCV) -> float:
    chosen = model.C_ if isinstance(model, LogisticRegressionCV) else model.C
    return float(np.ravel(chosen)[0])


def fit_renewal_risk(
    train: pl.DataFrame,
    *,
    features: Sequence[str] | None = None,
    n_splits: int = 5,
    seed: int = 0,
) -> RenewalRiskModel:
    """Fit the renewal-risk model on ``train`` (one row per decided renewal: ``churned`` 0/1, the
    feature columns as of the renewal date, ``mean_nps``) and validate it out of fold.

    ``features`` defaults to those of ``FEATURES`` present in ``train`` and not entirely missing.
    Raises ``NotEnoughData`` with fewer than ``MIN_CHURNED`` churns or renewals.
    """
    chosen = [
        f
        for f in (features or FEATURES)
        if f in train.columns and train[f].null_count() < train.height
    ]
    if not chosen:
        raise NotEnoughData("no usable feature columns")
    y = train["churned"].cast(pl.Int64).to_numpy()
    n_churned = int(y.sum())
    n_renewed = len(y) - n_churned
    k = min(n_splits, n_churned, n_renewed)
    if k < MIN_CHURNED:
        raise NotEnoughData(
            f"{n_churned} churned and {n_renewed} renewed accounts; need at least "
            f"{MIN_CHURNED} of each to validate a model"
        )
    X = _design(train, chosen)

    # inner folds for choosing C must fit the smaller class of an outer training fold
    inner = min(n_splits, (min(n_churned, n_renewed) * (k - 1)) // k)
    cv = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    # a few hundred rows: BLAS threads cost far more than they save (25 ms vs 1.5 ms a fit)
    with threadpool_limits(limits=1, user_api="blas"):
        oof = cross_val_predict(_model(inner, seed), X, y, cv=cv, method="predict_proba")[:, 1]
        fitted = _model(inner, seed).fit(X, y)
    auc_folds = tuple(_auc(y[test], oof[test]) for _, test in cv.split(X, y))

    mean_nps = (
        train["mean_nps"].cast(pl.Float64).to_numpy()
        if "mean_nps" in train.columns
        else np.full(len(y), np.nan)
    )
    has_nps = np.isfinite(mean_nps)
    filled = np.where(has_nps, mean_nps, np.nanmedian(mean_nps) if has_nps.any() else 0.0)

    imputer: SimpleImputer = fitted[0]
    names = [*chosen, *(f"{chosen[i]}_missing" for i in imputer.indicator_.features_)]
    coefs = fitted[-1].coef_[0]
    return RenewalRiskModel(
        pipeline=fitted,
        features=tuple(chosen),
        auc=_auc(y, oof),
        auc_mean_nps=_auc(y, -filled),
        auc_folds=auc_folds,
        n_train=len(y),
        n_churned=n_churned,
        n_with_nps=int(has_nps.sum()),
        n_splits=k,
        method=METHOD.format(k=k, inner=inner)
        if inner >= 2
        else f"L2 logistic regression (C=1), no inner search; stratified {k}-fold AUC",
        out_of_fold=pl.DataFrame(
            {
                "account_id": train["account_id"],
                "churned": y,
                "risk": oof,
                "mean_nps": np.where(has_nps, mean_nps, np.nan),
            }
        ).with_columns(pl.col("mean_nps").fill_nan(None)),
        c=_chosen_c(fitted[-1]),
        coefficients={n: float(c) for n, c in zip(names, coefs, strict=True)},
    )


def predict_renewal_risk(model: RenewalRiskModel, frame: pl.DataFrame) -> pl.DataFrame:
    """Churn probability for each row of ``frame`` (features as of today): account_id, risk,
    and the model's ``auc`` and ``auc_mean_nps`` beside it on every row."""
    missing = [f for f in model.features if f not in frame.columns]
    frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(f) for f in missing)
    risk = (
        model.pipeline.predict_proba(_design(frame, model.features))[:, 1] if frame.height else []
    )
    return pl.DataFrame(
        {"account_id": frame["account_id"], "risk": np.asarray(risk, dtype=float)},
        schema={"account_id": pl.String, "risk": pl.Float64},
    ).with_columns(pl.lit(model.auc).alias("auc"), pl.lit(model.auc_mean_nps).alias("auc_mean_nps"))


def revenue_at_risk(risk: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    """Per account: revenue_at_risk = annual_value × risk, with owner_email, segment and region
    for the roll-ups (columns of ``risk`` are kept)."""
    return risk.join(
        accounts.select("account_id", "owner_email", "segment", "region", "annual_value"),
        on="account_id",
        how="left",
    ).with_columns((pl.col("annual_value") * pl.col("risk")).alias("revenue_at_risk"))


def revenue_at_risk_by(per_account: pl.DataFrame, by: str) -> pl.DataFrame:
    """``revenue_at_risk`` summed by ``by`` (``owner_email``, ``segment`` or ``region``):
    accounts, annual_value, revenue_at_risk, share_at_risk (= revenue at risk / annual value),
    and, when ``renewal_open`` is present, the same restricted to open renewals; largest first.
    """
    aggs = [
        pl.len().alias("accounts"),
        pl.col("annual_value").sum(),
        pl.col("revenue_at_risk").sum(),
    ]
    if "renewal_open" in per_account.columns:
        aggs += [
            pl.col("renewal_open").sum().alias("open_renewals"),
            pl.col("revenue_at_risk")
            .filter(pl.col("renewal_open"))
            .sum()
            .alias("revenue_at_risk_open"),
        ]
    return (
        per_account.group_by(by)
        .agg(aggs)
        .with_columns((pl.col("revenue_at_risk") / pl.col("annual_value")).alias("share_at_risk"))
        .sort("revenue_at_risk", by, descending=[True, False])
    )


@dataclass(frozen=True)
class RenewalRiskReport:
    """The model (with its AUCs), every active account's risk and revenue at risk as of
    ``today``, and the roll-ups by owner, segment and region."""

    today: date
    model: RenewalRiskModel
    accounts: pl.DataFrame
    by_owner: pl.DataFrame
    by_segment: pl.DataFrame
    by_region: pl.DataFrame


def renewal_risk_report(
    portfolio: Portfolio,
    *,
    n_splits: int = 5,
    seed: int = 0,
    half_life_days: int = 180,
    window_days: int = 365,
    model: RenewalRiskModel | None = None,
    now: pl.DataFrame | None = None,
) -> RenewalRiskReport:
    """Train on past renewals (features as of each renewal date), predict every active account
    as of ``portfolio.today``, and roll up revenue at risk.

    ``model`` reuses a fitted model (the service refits only when outcomes change); ``now``
    reuses ``account_metrics`` as of today when the caller has them already."""

    options = {"half_life_days": half_life_days, "window_days": window_days}
    if model is None:
        model = fit_portfolio_risk(portfolio, n_splits=n_splits, seed=seed, **options)
    if now is None:
        now = account_metrics(portfolio, **options)  # type: ignore[arg-type]
    active = active_accounts(portfolio.accounts, portfolio.opportunities)
    scored = predict_renewal_risk(model, active.join(now, on="account_id", how="left"))
    per_account = revenue_at_risk(
        active.join(scored, on="account_id", how="left"), portfolio.accounts
    ).sort("revenue_at_risk", descending=True)
    return RenewalRiskReport(
        today=portfolio.today,
        model=model,
        accounts=per_account,
        by_owner=revenue_at_risk_by(per_account, "owner_email"),
        by_segment=revenue_at_risk_by(per_account, "segment"),
        by_region=revenue_at_risk_by(per_account, "region"),
    )


def fit_portfolio_risk(
    portfolio: Portfolio,
    *,
    n_splits: int = 5,
    seed: int = 0,
    half_life_days: int = 180,
    window_days: int = 365,
) -> RenewalRiskModel:
    """The renewal-risk model of a portfolio: past renewals with their features as of each
    renewal date, fitted and cross-validated (``fit_renewal_risk``)."""

    outcomes = renewal_outcomes(portfolio.opportunities)
    past = account_metrics(
        portfolio,
        as_of=outcomes.select("account_id", "as_of"),
        half_life_days=half_life_days,
        window_days=window_days,
    )
    return fit_renewal_risk(
        outcomes.join(past, on="account_id", how="inner"), n_splits=n_splits, seed=seed
    )
