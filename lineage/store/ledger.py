"""The hash-chained ledger: seals on rows, one chained entry per transaction, verification.

Each row's `seal` is SHA-256 over its canonical form (table name and every
column in a fixed order). Each transaction appends one ledger entry holding the
id ranges it wrote, the SHA-256 over its rows' seals in id order, and the hash
of the previous entry; the entry's own hash covers all of that. `verify`
recomputes everything from the rows and names the first row that was altered,
inserted or removed, or the first ledger entry that no longer chains.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, select

from lineage.store.sealing import seal_rows, seals_digest
from lineage.store.tables import (
    ALIAS,
    ALIAS_COLUMNS,
    API_TOKEN,
    API_TOKEN_COLUMNS,
    DATA_ROOT,
    DATA_ROOT_COLUMNS,
    EDGE,
    EDGE_COLUMNS,
    LEDGER,
    NODE,
    NODE_COLUMNS,
    SEALED_UNLESS_SET,
)

GENESIS = "0" * 64
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def _dumps(values: Sequence[Any]) -> bytes:
    # Compact UTF-8 JSON, the same bytes as json.dumps(separators=(",", ":"),
    # ensure_ascii=False) for the str/int/None values of our rows, ~15x faster.
    return orjson.dumps(values)


# How many of the node table's last columns were added by later migrations.
_NODE_LATE_COLUMNS = next(
    (i for i, c in enumerate(reversed(NODE_COLUMNS)) if c not in SEALED_UNLESS_SET),
    len(NODE_COLUMNS),
)
# Per table, how many of its last columns join a row's seal only when set.
LATE_COLUMNS = {"node": _NODE_LATE_COLUMNS}


# How many columns a row of each sealed table has, its seal aside: every table with a
# `seal` column (a table added later is counted without a change here).
_SEALED_WIDTH = {
    table.name: len(table.columns) - 1
    for table in NODE.metadata.tables.values()
    if "seal" in table.columns
}
assert _SEALED_WIDTH["node"] == len(NODE_COLUMNS) and _SEALED_WIDTH["edge"] == len(EDGE_COLUMNS)
assert _SEALED_WIDTH["alias"] == len(ALIAS_COLUMNS)
assert _SEALED_WIDTH["api_token"] == len(API_TOKEN_COLUMNS)
assert _SEALED_WIDTH["data_root"] == len(DATA_ROOT_COLUMNS)


def seal_of(table: str, values: Sequence[Any]) -> str:
    """SHA-256 of a row's canonical form: a JSON array of the table name and its columns.

    A node row's trailing columns added by later migrations count only when set, so a
    row sealed before they existed keeps its seal.

    Raises ValueError for a row that is not a whole row of `table` (a column missing or
    one too many): trimming unset late columns off a short row would drop earlier ones
    too and give a wrong seal without a word.
    """
    return seals_of(table, (values,))[0]


def _seal_as_stored(table: str, values: Sequence[Any]) -> str | None:
    """The seal of a stored row, or None where a value cannot be sealed (a BLOB, an
    integer beyond 64 bits): lineage never writes one, so no seal can match it."""
    try:
        return seal_of(table, values)
    except TypeError:  # orjson.JSONEncodeError is one
        return None


def seals_of(table: str, rows: Sequence[Sequence[Any]]) -> list[str]:
    """`seal_of` each of `rows`, in one pass (a bulk load seals its rows per chunk)."""
    width = _SEALED_WIDTH.get(table)
    if width is None:
        raise ValueError(f"no sealed table {table!r}")
    if set(map(len, rows)) - {width}:  # widths checked in C
        wrong = next(len(r) for r in rows if len(r) != width)
        raise ValueError(f"{table} row of {wrong} values, not {width}")
    return seal_rows(table, rows, LATE_COLUMNS.get(table, 0))


def records_digest(seals: Iterable[str]) -> str:
    """SHA-256 over the seals of one transaction's rows, nodes then edges, each in id order."""
    # One update of them all, joined: the same digest as one update per seal.
    return seals_digest("".join(seals))


def entry_hash(entry: dict[str, Any]) -> str:
    """The hash of a ledger entry: every field but the hash itself, in a fixed order."""
    fields = [entry[c.name] for c in LEDGER.columns if c.name != "entry_hash"]
    return hashlib.sha256(_dumps(fields)).hexdigest()


