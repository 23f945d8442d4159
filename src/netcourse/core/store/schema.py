"""The store's tables (schema 3) as SQLAlchemy Core metadata: runs, their participants and their answers.

Every row belongs to one run (``run_id``); the default run ``default`` holds what older stores had.
Migrations (``migrations/versions``) build exactly these tables on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, MetaData, PrimaryKeyConstraint, Table, Text, UniqueConstraint

DEFAULT_RUN = "default"

metadata = MetaData()

runs = Table(
    "runs", metadata,
    Column("run_id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("date", Text, nullable=False, server_default=""),
    Column("roster", Text, nullable=False, server_default=""),
    Column("links", Text, nullable=False, server_default=""),
    Column("trainer_key_hash", Text, nullable=True),
    Column("created_at", Text, nullable=False),
    Column("archived_at", Text, nullable=True),
)

answers = Table(
    "answers", metadata,
    Column("run_id", Text, ForeignKey("runs.run_id"), nullable=False),
    Column("participant_id", Text, nullable=False),
    Column("module", Text, nullable=False),
    Column("exercise", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    PrimaryKeyConstraint("run_id", "participant_id", "module", "exercise", name="answers_pk"),
)

participants = Table(
    "participants", metadata,
    Column("run_id", Text, ForeignKey("runs.run_id"), nullable=False),
    Column("participant_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("municipality", Text, nullable=False, server_default=""),
    Column("grp", Text, nullable=False, server_default=""),
    Column("email", Text, nullable=False, server_default=""),
    Column("lang", Text, nullable=False, server_default="de"),
    Column("token_hash", Text, nullable=True),
    Column("created_at", Text, nullable=False),
    PrimaryKeyConstraint("run_id", "participant_id", name="participants_pk"),
    UniqueConstraint("run_id", "token_hash", name="participants_token_uq"),
)

ANSWER_FIELDS = ("participant_id", "module", "exercise", "answer", "updated_at")
RECORD_FIELDS = ("participant_id", "name", "municipality", "grp", "email", "lang", "token_hash", "created_at")
PROFILE_FIELDS = ("participant_id", "name", "municipality", "grp", "email", "lang")
