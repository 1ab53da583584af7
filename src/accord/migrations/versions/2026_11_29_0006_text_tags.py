"""text_tags: driver tags and sentiment per feedback from the text classifier, and user corrections

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "text_tags",
        sa.Column("feedback_id", sa.String(length=64), nullable=False),
        sa.Column("drivers", sa.JSON(), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("model_version", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("tagged_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "sentiment IN ('negative', 'neutral', 'positive')",
            name=op.f("ck_text_tags_sentiment"),
        ),
        sa.CheckConstraint("source IN ('model', 'user')", name=op.f("ck_text_tags_source")),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_text_tags_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("feedback_id", name=op.f("pk_text_tags")),
    )
    op.create_table(
        "text_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("feedback_id", sa.String(length=64), nullable=False),
        sa.Column("drivers", sa.JSON(), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "sentiment IN ('negative', 'neutral', 'positive')",
            name=op.f("ck_text_corrections_sentiment"),
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_text_corrections_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_text_corrections_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_corrections")),
    )
    with op.batch_alter_table("text_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_text_corrections_feedback_id"), ["feedback_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_text_corrections_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("text_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_corrections_user_id"))
        batch_op.drop_index(batch_op.f("ix_text_corrections_feedback_id"))

    op.drop_table("text_corrections")
    op.drop_table("text_tags")
