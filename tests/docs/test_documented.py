"""Documentation that cannot go stale: every CLI command and every setting is documented."""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli.main import app
from accord.config import Settings

DOCS = Path(__file__).parents[2] / "docs" / "operations.md"


def command_names(typer_app: typer.Typer, prefix: str = "accord") -> list[str]:
    names = []
    for cmd in typer_app.registered_commands:
        names.append(f"{prefix} {cmd.name or cmd.callback.__name__.replace('_', '-')}")  # type: ignore[union-attr]
    for group in typer_app.registered_groups:
        names += command_names(group.typer_instance, f"{prefix} {group.name}")  # type: ignore[arg-type]
    return names


def test_every_cli_command_is_documented() -> None:
    text = DOCS.read_text()
    missing = [name for name in command_names(app) if f"`{name}" not in text]
    assert not missing, f"add these to docs/operations.md: {missing}"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text()
    missing = [
        f"ACCORD_{n.upper()}" for n in Settings.model_fields if f"`ACCORD_{n.upper()}`" not in text
    ]
    assert not missing, f"add these to docs/operations.md: {missing}"
