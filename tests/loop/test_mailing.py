"""The digests by email, against a real local SMTP server (aiosmtpd): "you said, we did" to
chosen contacts (customer-safe, one email each, audited) and the weekly digest to team leads;
from the services, the command line and the account's web page."""

from __future__ import annotations

import email
from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import accord.db
from accord.auth.access import OPERATOR, Actor
from accord.auth.models import AuditEntry
from accord.cli.main import app
from accord.config import Settings
from accord.errors import Forbidden, InvalidInput, NotFound
from accord.loop import actions, mailing, tickets
from accord.loop.portal import read_portal_token
from accord.vocabulary import UserRole
from tests.factories import make_account, make_contact, make_feedback

NOW = datetime(2026, 6, 30, 12)


def conf(port: int, **kw: object) -> Settings:
    return Settings(notify_smtp_host="127.0.0.1", notify_smtp_port=port,  # type: ignore[arg-type]
                    notify_smtp_from="accord@example.com", **kw)  # fmt: skip


def world(session: Session) -> None:
    make_account(session, "ACC-1", "alice@example.com", name="Acme")
    make_account(session, "ACC-2", "bob@example.com", name="Borealis")
    make_contact(session, "ingrid", "ACC-1", name="Ingrid", role="technical_buyer",
                 email="ingrid@acme.example")  # fmt: skip
    make_contact(session, "paul", "ACC-1", name="Paul", role="procurement",
                 email="paul@acme.example")  # fmt: skip
    make_contact(session, "nomail", "ACC-1", name="No Mail", role="user")
    said = "Deliveries keep arriving late."
    make_feedback(session, "fb-1", "ACC-1", contact_id="ingrid", nps=3, fulfilment=1,
                  text=said, occurred_at=datetime(2026, 6, 1))  # fmt: skip
    done = ((True, "A backup carrier"), (False, "Fire the dispatcher"))
    for n, (shared, prevention) in enumerate(done, start=1):
        t = tickets.open_ticket(session, OPERATOR, account_id="ACC-1", title=f"Late {n}",
                                team="logistics", priority="high",
                                now=datetime(2026, 6, 2))  # fmt: skip
        tickets.transition(session, OPERATOR, t, "in_progress", datetime(2026, 6, 2))
        actions.resolve(session, OPERATOR, t, root_cause="logistics", prevention=prevention,
                        owner_email="o@example.com", due_date=date(2026, 7, 1),
                        shared_with_customer=shared, now=datetime(2026, 6, 3))  # fmt: skip
    session.flush()


def test_you_said_we_did_goes_to_each_chosen_contact(session: Session, smtp) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    world(session)
    sent = mailing.send_you_said(session, OPERATOR, "ACC-1", ["ingrid", "paul"], NOW,
                                 settings=conf(port))  # fmt: skip
    assert [d.to for d in sent] == [["ingrid@acme.example"], ["paul@acme.example"]]
    assert [rcpt for rcpt, _ in handler.messages] == [
        ["ingrid@acme.example"],
        ["paul@acme.example"],
    ]
    msg = email.message_from_bytes(handler.messages[0][1])
    assert msg["Subject"] == "You said, we did: Acme, last 90 days"
    body = msg.get_payload(decode=True).decode()
    assert "Deliveries keep arriving late." in body and "technical buyer" in body
    assert "To prevent it: A backup carrier" in body
    assert "Fire the dispatcher" not in body and "Resolved by our team." in body  # not shared
    token = body.split("/portal/")[1].split()[0]
    assert read_portal_token(token).contact_id == "ingrid"  # a link of their own
    audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "email"))
    assert audit is not None and audit.detail == "you said, we did (90 days) to ingrid, paul"


def test_sending_is_refused_clearly(session: Session, smtp) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    world(session)
    viewer = Actor("charlie@example.com", UserRole.viewer)
    bob = Actor("bob@example.com", UserRole.account_manager)
    cases = [
        (viewer, ["ingrid"], conf(port), Forbidden),
        (bob, ["ingrid"], conf(port), NotFound),
        (OPERATOR, ["nomail"], conf(port), InvalidInput),
        (OPERATOR, [], conf(port), InvalidInput),
        (OPERATOR, ["ingrid"], Settings(), InvalidInput),  # SMTP host unset: email is off
    ]
    for actor, to, settings, error in cases:
        with pytest.raises(error):
            mailing.send_you_said(session, actor, "ACC-1", to, NOW, settings=settings)
    assert handler.messages == []
    preview = mailing.compose_you_said(session, viewer, "ACC-1", NOW, 30)  # viewers may preview
    assert preview.subject.endswith("last 30 days")
    assert "/portal/" not in preview.body and mailing.PREVIEW_LINK in preview.body  # no credential


def test_the_weekly_digest_goes_to_each_team_lead(session: Session, smtp) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    world(session)
    tickets.open_ticket(session, OPERATOR, account_id="ACC-2", title="Invoice wrong",
                        team="finance", priority="normal", now=datetime(2026, 6, 29))  # fmt: skip
    settings = conf(port, loop_team_leads={"logistics": "lena@example.com",
                                           "finance": "fred@example.com"})  # fmt: skip
    sent, no_lead = mailing.send_digests(session, OPERATOR, NOW, ["logistics", "finance", "rnd"],
                                         settings=settings)  # fmt: skip
    assert [d.to for d in sent] == [["lena@example.com"], ["fred@example.com"]] and no_lead == [
        "rnd"
    ]
    finance = email.message_from_bytes(handler.messages[1][1])
    assert finance["Subject"] == "[Accord] Weekly digest: finance"
    body = finance.get_payload(decode=True).decode()
    assert "1 opened, 0 resolved, 1 open" in body and "Invoice wrong" in body
    logistics = email.message_from_bytes(handler.messages[0][1]).get_payload(decode=True).decode()
    assert "A backup carrier (o@example.com, due 2026-07-01)" in logistics
    with pytest.raises(Forbidden):
        mailing.send_digests(session, Actor("a@example.com", UserRole.account_manager), NOW)


def test_the_commands_preview_and_send(engine: Engine, monkeypatch, smtp) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    monkeypatch.setattr(accord.db, "get_engine", lambda: engine)
    for key, value in (("HOST", "127.0.0.1"), ("PORT", str(port))):
        monkeypatch.setenv(f"ACCORD_NOTIFY_SMTP_{key}", value)
    monkeypatch.setattr(mailing, "get_settings", lambda: Settings())
    with Session(engine) as s:
        world(s)
        s.commit()
    cli = CliRunner()
    now = ["--now", NOW.isoformat()]
    shown = cli.invoke(app, ["loop", "send-you-said", "ACC-1", "--preview", *now])
    assert shown.exit_code == 0 and "Subject: You said, we did: Acme" in shown.output
    assert handler.messages == []
    sent = cli.invoke(app, ["loop", "send-you-said", "ACC-1", "--to", "paul", "--days", "30", *now])
    assert sent.exit_code == 0, sent.output
    assert "sent to paul@acme.example" in sent.output and len(handler.messages) == 1
    bad = cli.invoke(app, ["loop", "send-you-said", "ACC-1", "--to", "nobody", *now])
    assert bad.exit_code == 1 and "no contact with an email" in bad.output
    digest = cli.invoke(app, ["loop", "send-digest", "--team", "logistics", *now])
    assert digest.exit_code == 0 and "no lead set (not sent): logistics" in digest.output
