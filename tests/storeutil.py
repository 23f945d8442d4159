"""Test helpers reading a store's tables directly (not through AnswerStore), on either backend."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa


def raw(locator: str, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` run on the store's database itself (SQLite file or PostgreSQL URL)."""
    if "://" not in locator:
        conn = sqlite3.connect(locator)
        try:
            return [tuple(r) for r in conn.execute(sql, params or {}).fetchall()]
        finally:
            conn.close()
    engine = sa.create_engine(locator, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params or {})]
    finally:
        engine.dispose()


def execute(locator: str, *statements: str) -> None:
    if "://" not in locator:
        conn = sqlite3.connect(locator, isolation_level=None)
        try:
            for statement in statements:
                conn.execute(statement)
        finally:
            conn.close()
        return
    engine = sa.create_engine(locator, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def answer_rows(locator: str) -> list[tuple[Any, ...]]:
    return raw(locator, "SELECT participant_id, module, exercise, answer FROM answers ORDER BY 1, 2, 3")
