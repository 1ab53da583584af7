"""Streaming readers for CSV, JSONL and XLSX.

Each reader gives the header, then batches of ``(line numbers, rows)`` with every row aligned to
the header. Nothing but the current batch is held in memory. A row the reader cannot make sense
of (bad UTF-8, wrong number of cells, malformed JSON) is reported through ``on_error`` and left
out of the batch; blank rows are skipped silently.

Line numbers are what an editor shows: the physical line where a CSV record starts (a quoted
cell may span lines), the physical line of a JSONL object, the sheet row of an XLSX row.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import chain, islice
from pathlib import Path
from types import TracebackType
from typing import Any

OnError = Callable[[int, str, str], None]  # (line, field, reason)
Batch = tuple[Sequence[int], list[Sequence[Any]]]

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}


class ReadError(Exception):
    """The file cannot be read at all (or no further): reported on ``line`` and the file stops."""

    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.line, self.field, self.reason = line, field, reason


class Reader:
    typed = False  # cells may be JSON/Excel values, not only strings
    normalise_header = True  # CSV/XLSX headers are trimmed and lower-cased; JSON keys are exact
    header_line = 1

    def header(self) -> list[str] | None:
        raise NotImplementedError

    def batches(self, header: list[str], on_error: OnError, size: int) -> Iterator[Batch]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Reader:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _valid_utf8(rows: list[list[str]]) -> bool:
    # Undecodable bytes were read as lone surrogates (errors="surrogateescape"); those, and
    # only those, make a strict encode fail. One join per batch keeps the check in C.
    text = "".join(chain.from_iterable(rows))
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_utf8(path: Path) -> bool:
    """One pass over the raw bytes (C speed): a file that is valid UTF-8 throughout, as nearly
    all are, needs no per-row encoding check."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            for chunk in iter(partial(f.read, 1 << 20), b""):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _line_breaks(row: list[str]) -> int:
    # The file iterator (newline="") ends a line at \n, \r or \r\n; csv counts lines the same way.
    return sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in row)


class CsvReader(Reader):
    def __init__(self, path: Path) -> None:
        # utf-8-sig: Excel writes a byte-order mark. surrogateescape: a bad byte must not stop
        # the file before we know which line it is on.
        self._file = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._csv = csv.reader(self._file)
        self._last_line = 0
        self._path = path

    def close(self) -> None:
        self._file.close()

    def header(self) -> list[str] | None:
        try:
            row = next(self._csv, None)
        except csv.Error as exc:
            raise ReadError(self._csv.line_num, "header", f"unreadable CSV: {exc}") from None
        self._last_line = self._csv.line_num
        if not row:
            return None
        if not _valid_utf8([row]):
            raise ReadError(1, "header", "not valid UTF-8")
        return row

    def batches(self, header: list[str], on_error: OnError, size: int) -> Iterator[Batch]:
        width = len(header)
        blank = [""] * width
        utf8 = is_utf8(self._path)
        while True:
            start = self._last_line + 1
            try:
                rows = list(islice(self._csv, size))
            except csv.Error as exc:
                raise ReadError(self._csv.line_num, "row", f"unreadable CSV: {exc}") from None
            if not rows:
                return
            end = self._last_line = self._csv.line_num
            lines: Sequence[int]
            if end - start + 1 == len(rows):  # no record spans lines: the usual case, no loop
                lines = range(start, end + 1)
            else:
                lines, line = [], start
                for row in rows:
                    lines.append(line)
                    line += 1 + _line_breaks(row)
            if set(map(len, rows)) != {width} or blank in rows or not (utf8 or _valid_utf8(rows)):
                lines, rows = self._sift(header, lines, rows, on_error)
            yield lines, rows  # type: ignore[misc]

    @staticmethod
    def _sift(
        header: list[str], lines: Sequence[int], rows: list[list[str]], on_error: OnError
    ) -> tuple[list[int], list[list[str]]]:
        """The slow path for a batch with a problem row: check row by row."""
        kept_lines, kept = [], []
        for line, row in zip(lines, rows, strict=True):
            if not any(row):
                continue
            if len(row) != len(header):
                on_error(line, "row", f"has {len(row)} cells; the header has {len(header)}")
                continue
            bad = [
                name for name, cell in zip(header, row, strict=True) if not _valid_utf8([[cell]])
            ]
            if bad:
                for name in bad:
                    on_error(line, name or "row", "not valid UTF-8")
                continue
            kept_lines.append(line)
            kept.append(row)
        return kept_lines, kept


