"""KPI gap: reported vs measured on-time rate vs scenario NPS, and the beautified regions."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest
from scipy.stats import binomtest
from sqlalchemy import Engine

from accord.insights.kpi_gap import delivered, holm, kpi_gap, scenario_answers
from tests.insights._world import planted_world

T0 = datetime(2026, 3, 2, 9, 0)
ACCOUNTS = pl.DataFrame(
    {
        "account_id": ["N1", "N2", "E1"],
        "region": ["North", "North", "East"],
        "owner_email": ["alice@x", "bob@x", "alice@x"],
    }
)


def deliveries(rows: list[tuple[str, int, bool | None, bool | None]]) -> pl.DataFrame:
    """(account, hours late or None when not delivered yet, complete, reported_on_time)."""
    out = []
    for i, (account, late_hours, complete, reported) in enumerate(rows):
        promised = T0 + timedelta(days=i)
        out.append(
            {
                "fulfilment_id": f"F{i:03d}",
                "account_id": account,
                "promised_at": promised,
                "delivered_at": None
                if late_hours is None
                else promised + timedelta(hours=late_hours),
                "complete": complete,
                "reported_on_time": reported,
            }
        )
    return pl.DataFrame(out, schema_overrides={"delivered_at": pl.Datetime("us")})


def answers(rows: list[tuple[str, str | None, int | None, datetime]]) -> pl.DataFrame:
    """(account, fulfilment_id or None, nps, occurred_at) scenario answers."""
    return pl.DataFrame(
        [(f"FB{i}", a, None, f, "scenario", at, nps) for i, (a, f, nps, at) in enumerate(rows)],
        schema={
            "feedback_id": pl.String,
            "account_id": pl.String,
            "contact_id": pl.String,
            "fulfilment_id": pl.String,
            "channel": pl.String,
            "occurred_at": pl.Datetime("us"),
            "nps": pl.Int8,
        },
        orient="row",
    )


def honest_and_beautified() -> pl.DataFrame:
    # North: 20 deliveries, 4 late, all reported truthfully. East: 20 deliveries, 8 late, 7 of
    # them reported on time; one on-time delivery reported late; one not delivered yet.
    north = [("N1", -2, True, True)] * 8 + [("N2", -1, True, True)] * 8
    north += [("N1", 30, True, False)] * 2 + [("N2", 50, False, False)] * 2
    east = [("E1", -3, True, True)] * 11 + [("E1", -3, True, False)]
    east += [("E1", 40, True, True)] * 7 + [("E1", 26, True, False)] + [("E1", None, None, None)]
    return deliveries(north + east)


def test_a_region_that_reports_late_deliveries_on_time_is_flagged() -> None:
    gap = kpi_gap(honest_and_beautified(), ACCOUNTS, answers([]))
    east, north = gap.rows(named=True)
    assert east["region"] == "East" and north["region"] == "North"
    assert east["delivered"] == 20  # the undelivered one is skipped
    assert east["measured_on_time_rate"] == pytest.approx(12 / 20)
    assert east["reported_on_time_rate"] == pytest.approx(18 / 20)
    assert east["gap"] == pytest.approx(0.30)
    assert (east["late_reported_on_time"], east["on_time_reported_late"]) == (7, 1)
    assert east["p_value"] == pytest.approx(binomtest(7, 8, 0.5, alternative="greater").pvalue)
    assert east["p_adjusted"] == pytest.approx(min(1.0, 2 * east["p_value"]))
    assert north["gap"] == 0 and north["p_value"] == 1.0
    # 7 of 8 disagreements one way is p = 0.035: a big gap, but not yet beyond chance at 1 %
    assert not east["beautified"]
    assert kpi_gap(honest_and_beautified(), ACCOUNTS, answers([]), alpha=0.1)[
        "beautified"
    ].to_list() == [True, False]


def test_a_small_but_certain_gap_stays_under_the_threshold() -> None:
    # 1000 deliveries, 15 late ones reported on time: p ≈ 3e-5 but the gap is 1.5 points
    rows = [("N1", -1, True, True)] * 900 + [("N1", 30, True, False)] * 85
    rows += [("N1", 30, True, True)] * 15
    gap = kpi_gap(deliveries(rows), ACCOUNTS, answers([])).row(0, named=True)
    assert gap["p_adjusted"] < 1e-4
    assert gap["gap"] == pytest.approx(0.015)
    assert not gap["beautified"]
    assert kpi_gap(deliveries(rows), ACCOUNTS, answers([]), threshold=0.01)["beautified"][0]


def test_scenario_answers_follow_their_delivery_by_link_or_by_date() -> None:
    fulfilments = deliveries(
        [("N1", -2, True, True), ("N1", 48, True, True), ("E1", -1, True, True)]
    )
    done = delivered(fulfilments)
    late_at = done.filter(pl.col("fulfilment_id") == "F001")["delivered_at"][0]
    feedback = answers(
        [
            ("N1", "F000", 10, T0 + timedelta(days=1)),  # linked: on time
            ("N1", None, 3, late_at + timedelta(days=2)),  # unlinked, 2 days after F001: late
            ("N1", None, 9, late_at + timedelta(days=30)),  # too long after any delivery
            ("E1", None, 8, T0 - timedelta(days=5)),  # before any delivery
            ("E1", "F002", None, T0 + timedelta(days=3)),  # no NPS given
        ]
    )
    matched = scenario_answers(feedback, done, scenario_days=14).sort("feedback_id")
    assert matched.select("feedback_id", "fulfilment_id", "on_time").rows() == [
        ("FB0", "F000", True),
        ("FB1", "F001", False),
    ]


def test_scenario_nps_is_reported_overall_and_after_late_and_on_time_deliveries() -> None:
    fulfilments = deliveries(
        [("N1", -2, True, True), ("N1", 48, True, False), ("N2", -2, True, True)]
    )
    feedback = answers(
        [
            ("N1", "F000", 10, T0),
            ("N2", "F002", 9, T0),
            ("N2", "F002", 7, T0),
            ("N1", "F001", 2, T0),
            ("N1", "F001", 6, T0),
        ]
    )
    north = kpi_gap(fulfilments, ACCOUNTS, feedback).row(0, named=True)
    assert north["scenario_answers"] == 5
    assert north["scenario_nps"] == pytest.approx(100 * (2 / 5 - 2 / 5))
    assert north["scenario_nps_on_time"] == pytest.approx(100 * 2 / 3)
    assert north["scenario_nps_late"] == pytest.approx(-100.0)
    by_owner = kpi_gap(fulfilments, ACCOUNTS, feedback, by="owner_email")
    assert sorted(by_owner["owner_email"]) == ["alice@x", "bob@x"]
    with pytest.raises(ValueError, match="unknown group"):
        kpi_gap(fulfilments, ACCOUNTS, feedback, by="planet")


def test_holm_adjusts_step_down_and_stays_monotone() -> None:
    adjusted = holm(np.array([0.01, 0.04, 0.03, 0.5]))
    # sorted 0.01, 0.03, 0.04, 0.5 → ×4, ×3, ×2, ×1 = 0.04, 0.09, 0.08→0.09, 0.5
    assert adjusted.tolist() == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert holm(np.array([])).size == 0


# -- planted truth ---------------------------------------------------------------------------


def test_the_planted_beautified_regions_are_flagged_and_no_others(
    migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    world = planted_world(migrated_engine, tmp_path_factory)
    pf = world.portfolio
    gap = kpi_gap(pf.fulfilments, pf.accounts, pf.feedback)
    print(
        "\n"
        + str(
            gap.select(
                "region",
                "reported_on_time_rate",
                "measured_on_time_rate",
                "gap",
                "p_adjusted",
                "beautified",
                "scenario_nps",
            )
        )
    )
    beautified = set(world.truth["beautified_regions"])
    assert beautified
    assert set(gap.filter("beautified")["region"]) == beautified
    truth_measured = world.truth["measured_on_time_by_region"]
    for row in gap.iter_rows(named=True):
        assert row["measured_on_time_rate"] == pytest.approx(
            truth_measured[row["region"]], abs=1e-4
        )
        # customers feel late deliveries whatever the report says
        assert row["scenario_nps_late"] < row["scenario_nps_on_time"] - 40
    honest = gap.filter(~pl.col("beautified"))
    for row in gap.filter("beautified").iter_rows(named=True):
        assert row["scenario_nps"] < honest["scenario_nps"].min()  # type: ignore[operator]
    teams = kpi_gap(pf.fulfilments, pf.accounts, pf.feedback, by="owner_email")
    assert teams["delivered"].sum() == gap["delivered"].sum()
