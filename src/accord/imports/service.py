"""The import run: tell each file's kind, take the files in dependency order, and import each in
its own transaction — all of it or none of it.

A file is read in batches; each batch is converted column by column (``convert.py``), its bad
cells reported with their line, and the rest loaded into a staging table (``staging.py``), where
SQL finds duplicate keys and dangling references and finally upserts. Any error rolls the file
back; the other files of the call are unaffected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert
from sqlalchemy.exc import DBAPIError

from accord.auth.models import AuditEntry
from accord.imports.contract import (
    KIND_ORDER,
    Field,
    Kind,
    kind_from_header,
    kind_from_name,
    kinds,
)
from accord.imports.readers import Reader, ReadError, file_format, open_reader
from accord.imports.report import FileReport, ImportReport
from accord.imports.staging import Stage, discard_stage, now_for

BATCH = 10_000  # rows per conversion and load step: big enough to amortise, small to stay flat

Progress = Callable[[str, int], None]


@dataclass
class _File:
    path: Path
    report: FileReport
    fmt: str | None = None


def import_files(
    engine: Engine,
    paths: Sequence[Path],
    *,
    actor: str = "cli",
    progress: Progress | None = None,
    display_names: dict[Path, str] | None = None,
) -> ImportReport:
    """Import CSV, JSONL and XLSX files; see ``docs/import.md`` for the contract.

    ``progress(name, rows)`` is called as each file's rows are read. ``display_names`` gives the
    name to report (and to tell the kind by) for paths that are not the user's own, such as
    uploaded temporary files. The report lists the files in the order given.
    """
    names = display_names or {}
    files = [_identify(Path(p), names.get(Path(p)) or str(p)) for p in paths]
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    ordered = sorted(files, key=lambda f: rank.get(f.report.kind or "", -1))  # stable
    with engine.connect() as conn:
        for file in ordered:
            if file.report.ok:
                _import_file(conn, file, actor, progress)
    return ImportReport([f.report for f in files])


def _identify(path: Path, name: str) -> _File:
    """Format from the extension; kind from the name, else from the header."""
    file = _File(path, FileReport(path=name))
    file.fmt = file_format(name) or file_format(path.name)
    if file.fmt is None:
        file.report.add_error(0, "file", "unsupported file type; expected .csv, .jsonl or .xlsx")
        return file
    kind = kind_from_name(name)
    if kind is None:
        try:
            with open_reader(path, file.fmt) as reader:
                header = reader.header()
            if header is not None and reader.normalise_header:
                header = [h.strip().lower() for h in header]
            kind = kind_from_header(header) if header else None
        except (ReadError, OSError):
            kind = None  # the file is unreadable too; saying which kind we need comes first
    if kind is None:
        file.report.add_error(
            1,
            "file",
            "cannot tell what this file holds: name it after its kind ("
            + ", ".join(KIND_ORDER)
            + "), e.g. 2026_feedback.csv, or give it a header with an id column",
        )
    file.report.kind = kind
    return file


def _import_file(conn: Connection, file: _File, actor: str, progress: Progress | None) -> None:
    report = file.report
    kind = kinds(conn.dialect.name == "sqlite")[report.kind or ""]
    dbapi_error: Any = conn.dialect.loaded_dbapi.Error
    try:
        with open_reader(file.path, file.fmt or "") as reader, conn.begin() as tx:
            stage = _stage_file(conn, reader, kind, report, progress)
            prepared = None
            if stage is not None and kind.hooks is not None:  # its checks report too
                prepared = kind.hooks.before_merge(conn, stage, report)
            if stage is None or not report.ok:
                tx.rollback()
            else:
                inserted, updated = stage.merge(now_for(conn))
                if kind.hooks is not None:
                    kind.hooks.after_merge(conn, stage, prepared, actor)
                report.inserted, report.updated = inserted, updated
                report.unchanged = report.rows - inserted - updated
                _audit(conn, report, actor)
                stage.drop()
                tx.commit()
    except ReadError as exc:
        report.add_error(exc.line, exc.field, exc.reason)
    except OSError as exc:
        report.add_error(0, "file", f"cannot read the file: {exc.strerror or exc}")
    except (DBAPIError, dbapi_error) as exc:
        # A constraint the contract should have caught, or the database went away: the file is
        # rolled back like any bad file, and the message says what the database said.
        message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        report.add_error(0, "database", f"the database refused the file: {message}")
    finally:
        if not report.ok:
            report.inserted = report.updated = report.unchanged = 0
        with suppress(dbapi_error):  # cleaning up must not hide what went wrong
            if not conn.in_transaction():
                discard_stage(conn)  # SQLite creates it outside the rolled-back transaction
        report.errors.sort(key=lambda e: e.line)
    if progress:
        progress(report.path, report.rows)


def _header_fields(
    kind: Kind, header: list[str], line: int, normalise: bool, report: FileReport
) -> list[tuple[int, Field]]:
    """Which position holds which field; header errors are reported on the header's line."""
    names = [h.strip().lower() for h in header] if normalise else header
    seen: dict[str, int] = {}
    fields: list[tuple[int, Field]] = []
    for i, name in enumerate(names):
        if not name:
            report.add_error(line, f"column {i + 1}", "the header cell is empty")
            continue
        if name in seen:
            report.add_error(line, name, f"duplicate column (also column {seen[name] + 1})")
            continue
        seen[name] = i
        field = kind.field(name)
        if field is None:
            allowed = ", ".join(f.name for f in kind.fields)
            report.add_error(line, name, f"unknown column; {kind.name} files have {allowed}")
            continue
        fields.append((i, field))
    for field in kind.fields:
        if field.required and field.name not in seen:
            report.add_error(line, field.name, "missing required column")
    return fields


