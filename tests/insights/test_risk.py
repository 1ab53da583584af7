"""Renewal risk: training set, out-of-fold validation, revenue at risk, and the planted world."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest
from sqlalchemy import Engine

from accord.insights.key_drivers import NotEnoughData
from accord.insights.risk import (
    active_accounts,
    fit_renewal_risk,
    predict_renewal_risk,
    renewal_outcomes,
    renewal_risk_report,
    revenue_at_risk,
    revenue_at_risk_by,
)
from tests.insights._world import planted_world


def opportunity(oid: str, account: str, kind: str, outcome: str, closed: date | None) -> dict:
    return {
        "opportunity_id": oid,
        "account_id": account,
        "kind": kind,
        "stage": "purchase",
        "amount": 1.0,
        "opened_at": date(2024, 1, 1),
        "closed_at": closed,
        "outcome": outcome,
    }


OPPORTUNITIES = pl.DataFrame(
    [
        opportunity("O1", "A", "renewal", "renewed", date(2025, 3, 1)),
        opportunity("O2", "A", "renewal", "churned", date(2026, 3, 1)),  # the latest counts
        opportunity("O3", "B", "renewal", "renewed", date(2026, 5, 1)),
        opportunity("O4", "C", "renewal", "open", None),
        opportunity("O5", "D", "rebuy", "won", date(2026, 1, 1)),  # not a renewal
        opportunity("O6", "D", "renewal", "lost", date(2026, 1, 1)),  # not a renewal outcome
    ]
)
ACCOUNTS = pl.DataFrame(
    {
        "account_id": ["A", "B", "C", "D"],
        "owner_email": ["alice@x", "alice@x", "bob@x", "bob@x"],
        "segment": ["large", "small", "small", "large"],
        "region": ["East", "East", "West", "West"],
        "annual_value": [1000.0, 200.0, 500.0, 300.0],
        "renewal_date": [date(2026, 3, 1), date(2026, 5, 1), date(2027, 2, 1), date(2027, 1, 1)],
    }
)


def test_the_training_set_is_each_accounts_latest_decided_renewal() -> None:
    outcomes = renewal_outcomes(OPPORTUNITIES)
    assert outcomes.rows() == [
        ("A", "O2", date(2026, 3, 1), 1),
        ("B", "O3", date(2026, 5, 1), 0),
    ]


def test_active_accounts_leave_out_the_churned_and_flag_open_renewals() -> None:
    active = active_accounts(ACCOUNTS, OPPORTUNITIES).sort("account_id")
    assert active["account_id"].to_list() == ["B", "C", "D"]
    assert active["renewal_open"].to_list() == [False, True, False]
    assert active["opportunity_id"].to_list() == [None, "O4", None]


def training_frame(n: int = 300, seed: int = 0) -> pl.DataFrame:
    """Churn driven by a low AXI and a veto holder's displeasure; mean NPS a noisy echo."""
    rng = np.random.default_rng(seed)
    axi = rng.normal(0, 40, n)
    veto = rng.random(n) < 0.2
    logit = -1.5 - axi / 25 + 2.0 * veto
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    mean_nps = np.clip(7 + axi / 30 + rng.normal(0, 1.5, n), 0, 10)
    coverage = rng.random(n)
    coverage[rng.random(n) < 0.3] = np.nan  # gaps: imputed, with an indicator
    return pl.DataFrame(
        {
            "account_id": [f"A{i:03d}" for i in range(n)],
            "churned": churned,
            "axi": axi,
            "veto_risk": veto,
            "coverage": coverage,
            "mean_nps": mean_nps,
            "ticket_count": rng.poisson(3, n),
            "scenario_nps": [None] * n,  # never observed: left out
        },
        schema_overrides={"scenario_nps": pl.Float64},
    ).with_columns(pl.col("coverage").fill_nan(None))


def test_the_model_is_validated_out_of_fold_and_compared_with_mean_nps() -> None:
    train = training_frame()
    model = fit_renewal_risk(train, seed=1)
    y = train["churned"].to_numpy()
    assert model.n_train == 300 and model.n_churned == int(y.sum())
    assert model.n_splits == 5 and len(model.auc_folds) == 5
    assert model.features == ("axi", "coverage", "veto_risk", "ticket_count")
    assert "coverage_missing" in model.coefficients
    assert model.coefficients["axi"] < 0 < model.coefficients["veto_risk"]
    # the model sees the veto, mean NPS does not
    assert model.auc > model.auc_mean_nps > 0.5
    oof = model.out_of_fold
    assert oof["account_id"].to_list() == train["account_id"].to_list()
    assert oof["risk"].is_between(0, 1).all()
    # out of fold, not in sample: refitting on everything scores the training rows differently
    in_sample = predict_renewal_risk(model, train)["risk"].to_numpy()
    assert not np.allclose(in_sample, oof["risk"].to_numpy())
    assert model.validation() == {
        "auc": round(model.auc, 4),
        "auc_mean_nps": round(model.auc_mean_nps, 4),
        "n_train": 300,
        "n_churned": model.n_churned,
        "method": model.method,
    }