def current_actor() -> str:
    """Who is writing: `$LINEAGE_ACTOR`, else the login name."""
    actor = os.environ.get("LINEAGE_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def head(connection: Connection) -> dict[str, Any] | None:
    """The newest ledger entry, or None for an empty ledger."""
    row = connection.execute(select(LEDGER).order_by(LEDGER.c.seq.desc()).limit(1)).first()
    return dict(row._mapping) if row else None


def ledger_time(moment: datetime) -> str:
    """`moment` as the ledger writes times (TIME_FORMAT, in UTC; a time without a zone is
    UTC), its year zero-padded to four digits as strftime's %Y is not before year 1000:
    '0900-...' sorts before '2026-...' where '900-...' sorts after it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return f"{moment.year:04d}{moment.strftime(TIME_FORMAT.removeprefix('%Y'))}"


def next_time(previous: str | None) -> str:
    """Now, in UTC, strictly after the previous entry so that --as-of is unambiguous."""
    now = datetime.now(UTC)
    if previous is not None:
        before = datetime.strptime(previous, TIME_FORMAT).replace(tzinfo=UTC)
        if now <= before:
            now = before + timedelta(microseconds=1)
    return ledger_time(now)


def append_entry(
    connection: Connection,
    previous: dict[str, Any] | None,
    *,
    operation: str,
    node_range: tuple[int, int] | None,
    edge_range: tuple[int, int] | None,
    record_count: int,
    digest: str,
) -> dict[str, Any]:
    """Append the ledger entry of the transaction on `connection` and return it."""
    entry: dict[str, Any] = {
        "seq": (previous["seq"] + 1) if previous else 1,
        "recorded_at": next_time(previous["recorded_at"] if previous else None),
        "actor": current_actor(),
        "operation": operation[:500],
        "node_first": node_range[0] if node_range else None,
        "node_last": node_range[1] if node_range else None,
        "edge_first": edge_range[0] if edge_range else None,
        "edge_last": edge_range[1] if edge_range else None,
        "record_count": record_count,
        "records_digest": digest,
        "prev_hash": previous["entry_hash"] if previous else GENESIS,
    }
    entry["entry_hash"] = entry_hash(entry)
    connection.execute(LEDGER.insert(), entry)
    return entry


@dataclass(frozen=True)
class Problem:
    """One thing that no longer matches: where (ledger entry, table, row) and what."""

    tx: int | None
    table: str
    row: int | None
    message: str


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of recomputing the whole chain."""

    entries: int
    records: int
    head_hash: str | None
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


def _describe(row: dict[str, Any]) -> str:
    if "kind" in row:
        return f"{row['kind']} {row['name']!r} version {row['version']} (node row {row['id']})"
    return f"edge row {row['id']} ({row['relation']} {row['subject']} -> {row['object']})"


def _describe_side(table: str, row: dict[str, Any]) -> str:
    if table == "api_token":
        return f"({row['action']} {row['name']!r})"
    if table == "alias":
        return f"({row['name']!r} of node {row['node_id']})"
    return f"({row['path']!r})"


def _stream(connection: Connection, table: Any, batch: int = 20_000) -> Iterator[dict[str, Any]]:
    result = connection.execution_options(stream_results=True, yield_per=batch).execute(
        select(table).order_by(table.c.id)
    )
    for row in result.mappings():
        yield dict(row)


def verify(connection: Connection, expected_head: str | None = None) -> VerifyReport:
    """Recompute every seal, transaction digest and ledger link; report what differs.

    A chain stored beside the data cannot show that its newest entries were cut
    off together with their rows; `expected_head`, a head hash published earlier
    (every report prints one), must still be an entry of the chain.
    """
    entries = [dict(r._mapping) for r in connection.execute(select(LEDGER).order_by(LEDGER.c.seq))]
    problems: list[Problem] = []
    by_seq = {e["seq"]: e for e in entries}
    previous_hash = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        seq = entry["seq"]
        if seq != expected_seq:
            what = "removed" if seq > expected_seq else "inserted"
            problems.append(Problem(expected_seq, "ledger", expected_seq, f"ledger entry {what}"))
            break
        if entry["prev_hash"] != previous_hash:
            problems.append(
                Problem(seq, "ledger", seq, "ledger entry does not chain to the one before")
            )
        if entry_hash(entry) != entry["entry_hash"]:
            problems.append(Problem(seq, "ledger", seq, "ledger entry was altered"))
        previous_hash = entry["entry_hash"]

    seals: dict[int, list[str]] = {}
    seen: dict[tuple[str, int], int] = {}
    records = 0
    for table, columns, kind in ((NODE, NODE_COLUMNS, "node"), (EDGE, EDGE_COLUMNS, "edge")):
        first, last = f"{kind}_first", f"{kind}_last"
        for row in _stream(connection, table):
            records += 1
            tx = row["tx"]
            owner: dict[str, Any] | None = by_seq.get(tx)
            if (
                owner is None
                or owner[first] is None
                or not (owner[first] <= row["id"] <= owner[last])
            ):
                problems.append(
                    Problem(tx, kind, row["id"], f"{_describe(row)} was inserted outside the tool")
                )
                continue
            if _seal_as_stored(kind, tuple(row[c] for c in columns)) != row["seal"]:
                problems.append(
                    Problem(
                        tx, kind, row["id"], f"{_describe(row)} was altered after it was recorded"
                    )
                )
            seals.setdefault(tx, []).append(row["seal"])
            seen[(kind, tx)] = seen.get((kind, tx), 0) + 1

    # API tokens (one transaction each, without records), aliases (with the records they
    # name) and data roots: covered by their entry's digest, after its nodes and edges.
    side_tables = (
        (API_TOKEN, API_TOKEN_COLUMNS, True),
        (ALIAS, ALIAS_COLUMNS, False),
        (DATA_ROOT, DATA_ROOT_COLUMNS, False),
    )
    for table, columns, alone in side_tables:
        for row in _stream(connection, table):
            records += 1
            tx = row["tx"]
            what = f"{table.name} row {row['id']} {_describe_side(table.name, row)}"
            if tx not in by_seq or (alone and by_seq[tx]["node_first"] is not None):
                problems.append(
                    Problem(tx, table.name, row["id"], f"{what} was inserted outside the tool")
                )
                continue
            if _seal_as_stored(table.name, tuple(row[c] for c in columns)) != row["seal"]:
                problems.append(
                    Problem(tx, table.name, row["id"], f"{what} was altered after it was recorded")
                )
            seals.setdefault(tx, []).append(row["seal"])

    for entry in entries:
        seq = entry["seq"]
        missing = False
        for kind in ("node", "edge"):
            first, last = entry[f"{kind}_first"], entry[f"{kind}_last"]
            expected = (last - first + 1) if first is not None else 0
            if seen.get((kind, seq), 0) < expected:
                missing = True
                table = NODE if kind == "node" else EDGE
                present = set(
                    connection.execute(
                        select(table.c.id).where(table.c.id.between(first, last))
                    ).scalars()
                )
                gone = next((i for i in range(first, last + 1) if i not in present), None)
                if gone is None:
                    # Every row is there, but some now name another transaction: the
                    # ledger entries or the rows' `tx` were reordered.
                    problems.append(
                        Problem(
                            seq,
                            kind,
                            first,
                            f"{kind} rows {first} to {last} recorded in transaction {seq} "
                            "name another transaction",
                        )
                    )
                    continue
                problems.append(
                    Problem(
                        seq,
                        kind,
                        gone,
                        f"{kind} row {gone} recorded in transaction {seq} was removed",
                    )
                )
        if not missing and records_digest(seals.get(seq, [])) != entry["records_digest"]:
            problems.append(
                Problem(seq, "ledger", seq, f"the seals of transaction {seq} were rewritten")
            )
    if expected_head is not None and expected_head not in {e["entry_hash"] for e in entries}:
        problems.append(
            Problem(
                None,
                "ledger",
                None,
                f"the published head {expected_head} is not in the ledger: "
                "entries were removed or rewritten",
            )
        )
    problems.sort(key=lambda p: (p.tx if p.tx is not None else 0, p.table != "ledger", p.row or 0))
    return VerifyReport(
        entries=len(entries),
        records=records,
        head_hash=entries[-1]["entry_hash"] if entries else None,
        problems=tuple(problems),
    )
