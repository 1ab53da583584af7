"""The database side of importing one file: a temporary staging table, the checks that need the
whole file or the database (duplicate keys, references), and one set-based upsert.

Rows are converted in Python, then loaded into the staging table in batches (``executemany`` on
SQLite, ``COPY`` on PostgreSQL); everything after that is a handful of SQL statements over the
whole file, so no id set or row list ever lives in Python. The SQL is plain enough to run
unchanged on SQLite (≥ 3.39, for ``IS DISTINCT FROM``) and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from accord.imports.contract import Field, Kind
from accord.imports.report import FileReport

STAGE = "accord_import_stage"
BULK_ROWS = 50_000  # new rows from which SQLite rebuilds secondary indexes instead of updating them


def q(name: str) -> str:
    """Quote an identifier: columns such as ``text``, ``role`` and ``kind`` are SQL words."""
    return f'"{name}"'


class Stage:
    """One file's rows on their way into ``kind``'s table."""

    def __init__(self, conn: Connection, kind: Kind, fields: Sequence[Field]) -> None:
        self.conn = conn
        self.kind = kind
        self.sqlite = conn.dialect.name == "sqlite"
        self.mark = "?" if self.sqlite else "%s"  # the driver's paramstyle
        self.columns = [f.column for f in fields]
        self.staged = set(self.columns)
        self.table = q(kind.table.name)
        self.cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        self.cursor.execute(sql, params)
        return self.cursor

    def _scalar(self, sql: str) -> int:
        return int(self._execute(sql).fetchone()[0])

    def create(self) -> None:
        """The staging table: ``line`` and the file's columns, with the target's types (so that
        values compare exactly as they will be stored) but none of its constraints."""
        table, dialect = self.kind.table, self.conn.dialect
        columns = ", ".join(
            ["line INTEGER NOT NULL"]
            + [f"{q(c)} {table.c[c].type.compile(dialect=dialect)}" for c in self.columns]
        )
        if self.sqlite:
            self._execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
            self._execute(f"CREATE TEMP TABLE {STAGE} ({columns})")
        else:
            self._execute(f"DROP TABLE IF EXISTS pg_temp.{STAGE}")
            self._execute(f"CREATE TEMP TABLE {STAGE} ({columns}) ON COMMIT DROP")

    def load(self, rows: list[tuple[Any, ...]]) -> None:
        """Append converted rows, each ``(line, *values)`` in ``self.columns`` order."""
        if self.sqlite:
            marks = ", ".join([self.mark] * (len(self.columns) + 1))
            self.cursor.executemany(f"INSERT INTO {STAGE} VALUES ({marks})", rows)
        else:
            names = ", ".join(["line", *map(q, self.columns)])
            with self.cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def drop(self) -> None:
        if self.sqlite:  # PostgreSQL drops it at commit or rollback
            self._execute(f"DROP TABLE IF EXISTS temp.{STAGE}")

    def lock(self) -> None:
        """SQLite: take the write lock before reading the tables the checks join against.

        A transaction that reads first and writes later fails at once (SQLITE_BUSY, no waiting)
        if another connection wrote in between; one that starts with a write waits its turn
        (busy_timeout) and then sees a stable database. The statement changes nothing."""
        if self.sqlite:
            self._execute(f"DELETE FROM {self.table} WHERE 1 = 0")

    # -- checks ------------------------------------------------------------------------------

    def check_duplicates(self, report: FileReport) -> None:
        """Every row whose key appeared on an earlier line of the file."""
        key = self.kind.key
        if not self.staged.issuperset(key):
            return  # the header lacks a key column, already reported
        cols = ", ".join(map(q, key))
        groups = (
            f"SELECT {cols}, MIN(line) AS first_line, COUNT(*) AS n FROM {STAGE} "
            f"WHERE {' AND '.join(f'{q(k)} IS NOT NULL' for k in key)} "
            f"GROUP BY {cols} HAVING COUNT(*) > 1"
        )
        extra = self._scalar(f"SELECT COALESCE(SUM(n - 1), 0) FROM ({groups}) d")
        if not extra:
            return
        listed = self._execute(
            f"SELECT s.line, {', '.join(f's.{q(k)}' for k in key)}, d.first_line "
            f"FROM {STAGE} s JOIN ({groups}) d "
            f"ON {' AND '.join(f's.{q(k)} = d.{q(k)}' for k in key)} "
            f"WHERE s.line > d.first_line ORDER BY s.line LIMIT {max(report.room, 0)}"
        ).fetchall()
        fields = self.kind.key_fields
        label = "/".join(f.name for f in fields)
        for line, *values, first in listed:
            shown = values[0] if len(values) == 1 else "(" + ", ".join(map(str, values)) + ")"
            noun = "id" if key == ("id",) else "key"
            report.add_error(line, label, f"duplicate {noun} {shown}, first seen on line {first}")
        report.count_errors(extra - len(listed))

    def check_references(self, report: FileReport) -> None:
        """Unknown accounts, contacts and fulfilments, and a contact or fulfilment of another
        account than the row's. One pass finds out whether there is anything to report."""
        refs = [r for r in self.kind.references if r.column in self.staged]
        if not refs:
            return
        has_account = "account_id" in self.staged
        joins, problems = [], []
        for i, ref in enumerate(refs):
            alias, col = f"r{i}", f"s.{q(ref.column)}"
            joins.append(f"LEFT JOIN {q(ref.table)} {alias} ON {alias}.id = {col}")
            unknown = f"({col} IS NOT NULL AND {alias}.id IS NULL)"
            elsewhere = f"({alias}.account_id <> s.account_id)"
            problems.append((ref, alias, unknown, elsewhere if ref.same_account else None))
        conditions = [p[2] for p in problems] + [p[3] for p in problems if p[3] and has_account]
        total = self._scalar(
            f"SELECT COUNT(*) FROM {STAGE} s {' '.join(joins)} WHERE {' OR '.join(conditions)}"
        )
        if not total:
            return
        for (ref, alias, unknown, elsewhere), join in zip(problems, joins, strict=True):
            col = f"s.{q(ref.column)}"
            self._report(
                report,
                ref.column,
                f"SELECT s.line, {col} FROM {STAGE} s {join} WHERE {unknown}",
                lambda row, ref=ref: f"unknown {ref.noun} {row[1]}",
            )
            if elsewhere and has_account:
                self._report(
                    report,
                    ref.column,
                    f"SELECT s.line, {col}, {alias}.account_id, s.account_id "
                    f"FROM {STAGE} s {join} WHERE {elsewhere}",
                    lambda row, ref=ref: (
                        f"{ref.noun} {row[1]} belongs to account {row[2]}, not {row[3]}"
                    ),
                )

    def _report(self, report: FileReport, field: str, select: str, reason: Any) -> None:
        count = self._scalar(f"SELECT COUNT(*) FROM ({select}) x")
        if not count:
            return
        rows = self._execute(f"{select} ORDER BY s.line LIMIT {max(report.room, 0)}").fetchall()
        for row in rows:
            report.add_error(row[0], field, reason(row))
        report.count_errors(count - len(rows))

    # -- merge -------------------------------------------------------------------------------

    def merge(self, now: Any) -> tuple[int, int]:
        """Upsert the staged rows; returns (inserted, updated). A row whose values all equal the
        stored ones is not touched, so its ``updated_at`` stays: re-imports change nothing."""
        key, table = self.kind.key, self.table
        match = " AND ".join(f"t.{q(k)} = s.{q(k)}" for k in key)
        inserted = self._scalar(
            f"SELECT COUNT(*) FROM {STAGE} s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {table} t WHERE {match})"
        )
        rebuild = self._set_indexes_aside(inserted)
        values = [c for c in self.columns if c not in key]
        insert_cols = list(map(q, self.columns))
        select = list(map(q, self.columns))
        assignments = [f"{q(c)} = excluded.{q(c)}" for c in values]
        params: list[Any] = []
        if self.kind.timestamps:
            # created_at is written on insert only; updated_at only when something differs.
            insert_cols += ['"created_at"', '"updated_at"']
            select += [self.mark, self.mark]
            params += [now, now]
            assignments.append('"updated_at" = excluded."updated_at"')
        differs = " OR ".join(f"{table}.{q(c)} IS DISTINCT FROM excluded.{q(c)}" for c in values)
        # "WHERE true": SQLite would otherwise read ON CONFLICT as a join constraint.
        changed = self._execute(
            f"INSERT INTO {table} ({', '.join(insert_cols)}) "
            f"SELECT {', '.join(select)} FROM {STAGE} WHERE true "
            f"ON CONFLICT ({', '.join(map(q, key))}) DO UPDATE SET {', '.join(assignments)} "
            f"WHERE {differs}",
            params,
        ).rowcount
        for create in rebuild:
            self._execute(create)
        return inserted, changed - inserted

    def _set_indexes_aside(self, inserted: int) -> list[str]:
        """SQLite, big loads: drop the secondary indexes now and rebuild them after the insert.

        SQLite adds each row to each index one by one, at random places for columns such as
        account_id or occurred_at; past the page cache that costs several times more than the
        sort an index build does (measured: 20 s against 4 s for a million feedback rows). It
        pays when the load is large and at least as big as the table already is. All of it
        happens inside the file's transaction: readers keep seeing the old table, indexes and
        all, and a rollback puts the indexes back. Unique indexes stay: they enforce the keys.
        PostgreSQL keeps its indexes: its DDL would lock out readers for the whole load."""
        if not self.sqlite or inserted < BULK_ROWS:
            return []
        if inserted < self._scalar(f"SELECT COUNT(*) FROM {self.table}"):
            return []
        found = self._execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (self.kind.table.name,),
        ).fetchall()
        plain = [
            (n, sql) for n, sql in found if not sql.lstrip().upper().startswith("CREATE UNIQUE")
        ]
        for name, _ in plain:
            self._execute(f"DROP INDEX {q(name)}")
        return [sql for _, sql in plain]


def discard_stage(conn: Connection) -> None:
    """After a failed file: SQLite keeps a temporary table created before the transaction began
    (DDL does not open one), which would hold its disk space for the connection's life."""
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
        cursor.close()


def now_for(conn: Connection) -> Any:
    """The import's timestamp, naive UTC, in the database's storage format."""
    moment = datetime.now(UTC).replace(tzinfo=None)
    if conn.dialect.name == "sqlite":
        return moment.isoformat(" ", "microseconds")
    return moment
