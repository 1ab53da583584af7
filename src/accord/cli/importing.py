"""``accord import`` with a Rich progress bar and the error listing."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from accord.imports import ImportReport, import_files

IMPORTABLE = (".csv", ".jsonl", ".ndjson", ".xlsx")


def expand(paths: list[Path]) -> list[Path]:
    """Folders stand for the importable files inside them."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in IMPORTABLE))
        else:
            out.append(path)
    return out


def run_import(engine: Engine, paths: list[Path], console: Console) -> ImportReport:
    files = expand(paths)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("importing", total=None)

        def on_progress(name: str, rows: int) -> None:
            progress.update(task, description=f"importing {name}", completed=rows)

        report = import_files(engine, files, progress=on_progress)
    for f in report.files:
        if f.ok:
            console.print(
                f"[green]✓[/green] {f.path} ({f.kind}): {f.rows:,} rows — "
                f"{f.inserted:,} new, {f.updated:,} updated, {f.unchanged:,} unchanged"
            )
        else:
            console.print(
                f"[red]✗[/red] {f.path} ({f.kind}): {f.error_count:,} bad rows; nothing imported"
            )
            for e in f.errors:
                console.print(f"  {e}", markup=False, highlight=False)
            if f.error_count > len(f.errors):
                console.print(f"  … and {f.error_count - len(f.errors):,} more")
    return report
