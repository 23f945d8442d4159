"""Schema 3: runs of a course ("Durchführungen"); every answer and profile belongs to one run.

Existing rows move into the run ``default``. The tables are rebuilt (new primary keys), copied row by row
in SQL, inside the one migration transaction: all or nothing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ANSWER_COLS = "participant_id, module, exercise, answer, updated_at"
PROFILE_COLS = "participant_id, name, municipality, grp, email, lang, token_hash, created_at"


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.Text, nullable=False, server_default=""),
        sa.Column("roster", sa.Text, nullable=False, server_default=""),
        sa.Column("links", sa.Text, nullable=False, server_default=""),
        sa.Column("trainer_key_hash", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("archived_at", sa.Text),
    )
    op.execute(sa.text("INSERT INTO runs (run_id, title, date, created_at) VALUES ('default', 'Standard', '', "
                       "(SELECT coalesce(min(updated_at), :now) FROM answers))").bindparams(now=_now()))
    op.create_table(
        "answers_v3",
        sa.Column("run_id", sa.Text, sa.ForeignKey("runs.run_id"), nullable=False),
        sa.Column("participant_id", sa.Text, nullable=False),
        sa.Column("module", sa.Text, nullable=False),
        sa.Column("exercise", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "participant_id", "module", "exercise", name="answers_pk"),
    )
    op.create_table(
        "participants_v3",
        sa.Column("run_id", sa.Text, sa.ForeignKey("runs.run_id"), nullable=False),
        sa.Column("participant_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("municipality", sa.Text, nullable=False, server_default=""),
        sa.Column("grp", sa.Text, nullable=False, server_default=""),
        sa.Column("email", sa.Text, nullable=False, server_default=""),
        sa.Column("lang", sa.Text, nullable=False, server_default="de"),
        sa.Column("token_hash", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "participant_id", name="participants_pk"),
        sa.UniqueConstraint("run_id", "token_hash", name="participants_token_uq"),
    )
    op.execute(f"INSERT INTO answers_v3 (run_id, {ANSWER_COLS}) SELECT 'default', {ANSWER_COLS} FROM answers")
    op.execute(f"INSERT INTO participants_v3 (run_id, {PROFILE_COLS}) "
               f"SELECT 'default', {PROFILE_COLS} FROM participants")
    op.drop_table("answers")
    op.drop_table("participants")
    op.rename_table("answers_v3", "answers")
    op.rename_table("participants_v3", "participants")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA user_version = 3")  # netcourse before schema 3 refuses this store by itself


def downgrade() -> None:
    raise NotImplementedError("schema 3 is not downgraded: runs would be merged into one")


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
