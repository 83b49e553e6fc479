"""The one write path: validate references, refuse cycles, insert rows, append the ledger.

Everything that changes the store is a `Batch` passed to `commit()`. The batch
lands in one transaction, whole or not at all. Recording a fact that is already
recorded is a no-op; recording a different fact under an existing name is a
`Conflict` (use an amendment, which adds a new version).
"""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from lineage.errors import AmbiguousName, Conflict, CycleError, InvalidRecord, UnknownNode
from lineage.store.engine import is_postgresql, write_transaction
from lineage.store.ledger import append_entry, head, records_digest, seal_of
from lineage.store.tables import (
    EDGE,
    EDGE_COLUMNS,
    FACT_COLUMNS,
    NODE,
    NODE_COLUMNS,
)

log = logging.getLogger(__name__)

Ref = tuple[str | None, str]
_ENTITIES = frozenset({"source", "dataset", "model"})  # (kind or None for "any entity kind", name)
ENTITY = "entity"  # a Ref kind meaning source, dataset or model
BULK_THRESHOLD = 50_000  # rows above which an empty store loads first and indexes after
_LOOKUP_CHUNK = 500


@dataclass
class PendingNode:
    """A record to add (or, with `reason`, a new version of an existing one)."""

    kind: str
    name: str
    facts: dict[str, Any]
    where: object = ""  # str, or anything whose str() names the place, built on error
    reason: str | None = None
    effective: str | None = None


@dataclass
class PendingEdge:
    """A relation between two records named by (kind, name)."""

    subject: Ref
    object: Ref
    relation: str
    where: object = ""  # str, or anything whose str() names the place, built on error
    role: str | None = None
    optional: bool = False  # skip, rather than fail, when an end is not recorded


@dataclass
class Batch:
    """Everything one transaction writes."""

    operation: str
    nodes: list[PendingNode] = field(default_factory=list)
    edges: list[PendingEdge] = field(default_factory=list)


@dataclass(frozen=True)
class WriteResult:
    """What a commit did: new versions written, records already present, edges added."""

    created: tuple[tuple[str, str, int], ...]
    unchanged: tuple[tuple[str, str], ...]
    edges: int
    ledger_seq: int | None
    ledger_hash: str | None


def _prefix(where: object) -> str:
    text = str(where)
    return f"{text}: " if text else ""


def _label(kind: str | None, name: str) -> str:
    return f"{kind} {name!r}" if kind and kind != ENTITY else repr(name)


class _Resolver:
    """Maps (kind, name) to node ids: new records of the batch first, then the store."""

    def __init__(self, connection: Connection, store_empty: bool) -> None:
        self.connection = connection
        self.store_empty = store_empty
        self.by_name: dict[str, dict[str, int]] = defaultdict(dict)

    def load(self, names: Iterable[str]) -> None:
        if self.store_empty:
            return
        wanted = sorted({n for n in names if n not in self.by_name})
        for i in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[i : i + _LOOKUP_CHUNK]
            rows = self.connection.execute(
                select(NODE.c.id, NODE.c.kind, NODE.c.name).where(
                    NODE.c.version == 1, NODE.c.name.in_(chunk)
                )
            )
            for node_id, kind, name in rows:
                self.by_name[name][kind] = node_id

    def find(self, ref: Ref) -> tuple[str, int] | None:
        kind, name = ref
        found = self.by_name.get(name)
        if not found:
            return None
        if len(found) == 1:
            # The common case, kept cheap: a name recorded under one kind only.
            ((kind_found, node_id),) = found.items()
            if kind is None or kind == kind_found or (kind == ENTITY and kind_found in _ENTITIES):
                return kind_found, node_id
            return None
        if kind == ENTITY:
            found = {k: v for k, v in found.items() if k in ("source", "dataset", "model")}
        elif kind is not None:
            return (kind, found[kind]) if kind in found else None
        if not found:
            return None
        if len(found) > 1:
            kinds = " or ".join(f"{k}:{name}" for k in sorted(found))
            raise AmbiguousName(f"{name!r} names more than one record: write {kinds}")
        ((kind_found, node_id),) = found.items()
        return kind_found, node_id

    def require(self, ref: Ref, where: object, role: str) -> tuple[str, int]:
        found = self.find(ref)
        if found is None:
            raise UnknownNode(f"{_prefix(where)}{role} {_label(*ref)} is not recorded")
        return found


