"""Village insights: pure functions over the portfolio's frames (``frames.Portfolio``), with
their formulas in the docstrings and in ``docs/insights/``. ``service`` is the only module that
touches the database.

    >>> from accord.insights import relative_weights
    >>> relative_weights(X, y)  # one raw weight per column of X, summing to R²
"""

from accord.insights.axi import Village, account_axi, pessimistic, village
from accord.insights.coverage import account_coverage, key_roles_heard, revenue_coverage
from accord.insights.drivers import driver_scores
from accord.insights.frames import Portfolio, load_portfolio
from accord.insights.key_drivers import (
    KeyDriverResult,
    NotEnoughData,
    booking_outcomes,
    key_driver_analysis,
    key_drivers,
    relative_weights,
    relative_weights_from_correlations,
)
from accord.insights.kpi_gap import kpi_gap
from accord.insights.metrics import METRIC_COLUMNS, account_metrics
from accord.insights.risk import (
    RenewalRiskModel,
    RenewalRiskReport,
    active_accounts,
    fit_renewal_risk,
    predict_renewal_risk,
    renewal_outcomes,
    renewal_risk_report,
    revenue_at_risk,
    revenue_at_risk_by,
)
from accord.insights.segments import SegmentResult, segment_accounts, segment_features, segments
from accord.insights.sentiment import with_sentiment
from accord.insights.veto import veto_holders, veto_risk

__all__ = [
    "METRIC_COLUMNS",
    "KeyDriverResult",
    "NotEnoughData",
    "Portfolio",
    "RenewalRiskModel",
    "RenewalRiskReport",
    "SegmentResult",
    "Village",
    "account_axi",
    "account_coverage",
    "account_metrics",
    "active_accounts",
    "booking_outcomes",
    "driver_scores",
    "fit_renewal_risk",
    "key_driver_analysis",
    "key_drivers",
    "key_roles_heard",
    "kpi_gap",
    "load_portfolio",
    "pessimistic",
    "predict_renewal_risk",
    "relative_weights",
    "relative_weights_from_correlations",
    "renewal_outcomes",
    "renewal_risk_report",
    "revenue_at_risk",
    "revenue_at_risk_by",
    "revenue_coverage",
    "segment_accounts",
    "segment_features",
    "segments",
    "veto_holders",
    "veto_risk",
    "village",
    "with_sentiment",
]
