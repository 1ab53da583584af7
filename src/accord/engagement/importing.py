"""The ``events`` and ``attendance`` kinds of the import contract (``docs/import.md``).

Event feedback is imported as ordinary feedback on channel ``event`` (the ``feedback`` kind) and
tied to the invitation by ``attendance.feedback_id``; feedback files come first in an import.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from accord.engagement.models import Attendance, AttendanceStatus, Event, EventKind
from accord.imports.contract import Field, Hooks, Kind, Reference
from accord.imports.convert import Choice, DateTime, Text
from accord.imports.hooks import report_rows
from accord.imports.report import FileReport
from accord.imports.staging import STAGE, Stage


class AttendanceHooks(Hooks):
    """One invitation per stakeholder and event: a second row for the same pair, in the file
    or already stored under another id, is an error on its line."""

    def before_merge(self, conn: Connection, stage: Stage, report: FileReport) -> Any:
        if not {"event_id", "contact_id"} <= stage.staged:
            return None  # the header lacks them: already reported
        report_rows(
            conn,
            report,
            "contact_id",
            f"SELECT s.line, s.contact_id, s.event_id, MIN(o.line) AS first FROM {STAGE} s "
            f"JOIN {STAGE} o ON o.event_id = s.event_id AND o.contact_id = s.contact_id "
            "AND o.line < s.line GROUP BY s.line, s.contact_id, s.event_id",
            lambda r: f"{r[1]} is already invited to {r[2]} on line {r[3]}",
        )
        report_rows(
            conn,
            report,
            "contact_id",
            f"SELECT s.line, s.contact_id, s.event_id, t.id FROM {STAGE} s "
            "JOIN event_attendance t ON t.event_id = s.event_id AND t.contact_id = s.contact_id "
            "AND t.id <> s.id",
            lambda r: f"{r[1]} is already invited to {r[2]} as {r[3]}",
        )
        return None


def engagement_kinds(sqlite: bool) -> tuple[Kind, ...]:
    from accord.imports.contract import _length, _table

    ev, at = _table(Event), _table(Attendance)

    def txt(table: Any, column: str, prose: bool = False) -> Text:
        return Text(sqlite=sqlite, max_len=_length(table, column), strip=not prose)

    moment = DateTime(sqlite=sqlite)
    events = Kind(
        "events",
        ev,
        (
            Field("event_id", "id", txt(ev, "id"), not_empty=True),
            Field(
                "kind",
                "kind",
                Choice(sqlite=sqlite, values=[k.value for k in EventKind], noun="kind of event"),
                not_empty=True,
            ),
            Field("title", "title", txt(ev, "title"), not_empty=True),
            Field("starts_at", "starts_at", moment, not_empty=True),
            Field("ends_at", "ends_at", moment, required=False),
            Field("location", "location", txt(ev, "location"), required=False),
            Field("description", "description", txt(ev, "description", prose=True), required=False),
        ),
        key=("id",),
    )
    statuses = [s.value for s in AttendanceStatus]
    attendance = Kind(
        "attendance",
        at,
        (
            Field("attendance_id", "id", txt(at, "id"), not_empty=True),
            Field("event_id", "event_id", txt(at, "event_id"), not_empty=True),
            Field("account_id", "account_id", txt(at, "account_id"), not_empty=True),
            Field("contact_id", "contact_id", txt(at, "contact_id"), not_empty=True),
            Field(
                "status",
                "status",
                Choice(sqlite=sqlite, values=statuses, noun="attendance status"),
                default=AttendanceStatus.invited.value,
            ),
            Field("invited_at", "invited_at", moment),
            Field("feedback_id", "feedback_id", txt(at, "feedback_id"), required=False),
        ),
        key=("id",),
        references=(
            Reference("event_id", "events", "event"),
            Reference("account_id", "accounts", "account"),
            Reference("contact_id", "contacts", "contact", same_account=True),
            Reference("feedback_id", "feedback", "feedback item", same_account=True),
        ),
        hooks=AttendanceHooks(),
    )
    return events, attendance