class JsonlReader(Reader):
    """One JSON object per line. The first object's keys are the header; a later object may
    leave keys out (null) but not add keys the first one lacks."""

    typed = True
    normalise_header = False

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self._line = 0
        self._first: tuple[int, Any] | None = None

    def close(self) -> None:
        self._file.close()

    def _objects(self, on_error: OnError | None) -> Iterator[tuple[int, Any]]:
        for raw in self._file:
            self._line += 1
            if not raw.strip():
                continue
            try:
                yield self._line, json.loads(raw)
            except UnicodeDecodeError:
                if on_error is None:
                    raise ReadError(self._line, "line", "not valid UTF-8") from None
                on_error(self._line, "line", "not valid UTF-8")
            except ValueError as exc:
                reason = f"malformed JSON: {getattr(exc, 'msg', exc)}"
                if on_error is None:
                    raise ReadError(self._line, "line", reason) from None
                on_error(self._line, "line", reason)

    def header(self) -> list[str] | None:
        first = next(self._objects(None), None)
        if first is None:
            return None
        if not isinstance(first[1], dict):
            raise ReadError(first[0], "line", "expected a JSON object")
        self._first = first
        self.header_line = first[0]
        return list(first[1])

    def batches(self, header: list[str], on_error: OnError, size: int) -> Iterator[Batch]:
        known = set(header)
        objects = self._objects(on_error)
        if self._first is not None:
            objects = chain([self._first], objects)
        lines: list[int] = []
        rows: list[Sequence[Any]] = []
        for line, obj in objects:
            if not isinstance(obj, dict):
                on_error(line, "line", "expected a JSON object")
                continue
            if not known.issuperset(obj):  # reported, and the row still checked for the rest
                for key in sorted(obj.keys() - known):
                    on_error(line, key, "unknown column (not a key of the file's first object)")
            lines.append(line)
            rows.append(list(map(obj.get, header)))
            if len(rows) == size:
                yield lines, rows
                lines, rows = [], []
        if rows:
            yield lines, rows


class XlsxReader(Reader):
    """The first sheet; row 1 is the header. openpyxl's read-only mode streams the sheet XML."""

    typed = True

    def __init__(self, path: Path) -> None:
        import openpyxl  # only XLSX imports pay for loading it

        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile, XML and openpyxl errors alike: not a workbook
            raise ReadError(1, "file", f"not a readable XLSX workbook ({exc})") from None
        self._rows = self._book.worksheets[0].iter_rows(values_only=True)
        self._line = 0

    def close(self) -> None:
        self._book.close()

    def header(self) -> list[str] | None:
        row = next(self._rows, None)
        self._line = 1
        if row is None:
            return None
        cells = ["" if c is None else str(c) for c in row]
        while cells and not cells[-1].strip():
            cells.pop()  # the sheet's width may exceed the header's
        return cells or None

    def batches(self, header: list[str], on_error: OnError, size: int) -> Iterator[Batch]:
        width = len(header)
        lines: list[int] = []
        rows: list[Sequence[Any]] = []
        for row in self._rows:
            self._line += 1
            if len(row) != width:
                beyond = [c for c in row[width:] if c is not None and c != ""]
                if beyond:
                    on_error(self._line, "row", f"has values beyond the header's {width} columns")
                    continue
                row = (row + (None,) * width)[:width]
            if all(c is None or c == "" for c in row):
                continue
            lines.append(self._line)
            rows.append(row)
            if len(rows) == size:
                yield lines, rows
                lines, rows = [], []
        if rows:
            yield lines, rows


def file_format(name: str) -> str | None:
    """csv, jsonl or xlsx, from the file name's extension."""
    return FORMATS.get(Path(name).suffix.lower())


def open_reader(path: Path, fmt: str) -> Reader:
    if fmt == "csv":
        return CsvReader(path)
    if fmt == "jsonl":
        return JsonlReader(path)
    return XlsxReader(path)
