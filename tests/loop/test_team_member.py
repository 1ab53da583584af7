"""Team members: created with a team (CLI and service), scoped to their team's tickets by the
one access helper, and refused everything else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import accord.db
from accord.auth import service as auth
from accord.auth.access import OPERATOR
from accord.cli.main import app
from accord.errors import Forbidden, InvalidInput, NotFound
from accord.loop import routing, service, sla, tickets
from accord.loop.schemas import TicketFilter
from accord.vocabulary import UserRole
from tests.factories import PASSWORD, make_account, make_feedback, make_user
from tests.loop.builders import MONDAY


def test_a_team_member_needs_a_team_and_only_they_have_one(session: Session) -> None:
    with pytest.raises(InvalidInput, match="team member needs one of"):
        make_user(session, "t@example.com", UserRole.team_member)
    with pytest.raises(InvalidInput, match="only team members"):
        make_user(session, "v@example.com", UserRole.viewer, team="support")
    user = make_user(session, "t@example.com", UserRole.team_member, team="quality")
    actor = auth.actor_for(user)
    assert (actor.team, actor.team_only, actor.can_write) == ("quality", True, False)


def test_the_scope_follows_the_team(session: Session) -> None:
    make_account(session, "ACC-1", "owner@example.com")
    make_feedback(session, "FB-1", "ACC-1")
    mine, other = (
        tickets.open_ticket(
            session,
            OPERATOR,
            account_id="ACC-1",
            title=team,
            team=team,
            priority="urgent",
            now=MONDAY,
        )
        for team in ("quality", "logistics")
    )
    tess = auth.actor_for(make_user(session, "t@example.com", UserRole.team_member, team="quality"))
    assert [t.id for t in service.list_tickets(session, tess, TicketFilter()).items] == [mine.id]
    with pytest.raises(NotFound):
        tickets.get_ticket(session, tess, other.id)
    with pytest.raises(NotFound):
        tickets.transition(session, tess, other, "in_progress", MONDAY)
    tickets.transition(session, tess, mine, "in_progress", MONDAY)
    tickets.link_feedback(session, tess, mine, "FB-1", MONDAY)  # what the ticket shows
    with pytest.raises(Forbidden):
        tickets.open_ticket(session, tess, account_id="ACC-1", title="x", team="quality",
                            priority="low", now=MONDAY)  # fmt: skip
    with pytest.raises(NotFound):
        routing.dry_run(session, tess, "FB-1")
    done = sla.check_sla(session, tess, MONDAY + timedelta(days=1, hours=2))
    assert {e.ticket_id for e in done} == {mine.id}  # the other team's breach is not hers


def test_users_create_takes_a_team(engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(accord.db, "get_engine", lambda: engine)
    cli = CliRunner()
    ok = cli.invoke(app, ["users", "create", "tess@example.com", "--role", "team_member",
                          "--team", "support", "--password", PASSWORD])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    bad = cli.invoke(app, ["users", "create", "t2@example.com", "--role", "team_member",
                           "--password", PASSWORD])  # fmt: skip
    assert bad.exit_code == 1 and "team member needs one of" in bad.output
    with Session(engine) as s:
        user = auth.get_user_by_email(s, "tess@example.com")
        assert user is not None and (user.role, user.team) == ("team_member", "support")
