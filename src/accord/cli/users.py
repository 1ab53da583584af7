"""``accord users create|token|password``."""

from __future__ import annotations

import secrets

import typer

from accord.auth import service
from accord.auth.access import OPERATOR
from accord.cli.console import console, err
from accord.db import transaction
from accord.errors import AccordError
from accord.vocabulary import UserRole

app = typer.Typer(help="Users and API tokens.", no_args_is_help=True)


def _fail(exc: AccordError) -> typer.Exit:
    err.print(f"[red]{exc.message}[/red]")
    return typer.Exit(code=1)


@app.command("create")
def create(
    email: str = typer.Argument(..., help="Login email."),
    role: UserRole = typer.Option(
        UserRole.viewer, help="admin, cx_manager, account_manager, team_member or viewer."
    ),
    team: str | None = typer.Option(
        None, help="A team member's team: support, logistics, quality, rnd, finance, sales."
    ),
    name: str = typer.Option("", help="Display name."),
    password: str | None = typer.Option(
        None, help="Password (≥ 10 characters); a random one is generated and printed if omitted."
    ),
) -> None:
    """Create a user."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        with transaction() as session:
            service.create_user(
                session, OPERATOR, email=email, password=password, role=role, name=name,
                team=team,
            )  # fmt: skip
    except AccordError as exc:
        raise _fail(exc) from None
    console.print(f"[green]Created {role.value} {email}[/green]")
    if generated:
        console.print(f"Password: {password}")


@app.command("password")
def set_password(
    email: str = typer.Argument(..., help="Login email."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Set a user's password."""
    try:
        with transaction() as session:
            service.set_password(session, OPERATOR, email, password)
    except AccordError as exc:
        raise _fail(exc) from None
    console.print(f"[green]Password set for {email}[/green]")


@app.command("token")
def token(
    email: str = typer.Argument(..., help="The user the token acts as."),
    name: str = typer.Option("cli", help="What the token is for."),
) -> None:
    """Create an API bearer token for a user (printed once)."""
    with transaction() as session:
        user = service.get_user_by_email(session, email)
        if user is None:
            raise _fail(AccordError(f"no user with email {email}"))
        value = service.create_api_token(session, OPERATOR, user, name)
    typer.echo(value)
