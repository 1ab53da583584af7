"""``accord drivers``, ``accord kpi-gap``, ``accord segments``: portfolio insights.

The insights are imported inside each command: they pull in scikit-learn and SciPy, which the
other commands need not load."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.cli.console import console, err
from accord.db import transaction
from accord.errors import AccordError


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


def _read(compute: Callable[[Session], Any]) -> Any:
    """Run ``compute`` in a transaction; a domain error is printed and exits with 1."""
    try:
        with transaction() as session:
            return compute(session)
    except AccordError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from None


def drivers(
    target: str = typer.Option("renewal", help="Booking outcome: renewal or rebuy."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Key driver analysis: relative weights (Johnson 2000) of the six drivers on an outcome,
    with bootstrap intervals, beside the plain correlation ranking."""
    from accord.insights import service
    from accord.insights.views import drivers_view

    view = _read(lambda s: drivers_view(service.key_drivers(s, OPERATOR, target=target)))
    if as_json:
        _dump(view)
        return
    table = Table(title=f"Drivers of {target}: R² = {view['r2']:.3f} (n = {view['n']})")
    for col in ("rank", "driver", "importance", "95% interval", "share of R²", "r", "r rank"):
        table.add_column(col, justify="left" if col == "driver" else "right")
    for d in view["drivers"]:
        table.add_row(
            str(d["rank"]), d["driver"], f"{d['importance']:.3f}",
            f"{d['ci_low']:.3f}–{d['ci_high']:.3f}", f"{d['share_of_r2'] or 0:.0f}%",
            f"{d['r']:+.2f}", str(d["correlation_rank"]),
        )  # fmt: skip
    console.print(table)
    console.print(f"[dim]{view['method']}[/dim]")


def kpi_gap(
    by: str = typer.Option("region", help="region, owner_email (the account team) or segment."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Reported vs measured on-time rate vs scenario NPS; flags beautified reporting."""
    from accord.insights import service
    from accord.insights.views import records

    rows = _read(lambda s: records(service.kpi_gaps(s, OPERATOR, by=by)))
    if as_json:
        _dump(rows)
        return
    table = Table(title=f"KPI gap by {by}")
    for col in (by, "delivered", "reported on time", "measured on time", "gap", "scenario NPS", ""):
        table.add_column(col, justify="left" if col == by else "right")
    for r in rows:
        table.add_row(
            str(r[by]), f"{r['delivered']:,}", f"{r['reported_on_time_rate']:.1%}",
            f"{r['measured_on_time_rate']:.1%}", f"{r['gap']:+.1%}",
            "" if r["scenario_nps"] is None else f"{r['scenario_nps']:+.0f}",
            "[red]beautified[/red]" if r["beautified"] else "",
        )  # fmt: skip
    console.print(table)


def segments(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Needs-and-behaviour segments of the accounts, described in words with their drivers."""
    from accord.insights import service
    from accord.insights.views import segments_view

    view = _read(lambda s: segments_view(service.segments(s, OPERATOR)))
    if as_json:
        _dump(view)
        return
    console.print(f"[bold]{view['k']} segments[/bold] ({view['criterion']})")
    for s in view["segments"]:
        console.print(f"\n[bold]Segment {s['cluster']}[/bold] · {s['accounts']} accounts")
        console.print(s["description"])
        console.print(f"Top drivers: {', '.join(s['top_drivers'])}")
