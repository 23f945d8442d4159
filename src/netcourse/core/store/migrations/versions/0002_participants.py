"""Schema 2: participant profiles with the hash of their link token."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "participants",
        sa.Column("participant_id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("municipality", sa.Text, nullable=False, server_default=""),
        sa.Column("grp", sa.Text, nullable=False, server_default=""),
        sa.Column("email", sa.Text, nullable=False, server_default=""),
        sa.Column("lang", sa.Text, nullable=False, server_default="de"),
        sa.Column("token_hash", sa.Text, unique=True),
        sa.Column("created_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("participants")
