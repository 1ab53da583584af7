"""Notifications: signed webhooks with retries and a delivery log, the Slack-compatible body,
email over SMTP on escalation, and nothing sent twice (real local HTTP and SMTP servers)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.config import Settings
from accord.loop import sla, tickets
from accord.loop.channels.dispatch import dispatch_pending
from accord.loop.channels.webhook import add_webhook, deliveries, verify
from accord.loop.models import Ticket
from tests.factories import make_account
from tests.loop.builders import MONDAY
from tests.loop.conftest import Collect

SECRET = "s3cret-s3cret-s3cret"


@dataclass
class Receiver:
    """A local HTTP endpoint that records every request and answers the queued statuses."""

    statuses: list[int] = field(default_factory=list)
    delay_s: float = 0.0
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            rec.requests.append((dict(self.headers.items()), body))
            time.sleep(rec.delay_s)
            status = rec.statuses.pop(0) if rec.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def settings(**kw: object) -> Settings:
    base: dict[str, object] = {"notify_webhook_backoff_s": 0.001, "notify_webhook_timeout_s": 5}
    return Settings(**{**base, **kw})  # type: ignore[arg-type]


def open_one(session: Session, **kw: object) -> Ticket:
    make_account(session, "ACC-1", "owner@example.com")
    ticket = tickets.open_ticket(
        session, OPERATOR, account_id="ACC-1", title="Late delivery", team="logistics",
        priority="urgent", now=MONDAY, **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    session.flush()
    return ticket


def test_a_delivery_is_signed_with_the_secret(session: Session, receiver: Receiver) -> None:
    hook = add_webhook(session, name="ops", url=receiver.url, secret=SECRET)
    open_one(session)
    done = dispatch_pending(session, MONDAY, settings())
    assert [s.ok for s in done.webhooks] == [True]
    [(headers, body)] = receiver.requests
    assert headers["X-Accord-Event"] == "created"
    assert headers["X-Accord-Timestamp"] == "1772442000"  # 2026-03-02 09:00 UTC
    assert verify(SECRET, body, headers["X-Accord-Signature"])
    assert not verify("another-secret-entirely", body, headers["X-Accord-Signature"])
    event = json.loads(body)
    assert event["kind"] == "created" and event["ticket"]["id"] == "AC-000001"
    [row] = deliveries(session, hook.id)
    assert (row.ok, row.status_code, row.attempt, row.error) == (True, 200, 1, None)


def test_failures_are_retried_and_every_attempt_logged(
    session: Session, receiver: Receiver
) -> None:
    hook = add_webhook(session, name="ops", url=receiver.url, secret=SECRET)
    open_one(session)
    receiver.statuses = [500, 500, 200]
    [sent] = dispatch_pending(session, MONDAY, settings()).webhooks
    assert sent.ok and sent.attempts == 3 and len(receiver.requests) == 3
    rows = deliveries(session, hook.id)
    assert [(r.attempt, r.status_code, r.ok) for r in rows] == [
        (1, 500, False), (2, 500, False), (3, 200, True),
    ]  # fmt: skip
    assert rows[0].error == "HTTP 500" and all(r.duration_ms >= 0 for r in rows)
    assert rows[0].at >= MONDAY and rows[0].at <= rows[1].at <= rows[2].at


def test_an_event_that_keeps_failing_is_tried_again_next_run(
    session: Session, receiver: Receiver
) -> None:
    hook = add_webhook(session, name="ops", url=receiver.url, secret=SECRET)
    open_one(session)
    receiver.statuses = [503, 503, 503]
    [sent] = dispatch_pending(session, MONDAY, settings()).webhooks
    assert not sent.ok and hook.cursor == 0
    [again] = dispatch_pending(session, MONDAY, settings()).webhooks
    assert again.ok and len(deliveries(session, hook.id)) == 4


def test_an_unreachable_endpoint_is_logged(session: Session) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    hook = add_webhook(session, name="gone", url=f"http://127.0.0.1:{port}/", secret=SECRET)
    open_one(session)
    [sent] = dispatch_pending(session, MONDAY, settings(notify_webhook_attempts=2)).webhooks
    rows = deliveries(session, hook.id)
    assert not sent.ok and len(rows) == 2
    assert rows[0].status_code is None and "ConnectError" in (rows[0].error or "")


def test_a_slow_endpoint_times_out(session: Session, receiver: Receiver) -> None:
    hook = add_webhook(session, name="slow", url=receiver.url, secret=SECRET)
    open_one(session)
    receiver.delay_s = 0.5
    conf = settings(notify_webhook_attempts=1, notify_webhook_timeout_s=0.1)
    [sent] = dispatch_pending(session, MONDAY, conf).webhooks
    [row] = deliveries(session, hook.id)
    assert not sent.ok and row.status_code is None and "ReadTimeout" in (row.error or "")


def test_the_slack_option_sends_one_readable_line(session: Session, receiver: Receiver) -> None:
    add_webhook(session, name="slack", url=receiver.url, secret=SECRET, slack=True)
    open_one(session)
    dispatch_pending(session, MONDAY, settings())
    [(_, body)] = receiver.requests
    assert json.loads(body) == {"text": "AC-000001 opened for logistics (urgent): Late delivery"}


def test_event_kinds_filter_and_nothing_is_sent_twice(session: Session, receiver: Receiver) -> None:
    hook = add_webhook(
        session, name="esc", url=receiver.url, secret=SECRET, event_kinds=["escalated"]
    )
    open_one(session)
    sla.check_sla(session, OPERATOR, MONDAY + timedelta(hours=1.5))
    session.flush()
    first = dispatch_pending(session, MONDAY, settings())
    assert len(first.webhooks) == 1
    [(headers, body)] = receiver.requests
    assert headers["X-Accord-Event"] == "escalated"
    assert json.loads(body)["detail"] == {"level": 1, "to": "owner@example.com"}
    assert dispatch_pending(session, MONDAY, settings()).webhooks == []
    assert len(receiver.requests) == 1 and len(deliveries(session, hook.id)) == 1


def test_a_new_webhook_starts_from_now(session: Session, receiver: Receiver) -> None:
    open_one(session)
    add_webhook(session, name="late", url=receiver.url, secret=SECRET)
    assert dispatch_pending(session, MONDAY, settings()).webhooks == []
    assert receiver.requests == []


def test_an_escalation_is_emailed_once(session: Session, smtp: tuple[Collect, int]) -> None:
    handler, port = smtp
    conf = settings(notify_smtp_host="127.0.0.1", notify_smtp_port=port,
                    notify_smtp_from="accord@example.com")  # fmt: skip
    ticket = open_one(session)
    tickets.assign(session, OPERATOR, ticket, "dana@example.com", MONDAY)
    sla.check_sla(session, OPERATOR, MONDAY + timedelta(hours=1.5))
    session.flush()
    sent = dispatch_pending(session, MONDAY, conf).emails
    assert [m.to for m in sent] == [
        ["dana@example.com"],  # assigned
        ["dana@example.com"],  # breach: the assignee
        ["owner@example.com", "dana@example.com"],  # escalated to the account owner
    ]
    assert len(handler.messages) == 3
    rcpts, raw = handler.messages[2]
    assert rcpts == ["owner@example.com", "dana@example.com"]
    msg = message_from_bytes(raw, policy=policy.default)
    assert msg["From"] == "accord@example.com"
    assert " ".join(str(msg["Subject"]).split()) == (
        "[Accord] AC-000001 escalated to level 1 (owner@example.com): Late delivery"
    )
    assert dispatch_pending(session, MONDAY, conf).emails == []
    assert len(handler.messages) == 3


def test_email_is_off_without_a_host(session: Session) -> None:
    open_one(session, assignee_email="dana@example.com")
    assert dispatch_pending(session, MONDAY, settings()).emails == []


def test_notify_from_the_command_line(engine, monkeypatch, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    import accord.db
    from accord.cli.main import app

    monkeypatch.setattr(accord.db, "get_engine", lambda: engine)
    cli = CliRunner()
    added = cli.invoke(app, ["notify", "add-webhook", receiver.url, "--secret", SECRET])
    assert added.exit_code == 0, added.output
    with Session(engine) as s:
        open_one(s)
        s.commit()
    ran = cli.invoke(app, ["notify", "run", "--now", "2026-03-02T09:00:00"])
    assert ran.exit_code == 0, ran.output
    assert "1 webhook delivery(ies), 0 failed" in ran.output
    assert len(receiver.requests) == 1
    again = cli.invoke(app, ["notify", "run"])
    assert "0 webhook delivery(ies)" in again.output and len(receiver.requests) == 1
