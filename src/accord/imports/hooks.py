"""Building blocks for a kind's ``Hooks`` (see ``contract.Hooks``): SQL over the staging table
that runs unchanged on SQLite and PostgreSQL, and two column types the newer kinds need.

* ``keep_stored`` — an empty cell keeps the value Accord already holds (a column Accord fills
  in itself, such as the account a lead was matched to), so re-importing a file changes nothing.
* ``changed_keys`` — the keys of staged rows that are new or differ from the stored row: what
  the follow-up work (matching, scoring) has to look at.
* ``report_rows`` — report the rows a query finds, with their lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, text

from accord.imports.convert import ColumnType, Invalid
from accord.imports.report import FileReport
from accord.imports.staging import STAGE, Stage, q

_WHOLE = re.compile(r"\s*[+]?\d+\s*", re.ASCII)


def _match(stage: Stage) -> str:
    return " AND ".join(f"t.{q(k)} = {STAGE}.{q(k)}" for k in stage.kind.key)


def keep_stored(conn: Connection, stage: Stage, columns: Iterable[str], when: str = "") -> None:
    """Where a staged cell is empty (or, with ``when``, where the stored row meets ``when``,
    written over ``t``), take the stored row's value."""
    table = q(stage.kind.table.name)
    for column in columns:
        if column not in stage.staged:
            continue
        stored = f"(SELECT t.{q(column)} FROM {table} t WHERE {_match(stage)})"
        if when:
            condition = f"EXISTS (SELECT 1 FROM {table} t WHERE {_match(stage)} AND {when})"
        else:
            condition = f"{q(column)} IS NULL"
        conn.execute(text(f"UPDATE {STAGE} SET {q(column)} = {stored} WHERE {condition}"))


def changed_keys(conn: Connection, stage: Stage) -> list[Any]:
    """Keys (the first key column) of staged rows that are new or differ from what is stored."""
    key = stage.kind.key
    table = q(stage.kind.table.name)
    values = [c for c in stage.columns if c not in key]
    on = " AND ".join(f"t.{q(k)} = s.{q(k)}" for k in key)
    differs = " OR ".join(f"s.{q(c)} IS DISTINCT FROM t.{q(c)}" for c in values) or "false"
    rows = conn.execute(
        text(
            f"SELECT s.{q(key[0])} FROM {STAGE} s LEFT JOIN {table} t ON {on} "
            f"WHERE t.{q(key[0])} IS NULL OR {differs}"
        )
    )
    return [r[0] for r in rows]


def report_rows(
    conn: Connection,
    report: FileReport,
    field: str,
    select: str,
    reason: Callable[[Sequence[Any]], str],
) -> None:
    """Report every row ``select`` finds (its first column must be ``line``)."""
    rows = conn.execute(text(f"SELECT * FROM ({select}) x ORDER BY 1")).all()
    for row in rows[: max(report.room, 0)]:
        report.add_error(row[0], field, reason(row))
    report.count_errors(max(0, len(rows) - max(report.room, 0)))


class WholeNumber(ColumnType):
    """A whole number ≥ 0 (counts, employees); ``12.0`` from Excel or JSON is 12."""

    def one(self, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and _WHOLE.fullmatch(value):
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        if isinstance(value, float) and value.is_integer() and value >= 0:
            return int(value)
        raise Invalid(f"expected a whole number ≥ 0, got {value!r}")


class TagList(ColumnType):
    """Tags separated by ``;``, stored in one canonical form: trimmed, single spaces, lower
    case, first occurrence kept, joined by ``"; "``. With ``allowed``, every tag must be one."""

    def __init__(
        self, *, sqlite: bool, max_len: int = 100, allowed: Sequence[str] | None = None
    ) -> None:
        super().__init__(sqlite=sqlite)
        self.max_len = max_len
        self.allowed = tuple(allowed) if allowed is not None else None

    def one(self, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise Invalid(f"expected tags separated by ';', got {value!r}")
        tags: list[str] = []
        for part in value.split(";"):
            tag = " ".join(part.split()).lower()
            if not tag or tag in tags:
                continue
            if len(tag) > self.max_len:
                raise Invalid(f"the tag {tag[:20]!r}… is longer than {self.max_len} characters")
            if self.allowed is not None and tag not in self.allowed:
                raise Invalid(f"{tag!r} is not one of {', '.join(self.allowed)}")
            tags.append(tag)
        return "; ".join(tags) or None
