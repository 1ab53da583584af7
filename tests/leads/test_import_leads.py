"""Importing leads and sales feedback follows the import contract: every bad row named with its
line, a bad file changes nothing, re-importing changes nothing; imported leads are linked to
their account and stakeholder and scored in the file's transaction."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from accord.imports import import_files
from accord.leads.models import Lead, LeadScore, SalesFeedback
from tests.factories import make_account, make_contact

HEADER = ["lead_id", "source", "captured_at", "company", "email", "name", "role", "industry",
          "employees", "region", "events_attended", "content_read", "last_activity_at", "stage",
          "disqualified_reason"]  # fmt: skip


def write(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def good_rows() -> list[list[Any]]:
    return [
        ["LD-1", "trade_show", "2026-11-10T10:00:00", "Acme", "ann@acme.example", "Ann", "user",
         "medical devices", "450", "North", "2", "1", "2026-11-12", "", ""],
        ["LD-2", "webinar", "2026-09-01", "Newco", "x@newco.example", "Xi", "", "hospitality",
         "", "", "", "", "", "", ""],
        ["LD-3", "referral", "2025-03-01", "Oldco", "o@oldco.example", "Ola", "economic_buyer",
         "chemicals", "2000", "South", "1", "0", "", "disqualified", "no budget"],
    ]  # fmt: skip


def counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(Lead)) or 0,
            s.scalar(select(func.count()).select_from(LeadScore)) or 0,
        )


def test_leads_import_links_scores_and_reimports_unchanged(engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as s:
        make_account(s, "ACME", "alice@example.com", name="Acme")
        make_contact(s, "ANN", "ACME", email="ann@acme.example")
        s.commit()
    path = write(tmp_path / "leads.csv", HEADER, good_rows())
    report = import_files(engine, [path])
    assert report.ok, report.errors
    assert report.files[0].kind == "leads" and report.files[0].inserted == 3
    with Session(engine) as s:
        ann = s.get(Lead, "LD-1")
        assert ann is not None
        assert (ann.account_id, ann.contact_id, ann.owner_email) == (
            "ACME",
            "ANN",
            "alice@example.com",
        )
        assert ann.score is not None and ann.definition_version == 1 and ann.stage != "raw"
        old = s.get(Lead, "LD-3")
        assert old is not None and (old.stage, old.disqualified_reason) == (
            "disqualified",
            "no budget",
        )
    before = counts(engine)
    again = import_files(engine, [path])
    assert again.ok and (again.files[0].inserted, again.files[0].updated) == (0, 0)
    assert counts(engine) == before  # no new scores either


def test_bad_lead_rows_are_named_by_line_and_the_file_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    rows = good_rows()
    rows[0][1] = "billboard"  # line 2
    rows[1][8] = "-3"  # line 3
    rows[2][2] = "yesterday"  # line 4
    rows.append(
        ["LD-1", "webinar", "2026-01-01", "Dup", "", "", "", "", "", "", "", "", "", "", ""]
    )
    path = write(tmp_path / "2026-leads.csv", [*HEADER, "account_id"], [[*r, ""] for r in rows])
    report = import_files(engine, [path])
    assert not report.ok
    found = [f"{e.line}: {e.field}" for e in report.errors]
    assert found == ["2: source", "3: employees", "4: captured_at", "5: lead_id"], found
    assert "'billboard' is not a lead source" in report.errors[0].reason
    assert counts(engine) == (0, 0)


def test_an_unknown_account_is_an_error_on_its_line(engine: Engine, tmp_path: Path) -> None:
    rows = [[*r, "ACC-NOPE" if i == 1 else ""] for i, r in enumerate(good_rows())]
    path = write(tmp_path / "leads.csv", [*HEADER, "account_id"], rows)
    report = import_files(engine, [path])
    assert [str(e).split(": ", 1)[1] for e in report.errors] == [
        "account_id: unknown account ACC-NOPE"
    ]
    assert report.errors[0].line == 3
    assert counts(engine) == (0, 0)


def test_sales_feedback_imports_with_canonical_tags(engine: Engine, tmp_path: Path) -> None:
    leads = write(tmp_path / "leads.csv", HEADER, good_rows())
    header = ["sales_feedback_id", "lead_id", "opportunity_id", "account_id", "occurred_at",
              "quality", "pain_points", "decision_roles", "micro_trends", "text"]  # fmt: skip
    good = write(tmp_path / "sales_feedback.csv", header, [
        ["SF-1", "LD-2", "", "", "2026-09-10", "poor", "Lead  Times; lead times;PPAP", "user",
         "Reshoring", "too early"],
    ])  # fmt: skip
    report = import_files(engine, [good, leads])  # any order: leads go first
    assert report.ok, report.errors
    assert report.files[0].kind == "sales_feedback"  # told by its header
    with Session(engine) as s:
        sf = s.get(SalesFeedback, "SF-1")
        assert sf is not None and sf.pain_points == "lead times; ppap"
        assert sf.micro_trends == "reshoring"
    bad = write(tmp_path / "sales_feedback.csv", header, [
        ["SF-2", "", "", "", "2026-09-10", "", "x", "", "", ""],
        ["SF-3", "LD-2", "", "", "2026-09-10", "", "", "cfo", "", ""],
    ])  # fmt: skip
    report = import_files(engine, [bad])
    assert [f"{e.line}: {e.field}" for e in report.errors] == [
        "2: sales_feedback_id", "3: decision_roles",
    ]  # fmt: skip