def test_mean_nps_auc_scores_missing_answers_as_no_information() -> None:
    train = pl.DataFrame(
        {
            "account_id": list("abcdefgh"),
            "churned": [1, 1, 0, 0, 1, 0, 0, 0],
            "axi": [-50.0, -20.0, 10.0, 30.0, 0.0, 20.0, 40.0, 50.0],
            "mean_nps": [2.0, 5.0, 8.0, 9.0, None, None, 6.0, 10.0],
        }
    )
    model = fit_renewal_risk(train, n_splits=2)
    # −mean NPS with the two gaps at the median (7): churned score {−2, −5, −7}, renewed
    # {−8, −9, −7, −6, −10}; of the 15 churned-renewed pairs the churned one scores higher in
    # 5 + 5 + 3 and ties once (−7, −7): AUC = (13 + ½) / 15
    assert model.auc_mean_nps == pytest.approx(13.5 / 15)
    assert model.n_with_nps == 6


def test_a_model_needs_churns_to_validate() -> None:
    train = training_frame(40).with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(1).otherwise(0).alias("churned")
    )
    with pytest.raises(NotEnoughData, match="1 churned"):
        fit_renewal_risk(train)


def test_predictions_carry_the_validation_figures_and_tolerate_missing_columns() -> None:
    model = fit_renewal_risk(training_frame(), seed=2)
    today = pl.DataFrame(
        {"account_id": ["X", "Y"], "axi": [-80.0, 80.0], "veto_risk": [True, False]}
    )
    risk = predict_renewal_risk(model, today)
    assert risk.columns == ["account_id", "risk", "auc", "auc_mean_nps"]
    x, y = risk["risk"].to_list()
    assert 0 < y < x < 1
    assert risk["auc"].to_list() == [model.auc] * 2


def test_revenue_at_risk_is_value_times_risk_summed_by_group() -> None:
    risk = pl.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "risk": [0.5, 0.1, 0.2, 0.0],
            "renewal_open": [True, False, True, False],
        }
    )
    per_account = revenue_at_risk(risk, ACCOUNTS)
    assert per_account["revenue_at_risk"].to_list() == pytest.approx([500.0, 20.0, 100.0, 0.0])
    by_owner = revenue_at_risk_by(per_account, "owner_email")
    assert by_owner.rows(named=True)[0] == {
        "owner_email": "alice@x",
        "accounts": 2,
        "annual_value": 1200.0,
        "revenue_at_risk": pytest.approx(520.0),
        "open_renewals": 1,
        "revenue_at_risk_open": pytest.approx(500.0),
        "share_at_risk": pytest.approx(520 / 1200),
    }
    by_region = revenue_at_risk_by(per_account, "region")
    assert by_region["region"].to_list() == ["East", "West"]
    assert by_region["revenue_at_risk"].sum() == pytest.approx(620.0)


# -- planted truth ---------------------------------------------------------------------------


def test_the_risk_model_beats_chance_and_mean_nps_on_the_planted_world(
    migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    world = planted_world(migrated_engine, tmp_path_factory)
    model = fit_renewal_risk(world.renewals, seed=0)
    print(
        f"\nrisk model: CV AUC {model.auc:.3f} (folds {np.round(model.auc_folds, 3).tolist()}), "
        f"mean NPS AUC {model.auc_mean_nps:.3f}, n={model.n_train}, churned={model.n_churned}"
    )
    assert model.n_train == world.truth["past_renewals"]
    assert model.auc > 0.7
    assert model.auc >= model.auc_mean_nps


def test_the_report_scores_every_active_account_and_rolls_up(
    migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    world = planted_world(migrated_engine, tmp_path_factory)
    report = renewal_risk_report(world.portfolio)
    churned = world.renewals.filter(pl.col("churned") == 1).height
    assert report.accounts.height == world.portfolio.accounts.height - churned
    assert report.accounts["risk"].is_between(0, 1).all()
    total = report.accounts["revenue_at_risk"].sum()
    for rollup in (report.by_owner, report.by_segment, report.by_region):
        assert rollup["revenue_at_risk"].sum() == pytest.approx(total)
    # the planted future: accounts the model draws to churn carry higher predicted risk
    future = world.truth["future_renewal_outcome"]
    scored = report.accounts.filter(pl.col("account_id").is_in(list(future)))
    churn = scored.filter(
        pl.col("account_id").is_in([a for a, o in future.items() if o == "churned"])
    )
    assert churn["risk"].mean() > scored["risk"].mean()  # type: ignore[operator]
