"""Tampering with a store behind the tool's back, as an attacker with database access could."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy
from sqlalchemy import select

from lineage.store.ledger import GENESIS, entry_hash, records_digest, seal_of
from lineage.store.tables import EDGE, EDGE_COLUMNS, LEDGER, NODE, NODE_COLUMNS


def tamper(url: str, *statements: str) -> None:
    """Run SQL statements on the store in one transaction, outside the tool."""
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                # What a superuser can do to move rows that others still reference.
                connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def rewrite_history(
    url: str, *statements: str, seal_with: Callable[[str, tuple[Any, ...]], str] = seal_of
) -> None:
    """Change rows, then recompute every seal, transaction digest and ledger hash, so that
    the chain is consistent again: only a checkpoint kept elsewhere can tell.

    `seal_with` seals a row (table name, column values): another release's way of sealing
    makes the store as that release would have written it."""
    tamper(url, *statements)
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as connection:
            seals: dict[tuple[str, int], str] = {}
            for table, columns, kind in (
                (NODE, NODE_COLUMNS, "node"),
                (EDGE, EDGE_COLUMNS, "edge"),
            ):
                for row in connection.execute(select(table).order_by(table.c.id)).mappings():
                    seal = seal_with(kind, tuple(row[c] for c in columns))
                    seals[(kind, row["id"])] = seal
                    if seal != row["seal"]:
                        connection.execute(
                            table.update().where(table.c.id == row["id"]).values(seal=seal)
                        )
            previous = GENESIS
            entries = connection.execute(select(LEDGER).order_by(LEDGER.c.seq)).mappings().all()
            for stored in entries:
                entry = dict(stored)
                own: list[str] = []
                for kind in ("node", "edge"):
                    first, last = entry[f"{kind}_first"], entry[f"{kind}_last"]
                    if first is not None:
                        own += [seals[(kind, i)] for i in range(first, last + 1)]
                entry["records_digest"] = records_digest(own)
                entry["prev_hash"] = previous
                entry["entry_hash"] = entry_hash(entry)
                connection.execute(
                    LEDGER.update()
                    .where(LEDGER.c.seq == entry["seq"])
                    .values(
                        records_digest=entry["records_digest"],
                        prev_hash=entry["prev_hash"],
                        entry_hash=entry["entry_hash"],
                    )
                )
                previous = entry["entry_hash"]
    finally:
        engine.dispose()
