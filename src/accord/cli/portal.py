"""``accord portal link``: mint a signed, expiring customer-portal link (``docs/loop.md``)."""

from __future__ import annotations

import typer

from accord.auth.access import OPERATOR, account_for
from accord.cli.console import err
from accord.db import transaction
from accord.errors import AccordError
from accord.loop.portal import portal_link

portal_app = typer.Typer(help="The customer portal: signed links.", no_args_is_help=True)


@portal_app.command("link")
def link(
    account_id: str = typer.Argument(..., help="The account the link shows."),
    days: int = typer.Option(30, "--days", min=1, max=365, help="Days the link stays valid."),
    contact: str | None = typer.Option(None, "--contact", help="The contact it is meant for."),
) -> None:
    """Print a portal URL for one account (no login; valid for --days days)."""
    try:
        with transaction() as session:
            account_for(session, OPERATOR, account_id)
            if contact is not None:
                from accord.accounts.models import Contact

                found = session.get(Contact, contact)
                if found is None or found.account_id != account_id:
                    err.print(f"[red]contact {contact!r} not found on {account_id}[/red]")
                    raise typer.Exit(code=1)
    except AccordError as exc:
        err.print(f"[red]{exc.message}[/red]", markup=True, highlight=False)
        raise typer.Exit(code=1) from exc
    typer.echo(portal_link(account_id, days=days, contact_id=contact))