def _current_versions(connection: Connection, node_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    current: dict[int, dict[str, Any]] = {}
    for i in range(0, len(node_ids), _LOOKUP_CHUNK):
        chunk = list(node_ids[i : i + _LOOKUP_CHUNK])
        for row in connection.execute(select(NODE).where(NODE.c.node_id.in_(chunk))).mappings():
            have = current.get(row["node_id"])
            if have is None or row["version"] > have["version"]:
                current[row["node_id"]] = dict(row)
    return current


def _facts_equal(stored: dict[str, Any], facts: dict[str, Any]) -> bool:
    return all(stored.get(c) == facts.get(c) for c in FACT_COLUMNS)


def _check_acyclic(
    connection: Connection, new_edges: list[tuple[int, int]], store_has_edges: bool
) -> list[int] | None:
    """Return a cycle (node ids) that the new edges would close, or None.

    The stored graph is acyclic, so any cycle uses a new edge. Stored paths
    between the nodes the new edges touch are added as shortcut edges (found
    by a downstream recursive query), and Kahn's algorithm runs on the result.
    """
    graph: dict[int, list[int]] = defaultdict(list)
    for subject, obj in new_edges:
        graph[subject].append(obj)
    if store_has_edges:
        touched = sorted({n for edge in new_edges for n in edge})
        for i in range(0, len(touched), _LOOKUP_CHUNK):
            chunk = touched[i : i + _LOOKUP_CHUNK]
            starts = " UNION ALL ".join(f"SELECT {int(n)}, {int(n)}" for n in chunk)
            rows = connection.exec_driver_sql(
                "WITH RECURSIVE down(start, id) AS ("
                f"{starts} UNION "
                "SELECT down.start, edge.subject FROM edge JOIN down ON edge.object = down.id"
                ") SELECT start, id FROM down WHERE start <> id"
            )
            touched_set = set(touched)
            for start, reached in rows:
                if reached in touched_set:
                    graph[reached].append(start)
    indegree: dict[int, int] = defaultdict(int)
    for targets in graph.values():
        for t in targets:
            indegree[t] += 1
    queue = deque(n for n in graph if indegree[n] == 0)
    seen = 0
    nodes = set(graph) | set(indegree)
    while queue:
        n = queue.popleft()
        seen += 1
        for t in graph.get(n, ()):
            indegree[t] -= 1
            if indegree[t] == 0:
                queue.append(t)
    if seen == len(nodes):
        return None
    # Walk from a node left on a cycle until a node repeats, to name it.
    remaining = {n for n in nodes if indegree[n] > 0}
    walk: list[int] = [next(iter(remaining))]
    positions = {walk[0]: 0}
    while True:
        step = next(t for t in graph[walk[-1]] if t in remaining)
        if step in positions:
            return walk[positions[step] :] + [step]
        positions[step] = len(walk)
        walk.append(step)


def _names(connection: Connection, ids: Iterable[int], new: dict[int, tuple[str, str]]) -> list[str]:
    out = []
    for node_id in ids:
        if node_id in new:
            kind, name = new[node_id]
        else:
            row = connection.execute(
                select(NODE.c.kind, NODE.c.name).where(NODE.c.id == node_id)
            ).one()
            kind, name = row
        out.append(f"{kind}:{name}")
    return out


# How each end of a relation is named in "is not recorded" errors.
_ROLES = {
    "used": ("run", "input"),
    "was_generated_by": ("output", "run"),
    "was_associated_with": ("run", "agent"),
    "acted_on_behalf_of": ("agent", "agent"),
    "was_derived_from": ("record", "record"),
    "was_attributed_to": ("record", "agent"),
}

_INDEXED = (
    "ix_node_name",
    "ix_node_node_id",
    "ix_node_tx",
    "ix_edge_object",
    "ix_edge_tx",
    "uq_node_kind_name_version",
    "uq_edge",
)


def _insert(
    connection: Connection, table: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    marker = "%s" if is_postgresql(connection.engine) else "?"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}, seal) "
        f"VALUES ({', '.join([marker] * (len(columns) + 1))})"
    )
    # Plain DBAPI executemany under the sqlmodel tables: the ORM would be ~10x slower here.
    connection.exec_driver_sql(sql, rows)


