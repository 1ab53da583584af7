"""``accord tickets …``, ``accord routing …`` and ``accord digest …``: the loop from the command
line. ``--now`` (ISO time, UTC) stands in for the clock, for replays and tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import typer
from rich.table import Table

from accord.auth.access import OPERATOR
from accord.cli.console import console, err
from accord.db import transaction
from accord.errors import AccordError
from accord.loop import alerts, digest, routing, service, sla, tickets
from accord.loop.schemas import EventRead, TicketFilter, TicketRead

tickets_app = typer.Typer(
    help="Numbered tickets: list, show, SLA check, alerts.", no_args_is_help=True
)
routing_app = typer.Typer(help="Routing rules: list and dry-run.", no_args_is_help=True)
digest_app = typer.Typer(help="The cadence digests.", no_args_is_help=True)
notify_app = typer.Typer(help="Notifications: webhooks and email.", no_args_is_help=True)

NOW = typer.Option(None, "--now", help="The time to act at (ISO, UTC); default: now.")


def _now(value: str | None) -> datetime:
    return datetime.fromisoformat(value) if value else datetime.now(UTC).replace(tzinfo=None)


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


def _fail(exc: AccordError) -> typer.Exit:
    err.print(f"[red]{exc.message}[/red]", markup=True, highlight=False)
    return typer.Exit(code=1)


@tickets_app.command("list")
def list_tickets(
    team: str | None = typer.Option(None, help="Only this team."),
    status: str | None = typer.Option(None, help="Only this status."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    limit: int = typer.Option(50, min=1, max=500, help="At most this many (newest first)."),
) -> None:
    """List tickets, newest first."""
    try:
        with transaction() as session:
            query = TicketFilter(team=team, status=status)  # type: ignore[arg-type]
            page = service.list_tickets(session, OPERATOR, query, limit=limit)
            rows = [TicketRead.model_validate(t).model_dump(mode="json") for t in page.items]
    except AccordError as exc:
        raise _fail(exc) from exc
    if as_json:
        _dump(rows)
        return
    table = Table(title=f"{page.total:,} tickets")
    for col in ("number", "account", "team", "priority", "status", "title"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["account_id"], r["team"], r["priority"], r["status"], r["title"])
    console.print(table)


@tickets_app.command("show")
def show_ticket(number: str = typer.Argument(..., help="Ticket number, e.g. AC-000123.")) -> None:
    """One ticket with its linked feedback and full history, as JSON."""
    try:
        with transaction() as session:
            t = tickets.get_ticket(session, OPERATOR, number)
            out = TicketRead.model_validate(t).model_dump(mode="json")
            out["feedback_ids"] = tickets.feedback_ids(session, t.id)
            out["history"] = [
                EventRead.model_validate(e).model_dump(mode="json")
                for e in tickets.history(session, OPERATOR, t.id)
            ]
    except AccordError as exc:
        raise _fail(exc) from exc
    _dump(out)


@tickets_app.command("sla-check")
def sla_check(now: str | None = NOW) -> None:
    """Detect SLA breaches and escalate (account owner, then team lead); safe to repeat."""
    with transaction() as session:
        done = sla.check_sla(session, OPERATOR, _now(now))
    for e in done:
        console.print(f"{e.ticket_id}: level {e.level} → {e.to or '(no lead set)'}: {e.reason}")
    console.print(f"{len(done)} escalation(s)")


@tickets_app.command("alerts")
def run_alerts(now: str | None = NOW) -> None:
    """Run the alert hooks; each new finding opens a ticket for the account owner."""
    at = _now(now)
    with transaction() as session:
        opened = alerts.run_alerts(session, OPERATOR, at.date(), at)
        lines = [f"{t.id} {t.account_id}: {t.title}" for t in opened]
    for line in lines:
        console.print(line)
    console.print(f"{len(lines)} ticket(s) opened")


@routing_app.command("list")
def list_rules() -> None:
    """The routing rules in the order they are tried, as JSON."""
    with transaction() as session:
        _dump(
            [
                {"id": r.id, "position": r.position, "name": r.name, "enabled": r.enabled,
                 "conditions": r.conditions, "team": r.team, "priority": r.priority}
                for r in routing.rules(session)
            ]
        )  # fmt: skip


@routing_app.command("test")
def test_routing(feedback_id: str = typer.Argument(..., help="A feedback id.")) -> None:
    """Dry run: which rule fires for a feedback item, and why; changes nothing."""
    try:
        with transaction() as session:
            _dump(routing.dry_run_dict(routing.dry_run(session, OPERATOR, feedback_id)))
    except AccordError as exc:
        raise _fail(exc) from exc


@digest_app.command("weekly")
def weekly(
    team: str = typer.Option(..., "--team", help="The originator team."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    now: str | None = NOW,
) -> None:
    """The week's open tickets, open actions and recurrences for one team."""
    try:
        with transaction() as session:
            data = digest.weekly_digest(session, OPERATOR, team, _now(now))
    except AccordError as exc:
        raise _fail(exc) from exc
    if as_json:
        _dump(data)
        return
    console.print(
        f"[bold]{team}[/bold], week to {data['week_end'][:10]}: {data['opened']} opened, "
        f"{data['resolved']} resolved, {len(data['open_tickets'])} open "
        f"({data['breached']} breached), {len(data['open_actions'])} open actions, "
        f"{len(data['recurrences'])} recurrences"
    )


