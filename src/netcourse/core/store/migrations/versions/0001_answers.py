"""Schema 1: one answer per (participant, module, exercise)."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("participant_id", sa.Text, nullable=False),
        sa.Column("module", sa.Text, nullable=False),
        sa.Column("exercise", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("participant_id", "module", "exercise"),
    )


def downgrade() -> None:
    op.drop_table("answers")
