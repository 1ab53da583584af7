"""The synthetic world carries leads, sales feedback, events, attendance, event feedback and list
prices that import cleanly through ``accord import`` (so the demo shows them), and its planted
lead truth is visible to the calibration: converting leads score higher."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from statistics import mean

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.cli.importing import expand
from accord.engagement.models import Attendance, Event
from accord.imports import import_files
from accord.leads.models import Lead, SalesFeedback
from accord.leads.reports import marketing_report
from accord.listening.models import Feedback
from accord.reports.models import ListPrice
from accord.synthetic import generate_world

TODAY = date(2026, 11, 23)
NEW_FILES = ("leads", "sales_feedback", "events", "attendance", "event_feedback", "list_prices")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    summary = generate_world(out, accounts=40, seed=3, today=TODAY)
    for name in NEW_FILES:
        assert getattr(summary, name) > 0 and (out / f"{name}.csv").exists(), name
    return out


def test_the_world_imports_with_leads_and_events_and_reimports_unchanged(
    engine: Engine, folder: Path
) -> None:
    report = import_files(engine, expand([folder]))
    assert report.ok, report.errors[:5]
    kinds = {f.path.rsplit("/", 1)[-1]: f.kind for f in report.files}
    assert kinds["event_feedback.csv"] == "feedback" and kinds["attendance.csv"] == "attendance"
    with Session(engine) as s:
        count = {m.__name__: s.scalar(select(func.count()).select_from(m))
                 for m in (Lead, SalesFeedback, Event, Attendance, ListPrice)}  # fmt: skip
        assert all(count.values()), count
        stages = set(s.scalars(select(Lead.stage).distinct()))
        assert {"opportunity", "disqualified", "sql", "mql", "nurturing"} <= stages
        assert s.scalar(select(func.count()).select_from(Lead).where(Lead.score.is_(None))) == 0
        linked = s.scalar(
            select(func.count()).select_from(Lead).where(Lead.account_id.is_not(None))
        )
        assert linked and linked >= count["Lead"] // 5  # a quarter come from customers' domains
        linked_channels = set(
            s.scalars(
                select(Feedback.channel).join(Attendance, Attendance.feedback_id == Feedback.id)
            )
        )
        assert linked_channels == {"event"}  # event feedback is Feedback on channel event
        rows = (folder / "event_feedback.csv").read_text().count("\n") - 1
        assert rows == s.scalar(
            select(func.count()).select_from(Attendance).where(Attendance.feedback_id.is_not(None))
        )
    again = import_files(engine, expand([folder]))
    assert again.ok and all(f.inserted == f.updated == 0 for f in again.files)


def test_the_planted_lead_truth_shows_in_the_calibration(engine: Engine, folder: Path) -> None:
    assert import_files(engine, expand([folder])).ok
    with Session(engine) as s:
        cal = marketing_report(s, OPERATOR).calibration
    assert len(cal.converted_scores) > 10 and len(cal.other_scores) > 10
    assert mean(cal.converted_scores) > mean(cal.other_scores) + 5
    assert cal.auc is not None and cal.auc > 0.6
