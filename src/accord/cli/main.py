"""The ``accord`` command line. Thin: every command calls the same services as the API."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import accounts, engagement, insights, leads, listening, loop, portal, text, users
from accord.cli import surveys as survey_cli
from accord.cli.console import console
from accord.db import get_engine

app = typer.Typer(
    name="accord",
    help="Accord: B2B customer experience management — hear the whole buying village.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(accounts.app, name="accounts")
app.add_typer(users.app, name="users")
app.add_typer(leads.app, name="leads")
app.add_typer(engagement.events_app, name="events")
app.add_typer(engagement.report_app, name="report")
app.add_typer(loop.tickets_app, name="tickets")
app.add_typer(loop.routing_app, name="routing")
app.add_typer(loop.digest_app, name="digest")
app.add_typer(loop.notify_app, name="notify")
app.add_typer(loop.loop_app, name="loop")
app.add_typer(portal.portal_app, name="portal")
app.add_typer(survey_cli.survey_app, name="survey")
app.command("drivers")(insights.drivers)
app.command("kpi-gap")(insights.kpi_gap)
app.command("segments")(insights.segments)
app.command("classify")(text.classify)
app.command("sample")(listening.sample)
app.command("ingest-mail")(listening.ingest_mail)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or migrate the database schema (ACCORD_DATABASE_URL, default ./accord.db)."""
    from accord.migrations import upgrade

    upgrade(get_engine(), revision)
    console.print(f"[green]Database at {revision}[/green]: {get_engine().url.render_as_string()}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    reload: bool = typer.Option(False, help="Restart on code changes (development)."),
) -> None:
    """Serve the web UI and the API (OpenAPI at /docs)."""
    import uvicorn

    uvicorn.run("accord.api.app:create_app", factory=True, host=host, port=port, reload=reload)


@app.command()
def generate(
    out: Path = typer.Option(Path("demo-world"), help="Folder to write the files into."),
    accounts: int = typer.Option(240, min=1, help="Number of accounts."),
    seed: int = typer.Option(7, help="Random seed: the same seed gives the same world."),
) -> None:
    """Write a synthetic B2B world (the import contract's files) and its planted truth.json."""
    from accord.synthetic import generate_world

    summary = generate_world(out, accounts=accounts, seed=seed)
    console.print(f"[green]Synthetic world written to {out}[/green]")
    for name, count in summary.counts.items():
        console.print(f"  {name:<20} {count:>8,}")


@app.command("import")
def import_command(
    paths: list[Path] = typer.Argument(..., exists=True, dir_okay=True, help="Files or folders."),
) -> None:
    """Import CSV, JSONL or XLSX files (accounts, contacts, opportunities, fulfilments, feedback,
    influence_profiles). One transaction per file; every bad row is reported as
    file:line: field: reason, and a bad file changes nothing."""
    from accord.cli.importing import run_import

    report = run_import(get_engine(), paths, console)
    if not report.ok:
        raise typer.Exit(code=1)


@app.command()
def demo(
    accounts: int = typer.Option(240, min=1, help="Number of synthetic accounts."),
    seed: int = typer.Option(7, help="Random seed."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Serve when seeded."),
    out: Path = typer.Option(Path("demo-world"), help="Where the generated files go."),
) -> None:
    """Seed a synthetic B2B world into the database, create demo users, and serve."""
    from accord.cli.demo import seed_demo

    url = f"http://{host}:{port}"
    seed_demo(get_engine(), out=out, accounts=accounts, seed=seed, console=console, url=url)
    if serve_after:
        serve(host=host, port=port, reload=False)


def main() -> None:
    app()
