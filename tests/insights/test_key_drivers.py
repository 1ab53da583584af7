"""Relative weights (Johnson 2000) and key driver analysis: a published example, hand cases,
and the planted driver order of the synthetic world."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest
from sqlalchemy import Engine

from accord.insights.key_drivers import (
    NotEnoughData,
    booking_outcomes,
    key_driver_analysis,
    key_drivers,
    relative_weights,
    relative_weights_from_correlations,
)
from tests.insights._world import DRIVER_COLUMNS, planted_world

# Motor Trend's 1974 road tests, the R dataset ``mtcars`` (Henderson & Velleman 1981):
# mpg, cyl, disp, hp, wt, gear for the 32 cars, in the dataset's order.
MTCARS = np.array(
    [
        [21.0, 6, 160.0, 110, 2.620, 4],  # Mazda RX4
        [21.0, 6, 160.0, 110, 2.875, 4],  # Mazda RX4 Wag
        [22.8, 4, 108.0, 93, 2.320, 4],  # Datsun 710
        [21.4, 6, 258.0, 110, 3.215, 3],  # Hornet 4 Drive
        [18.7, 8, 360.0, 175, 3.440, 3],  # Hornet Sportabout
        [18.1, 6, 225.0, 105, 3.460, 3],  # Valiant
        [14.3, 8, 360.0, 245, 3.570, 3],  # Duster 360
        [24.4, 4, 146.7, 62, 3.190, 4],  # Merc 240D
        [22.8, 4, 140.8, 95, 3.150, 4],  # Merc 230
        [19.2, 6, 167.6, 123, 3.440, 4],  # Merc 280
        [17.8, 6, 167.6, 123, 3.440, 4],  # Merc 280C
        [16.4, 8, 275.8, 180, 4.070, 3],  # Merc 450SE
        [17.3, 8, 275.8, 180, 3.730, 3],  # Merc 450SL
        [15.2, 8, 275.8, 180, 3.780, 3],  # Merc 450SLC
        [10.4, 8, 472.0, 205, 5.250, 3],  # Cadillac Fleetwood
        [10.4, 8, 460.0, 215, 5.424, 3],  # Lincoln Continental
        [14.7, 8, 440.0, 230, 5.345, 3],  # Chrysler Imperial
        [32.4, 4, 78.7, 66, 2.200, 4],  # Fiat 128
        [30.4, 4, 75.7, 52, 1.615, 4],  # Honda Civic
        [33.9, 4, 71.1, 65, 1.835, 4],  # Toyota Corolla
        [21.5, 4, 120.1, 97, 2.465, 3],  # Toyota Corona
        [15.5, 8, 318.0, 150, 3.520, 3],  # Dodge Challenger
        [15.2, 8, 304.0, 150, 3.435, 3],  # AMC Javelin
        [13.3, 8, 350.0, 245, 3.840, 3],  # Camaro Z28
        [19.2, 8, 400.0, 175, 3.845, 3],  # Pontiac Firebird
        [27.3, 4, 79.0, 66, 1.935, 4],  # Fiat X1-9
        [26.0, 4, 120.3, 91, 2.140, 5],  # Porsche 914-2
        [30.4, 4, 95.1, 113, 1.513, 5],  # Lotus Europa
        [15.8, 8, 351.0, 264, 3.170, 5],  # Ford Pantera L
        [19.7, 6, 145.0, 175, 2.770, 5],  # Ferrari Dino
        [15.0, 8, 301.0, 335, 3.570, 5],  # Maserati Bora
        [21.4, 4, 121.0, 109, 2.780, 4],  # Volvo 142E
    ]
)
MPG, CYL, DISP, HP, WT, GEAR = MTCARS.T


def r2_ols(X: np.ndarray, y: np.ndarray) -> float:
    design = np.column_stack([np.ones(len(y)), X])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    return float(1 - residual @ residual / ((y - y.mean()) @ (y - y.mean())))


def correlated(n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    shared = rng.normal(size=(n, 1))
    X = 0.7 * shared + rng.normal(size=(n, p))
    y = X @ np.linspace(1.0, 0.1, p) + rng.normal(scale=2.0, size=n)
    return X, y


# -- the published example -------------------------------------------------------------------


def test_relative_weights_reproduce_the_rwa_package_mtcars_examples() -> None:
    """Published output of the R package ``rwa`` (Martin Chan, CRAN; Tonidandel & LeBreton's
    RWA-Web method, after Johnson 2000) on ``mtcars``:

    - README "Basic example", ``rwa(mtcars, "mpg", c("cyl", "disp", "hp", "gear"))``:
      rsquare 0.7791896; Raw.RelWeight 0.2284797, 0.2221469, 0.2321744, 0.0963886;
      Rescaled.RelWeight 29.32274, 28.50999, 29.79691, 12.37037.
    - Vignette "Regression Methods: Multiple and Logistic RWA",
      ``rwa_multiregress(mtcars, "mpg", c("cyl", "disp", "hp", "wt"))``: R-squared 0.8486;
      Raw.RelWeight 0.2096904, 0.1883043, 0.1799590, 0.2706812.
    (https://github.com/martinctc/rwa, README.md and vignettes/regression-methods.Rmd.)
    """
    gear = relative_weights(np.column_stack([CYL, DISP, HP, GEAR]), MPG)
    assert np.round(gear, 3).tolist() == [0.228, 0.222, 0.232, 0.096]
    assert round(gear.sum(), 3) == round(0.7791896, 3)
    assert np.round(100 * gear / gear.sum(), 3).tolist() == [29.323, 28.510, 29.797, 12.370]

    weight = relative_weights(np.column_stack([CYL, DISP, HP, WT]), MPG)
    assert np.round(weight, 3).tolist() == [0.210, 0.188, 0.180, 0.271]
    assert round(weight.sum(), 4) == 0.8486


# -- hand cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weights_are_non_negative_and_sum_to_the_ols_r2(seed: int) -> None:
    X, y = correlated(200, 5, seed)
    weights = relative_weights(X, y)
    assert (weights >= 0).all()
    assert weights.sum() == pytest.approx(r2_ols(X, y), abs=1e-12)


def test_with_orthogonal_predictors_weights_are_squared_correlations() -> None:
    rng = np.random.default_rng(4)
    # orthogonalise against the constant too, so the columns are centred and uncorrelated
    q, _ = np.linalg.qr(np.column_stack([np.ones(50), rng.normal(size=(50, 4))]))
    X = q[:, 1:]
    y = X @ np.array([3.0, -2.0, 1.0, 0.5]) + rng.normal(scale=0.05, size=50)
    r = np.array([np.corrcoef(X[:, j], y)[0, 1] for j in range(4)])
    assert relative_weights(X, y) == pytest.approx(r**2, abs=1e-12)


def test_a_duplicated_predictor_splits_its_weight_evenly() -> None:
    X, y = correlated(120, 2, 5)
    weights = relative_weights(np.column_stack([X[:, 0], X[:, 0], X[:, 1]]), y)
    alone = relative_weights(X, y)
    assert weights[0] == pytest.approx(weights[1], abs=1e-9)
    assert weights.sum() == pytest.approx(alone.sum(), abs=1e-9)


def test_correlation_form_takes_a_batch() -> None:
    rxx = np.array([[[1.0, 0.5], [0.5, 1.0]], [[1.0, -0.2], [-0.2, 1.0]]])
    rxy = np.array([[0.4, 0.3], [0.1, 0.6]])
    batch = relative_weights_from_correlations(rxx, rxy)
    one = [relative_weights_from_correlations(rxx[i], rxy[i]) for i in range(2)]
    assert batch == pytest.approx(np.array(one))
    # two predictors, r12 = 0.5: R² = (r1² + r2² − 2 r1 r2 r12) / (1 − r12²) = 0.16 exactly
    assert batch[0].sum() == pytest.approx((0.16 + 0.09 - 2 * 0.4 * 0.3 * 0.5) / 0.75)


def test_it_refuses_constant_columns_and_missing_values() -> None:
    X, y = correlated(30, 2, 6)
    with pytest.raises(NotEnoughData):
        relative_weights(np.column_stack([X, np.ones(30)]), y)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        relative_weights(X, y)


def frame_of(X: np.ndarray, y: np.ndarray, names: list[str]) -> pl.DataFrame:
    return pl.DataFrame({**{n: X[:, i] for i, n in enumerate(names)}, "y": y})


def test_analysis_drops_incomplete_rows_and_says_how_many() -> None:
    X, y = correlated(100, 3, 7)
    frame = frame_of(X, y, ["a", "b", "c"]).with_columns(
        pl.when(pl.int_range(pl.len()) < 5).then(None).otherwise(pl.col("a")).alias("a"),
        pl.when(pl.int_range(pl.len()) == 99).then(float("nan")).otherwise(pl.col("y")).alias("y"),
    )
    result = key_driver_analysis(frame, ["a", "b", "c"], "y", n_boot=50, seed=1)
    assert (result.n, result.n_dropped) == (94, 6)
    complete = relative_weights(X[5:99], y[5:99])
    by_driver = dict(zip(result.table["driver"], result.table["weight"], strict=True))
    assert [by_driver[d] for d in "abc"] == pytest.approx(complete)
    assert result.r2 == pytest.approx(complete.sum())
    assert result.table["importance"].sum() == pytest.approx(100.0)


def test_bootstrap_intervals_bracket_the_estimate_and_repeat_with_the_seed() -> None:
    X, y = correlated(300, 4, 8)
    frame = frame_of(X, y, ["a", "b", "c", "d"])
    first = key_driver_analysis(frame, ["a", "b", "c", "d"], "y", n_boot=300, seed=3)
    again = key_driver_analysis(frame, ["a", "b", "c", "d"], "y", n_boot=300, seed=3)
    other = key_driver_analysis(frame, ["a", "b", "c", "d"], "y", n_boot=300, seed=4)
    t = first.table
    assert (t["ci_low"] <= t["weight"]).all() and (t["weight"] <= t["ci_high"]).all()
    assert first.r2_ci_low <= first.r2 <= first.r2_ci_high
    assert first.n_boot == 300
    assert t.equals(again.table)
    assert not t["ci_low"].equals(other.table["ci_low"])
    assert first.ranking[0] == "a"  # the largest true coefficient


def test_the_correlation_ranking_is_shown_beside_the_weights() -> None:
    # b is a near-copy of a: both correlate strongly with y, so a plain correlation ranking puts
    # them first and second; relative weights share a's credit between the copies, so c — the
    # independent driver — comes out on top.
    rng = np.random.default_rng(9)
    a = rng.normal(size=400)
    b = a + rng.normal(scale=0.3, size=400)
    c = rng.normal(size=400)
    y = a + 0.8 * c + rng.normal(scale=0.5, size=400)
    result = key_driver_analysis(
        frame_of(np.column_stack([a, b, c]), y, ["a", "b", "c"]), ["a", "b", "c"], "y", n_boot=0
    )
    assert result.ranking == ["c", "a", "b"]
    assert result.correlation_ranking == ["a", "b", "c"]
    assert result.table["r"].to_list() == pytest.approx(
        [np.corrcoef(v, y)[0, 1] for v in (c, a, b)]
    )


def test_a_boolean_target_is_a_linear_probability_model() -> None:
    X, y = correlated(200, 2, 10)
    renewed = y > np.median(y)
    frame = frame_of(X, y, ["a", "b"]).with_columns(pl.Series("renewed", renewed))
    result = key_driver_analysis(frame, ["a", "b"], "renewed", n_boot=0)
    assert result.binary
    assert result.r2 == pytest.approx(r2_ols(X, renewed.astype(float)))
    assert not key_driver_analysis(frame, ["a", "b"], "y", n_boot=0).binary


def test_too_few_complete_rows_raise() -> None:
    frame = pl.DataFrame(
        {"a": [1.0, 2.0, None, 4.0], "b": [1.0, 0.0, 1.0, None], "y": [1, 2, 3, 4]}
    )
    with pytest.raises(NotEnoughData):
        key_driver_analysis(frame, ["a", "b"], "y")


def test_booking_outcomes_take_each_accounts_latest_decided_deal_of_the_kind() -> None:
    def opp(oid: str, account: str, kind: str, outcome: str, day: int | None) -> dict:
        closed = None if day is None else date(2026, 1, day)
        return {"opportunity_id": oid, "account_id": account, "kind": kind,
                "closed_at": closed, "outcome": outcome}  # fmt: skip

    opportunities = pl.DataFrame(
        [
            opp("O1", "A", "renewal", "renewed", 1),
            opp("O2", "A", "rebuy", "won", 2),
            opp("O3", "A", "modified_rebuy", "lost", 3),
            opp("O4", "B", "renewal", "churned", 4),
            opp("O5", "B", "rebuy", "open", None),
            opp("O6", "C", "new", "won", 5),
        ]
    )
    assert booking_outcomes(opportunities, "renewal").rows() == [
        ("A", "O1", date(2026, 1, 1), 1),
        ("B", "O4", date(2026, 1, 4), 0),
    ]
    assert booking_outcomes(opportunities, "rebuy").rows() == [("A", "O3", date(2026, 1, 3), 0)]
    with pytest.raises(ValueError, match="unknown booking target"):
        booking_outcomes(opportunities, "wallet")


# -- planted truth ---------------------------------------------------------------------------


def test_key_drivers_of_renewal_recover_the_planted_top_two(
    migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    world = planted_world(migrated_engine, tmp_path_factory)
    planted = world.truth["driver_weights"]
    planted_order = sorted(planted, key=lambda d: -planted[d])
    assert planted_order[:2] == ["fulfilment", "trust"]

    result = key_driver_analysis(world.kda_frame, DRIVER_COLUMNS, "renewed", n_boot=500, seed=1)
    found = [d.removeprefix("driver_") for d in result.ranking]
    print(
        f"\nrelative weights (n={result.n}, R²={result.r2:.3f}): {found}"
        f"\nplanted: {planted_order}"
        f"\ncorrelation: {[d.removeprefix('driver_') for d in result.correlation_ranking]}"
    )
    assert set(found[:2]) == set(planted_order[:2])
    assert result.binary and result.n > 300
    # as planted (β² shares: 77 % on the top two), the top two carry most of the explained variance
    assert result.table["importance"][:2].sum() > 60

    # the portfolio-level entry point gives the same analysis with plain driver names
    same = key_drivers(world.portfolio, "renewal", n_boot=500, seed=1)
    assert same.ranking == found
    assert same.table["weight"].to_list() == pytest.approx(result.table["weight"].to_list())
    rebuy = key_drivers(world.portfolio, "rebuy", n_boot=0)
    assert rebuy.binary and rebuy.n > 200 and 0 < rebuy.r2 < 1
    value = key_drivers(world.portfolio, "annual_value", n_boot=0)
    assert not value.binary
    with pytest.raises(ValueError, match="unknown target"):
        key_drivers(world.portfolio, "name")
