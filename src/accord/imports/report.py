"""What an import tells its caller: per file, the counts and every bad row as ``file:line: field:
reason``. Plain dataclasses, so the CLI prints them and the API returns ``to_dict()`` as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A file with a million bad rows must not hold a million messages in memory (or send them over
# HTTP): the first ERROR_CAP errors found are kept, ``error_count`` stays exact.
ERROR_CAP = 1000


@dataclass(frozen=True, slots=True)
class RowError:
    """One reason a row (or the file, on line 1 for the header) was refused."""

    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "reason": self.reason,
            "message": str(self),
        }


@dataclass
class FileReport:
    """The outcome of one file. A file with any error is rolled back: its counts stay 0."""

    path: str
    kind: str | None = None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, line: int, field_name: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < ERROR_CAP:
            self.errors.append(RowError(self.path, line, field_name, reason))

    def count_errors(self, n: int) -> None:
        """Errors found beyond what was listed (counted in SQL, not fetched)."""
        self.error_count += n

    @property
    def room(self) -> int:
        """How many more errors may still be listed."""
        return ERROR_CAP - len(self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "ok": self.ok,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "errors": [e.to_dict() for e in self.errors],
        }


@dataclass
class ImportReport:
    """All files of one import call, in the order they were given."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def errors(self) -> list[RowError]:
        return [e for f in self.files for e in f.errors]

    @property
    def error_count(self) -> int:
        return sum(f.error_count for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "error_count": self.error_count,
            "files": [f.to_dict() for f in self.files],
        }
