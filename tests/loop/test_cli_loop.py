"""``accord tickets``, ``accord routing`` and ``accord digest`` on the test database
(in-process, for speed: the commands open their own transactions on the patched engine)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import accord.db
from accord.cli.main import app
from tests.factories import make_account, make_contact, make_feedback
from tests.loop.builders import make_rules

cli = CliRunner()


@pytest.fixture
def run(engine: Engine, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(accord.db, "get_engine", lambda: engine)
    with Session(engine) as s:
        make_account(s, "ACC-1", "owner@example.com")
        make_contact(s, "CON-V", "ACC-1", role="technical_buyer", veto=True)
        make_feedback(s, "FB-1", "ACC-1", contact_id="CON-V", nps=None, product=1,
                      occurred_at=datetime(2026, 2, 20))  # fmt: skip
        make_rules(s)
        s.commit()

    def invoke(*args: str) -> str:
        result = cli.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_the_loop_from_the_command_line(run) -> None:  # type: ignore[no-untyped-def]
    dry = json.loads(run("routing", "test", "FB-1"))
    assert dry["team"] == "quality" and dry["fired"]["name"].startswith("Veto holder")
    assert len(json.loads(run("routing", "list"))) == 2
    assert "1 ticket(s) opened" in run("tickets", "alerts", "--now", "2026-03-02T09:00:00")
    [ticket] = json.loads(run("tickets", "list", "--json"))
    assert ticket["id"] == "AC-000001" and ticket["team"] == "sales"
    assert "AC-000001: level 1 → owner@example.com" in run(
        "tickets", "sla-check", "--now", "2026-03-02T14:00:00"
    )
    shown = json.loads(run("tickets", "show", "ac-000001"))
    assert [e["kind"] for e in shown["history"]] == ["created", "breach", "escalated"]
    digest = json.loads(run("digest", "weekly", "--team", "sales", "--json",
                            "--now", "2026-03-02T14:00:00"))  # fmt: skip
    assert digest["breached"] == 1


def test_an_unknown_ticket_fails_cleanly(run) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(app, ["tickets", "show", "AC-999999"])
    assert result.exit_code == 1 and "not found" in result.output
