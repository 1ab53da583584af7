"""``accord sample`` and ``accord ingest-mail``: plan whom a survey invites, and turn customer
emails into feedback. Both act as the local operator; ``--now`` (ISO time, UTC) stands in for
the clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from accord.auth.access import OPERATOR
from accord.cli.console import console, err
from accord.db import get_engine, transaction
from accord.errors import AccordError


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


def _now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC).replace(tzinfo=None)
    when = datetime.fromisoformat(value)
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def ingest_mail(
    paths: list[Path] = typer.Argument(..., exists=True, help=".eml files, mbox files or folders."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Report what would be stored; store nothing."
    ),
) -> None:
    """Turn customer emails into feedback: match each sender to a contact (by address) or an
    account (by domain); idempotent by Message-ID; one transaction per file. Exit code 1 when a
    message was malformed (it is listed; the others are still stored)."""
    from accord.listening.mail import ingest_mail as run

    report = run(get_engine(), OPERATOR, paths, dry_run=dry_run)
    if as_json:
        _dump(report.to_dict())
    else:
        verb = "would store" if dry_run else "stored"
        console.print(
            f"{report.files} file(s), {report.messages} message(s): [green]{verb} "
            f"{len(report.stored)}[/green], {len(report.duplicates)} already stored, "
            f"[yellow]{len(report.unmatched)} unmatched[/yellow], "
            f"[red]{len(report.malformed)} malformed[/red]",
            highlight=False,
        )
        if report.stored:
            table = Table(title=f"{verb.capitalize()}")
            for col in ("file:message", "sender", "account", "contact", "matched by"):
                table.add_column(col)
            for r in report.stored:
                table.add_row(f"{r['file']}:{r['message']}", r["sender"], r["account_id"],
                              r["contact_id"] or "—", r["matched_by"])  # fmt: skip
            console.print(table)
        for r in report.unmatched:
            console.print(f"[yellow]unmatched[/yellow] {r['file']}:{r['message']}: {r['reason']}",
                          highlight=False)  # fmt: skip
        for r in report.malformed:
            err.print(f"[red]malformed[/red] {r['file']}:{r['message']}: {r['reason']}",
                      highlight=False)  # fmt: skip
    if not report.ok:
        raise typer.Exit(code=1)


def sample(
    survey: str = typer.Option(..., "--survey", help="The survey id to plan invitations for."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan; create no invitations."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    now: str | None = typer.Option(None, "--now", help="The time to plan at (ISO, UTC)."),
    limit: int = typer.Option(40, min=0, help="Picks to list in the table (all with --json)."),
) -> None:
    """Plan whom a survey invites: cover each account's influence weight (veto holders first,
    unheard roles next, every role of every segment), within the fatigue rules and caps; every
    pick and notable exclusion explained. Without --dry-run the picks become planned invitations
    (send them with the surveys' own command)."""
    from accord.listening import sampling_service

    try:
        with transaction() as session:
            plan = sampling_service.plan_survey(
                session, OPERATOR, survey, _now(now), dry_run=dry_run
            )
            out = plan.to_dict()
    except AccordError as exc:
        err.print(f"[red]{exc.message}[/red]", highlight=False)
        raise typer.Exit(code=1) from exc
    if as_json:
        _dump(out)
        return
    _print_plan(out, limit, dry_run)


def _print_plan(out: dict[str, Any], limit: int, dry_run: bool) -> None:
    picks = out["picks"]
    title = f"{out['survey_id']} ({out['kind']}): {len(picks)} invitation(s)"
    if out["carried"]:
        title += f" besides {len(out['carried'])} already invited"
    table = Table(title=title + (" — dry run" if dry_run else " — planned"))
    for col in ("account", "contact", "role", "weight", "reason"):
        table.add_column(col, overflow="fold")
    for p in picks[:limit]:
        table.add_row(
            p["account_id"], p["contact_id"], p["role"], f"{p['weight']:.2f}", p["reason"]
        )
    console.print(table)
    if len(picks) > limit:
        console.print(f"… and {len(picks) - limit} more (--json lists them all)")
    summary = Table(title="Coverage of the influence weight")
    columns = ("", "invitations", "by role (AXI)", "pooled", "account mean", "value weighted")
    for col in columns:
        summary.add_column(col)
    for key, name in (("plan", "this plan"), ("everyone", "invite everyone who transacted")):
        c = out["coverage"][key]
        summary.add_row(
            name, f"{c['invitations']:,}", f"{c['roles_portfolio']:.1%}", f"{c['portfolio']:.1%}",
            f"{c['account_mean']:.1%}", f"{c['value_weighted']:.1%}",
        )  # fmt: skip
    console.print(summary)
    counts = out["exclusion_counts"]
    if counts:
        console.print(
            "Not invited: " + ", ".join(f"{n} {why}" for why, n in sorted(counts.items()))
        )
    notable = [e for e in out["exclusions"] if e["why"] not in ("departed", "not_yet_active")]
    for e in notable[:limit]:
        console.print(f"  ✗ {e['note']}", highlight=False)
    if len(notable) > limit:
        console.print(f"  … and {len(notable) - limit} more exclusions (--json lists them all)")
    for note in out["notes"][:limit]:
        console.print(f"  · {note}", highlight=False)
