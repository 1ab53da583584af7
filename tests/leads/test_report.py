"""Marketing's report: conversion by score band and source, rejected reasons, pain points by
industry and segment over time, and a calibration that says whether the thresholds separate
leads that convert from those that do not."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.leads import stages
from accord.leads.feedback import add_sales_feedback
from accord.leads.models import Lead
from accord.leads.reports import auc, best_threshold, marketing_report, report_dict
from accord.leads.schemas import AcceptIn, RejectIn, SalesFeedbackCreate
from tests.leads.builders import COLD, HOT, WARM, make_lead


def test_auc_by_hand() -> None:
    assert auc([3, 4], [1, 2]) == 1.0
    assert auc([1, 2], [3, 4]) == 0.0
    assert auc([2, 2], [2, 2]) == 0.5  # ties count half
    assert auc([3, 1], [2]) == 0.5
    assert auc([], [1]) is None


def test_best_threshold_by_youden() -> None:
    # t = 50: TPR 2/3, FPR 0 → J 0.67; t = 30: TPR 1, FPR 1/2 → 0.5.
    assert best_threshold([30, 50, 70], [10, 30]) == 50
    assert best_threshold([], [1]) is None


@pytest.fixture
def decided(session: Session) -> None:
    """Three hot leads: two converted, one rejected; three cold ones: all disqualified."""
    for i in range(3):
        make_lead(session, f"H-{i}", HOT, source="trade_show")
        make_lead(session, f"C-{i}", COLD, source="web_form")
    make_lead(session, "W-0", WARM, source="web_form")
    for lead_id in ("H-0", "H-1"):
        stages.accept(session, OPERATOR, lead_id, AcceptIn())
    stages.reject(session, OPERATOR, "H-2", RejectIn(reason="no budget"))
    for i in range(3):
        lead = session.get(Lead, f"C-{i}")
        assert lead is not None
        lead.stage, lead.disqualified_reason = "disqualified", "student"
        lead.stage_changed_at = datetime(2025, 1, 20)
    session.flush()


def test_conversion_by_band_and_source_and_reasons(session: Session, decided: None) -> None:
    report = marketing_report(session, OPERATOR)
    assert report.leads == 7
    bands = {b.label: (b.leads, b.decided, b.converted) for b in report.bands}
    assert bands == {"0–9": (3, 3, 0), "40–49": (1, 0, 0), "70–79": (3, 3, 2)}
    sources = {s.label: (s.decided, s.converted) for s in report.sources}
    assert sources == {"trade_show": (3, 2), "web_form": (3, 0)}
    assert report.rejected == [("no budget", 1)]
    assert report.disqualified == [("student", 3)]


def test_calibration_says_the_thresholds_separate(session: Session, decided: None) -> None:
    cal = marketing_report(session, OPERATOR).calibration
    assert [(z.decided, z.converted) for z in cal.zones] == [(3, 0), (0, 0), (3, 2)]
    # Converted 79, 79; not converted 79 (rejected), 0, 0, 0: 6 wins + 2 ties of 8 pairs.
    assert cal.auc == 0.875
    assert not cal.separates  # the middle zone has no decided lead: not enough to say
    assert "AUC 0.88" in cal.verdict
    assert report_dict(marketing_report(session, OPERATOR))["calibration"]["converted"] == 2


def test_pain_points_by_industry_segment_and_quarter(session: Session, decided: None) -> None:
    notes = [
        ("H-0", datetime(2026, 2, 1), ["Lead times", "PPAP"]),
        ("H-1", datetime(2026, 5, 1), ["lead times"]),
        ("C-0", datetime(2026, 5, 2), ["slow approvals"]),
    ]
    for lead_id, at, pains in notes:
        data = SalesFeedbackCreate(lead_id=lead_id, occurred_at=at, pain_points=pains,
                                   micro_trends=["reshoring"], quality="good")  # fmt: skip
        add_sales_feedback(session, OPERATOR, data)
    report = marketing_report(session, OPERATOR)
    assert report.pain_points[0] == ("lead times", 2)
    assert report.pain_by_industry["medical devices"][0] == ("lead times", 2)
    assert report.pain_by_industry["hospitality"] == [("slow approvals", 1)]
    assert report.quarters == ["2026Q1", "2026Q2"]
    assert report.pain_over_time["lead times"] == [1, 1]
    assert report.micro_trends == [("reshoring", 3)]
    assert dict(report.quality["trade_show"]) == {"good": 2}