def commit(engine: Engine, batch: Batch) -> WriteResult:
    """Write `batch` in one transaction with one ledger entry; all or nothing.

    Raises UnknownNode, AmbiguousName, Conflict, CycleError or InvalidRecord,
    in which case nothing is written.
    """
    with write_transaction(engine) as connection:
        return _commit(connection, batch)


def _commit(connection: Connection, batch: Batch) -> WriteResult:
    previous = head(connection)
    max_node = connection.execute(select(func.max(NODE.c.id))).scalar() or 0
    max_edge = connection.execute(select(func.max(EDGE.c.id))).scalar() or 0
    resolver = _Resolver(connection, store_empty=max_node == 0)
    resolver.load([n.name for n in batch.nodes] + [r[1] for e in batch.edges for r in (e.subject, e.object)])

    # Records: new, unchanged (idempotent), amended (new version) or conflicting.
    seen_in_batch: dict[tuple[str, str], PendingNode] = {}
    existing_ids: list[int] = []
    for pending in batch.nodes:
        key = (pending.kind, pending.name)
        if key in seen_in_batch:
            if not _facts_equal(seen_in_batch[key].facts, pending.facts) or pending.reason:
                raise Conflict(f"{_prefix(pending.where)}{pending.kind} {pending.name!r} is given twice")
            continue
        seen_in_batch[key] = pending
        found = resolver.find((pending.kind, pending.name))
        if found:
            existing_ids.append(found[1])
    current = _current_versions(connection, existing_ids) if existing_ids else {}

    node_rows: list[tuple[Any, ...]] = []
    seals: list[str] = []
    created: list[tuple[str, str, int]] = []
    unchanged: list[tuple[str, str]] = []
    new_names: dict[int, tuple[str, str]] = {}
    tx = (previous["seq"] + 1) if previous else 1
    next_id = max_node + 1
    for pending in seen_in_batch.values():
        found = resolver.find((pending.kind, pending.name))
        if found is None:
            if pending.reason is not None:
                raise UnknownNode(
                    f"{_prefix(pending.where)}{pending.kind} {pending.name!r} is not recorded"
                )
            node_id, version, facts = next_id, 1, pending.facts
            resolver.by_name[pending.name][pending.kind] = node_id
            new_names[node_id] = (pending.kind, pending.name)
        else:
            node_id = found[1]
            stored = current[node_id]
            if pending.reason is None:
                if _facts_equal(stored, pending.facts):
                    unchanged.append((pending.kind, pending.name))
                    continue
                changed = next(c for c in FACT_COLUMNS if stored.get(c) != pending.facts.get(c))
                raise Conflict(
                    f"{_prefix(pending.where)}{pending.kind} {pending.name!r} is already "
                    "recorded with another "
                    f"{changed} ({stored.get(changed)!r}); use 'lineage amend' to record a correction"
                )
            facts = {c: stored.get(c) for c in FACT_COLUMNS}
            facts.update({k: v for k, v in pending.facts.items() if v is not None})
            if _facts_equal(stored, facts) and pending.effective == stored["effective"]:
                unchanged.append((pending.kind, pending.name))
                continue
            version = stored["version"] + 1
        row = dict.fromkeys(NODE_COLUMNS)
        row.update(facts)
        row.update(
            id=next_id,
            node_id=node_id,
            version=version,
            kind=pending.kind,
            name=pending.name,
            tx=tx,
            reason=pending.reason,
            effective=pending.effective,
        )
        values = [row[c] for c in NODE_COLUMNS]
        seal = seal_of("node", values)
        values.append(seal)
        seals.append(seal)
        node_rows.append(tuple(values))
        created.append((pending.kind, pending.name, version))
        next_id += 1

    # Relations: resolve names, drop the ones already recorded, refuse cycles.
    edge_keys: dict[tuple[int, int, str], PendingEdge] = {}
    for pending_edge in batch.edges:
        if pending_edge.optional and (
            resolver.find(pending_edge.subject) is None or resolver.find(pending_edge.object) is None
        ):
            continue
        roles = _ROLES.get(pending_edge.relation, ("record", "record"))
        subject = resolver.require(pending_edge.subject, pending_edge.where, roles[0])
        obj = resolver.require(pending_edge.object, pending_edge.where, roles[1])
        if subject[1] == obj[1]:
            raise CycleError(
                f"{_prefix(pending_edge.where)}"
                f"{_label(*pending_edge.subject)} cannot depend on itself"
            )
        edge_keys.setdefault((subject[1], obj[1], pending_edge.relation), pending_edge)
    store_has_edges = max_edge > 0
    if store_has_edges and edge_keys:
        keys = list(edge_keys)
        for i in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[i : i + _LOOKUP_CHUNK]
            subjects = sorted({k[0] for k in chunk})
            for s, o, r in connection.execute(
                select(EDGE.c.subject, EDGE.c.object, EDGE.c.relation).where(
                    EDGE.c.subject.in_(subjects)
                )
            ):
                edge_keys.pop((s, o, r), None)
    if edge_keys:
        cycle = _check_acyclic(connection, [(s, o) for s, o, _ in edge_keys], store_has_edges)
        if cycle is not None:
            where = next(iter(edge_keys.values())).where
            chain = " -> ".join(_names(connection, cycle, new_names))
            raise CycleError(
                f"{_prefix(where)}this would make the lineage cyclic: {chain}"
            )

    edge_rows: list[tuple[Any, ...]] = []
    next_edge = max_edge + 1
    for (s, o, r), pending_edge in edge_keys.items():
        values = [next_edge, s, o, r, pending_edge.role, tx]
        seal = seal_of("edge", values)
        values.append(seal)
        seals.append(seal)
        edge_rows.append(tuple(values))
        next_edge += 1
    assert list(EDGE_COLUMNS) == ["id", "subject", "object", "relation", "role", "tx"]

    if not node_rows and not edge_rows:
        return WriteResult(tuple(created), tuple(unchanged), 0, None, None)

    bulk = max_node == 0 and len(node_rows) + len(edge_rows) >= BULK_THRESHOLD
    entry = append_entry(
        connection,
        previous,
        operation=batch.operation,
        node_range=(max_node + 1, next_id - 1) if node_rows else None,
        edge_range=(max_edge + 1, next_edge - 1) if edge_rows else None,
        record_count=len(node_rows) + len(edge_rows),
        digest=records_digest(seals),
    )
    if bulk:
        # A first import into an empty store loads the rows, then builds the indexes.
        for index in _INDEXED:
            connection.execute(text(f"DROP INDEX {index}"))
    _insert(connection, NODE, NODE_COLUMNS, node_rows)
    _insert(connection, EDGE, EDGE_COLUMNS, edge_rows)
    if bulk:
        for index in NODE.indexes | EDGE.indexes:
            if index.name in _INDEXED:
                index.create(connection)
    log.info("transaction %s: %d records, %d edges", entry["seq"], len(node_rows), len(edge_rows))
    return WriteResult(
        tuple(created), tuple(unchanged), len(edge_rows), entry["seq"], entry["entry_hash"]
    )


def check_field_names(facts: dict[str, Any]) -> None:
    """Guard against facts that name no column (a programming error surfaced as input error)."""
    unknown = set(facts) - set(FACT_COLUMNS)
    if unknown:
        raise InvalidRecord(f"unknown field {sorted(unknown)[0]!r}")
