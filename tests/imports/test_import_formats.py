"""Good files: every kind in every format, in any order, with values converted as the contract
says."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from accord.imports import import_files
from accord.models import (
    Account,
    Contact,
    Feedback,
    Fulfilment,
    InfluenceProfile,
    Opportunity,
)
from tests.imports.builders import (
    ACCOUNTS,
    CONTACTS,
    FEEDBACK,
    WORLD,
    counts,
    messages,
    write,
    write_csv,
    write_world,
)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_it_imports_all_six_kinds(engine: Engine, tmp_path: Path, fmt: str) -> None:
    report = import_files(engine, write_world(tmp_path, fmt))

    assert report.ok, messages(report)
    assert [(f.kind, f.inserted) for f in report.files] == [
        (kind, len(rows)) for kind, rows in WORLD.items()
    ]
    assert counts(engine) == {kind: len(rows) for kind, rows in WORLD.items()}
    with Session(engine) as s:
        acme = s.get_one(Account, "ACC-1")
        assert (acme.annual_value, acme.renewal_date) == (120000.5, date(2027, 1, 31))
        assert (acme.purchase_type, acme.phase) == ("precision_components", "continuous")
        beta = s.get_one(Account, "ACC-2")
        assert (beta.annual_value, beta.renewal_date, beta.owner_email) == (None, None, None)
        ann, raj = s.get_one(Contact, "CON-1"), s.get_one(Contact, "CON-2")
        assert (ann.veto, ann.influence, ann.active_from) == (True, 0.9, date(2024, 1, 1))
        assert (raj.veto, raj.influence, raj.active_to) == (False, None, date(2026, 6, 30))
        fb = s.get_one(Feedback, "FB-1")
        assert fb.occurred_at == datetime(2026, 3, 4, 8, 0)  # +02:00 stored as UTC
        assert (fb.nps, fb.ces, fb.trust, fb.fulfilment_id) == (9, 2, 5, "FUL-1")
        note = s.get_one(Feedback, "FB-2")
        assert (note.occurred_at, note.nps, note.text) == (datetime(2026, 3, 5), None, None)
        assert s.get_one(Fulfilment, "FUL-1").delivered_at == datetime(2026, 3, 3, 8, 30)
        assert s.get_one(Fulfilment, "FUL-1").reported_on_time is True
        assert s.get_one(Opportunity, "OPP-2").outcome == "open"  # empty outcome: still open
        profile = s.scalars(select(InfluenceProfile).where(InfluenceProfile.veto)).one()
        assert (profile.role, profile.weight) == ("technical_buyer", 0.9)


def test_files_may_come_in_any_order(engine: Engine, tmp_path: Path) -> None:
    paths = write_world(tmp_path, "csv")

    report = import_files(engine, list(reversed(paths)))

    assert report.ok, messages(report)
    assert [f.kind for f in report.files] == list(reversed(WORLD))  # reported as given
    assert counts(engine) == {kind: len(rows) for kind, rows in WORLD.items()}


@pytest.mark.parametrize(
    "name", ["2026_feedback.csv", "feedback-part1.csv", "Feedback Export.csv", "FEEDBACK.CSV"]
)
def test_kind_is_told_by_a_word_of_the_file_name(engine: Engine, tmp_path: Path, name: str) -> None:
    import_files(engine, write_world(tmp_path, "csv")[:3])  # accounts and contacts first
    path = write_csv(tmp_path / name, FEEDBACK[1:])

    report = import_files(engine, [path])

    assert report.ok, messages(report)
    assert report.files[0].kind == "feedback"


def test_kind_falls_back_to_the_header_id_column(engine: Engine, tmp_path: Path) -> None:
    accounts = write_csv(tmp_path / "export-1.csv", ACCOUNTS)
    contacts = write_csv(tmp_path / "export-2.csv", CONTACTS)

    report = import_files(engine, [contacts, accounts])

    assert report.ok, messages(report)
    assert [f.kind for f in report.files] == ["contacts", "accounts"]


def test_a_file_of_unknown_kind_is_refused_by_name(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "stuff.csv", [{"a": "1", "b": "2"}])
    odd = tmp_path / "accounts.txt"
    odd.write_text("account_id,name\n")

    report = import_files(engine, [path, odd])

    assert not report.ok
    first, second = report.errors
    assert first.file.endswith("stuff.csv") and "cannot tell what this file holds" in first.reason
    assert second.file.endswith("accounts.txt") and "unsupported file type" in second.reason


def test_display_names_name_the_kind_and_the_errors(engine: Engine, tmp_path: Path) -> None:
    upload = write_csv(tmp_path / "tmp8f3k2", ACCOUNTS[:1])
    bad = write_csv(tmp_path / "tmpq71x", [{**CONTACTS[0], "role": "vp"}])

    report = import_files(
        engine, [upload, bad], display_names={upload: "accounts.csv", bad: "contacts.csv"}
    )

    assert report.files[0].ok and report.files[0].path == "accounts.csv"
    assert messages(report)[0].startswith("contacts.csv:2: role: 'vp' is not a role")


def test_optional_columns_left_out_keep_their_stored_values(engine: Engine, tmp_path: Path) -> None:
    import_files(engine, [write(tmp_path, "accounts.csv", ACCOUNTS)])
    extensions = ("phase", "purchase_type")
    contract_only = [{k: v for k, v in r.items() if k not in extensions} for r in ACCOUNTS]
    path = write_csv(tmp_path / "accounts-2026.csv", contract_only)

    report = import_files(engine, [path])

    assert report.files[0].unchanged == 2
    with Session(engine) as s:
        assert s.get_one(Account, "ACC-1").phase == "continuous"


def test_csv_line_numbers_count_physical_lines(engine: Engine, tmp_path: Path) -> None:
    """A quoted cell may span lines and blank lines are skipped; errors name the line an editor
    shows. A byte-order mark (Excel) is ignored."""
    import_files(engine, write_world(tmp_path, "csv")[:3])
    path = tmp_path / "feedback.csv"
    header = ",".join(FEEDBACK[0])
    path.write_text(
        "\ufeff" + header + "\n"
        'FB-1,ACC-1,CON-1,note,2026-03-01,,,,,,,,,,"first line\nsecond line\r\nthird",\n'
        "\n"
        "FB-2,ACC-1,CON-1,fax,2026-03-01,,,,,,,,,,,\n",
        encoding="utf-8",
        newline="",
    )

    report = import_files(engine, [path])

    assert [(e.line, e.field) for e in report.errors] == [(6, "channel")]


def test_xlsx_cells_keep_their_excel_types(engine: Engine, tmp_path: Path) -> None:
    from openpyxl import Workbook

    import_files(engine, write_world(tmp_path, "csv")[:3])
    book = Workbook()
    sheet = book.active
    sheet.append(["feedback_id", "account_id", "contact_id", "channel", "occurred_at", "nps",
                  "csat", "ces", "product", "price", "fulfilment", "ease", "presence", "trust",
                  "text"])  # fmt: skip
    sheet.append([1001, "ACC-1", "CON-1", "survey", datetime(2026, 3, 1, 9, 30), 10.0, 5,
                  None, None, None, None, None, None, None, "ok"])  # fmt: skip
    sheet.append([])  # an empty row is skipped
    sheet.append(["FB-X", "ACC-1", None, "survey", date(2026, 3, 2), 7.5, None, None,
                  None, None, None, None, None, None, None])  # fmt: skip
    book.save(tmp_path / "feedback.xlsx")

    report = import_files(engine, [tmp_path / "feedback.xlsx"])

    assert [str(e).split(": ", 1)[1] for e in report.errors] == [
        "nps: expected an integer 0–10, got 7.5"
    ]
    assert report.errors[0].line == 4
    sheet.delete_rows(4)
    book.save(tmp_path / "feedback.xlsx")
    assert import_files(engine, [tmp_path / "feedback.xlsx"]).ok
    with Session(engine) as s:
        fb = s.get_one(Feedback, "1001")  # a numeric id cell is the text "1001"
        assert (fb.occurred_at, fb.nps, fb.csat) == (datetime(2026, 3, 1, 9, 30), 10, 5)


def test_jsonl_takes_native_json_values(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "contacts.jsonl"
    import_files(engine, [write(tmp_path, "accounts.csv", ACCOUNTS)])
    path.write_text(
        '{"contact_id": "C-1", "account_id": "ACC-1", "name": "Ann", "role": "champion",'
        ' "influence": 0.5, "veto": true, "email": null, "title": null,'
        ' "active_from": "2025-01-01", "active_to": null}\n'
        "\n"
        '{"contact_id": "C-2", "account_id": "ACC-1", "name": "Bob", "role": "user", "veto": 0}\n'
    )

    report = import_files(engine, [path])

    assert report.ok, messages(report)
    with Session(engine) as s:
        assert [(c.id, c.veto, c.influence) for c in s.scalars(select(Contact))] == [
            ("C-1", True, 0.5),
            ("C-2", False, None),
        ]


def test_progress_reports_rows_per_file(engine: Engine, tmp_path: Path) -> None:
    calls: list[tuple[str, int]] = []

    paths = write_world(tmp_path, "csv")[:2]
    import_files(engine, paths, progress=lambda name, rows: calls.append((name, rows)))

    assert calls[-1] == (str(tmp_path / "accounts.csv"), 2)
    assert (str(tmp_path / "influence_profiles.csv"), 2) in calls


def test_text_is_stored_as_written(engine: Engine, tmp_path: Path) -> None:
    import_files(engine, write_world(tmp_path, "csv")[:3])
    prose = 'Tab\there, "quoted", back\\slash,\nnew line, ünïcødé 🎉  '
    rows = [
        {**FEEDBACK[1], "text": prose},
        {**FEEDBACK[1], "feedback_id": "FB-3", "text": "a\x00b"},
    ]

    report = import_files(engine, [write(tmp_path, "feedback.csv", rows)])
    assert [(e.line, e.field, e.reason) for e in report.errors] == [
        (4, "text", "contains a NUL character")
    ]
    report = import_files(engine, [write(tmp_path, "feedback.csv", rows[:1])])

    assert report.ok, messages(report)
    with Session(engine) as s:
        assert s.get_one(Feedback, "FB-2").text == prose