@notify_app.command("run")
def notify_run(now: str | None = NOW) -> None:
    """Send every ticket event not yet sent to the webhooks and by email; safe to repeat."""
    from accord.loop.channels.dispatch import dispatch_pending

    with transaction() as session:
        done = dispatch_pending(session, _now(now))
    failed = [s for s in done.webhooks if not s.ok]
    console.print(
        f"{len(done.webhooks) - len(failed)} webhook delivery(ies), {len(failed)} failed "
        f"(retried next run), {len(done.emails)} email(s)"
    )


@notify_app.command("add-webhook")
def notify_add_webhook(
    url: str = typer.Argument(..., help="The endpoint (http:// or https://)."),
    name: str = typer.Option("webhook", help="A name to recognise it by."),
    secret: str = typer.Option(..., prompt=True, hide_input=True, help="Signing secret."),
    event: list[str] = typer.Option([], "--event", help="Only these event kinds (repeat)."),
    slack: bool = typer.Option(False, "--slack", help='Send Slack-compatible {"text": …}.'),
) -> None:
    """Subscribe an endpoint to ticket events from now on."""
    from accord.loop.channels.webhook import add_webhook

    try:
        with transaction() as session:
            hook = add_webhook(
                session, name=name, url=url, secret=secret, event_kinds=event, slack=slack
            )
            hook_id = hook.id
    except AccordError as exc:
        raise _fail(exc) from exc
    console.print(f"webhook {hook_id} → {url}")


loop_app = typer.Typer(help="The loop's emails: you said, we did; weekly digests.",
                       no_args_is_help=True)  # fmt: skip


@loop_app.command("send-you-said")
def send_you_said(
    account_id: str = typer.Argument(..., help="The account."),
    to: list[str] = typer.Option([], "--to", help="A contact id with an email (repeat)."),
    days: int = typer.Option(90, min=1, max=730, help="The period: the last N days."),
    preview: bool = typer.Option(False, "--preview", help="Print the email; send nothing."),
    now: str | None = NOW,
) -> None:
    """Email "you said, we did" (customer-safe, with a portal link) to chosen contacts."""
    from accord.loop import mailing

    try:
        with transaction() as session:
            if preview:
                draft = mailing.compose_you_said(session, OPERATOR, account_id, _now(now), days)
                typer.echo(f"Subject: {draft.subject}\n\n{draft.body}")
                return
            sent = mailing.send_you_said(session, OPERATOR, account_id, to, _now(now), days)
            lines = [f"sent to {d.to[0]}" for d in sent]
    except AccordError as exc:
        raise _fail(exc) from exc
    for line in lines:
        console.print(line)


@loop_app.command("send-digest")
def send_digest(
    team: list[str] = typer.Option([], "--team", help="Only this team (repeat); default all."),
    now: str | None = NOW,
) -> None:
    """Email each team's weekly digest to its lead (ACCORD_LOOP_TEAM_LEADS)."""
    from accord.loop import mailing

    try:
        with transaction() as session:
            sent, no_lead = mailing.send_digests(session, OPERATOR, _now(now), team or None)
            lines = [f"{d.subject} → {d.to[0]}" for d in sent]
    except AccordError as exc:
        raise _fail(exc) from exc
    for line in lines:
        console.print(line)
    if no_lead:
        console.print(f"no lead set (not sent): {', '.join(no_lead)}")
