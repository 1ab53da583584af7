"""The ``leads`` and ``sales_feedback`` kinds of the import contract (``docs/import.md``), and
what importing a leads file does after the upsert: link new and changed leads to their account
and stakeholder, and score them under the current definition — in the file's transaction.

Accord owns some of a lead's columns once it holds the lead: an empty ``account_id``,
``contact_id``, ``owner_email`` or ``segment`` cell keeps what Accord matched or filled in, and a
lead that sales has taken (stage sql, opportunity, disqualified) keeps its stage, reason and
dates whatever the file says. A file's ``raw``, ``nurturing`` or ``mql`` is not kept either:
those stages follow the score. So re-importing a file changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, text, update

from accord.accounts.models import Account
from accord.imports.contract import Field, Hooks, Kind, Reference
from accord.imports.convert import Choice, DateTime, Text
from accord.imports.hooks import TagList, WholeNumber, changed_keys, keep_stored, report_rows
from accord.imports.report import FileReport
from accord.imports.staging import STAGE, Stage
from accord.leads.matching import Matcher
from accord.leads.models import AUTO_STAGES, Lead, LeadSource, LeadStage, Quality, SalesFeedback
from accord.leads.scoring import load_definition, score_leads
from accord.vocabulary import Role

# An empty cell keeps what Accord set: links it matched, and what stages and sales recorded.
_ACCORD_FILLS = (
    "account_id",
    "contact_id",
    "owner_email",
    "segment",
    "stage_changed_at",
    "disqualified_reason",
    "rejected_at",
    "opportunity_id",
)
_PEOPLE_OWN = ("stage", "stage_changed_at", "disqualified_reason", "rejected_at", "opportunity_id")
_AUTO = ", ".join(f"'{s.value}'" for s in AUTO_STAGES)


class LeadHooks(Hooks):
    def before_merge(self, conn: Connection, stage: Stage, report: FileReport) -> Any:
        if not report.ok:
            return None  # the file is refused anyway
        keep_stored(conn, stage, _PEOPLE_OWN, when=f"t.stage NOT IN ({_AUTO})")
        if "stage" in stage.staged:
            conn.execute(text(f"UPDATE {STAGE} SET stage = NULL WHERE stage IN ({_AUTO})"))
            keep_stored(conn, stage, ["stage"])
            conn.execute(text(f"UPDATE {STAGE} SET stage = 'raw' WHERE stage IS NULL"))
        keep_stored(conn, stage, _ACCORD_FILLS)
        if "opportunity_id" in stage.staged and "account_id" in stage.staged:
            conn.execute(
                text(
                    f"UPDATE {STAGE} SET account_id = (SELECT o.account_id FROM opportunities o "
                    f"WHERE o.id = {STAGE}.opportunity_id) "
                    "WHERE account_id IS NULL AND opportunity_id IS NOT NULL"
                )
            )
        return changed_keys(conn, stage)

    def after_merge(self, conn: Connection, stage: Stage, prepared: Any, actor: str) -> None:
        changed: list[str] = prepared or []
        if not changed:
            return
        now = datetime.now(UTC).replace(tzinfo=None)
        _link(conn, changed)
        table = Lead.__table__
        for chunk in (changed[i : i + 2000] for i in range(0, len(changed), 2000)):
            conn.execute(
                update(table)
                .where(
                    table.c.id.in_(chunk),
                    table.c.stage == LeadStage.sql.value,
                    table.c.handed_off_at.is_(None),
                )
                .values(handed_off_at=func.coalesce(table.c.stage_changed_at, table.c.captured_at))
            )
        score_leads(conn, load_definition(conn), ids=changed, as_of=now.date(), now=now)


def _link(conn: Connection, ids: list[str]) -> None:
    """Match unlinked leads to accounts and stakeholders; fill owner and segment from the
    account where the file left them empty."""
    rows = []
    for chunk in (ids[i : i + 2000] for i in range(0, len(ids), 2000)):
        rows += conn.execute(
            select(Lead.id, Lead.email, Lead.company).where(
                Lead.id.in_(chunk), Lead.account_id.is_(None)
            )
        ).all()
    if rows:
        matcher = Matcher.build(conn)
        found = []
        for lead_id, email, company in rows:
            account_id, contact_id = matcher.match(email, company)
            if account_id:
                found.append({"b_id": lead_id, "b_account": account_id, "b_contact": contact_id})
        if found:
            table = Lead.__table__
            conn.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values(account_id=bindparam("b_account"), contact_id=bindparam("b_contact")),
                found,
            )
    table, acc = Lead.__table__, Account.__table__
    for column, source in (("owner_email", acc.c.owner_email), ("segment", acc.c.segment)):
        for chunk in (ids[i : i + 2000] for i in range(0, len(ids), 2000)):
            conn.execute(
                update(table)
                .where(
                    table.c.id.in_(chunk),
                    table.c[column].is_(None),
                    table.c.account_id.is_not(None),
                )
                .values(
                    {column: select(source).where(acc.c.id == table.c.account_id).scalar_subquery()}
                )
            )


class SalesFeedbackHooks(Hooks):
    """Feedback about a lead or opportunity is filed under its account as well."""

    def before_merge(self, conn: Connection, stage: Stage, report: FileReport) -> Any:
        if not {"lead_id", "opportunity_id", "account_id"} <= stage.staged:
            return None  # the header lacks them: already reported
        for column, table in (("lead_id", "leads"), ("opportunity_id", "opportunities")):
            conn.execute(
                text(
                    f"UPDATE {STAGE} SET account_id = (SELECT r.account_id FROM {table} r "
                    f"WHERE r.id = {STAGE}.{column}) "
                    f"WHERE account_id IS NULL AND {column} IS NOT NULL"
                )
            )
        report_rows(
            conn,
            report,
            "sales_feedback_id",
            f"SELECT line FROM {STAGE} WHERE lead_id IS NULL AND opportunity_id IS NULL "
            "AND account_id IS NULL",
            lambda row: "say what the feedback is about: lead_id, opportunity_id or account_id",
        )
        return None


def lead_kinds(sqlite: bool) -> tuple[Kind, ...]:
    from accord.imports.contract import _length, _table

    lt, sf = _table(Lead), _table(SalesFeedback)

    def txt(table: Any, column: str, prose: bool = False) -> Text:
        return Text(sqlite=sqlite, max_len=_length(table, column), strip=not prose)

    def opt(name: str, column: str, kind: Any) -> Field:
        return Field(name, column, kind, required=False)

    moment = DateTime(sqlite=sqlite)
    count = WholeNumber(sqlite=sqlite)
    leads = Kind(
        "leads",
        lt,
        (
            Field("lead_id", "id", txt(lt, "id"), not_empty=True),
            Field(
                "source",
                "source",
                Choice(sqlite=sqlite, values=[s.value for s in LeadSource], noun="lead source"),
                not_empty=True,
            ),
            Field("captured_at", "captured_at", moment, not_empty=True),
            Field("company", "company", txt(lt, "company"), not_empty=True),
            Field("email", "email", txt(lt, "email")),
            opt("name", "name", txt(lt, "name")),
            opt("title", "title", txt(lt, "title")),
            opt("role", "role", Choice(sqlite=sqlite, values=[r.value for r in Role], noun="role")),
            opt("industry", "industry", txt(lt, "industry")),
            opt("segment", "segment", txt(lt, "segment")),
            opt("employees", "employees", count),
            opt("region", "region", txt(lt, "region")),
            Field("events_attended", "events_attended", count, required=False, default=0),
            Field("content_read", "content_read", count, required=False, default=0),
            opt("last_activity_at", "last_activity_at", moment),
            opt("account_id", "account_id", txt(lt, "account_id")),
            opt("contact_id", "contact_id", txt(lt, "contact_id")),
            opt("owner_email", "owner_email", txt(lt, "owner_email")),
            opt(
                "stage",
                "stage",
                Choice(sqlite=sqlite, values=[s.value for s in LeadStage], noun="lead stage"),
            ),
            opt("stage_changed_at", "stage_changed_at", moment),
            opt("disqualified_reason", "disqualified_reason", txt(lt, "disqualified_reason")),
            opt("rejected_at", "rejected_at", moment),
            opt("opportunity_id", "opportunity_id", txt(lt, "opportunity_id")),
        ),
        key=("id",),
        references=(
            Reference("account_id", "accounts", "account"),
            Reference("contact_id", "contacts", "contact", same_account=True),
            Reference("opportunity_id", "opportunities", "opportunity", same_account=True),
        ),
        hooks=LeadHooks(),
    )
    feedback = Kind(
        "sales_feedback",
        sf,
        (
            Field("sales_feedback_id", "id", txt(sf, "id"), not_empty=True),
            Field("lead_id", "lead_id", txt(sf, "lead_id")),
            Field("opportunity_id", "opportunity_id", txt(sf, "opportunity_id")),
            Field("account_id", "account_id", txt(sf, "account_id")),
            Field("occurred_at", "occurred_at", moment, not_empty=True),
            opt("author", "author", txt(sf, "author")),
            opt(
                "quality",
                "quality",
                Choice(sqlite=sqlite, values=[q.value for q in Quality], noun="quality"),
            ),
            opt("pain_points", "pain_points", TagList(sqlite=sqlite)),
            opt(
                "decision_roles",
                "decision_roles",
                TagList(sqlite=sqlite, allowed=[r.value for r in Role]),
            ),
            opt("micro_trends", "micro_trends", TagList(sqlite=sqlite)),
            opt("text", "text", txt(sf, "text", prose=True)),
        ),
        key=("id",),
        references=(
            Reference("lead_id", "leads", "lead", same_account=True),
            Reference("opportunity_id", "opportunities", "opportunity", same_account=True),
            Reference("account_id", "accounts", "account"),
        ),
        hooks=SalesFeedbackHooks(),
    )
    return leads, feedback