def _stage_file(
    conn: Connection, reader: Reader, kind: Kind, report: FileReport, progress: Progress | None
) -> Stage | None:
    """Read, convert and stage every row, then run the whole-file checks."""
    header = reader.header()
    if header is None:
        report.add_error(1, "file", "no header row: the file is empty or its first line is blank")
        return None
    fields = _header_fields(kind, header, reader.header_line, reader.normalise_header, report)
    stage = Stage(conn, kind, [f for _, f in fields])
    stage.create()
    for lines, rows in reader.batches(header, report.add_error, BATCH):
        stage.load(_convert(fields, lines, rows, reader.typed, report))
        report.rows += len(rows)
        if progress:
            progress(report.path, report.rows)
    stage.lock()
    stage.check_duplicates(report)
    stage.check_references(report)
    return stage


def _convert(
    fields: list[tuple[int, Field]],
    lines: Sequence[int],
    rows: list[Sequence[Any]],
    typed: bool,
    report: FileReport,
) -> list[tuple[Any, ...]]:
    """One batch, column by column; bad cells are reported and staged as NULL, so that the
    whole-file checks still see the row."""
    converted = []
    for position, field in fields:
        values, errors = field.type.convert(list(map(itemgetter(position), rows)), typed)
        bad = set()
        for i, reason in errors:
            report.add_error(lines[i], field.name, reason)
            bad.add(i)
        if (field.not_empty or field.default is not None) and None in values:
            for i, value in enumerate(values):
                if value is None and i not in bad:
                    if field.not_empty:
                        report.add_error(lines[i], field.name, "a value is required")
                    else:
                        values[i] = field.default
        converted.append(values)
    return list(zip(lines, *converted, strict=True))


def _audit(conn: Connection, report: FileReport, actor: str) -> None:
    counts = {
        "rows": report.rows,
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    conn.execute(
        insert(AuditEntry).values(
            at=datetime.now(UTC).replace(tzinfo=None),
            actor=actor,
            action="import",
            entity=report.kind,
            after={"file": report.path, **counts},
            detail=f"{report.path}: {report.rows} rows; {report.inserted} inserted, "
            f"{report.updated} updated, {report.unchanged} unchanged",
        )
    )
