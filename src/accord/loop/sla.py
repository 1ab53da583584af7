"""Service levels: due times per priority on a calendar or business-hours clock, breach
detection and escalation (first to the account owner, then to the team's lead).

Nothing here reads the wall clock: every function takes ``now`` (naive UTC), so tests and the
CLI decide what time it is. Business hours are ``ACCORD_LOOP_BUSINESS_HOURS`` (default
09:00–17:00), Monday to Friday; on the calendar clock every hour counts.

Escalation: when a ticket misses its first-response or resolution due time it escalates to level
1 (the account owner). When it is still unmet after the same allowance again (``2 ×`` the
target from opening), it escalates to level 2 (the team lead, ``ACCORD_LOOP_TEAM_LEADS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.accounts.models import Account
from accord.auth.access import Actor
from accord.config import Settings, get_settings
from accord.loop.models import Ticket
from accord.loop.scope import visible_tickets
from accord.loop.tickets import OPEN_STATUSES, log_event


@dataclass(frozen=True)
class Clock:
    """How SLA hours are counted."""

    mode: str = "business"  # "business" or "calendar"
    start: time = time(9)
    end: time = time(17)

    def __post_init__(self) -> None:
        if self.mode == "business" and self.start >= self.end:
            raise ValueError("ACCORD_LOOP_BUSINESS_HOURS: the day must end after it starts")

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Clock:
        s = settings or get_settings()
        a, b = s.loop_business_hours.split("-")
        return cls(s.loop_sla_clock, time.fromisoformat(a), time.fromisoformat(b))

    def add(self, start: datetime, hours: float) -> datetime:
        """``start`` plus ``hours`` of counted time."""
        if self.mode == "calendar":
            return start + timedelta(hours=hours)
        left = timedelta(hours=hours)
        t = start
        while True:
            if t.weekday() >= 5 or t.time() >= self.end:
                t = datetime.combine(t.date() + timedelta(days=1), self.start)
                continue
            if t.time() < self.start:
                t = datetime.combine(t.date(), self.start)
            day_end = datetime.combine(t.date(), self.end)
            if t + left <= day_end:
                return t + left
            left -= day_end - t
            t = day_end

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Counted hours between two times (0 when ``end`` is earlier)."""
        if end <= start:
            return 0.0
        if self.mode == "calendar":
            return (end - start).total_seconds() / 3600
        total = timedelta()
        day = start.date()
        while day <= end.date():
            if day.weekday() < 5:
                lo = max(start, datetime.combine(day, self.start))
                hi = min(end, datetime.combine(day, self.end))
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total.total_seconds() / 3600


def targets(priority: str, settings: Settings | None = None) -> tuple[float, float]:
    """(first response, resolution) hours for a priority."""
    table = (settings or get_settings()).loop_sla_hours
    return tuple(table.get(priority, table["normal"]))  # type: ignore[return-value]


def due_times(
    priority: str, opened_at: datetime, clock: Clock | None = None
) -> tuple[datetime, datetime]:
    clock = clock or Clock.from_settings()
    first, resolve = targets(priority)
    return clock.add(opened_at, first), clock.add(opened_at, resolve)


def sla_state(ticket: Ticket, now: datetime) -> str:
    """``ok``, ``breached`` (a due time passed unmet) or ``met`` (resolved in time)."""
    first_late = (ticket.first_response_at or now) > ticket.first_response_due
    resolve_late = (ticket.resolved_at or now) > ticket.resolution_due
    if first_late or resolve_late:
        return "breached"
    return "met" if ticket.resolved_at else "ok"


@dataclass(frozen=True)
class Escalation:
    ticket_id: str
    level: int
    to: str | None
    reason: str


def _level(ticket: Ticket, now: datetime, clock: Clock) -> tuple[int, str]:
    first, resolve = targets(ticket.priority)
    level, reason = 0, ""
    checks = (
        ("first response", ticket.first_response_at, first),
        ("resolution", ticket.resolved_at, resolve),
    )
    for what, met_at, hours in checks:
        if met_at is not None:
            continue
        late = clock.elapsed(ticket.opened_at, now)
        if late > 2 * hours and level < 2:
            level, reason = 2, f"{what} overdue by more than {hours:g} h past its target"
        elif late > hours and level < 1:
            level, reason = 1, f"{what} target of {hours:g} h missed"
    return level, reason


def check_sla(
    session: Session, actor: Actor, now: datetime, clock: Clock | None = None
) -> list[Escalation]:
    """Escalate every open ticket the actor may see whose SLA is breached; idempotent."""
    clock = clock or Clock.from_settings()
    leads = get_settings().loop_team_leads
    rows = session.execute(
        select(Ticket, Account.owner_email)
        .join(Account, Account.id == Ticket.account_id)
        .where(
            Ticket.status.in_(OPEN_STATUSES),
            visible_tickets(actor),
        )
        .order_by(Ticket.seq)
    ).all()
    out = []
    for ticket, owner in rows:
        level, reason = _level(ticket, now, clock)
        if level <= ticket.escalation_level:
            continue
        if ticket.escalation_level == 0:
            log_event(session, actor, ticket, "breach", now, {"reason": reason})
        for step in range(ticket.escalation_level + 1, level + 1):
            to = owner if step == 1 else leads.get(ticket.team)
            ticket.escalation_level, ticket.escalated_to = step, to
            log_event(session, actor, ticket, "escalated", now, {"level": step, "to": to})
            out.append(Escalation(ticket.id, step, to, reason))
    session.flush()
    return out


# How the board names a ticket's service level: past a due time, close to one, or fine.
SLA_BANDS = ("breached", "due_soon", "on_track")
DUE_SOON_SHARE = 0.25  # "due soon": less than a quarter of the target's allowance left


def sla_band(ticket: Ticket, now: datetime, clock: Clock | None = None) -> str:
    """``breached`` (a due time passed unmet), ``due_soon`` (the next due time is less than a
    quarter of its allowance away, counted on the SLA clock) or ``on_track``; a resolved or
    closed ticket is ``breached`` if it missed a target, otherwise ``on_track``."""
    if sla_state(ticket, now) == "breached":
        return "breached"
    if ticket.status not in OPEN_STATUSES:
        return "on_track"
    clock = clock or Clock.from_settings()
    first, resolve = targets(ticket.priority)
    due, hours = (
        (ticket.first_response_due, first)
        if ticket.first_response_at is None
        else (ticket.resolution_due, resolve)
    )
    return "due_soon" if clock.elapsed(now, due) < DUE_SOON_SHARE * hours else "on_track"
