"""``accord accounts list|show``."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from accord.accounts import service
from accord.accounts.schemas import AccountFilter, AccountRead, ContactRead
from accord.auth.access import OPERATOR
from accord.cli.console import console, err
from accord.db import transaction
from accord.listening.schemas import FeedbackRead

app = typer.Typer(help="Accounts and their stakeholder villages.", no_args_is_help=True)


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


@app.command("list")
def list_accounts(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    segment: str | None = typer.Option(None, help="Only this segment."),
    owner: str | None = typer.Option(None, help="Only this owner's accounts (email)."),
    region: str | None = typer.Option(None, help="Only this region."),
    q: str | None = typer.Option(None, "--search", help="Name contains."),
    limit: int = typer.Option(10_000, min=1, help="At most this many."),
) -> None:
    """List accounts."""
    # Imported here: the insights pull in scikit-learn, which every other command can skip.
    from accord.insights import service as insights
    from accord.insights.views import account_fields

    filters = AccountFilter(q=q, segment=segment, owner=owner, region=region)
    with transaction() as session:
        page = service.list_accounts(session, OPERATOR, filters, limit=limit)
        rows = [AccountRead.model_validate(a).model_dump(mode="json") for a in page.items]
        village = {
            r["account_id"]: account_fields(r)
            for r in insights.account_table(session, OPERATOR).to_dicts()
        }
    for r in rows:
        r.update(village.get(r["id"], {}))
    if as_json:
        _dump(rows)
        return
    table = Table(title=f"{page.total:,} accounts")
    columns = (
        "id",
        "name",
        "segment",
        "annual value",
        "renewal",
        "AXI",
        "band",
        "coverage",
        "veto",
        "risk",
    )
    for col in columns:
        table.add_column(
            col, justify="left" if col in ("id", "name", "segment", "renewal") else "right"
        )
    for r in rows:
        table.add_row(
            r["id"], r["name"], r["segment"] or "", _num(r["annual_value"], "{:,.0f}"),
            r["renewal_date"] or "", _num(r.get("axi"), "{:+.0f}"),
            f"{_num(r.get('axi_low'), '{:+.0f}')}…{_num(r.get('axi_high'), '{:+.0f}')}",
            _num(r.get("coverage"), "{:.0%}"), "at risk" if r.get("veto_risk") else "",
            _num(r.get("renewal_risk"), "{:.0%}"),
        )  # fmt: skip
    console.print(table)


def _num(value: Any, fmt: str) -> str:
    return "" if value is None else fmt.format(value)


def village_json(session: Any, account_id: str) -> dict[str, Any]:
    account = service.get_account(session, OPERATOR, account_id)
    out = AccountRead.model_validate(account).model_dump(mode="json")
    out["village"] = [
        {
            **ContactRead.model_validate(s.contact).model_dump(mode="json"),
            "active": s.active,
            "weight": s.weight,
            "weight_source": s.weight_source,
            "veto": s.veto,
            "latest_feedback": (
                FeedbackRead.model_validate(s.latest).model_dump(mode="json") if s.latest else None
            ),
        }
        for s in service.village(session, OPERATOR, account_id)
    ]
    return out


@app.command("show")
def show(
    account_id: str = typer.Argument(..., help="Account id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One account and its village: roles, influence, veto, latest feedback."""
    from accord.errors import NotFound

    try:
        with transaction() as session:
            data = village_json(session, account_id)
    except NotFound as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from None
    if as_json:
        _dump(data)
        return
    where = ", ".join(str(data[k]) for k in ("segment", "industry", "region"))
    console.print(f"[bold]{data['name']}[/bold] ({data['id']}) — {where}")
    console.print(
        f"Annual value {data['annual_value'] or 0:,.0f} · renewal {data['renewal_date']}"
        f" · owner {data['owner_email']}"
    )
    table = Table(title="Village")
    for col in ("stakeholder", "role", "weight", "veto", "status", "latest feedback"):
        table.add_column(col)
    for s in data["village"]:
        fb = s["latest_feedback"]
        latest = ""
        if fb:
            nps = f" NPS {fb['nps']}" if fb["nps"] is not None else ""
            latest = f"{fb['occurred_at'][:10]} {fb['channel']}{nps}: {(fb['text'] or '')[:60]}"
        status = "active" if s["active"] else f"left {s['active_to']}"
        table.add_row(
            f"{s['name']}\n[dim]{s['title'] or ''}[/dim]", s["role"],
            f"{s['weight']:.2f}" + ("*" if s["weight_source"] == "profile" else ""),
            "VETO" if s["veto"] else "", status, latest,
        )  # fmt: skip
    console.print(table)
    console.print("[dim]* weight from the influence profile (none recorded)[/dim]")
