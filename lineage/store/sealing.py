"""Seals of rows: SHA-256 over a compact JSON array of the table name and the row's columns.

Needs only hashlib and orjson: the staging child (`staging_worker.py`) seals the rows
it writes with these functions, and it starts in milliseconds. `lineage.store.ledger`
checks a row's width against its table first, and knows how many late columns a table
has (those that join a seal only when set, see `tables.SEALED_UNLESS_SET`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import orjson


def seal_rows(table: str, rows: Sequence[Sequence[Any]], late: int = 0) -> list[str]:
    """The seal of each of `rows` (tuples or lists: every column of `table`, no seal), in
    one pass; its last `late` columns are left out where unset (None), one by one from the
    end, so that a row sealed before they existed keeps its seal."""
    sha256, dumps = hashlib.sha256, orjson.dumps
    if not late or not rows:
        return [sha256(dumps((table, *values))).hexdigest() for values in rows]
    # Most rows: one comparison in C, and their late columns left out. A list's slice
    # is a list, a tuple's a tuple: the unset columns are of the rows' own type.
    unset: Sequence[None] = [None] * late if isinstance(rows[0], list) else (None,) * late
    return [
        sha256(dumps((table, *values[:-late]))).hexdigest()
        if values[-late:] == unset
        else sha256(dumps((table, *without_unset_late(values, late)))).hexdigest()
        for values in rows
    ]


def without_unset_late(values: Sequence[Any], late: int) -> Sequence[Any]:
    """`values` without its trailing unset (None) values among its last `late`."""
    end = len(values)
    stop = end - late
    while end > stop and values[end - 1] is None:
        end -= 1
    return values[:end]


def seals_digest(seals: str) -> str:
    """SHA-256 over a transaction's seals joined in order (nodes, relations, other names)."""
    return hashlib.sha256(seals.encode()).hexdigest()
