"""loop: ticket counters, routing rules, tickets, their feedback links and event log, and
actions (root cause and prevention)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:59:03.096312
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loop_counters",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_loop_counters")),
    )
    op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
    )
    with op.batch_alter_table("routing_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routing_rules_position"), ["position"], unique=False)

    op.create_table(
        "tickets",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("assignee_email", sa.String(length=254), nullable=True),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("source_key", sa.String(length=200), nullable=True),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("first_response_due", sa.DateTime(), nullable=False),
        sa.Column("resolution_due", sa.DateTime(), nullable=False),
        sa.Column("first_response_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("escalated_to", sa.String(length=254), nullable=True),
        sa.Column("merged_into", sa.String(length=64), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_tickets_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["routing_rules.id"],
            name=op.f("fk_tickets_rule_id_routing_rules"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("seq", name=op.f("uq_tickets_seq")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tickets_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_source_key"), ["source_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_team"), ["team"], unique=False)

    op.create_table(
        "loop_actions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("root_cause", sa.String(length=40), nullable=False),
        sa.Column("driver", sa.String(length=20), nullable=True),
        sa.Column("prevention", sa.Text(), nullable=False),
        sa.Column("owner_email", sa.String(length=254), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("shared_with_customer", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=False),
        sa.Column("not_preventing", sa.Boolean(), nullable=False),
        sa.Column("recurred_in", sa.String(length=64), nullable=True),
        sa.Column("recurred_at", sa.DateTime(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_loop_actions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["id"], ["tickets.id"], name=op.f("fk_loop_actions_id_tickets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loop_actions")),
    )
    with op.batch_alter_table("loop_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_loop_actions_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_loop_actions_resolved_at"), ["resolved_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_loop_actions_root_cause"), ["root_cause"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_loop_actions_team"), ["team"], unique=False)

    op.create_table(
        "ticket_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_events_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_events")),
    )
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_events_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_events_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "ticket_feedback",
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("feedback_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_ticket_feedback_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_feedback_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ticket_id", "feedback_id", name=op.f("pk_ticket_feedback")),
    )
    with op.batch_alter_table("ticket_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ticket_feedback_feedback_id"), ["feedback_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_feedback_feedback_id"))

    op.drop_table("ticket_feedback")
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_events_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_events_at"))

    op.drop_table("ticket_events")
    with op.batch_alter_table("loop_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loop_actions_team"))
        batch_op.drop_index(batch_op.f("ix_loop_actions_root_cause"))
        batch_op.drop_index(batch_op.f("ix_loop_actions_resolved_at"))
        batch_op.drop_index(batch_op.f("ix_loop_actions_account_id"))

    op.drop_table("loop_actions")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_team"))
        batch_op.drop_index(batch_op.f("ix_tickets_status"))
        batch_op.drop_index(batch_op.f("ix_tickets_source_key"))
        batch_op.drop_index(batch_op.f("ix_tickets_account_id"))

    op.drop_table("tickets")
    with op.batch_alter_table("routing_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_rules_position"))

    op.drop_table("routing_rules")
    op.drop_table("loop_counters")
