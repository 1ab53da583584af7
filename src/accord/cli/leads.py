"""``accord leads …``: the pipeline, one lead's score explained, the work lists, the report, and
the lead definition (show, set a new version, list versions, re-score)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from accord.auth.access import OPERATOR
from accord.cli.console import console, err
from accord.db import transaction
from accord.errors import AccordError
from accord.leads import reports, service, stages
from accord.leads.models import LeadStage
from accord.leads.schemas import DefinitionIn, LeadFilter, LeadRead

app = typer.Typer(
    help="Leads: the shared definition, scores, hand-off and report.", no_args_is_help=True
)
definition_app = typer.Typer(help="The lead definition and its versions.", no_args_is_help=True)
app.add_typer(definition_app, name="definition")


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


def _fail(exc: AccordError) -> typer.Exit:
    err.print(f"[red]{exc.message}[/red]", markup=True, highlight=False)
    return typer.Exit(code=1)


@app.command("list")
def list_leads(
    stage: LeadStage | None = typer.Option(None, help="Only this stage."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    limit: int = typer.Option(50, min=1, help="At most this many (highest score first)."),
) -> None:
    """List leads, highest score first."""
    with transaction() as session:
        page = service.list_leads(session, OPERATOR, LeadFilter(stage=stage), limit=limit)
        rows = [LeadRead.model_validate(x).model_dump(mode="json") for x in page.items]
    if as_json:
        _dump(rows)
        return
    table = Table(title=f"{page.total:,} leads")
    for col in ("id", "company", "source", "stage", "score", "v", "account"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["id"], r["company"], r["source"], r["stage"], str(r["score"] or ""),
            str(r["definition_version"] or ""), r["account_id"] or "",
        )  # fmt: skip
    console.print(table)


@app.command("show")
def show(
    lead_id: str = typer.Argument(..., help="Lead id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One lead, its score explained rule by rule, and its score history."""
    try:
        with transaction() as session:
            view = service.lead_view(session, OPERATOR, lead_id)
            data = {
                "lead": LeadRead.model_validate(view.lead).model_dump(mode="json"),
                "explanation": view.explanation,
                "history": [
                    {"version": h.definition_version, "score": h.score, "at": str(h.scored_at)}
                    for h in view.history
                ],
                "due_at": view.due_at,
            }
    except AccordError as exc:
        raise _fail(exc) from None
    if as_json:
        _dump(data)
        return
    lead = data["lead"]
    console.print(f"[bold]{lead['company']}[/bold] ({lead['id']}) — {lead['stage']}")
    table = Table(title=f"Score {lead['score']} under version {lead['definition_version']}")
    for col in ("rule", "because", "points"):
        table.add_column(col, justify="right" if col == "points" else "left")
    for part in data["explanation"]:
        table.add_row(part["label"], part["reason"], str(part["points"]))
    table.add_row(
        "[bold]score[/bold]", "", f"[bold]{sum(p['points'] for p in data['explanation'])}[/bold]"
    )
    console.print(table)
    for h in data["history"][1:]:
        console.print(f"  earlier: {h['score']} under version {h['version']} ({h['at'][:16]})")


@app.command("rescore")
def rescore(
    include_closed: bool = typer.Option(False, "--all", help="Also converted and disqualified."),
) -> None:
    """Re-score open leads under the current definition (earlier scores are kept)."""
    with transaction() as session:
        outcome = service.rescore(session, OPERATOR, include_closed=include_closed)
        version = service.current_definition(session).version
    console.print(
        f"Re-scored {outcome.scored:,} leads under version {version}; "
        f"{outcome.stage_changes:,} changed stage."
    )


@app.command("overdue")
def overdue(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """sql leads sales has not accepted or rejected within the hand-off SLA."""
    with transaction() as session:
        rows = [
            {"lead": o.lead.id, "company": o.lead.company, "owner": o.lead.owner_email,
             "due_at": str(o.due_at), "hours_overdue": o.hours_overdue}
            for o in stages.overdue(session, OPERATOR)
        ]  # fmt: skip
    if as_json:
        _dump(rows)
        return
    for r in rows:
        console.print(
            f"{r['lead']}  {r['company']}  {r['owner'] or 'unassigned'}  "
            f"{r['hours_overdue']:.0f} h overdue"
        )
    console.print(f"{len(rows)} overdue")


@app.command("nurture")
def nurture(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    limit: int = typer.Option(50, min=1, help="At most this many."),
) -> None:
    """Nurturing leads closest to mql first, and what each is missing."""
    with transaction() as session:
        rows = [
            {"lead": n.lead.id, "company": n.lead.company, "score": n.score, "to_mql": n.to_mql,
             "reachable": n.reachable, "missing": [f"{g.action} (+{g.points})" for g in n.gaps]}
            for n in stages.nurture_queue(session, OPERATOR, limit=limit)
        ]  # fmt: skip
    if as_json:
        _dump(rows)
        return
    for r in rows:
        console.print(
            f"{r['lead']}  {r['company']}  {r['score']} (+{r['to_mql']} to mql): "
            + "; ".join(r["missing"])
        )


@app.command("report")
def report(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Conversion by score band and source, rejected reasons, pain points, calibration."""
    with transaction() as session:
        data = reports.report_dict(reports.marketing_report(session, OPERATOR))
    if as_json:
        _dump(data)
        return
    console.print(f"[bold]{data['leads']} leads[/bold]")
    for band in data["conversion_by_score_band"]:
        rate = f"{band['rate']:.0%}" if band["rate"] is not None else "—"
        console.print(
            f"  score {band['label']:>8}: {band['converted']:>4} of {band['decided']:>4} "
            f"decided converted ({rate})"
        )
    console.print(data["calibration"]["verdict"])
    console.print(
        "Top pain points: "
        + ", ".join(f"{p['tag']} ({p['count']})" for p in data["pain_points"][:5])
    )


@definition_app.command("show")
def definition_show(
    version: int | None = typer.Option(None, help="This version (default: current)."),
) -> None:
    """Print a version of the definition (YAML)."""
    try:
        with transaction() as session:
            row = (
                service.get_definition(session, version)
                if version
                else service.current_definition(session)
            )
            typer.echo(row.yaml, nl=False)
    except AccordError as exc:
        raise _fail(exc) from None


@definition_app.command("set")
def definition_set(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="A YAML file."),
    note: str | None = typer.Option(None, help="What changed."),
    rescore_leads: bool = typer.Option(True, "--rescore/--no-rescore", help="Re-score open leads."),
) -> None:
    """Save a YAML file as the definition's next version (and re-score open leads)."""
    try:
        with transaction() as session:
            row, outcome = service.save_definition(
                session,
                OPERATOR,
                DefinitionIn(yaml=path.read_text("utf-8"), note=note, rescore=rescore_leads),
            )
            version = row.version
    except AccordError as exc:
        raise _fail(exc) from None
    console.print(f"[green]Saved version {version}[/green]")
    if outcome:
        console.print(
            f"Re-scored {outcome.scored:,} leads; {outcome.stage_changes:,} changed stage."
        )


@definition_app.command("versions")
def definition_versions() -> None:
    """Every version: when, by whom, why."""
    with transaction() as session:
        for row in service.list_definitions(session):
            console.print(
                f"v{row.version}  {str(row.created_at)[:16]}  {row.created_by}  {row.note or ''}"
            )
