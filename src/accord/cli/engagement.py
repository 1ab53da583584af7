"""``accord events …`` and ``accord report value …``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.table import Table

from accord.auth.access import OPERATOR
from accord.cli.console import console, err
from accord.db import transaction
from accord.engagement import service
from accord.engagement.schemas import EventFilter, EventRead
from accord.errors import AccordError

events_app = typer.Typer(
    help="Post-purchase events, invitations and attendance.", no_args_is_help=True
)
report_app = typer.Typer(help="Reports for customers.", no_args_is_help=True)


@events_app.command("list")
def list_events(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    limit: int = typer.Option(50, min=1, help="At most this many (latest first)."),
) -> None:
    """Events, latest first, with invitations, attendance and feedback counts."""
    with transaction() as session:
        page = service.list_events(session, OPERATOR, EventFilter(), limit=limit)
        counts = service.event_counts(session, OPERATOR, [e.id for e in page.items])
        rows = [
            {**EventRead.model_validate(e).model_dump(mode="json"), **vars(counts[e.id])}
            for e in page.items
        ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{page.total:,} events")
    for col in ("id", "kind", "title", "starts", "invited", "attended", "feedback"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["id"], r["kind"], r["title"], r["starts_at"][:16], str(r["invited"]),
            str(r["attended"]), str(r["feedback"]),
        )  # fmt: skip
    console.print(table)


@events_app.command("engagement")
def engagement(
    account_id: str = typer.Argument(..., help="Account id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """An account's engagement per buying role."""
    try:
        with transaction() as session:
            rows = [
                r.model_dump(mode="json")
                for r in service.engagement_by_role(session, OPERATOR, account_id)
            ]
    except AccordError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from None
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"Engagement of {account_id}")
    for col in ("role", "stakeholders", "invited", "attended", "reached", "feedback", "avg NPS"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["role"], str(r["stakeholders"]), str(r["invited"]), str(r["attended"]),
            str(r["people_reached"]), str(r["feedback"]), str(r["average_nps"] or "—"),
        )  # fmt: skip
    console.print(table)


@report_app.command("value")
def value(
    account_id: str = typer.Argument(..., help="Account id."),
    period: str = typer.Option(..., help="2026Q3, 2026H1, 2026-07 or 2026."),
    pdf: Path | None = typer.Option(None, help="Write the report as a PDF here."),
    html: Path | None = typer.Option(None, help="Write the report as HTML here."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """The purchaser's value report for an account and a period: spend and savings, delivery,
    issues, an anonymised peer comparison."""
    from accord.reports.render import document_html, pdf_bytes
    from accord.reports.value import as_dict, value_report

    try:
        with transaction() as session:
            report = value_report(session, OPERATOR, account_id, period)
            data = as_dict(report)
            started = time.perf_counter()
            if pdf:
                pdf.write_bytes(pdf_bytes(report))
            if html:
                html.write_text(document_html(report), encoding="utf-8")
            took = time.perf_counter() - started
    except AccordError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from None
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    else:
        s, d = data["spend"], data["delivery"]
        console.print(f"[bold]{data['account']}[/bold] ({data['account_id']}) — {data['period']}")
        console.print(
            f"  spend {s['amount']:,.0f} in {s['purchases']} purchases; "
            f"savings {s['savings'] or 0:,.0f}"
        )
        rate = d["otif_rate"]
        console.print(
            f"  {d['delivered']} deliveries, on time and complete {rate:.1%}"
            if rate is not None
            else "  no deliveries"
        )
        console.print(f"  {data['issues']['raised']} issues raised")
    for path in (pdf, html):
        if path:
            err.print(f"[green]Wrote {path}[/green] ({took:.2f} s)")
