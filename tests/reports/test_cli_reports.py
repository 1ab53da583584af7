"""The command line: ``accord report value … --pdf`` (a real process, as a user runs it) writes a
PDF with the report's figures, and ``accord leads definition set`` makes a new version."""

from __future__ import annotations

import io
import json
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine
from typer.testing import CliRunner

from accord.auth.access import OPERATOR
from accord.cli.main import app
from accord.db import transaction
from accord.imports import import_files
from accord.reports.value import as_dict, value_report
from accord.synthetic import generate_world
from tests.cli.test_cli import accord  # noqa: F401  (the fixture that runs the CLI)


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> Engine:
    generate_world(tmp_path / "world", accounts=10, seed=3, today=date(2026, 11, 23))
    assert import_files(engine, sorted((tmp_path / "world").glob("*.csv"))).ok
    return engine


def test_report_value_writes_a_pdf_with_the_reports_figures(accord, world, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with transaction(world) as session:
        data = as_dict(value_report(session, OPERATOR, "ACC-0001", "2026"))
    out = tmp_path / "out.pdf"
    done = accord("report", "value", "ACC-0001", "--period", "2026", "--pdf", str(out))
    assert f"Wrote {out}" in done.stderr
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert data["account"] in text
    assert f"Spend {data['spend']['amount']:,.0f}" in text  # type: ignore[index]
    assert f"Deliveries {data['delivery']['delivered']}" in text  # type: ignore[index]


def test_leads_definition_set_makes_a_version_and_rescores(  # type: ignore[no-untyped-def]
    world, tmp_path, monkeypatch
) -> None:
    @contextmanager
    def on_test_db():  # type: ignore[no-untyped-def]
        with transaction(world) as session:
            yield session

    monkeypatch.setattr("accord.cli.leads.transaction", on_test_db)
    cli = CliRunner()
    current = cli.invoke(app, ["leads", "definition", "show"]).stdout
    changed = tmp_path / "definition.yaml"
    changed.write_text(current.replace("sql: 65", "sql: 70"))
    done = cli.invoke(app, ["leads", "definition", "set", str(changed), "--note", "stricter"])
    assert done.exit_code == 0 and "Saved version 2" in done.stdout and "Re-scored" in done.stdout
    assert "stricter" in cli.invoke(app, ["leads", "definition", "versions"]).stdout
    lead = json.loads(cli.invoke(app, ["leads", "list", "--json", "--limit", "1"]).stdout)[0]
    shown = json.loads(cli.invoke(app, ["leads", "show", lead["id"], "--json"]).stdout)
    assert shown["lead"]["definition_version"] == 2
    assert sum(p["points"] for p in shown["explanation"]) == shown["lead"]["score"]
    assert [h["version"] for h in shown["history"]][:2] == [2, 1]
    bad = cli.invoke(app, ["leads", "definition", "set", str(changed)])
    assert bad.exit_code == 1  # unchanged: no new version
