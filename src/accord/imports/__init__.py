"""Import accounts, contacts, opportunities, fulfilments, feedback and influence profiles from
CSV, JSONL and XLSX files: streamed, checked row by row with line numbers, idempotent, one
transaction per file. The contract is in ``docs/import.md``."""

from accord.imports.report import ERROR_CAP, FileReport, ImportReport, RowError
from accord.imports.service import import_files

__all__ = ["ERROR_CAP", "FileReport", "ImportReport", "RowError", "import_files"]
