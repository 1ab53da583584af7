"""``accord survey …``: load, list, export and import survey definitions; send the planned
invitations of a survey; print one invitation's link (docs/surveys.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

from accord.auth.access import OPERATOR
from accord.cli.console import console, err
from accord.db import transaction
from accord.errors import AccordError

survey_app = typer.Typer(help="Surveys: definitions and invitations.", no_args_is_help=True)


def _fail(exc: AccordError) -> typer.Exit:
    err.print(f"[red]{exc.message}[/red]", markup=True, highlight=False)
    return typer.Exit(code=1)


@survey_app.command("load")
def load(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="YAML/JSON files."),
) -> None:
    """Validate survey definitions (YAML or JSON) and create or replace them; a bad file stores
    nothing and names the question id and field."""
    from accord.listening import surveys

    for path in files:
        try:
            with transaction() as session:
                survey, created = surveys.load_file(session, OPERATOR, path)
                line = f"{'created' if created else 'updated'} survey {survey.id} ({survey.kind})"
        except AccordError as exc:
            err.print(f"[red]{path}: {exc.message}[/red]", markup=True, highlight=False)
            raise typer.Exit(code=1) from exc
        console.print(f"[green]{line}[/green] from {path}", highlight=False)


@survey_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the surveys with their kind, question count and state."""
    from accord.listening import surveys

    with transaction() as session:
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "kind": s.kind,
                "active": s.active,
                "questions": len(s.definition.get("questions", [])),
            }
            for s in surveys.list_surveys(session, OPERATOR)
        ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        state = "active" if r["active"] else "inactive"
        line = f"{r['id']:<28} {r['kind']:<13} {r['questions']:>3} questions  {state}"
        console.print(f"{line}  {r['name']}", highlight=False)


@survey_app.command("export")
def export(
    survey_id: str = typer.Argument(..., help="The survey's id."),
    out: Path | None = typer.Option(None, "--out", help="Write to this file (default: stdout)."),
) -> None:
    """Print (or write) a survey as JSON, for `accord survey import` or POST /api/surveys/import."""
    from accord.listening import surveys

    try:
        with transaction() as session:
            data = surveys.export_survey(session, OPERATOR, survey_id)
    except AccordError as exc:
        raise _fail(exc) from exc
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"[green]wrote {out}[/green]", highlight=False)


@survey_app.command("import")
def import_(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JSON export."),
) -> None:
    """Import a survey exported as JSON (create or replace)."""
    from accord.listening import surveys

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        err.print(f"[red]{path}: not JSON ({exc})[/red]", markup=True, highlight=False)
        raise typer.Exit(code=1) from exc
    try:
        with transaction() as session:
            survey, created = surveys.import_survey(session, OPERATOR, data)
            line = f"{'created' if created else 'updated'} survey {survey.id}"
    except AccordError as exc:
        raise _fail(exc) from exc
    console.print(f"[green]{line}[/green]", highlight=False)


@survey_app.command("send")
def send(
    survey: str = typer.Option(..., "--survey", help="The survey whose invitations to send."),
    retry_failed: bool = typer.Option(
        False, "--retry-failed", help="Also send again the invitations that failed before."
    ),
) -> None:
    """Email the planned invitations of a survey (planned by `accord sample --survey S`) over
    ACCORD_NOTIFY_SMTP_*; each gets its signed link. Failures are marked failed, not lost.
    Sent invitations past their expiry are marked expired first."""
    from accord.listening import invitations, surveys

    now = datetime.now(UTC).replace(tzinfo=None)
    try:
        with transaction() as session:
            surveys.get_survey(session, OPERATOR, survey)
            expired = invitations.expire_overdue(session, now, survey)
            todo = invitations.planned_invitations(session, survey, retry_failed=retry_failed)
            report = invitations.send_invitations(session, todo, now)
    except AccordError as exc:
        raise _fail(exc) from exc
    note = f"; {expired} unanswered past their expiry marked expired" if expired else ""
    console.print(f"[green]sent {len(report.sent)}[/green] invitation(s) of {survey}{note}",
                  highlight=False)  # fmt: skip
    if report.failed:
        err.print(f"[red]{len(report.failed)} failed[/red] (status failed; retry with "
                  "--retry-failed):", markup=True, highlight=False)  # fmt: skip
        for inv_id, error in list(report.failed.items())[:20]:
            err.print(f"  {inv_id}: {error}", markup=False, highlight=False)
        raise typer.Exit(code=1)


@survey_app.command("link")
def link(invitation_id: str = typer.Argument(..., help="The invitation's id.")) -> None:
    """Print an invitation's survey link (e.g. to send it by hand)."""
    from accord.listening.invitations import survey_link
    from accord.listening.models import Invitation

    with transaction() as session:
        found = session.get(Invitation, invitation_id) is not None
    if not found:
        err.print(f"[red]invitation {invitation_id!r} not found[/red]", markup=True)
        raise typer.Exit(code=1)
    typer.echo(survey_link(invitation_id))
