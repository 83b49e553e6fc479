"""The one write path: resolve references, refuse cycles, insert rows, append the ledger.

Everything that changes the store is a `Batch` passed to `commit()`. The batch
lands in one transaction, whole or not at all. Recording a fact that is already
recorded is a no-op; recording a different fact under an existing name is a
`Conflict` (use an amendment, which adds a new version).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from lineage.errors import Conflict, CycleError, UnknownNode
from lineage.store.acyclic import cycle_names, find_cycle
from lineage.store.engine import is_postgresql, write_transaction
from lineage.store.ledger import append_entry, head, records_digest, seal_of
from lineage.store.pending import (
    Batch,
    PendingEdge,
    PendingNode,
    WriteResult,
)
from lineage.store.resolve import (
    LOOKUP_CHUNK,
    NameResolver,
    current_versions,
    facts_equal,
    label,
    prefix,
)
from lineage.store.staging import StagedLoader
from lineage.store.tables import (
    EDGE,
    EDGE_COLUMNS,
    FACT_COLUMNS,
    IDENTITY_COLUMNS,
    NODE,
    NODE_COLUMNS,
)
from lineage.vocabulary import EXCLUDED_ROLE, REFERENCE_ROLE

log = logging.getLogger(__name__)

BULK_THRESHOLD = 50_000  # rows above which an empty store loads first and indexes after
GC_PAUSE_ROWS = 10_000  # rows above which the garbage collector waits for the commit

# How each end of a relation is named in "is not recorded" errors.
_ROLES = {
    "used": ("run", "input"),
    "was_generated_by": ("output", "run"),
    "was_associated_with": ("run", "agent"),
    "acted_on_behalf_of": ("agent", "agent"),
    "was_derived_from": ("record", "record"),
    "was_attributed_to": ("record", "agent"),
    "was_informed_by": ("run", "parent run"),
}
# A run's `used` with a role names what it used by that role (--reference, --excludes).
_USED_AS = {REFERENCE_ROLE: ("run", "reference"), EXCLUDED_ROLE: ("run", "excluded part")}

_INDEXED = ("uq_node_name_kind_version", "ix_node_node_id", "uq_edge", "ix_edge_object")


_FACT_POSITION = {column: i for i, column in enumerate(FACT_COLUMNS)}
_NO_FACTS: tuple[Any, ...] = (None,) * len(FACT_COLUMNS)


def _fact_values(facts: dict[str, Any]) -> list[Any]:
    """The fact columns of a row, in table order (a record sets only a few of them)."""
    values = list(_NO_FACTS)
    for column, value in facts.items():
        values[_FACT_POSITION[column]] = value
    return values


def _insert_sql(connection: Connection, table: Any, columns: Sequence[str]) -> str:
    marker = "%s" if is_postgresql(connection.engine) else "?"
    return (
        f"INSERT INTO {table.name} ({', '.join(columns)}, seal) "
        f"VALUES ({', '.join([marker] * (len(columns) + 1))})"
    )


def _insert(
    connection: Connection, table: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    if rows:
        # Plain DBAPI executemany under the sqlmodel tables: the ORM is ~10x slower here.
        connection.exec_driver_sql(_insert_sql(connection, table, columns), rows)


def commit(engine: Engine, batch: Batch) -> WriteResult:
    """Write `batch` in one transaction with one ledger entry; all or nothing.

    Raises UnknownNode, AmbiguousName, Conflict, CycleError or InvalidRecord,
    in which case nothing is written.
    """
    with writer(engine, batch.operation, len(batch.nodes) + len(batch.edges)) as sink:
        for node in batch.nodes:
            sink.add_node(node)
        for edge in batch.edges:
            sink.add_edge(edge)
    return sink.result


@contextmanager
def collector_paused(rows: int) -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large batch is built and written.

    A bulk load allocates millions of small tuples and dicts that all stay alive
    until the commit; each collection would walk all of them again (measured: a
    third of the load time). Nothing in a batch forms reference cycles, and the
    previous state is restored afterwards.
    """
    if rows < GC_PAUSE_ROWS or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def writer(engine: Engine, operation: str, expected_rows: int = 0) -> Iterator[Writer]:
    """A write transaction that records streamed in; committed whole when the block ends.

    `expected_rows` lets a first import into an empty store take the bulk path
    (indexes built after the load; on SQLite, rows written by a second process
    while the caller produces more, see `lineage.store.staging`). Any error in
    the block rolls everything back.
    """
    after: list[Callable[[Connection], None]] = []
    with collector_paused(expected_rows), write_transaction(engine, after) as connection:
        sink = Writer(connection, operation, expected_rows)
        if sink.staging is not None:
            after.append(sink.staging.release)
        try:
            yield sink
            sink.finish()
        finally:
            sink.close()


class Writer:
    """Collects the records and relations of one transaction (see `writer`).

    In a first import into an empty store (the bulk path), records get their ids
    as they arrive; on SQLite, rows stream in chunks to a second process, so
    preparing and writing overlap; everything is still one transaction.
    """

    _CHUNK = 20_000

    def __init__(self, connection: Connection, operation: str, expected_rows: int) -> None:
        self.connection = connection
        self.operation = operation
        self.previous = head(connection)
        self.max_node = connection.execute(select(func.max(NODE.c.id))).scalar() or 0
        self.max_edge = connection.execute(select(func.max(EDGE.c.id))).scalar() or 0
        self.tx = (self.previous["seq"] + 1) if self.previous else 1
        self.next_id = self.max_node + 1
        self.next_edge = self.max_edge + 1
        self.resolver = NameResolver(connection, store_empty=self.max_node == 0)
        self.pending_nodes: list[PendingNode] = []
        self.pending_edges: list[PendingEdge] = []
        self.seen: set[tuple[str, str]] = set()
        self.node_rows: list[tuple[Any, ...]] = []
        self.node_seals: list[str] = []
        self.edge_rows: list[tuple[Any, ...]] = []
        self.edge_seals: list[str] = []
        self.edge_index: dict[tuple[int, int, str], PendingEdge] = {}
        self.node_chunk: list[tuple[Any, ...]] = []
        self.edge_chunk: list[tuple[Any, ...]] = []
        self.created: list[tuple[str, str, int]] = []
        self.unchanged: list[tuple[str, str]] = []
        self.new_names: dict[int, tuple[str, str]] = {}
        self.bulk = self.max_node == 0 and expected_rows >= BULK_THRESHOLD
        self.staging: StagedLoader | None = None
        self.result = WriteResult((), (), 0, None, None)
        if self.bulk:
            # A first import into an empty store loads the rows, then builds the indexes.
            for index in _INDEXED:
                connection.execute(text(f"DROP INDEX {index}"))
            database = connection.engine.url.database
            if not is_postgresql(connection.engine) and StagedLoader.available(
                None if database in (None, "", ":memory:") else database
            ):
                # Rows are staged before their ledger entry, which needs all their seals:
                # so `tx` has no foreign key (verify checks it), and relations are copied
                # after the records, leaving no constraint pending.
                try:
                    self.staging = StagedLoader({NODE.name: NODE_COLUMNS, EDGE.name: EDGE_COLUMNS})
                except OSError as error:  # no scratch file or no child: write them here
                    log.warning("bulk load without a staging process: %s", error)

    # -- records ----------------------------------------------------------------------
    def add_node(self, pending: PendingNode) -> None:
        """Add a record (a new one, or with `reason` a new version)."""
        if not self.bulk:
            self.pending_nodes.append(pending)
            if len(self.pending_nodes) >= self._CHUNK:
                self._flush_nodes()
            return
        # An empty store holds nothing to compare with: the record is new.
        key = (pending.kind, pending.name)
        if key in self.seen:
            found = self.resolver.find(key)
            assert found is not None
            if pending.reason is not None:
                self._amend_written(pending, found)
                return
            self._repeat(pending, found[1])
            return
        self.seen.add(key)
        row = self._row(pending, None, {})
        assert row is not None
        self.node_chunk.append(row)
        if len(self.node_chunk) >= self._CHUNK:
            self._load_chunks()

    def _flush_nodes(self) -> None:
        """Resolve queued records against the store: new, unchanged, amended, conflicting."""
        batch, self.pending_nodes = self.pending_nodes, []
        resolver = self.resolver
        resolver.load(n.name for n in batch)
        existing = [f[1] for n in batch if (f := resolver.find((n.kind, n.name)))]
        current = current_versions(self.connection, existing) if existing else {}
        for pending in batch:
            key = (pending.kind, pending.name)
            found = resolver.find(key)
            if key in self.seen:
                assert found is not None
                if pending.reason is not None:
                    self._amend_written(pending, found)
                    continue
                self._repeat(pending, found[1])
                continue
            self.seen.add(key)
            row = self._row(pending, found, current)
            if row is not None:
                self.node_chunk.append(row)

    def _amend_written(self, pending: PendingNode, found: tuple[str, int]) -> None:
        """An amendment of a record this transaction already wrote (a manifest that
        records a licence and its later switch): a new version on top of that row."""
        node_id = found[1]
        earlier = next(
            (r for r in reversed(self.node_rows + self.node_chunk) if r[1] == node_id), None
        )
        if earlier is None:  # recorded before and unchanged here: amend the stored version
            current = current_versions(self.connection, [node_id])
        else:
            stored = dict(zip(NODE_COLUMNS, earlier, strict=False))
            current = {node_id: stored}
        row = self._row(pending, found, current)
        if row is not None:
            self.node_chunk.append(row)

    def _was_recorded(self, node_id: int, pending: PendingNode) -> bool:
        """True when `pending` states an earlier version of the record exactly: a manifest
        that records a fact and its later amendment, ingested again, changes nothing."""
        rows = self.connection.execute(select(NODE).where(NODE.c.node_id == node_id)).mappings()
        return any(
            facts_equal(dict(row), pending.facts) and row["effective"] == pending.effective
            for row in rows
            if row["version"] == 1 or row["reason"] is None
        )

    def _repeat(self, pending: PendingNode, node_id: int) -> None:
        earlier = next(
            (r for r in reversed(self.node_rows + self.node_chunk) if r[1] == node_id), None
        )
        if earlier is not None:
            same = all(
                earlier[len(IDENTITY_COLUMNS) + i] == pending.facts.get(c)
                for i, c in enumerate(FACT_COLUMNS)
            )
        else:
            # The first mention was already recorded (unchanged): the same facts again
            # (one evaluation run shared by several results) are a no-op too.
            stored = current_versions(self.connection, [node_id]).get(node_id)
            same = stored is not None and facts_equal(stored, pending.facts)
        if not same or pending.reason:
            raise Conflict(f"{prefix(pending.where)}{pending.kind} {pending.name!r} is given twice")

    def _row(
        self,
        pending: PendingNode,
        found: tuple[str, int] | None,
        current: dict[int, dict[str, Any]],
    ) -> tuple[Any, ...] | None:
        if found is None:
            if pending.reason is not None:
                raise UnknownNode(
                    f"{prefix(pending.where)}{pending.kind} {pending.name!r} is not recorded"
                )
            node_id, version, facts = self.next_id, 1, pending.facts
            self.resolver.remember(pending.kind, pending.name, node_id)
            self.new_names[node_id] = (pending.kind, pending.name)
        else:
            node_id = found[1]
            stored = current[node_id]
            if pending.reason is None:
                if facts_equal(stored, pending.facts) or self._was_recorded(node_id, pending):
                    self.unchanged.append((pending.kind, pending.name))
                    return None
                changed = next(c for c in FACT_COLUMNS if stored.get(c) != pending.facts.get(c))
                raise Conflict(
                    f"{prefix(pending.where)}{pending.kind} {pending.name!r} is already "
                    f"recorded with another {changed} ({stored.get(changed)!r}); "
                    "use 'lineage amend' to record a correction"
                )
            facts = {c: stored.get(c) for c in FACT_COLUMNS}
            facts.update({k: v for k, v in pending.facts.items() if v is not None})
            facts.update(dict.fromkeys(pending.clear))
            if facts_equal(stored, facts) and pending.effective == stored["effective"]:
                self.unchanged.append((pending.kind, pending.name))
                return None
            version = stored["version"] + 1
        values = (
            self.next_id,
            node_id,
            version,
            pending.kind,
            pending.name,
            self.tx,
            pending.reason,
            pending.effective,
            *_fact_values(facts),
        )
        seal = seal_of("node", values)
        self.node_seals.append(seal)
        self.created.append((pending.kind, pending.name, version))
        self.next_id += 1
        return (*values, seal)

    # -- relations --------------------------------------------------------------------
    def add_edge(self, pending: PendingEdge) -> None:
        """Add a relation. On the bulk path it is written as soon as both ends are known;
        otherwise (or when an end comes later) it is resolved when the transaction ends."""
        if self.bulk:
            find = self.resolver.find
            subject = find(pending.subject)
            obj = find(pending.object)
            if subject is not None and obj is not None:
                self._accept_edge(pending, subject[1], obj[1])
                return
        self.pending_edges.append(pending)

    def _accept_edge(self, pending: PendingEdge, subject: int, obj: int) -> None:
        if subject == obj:
            raise CycleError(
                f"{prefix(pending.where)}{label(*pending.subject)} cannot depend on itself"
            )
        key = (subject, obj, pending.relation)
        if self.edge_index.setdefault(key, pending) is not pending:
            return  # the same relation twice in one transaction
        values = (self.next_edge, subject, obj, pending.relation, pending.role, self.tx)
        seal = seal_of("edge", values)
        self.edge_seals.append(seal)
        self.edge_chunk.append((*values, seal))
        self.next_edge += 1
        if len(self.edge_chunk) >= self._CHUNK:
            self._load_chunks()

    def _resolve_pending_edges(self) -> None:
        """Resolve the relations left for the end; drop ones already recorded."""
        pending_edges, self.pending_edges = self.pending_edges, []
        resolver = self.resolver
        resolver.load(r[1] for e in pending_edges for r in (e.subject, e.object))
        resolved: list[tuple[PendingEdge, int, int]] = []
        for pending_edge in pending_edges:
            subject = resolver.find(pending_edge.subject)
            obj = resolver.find(pending_edge.object)
            if subject is None or obj is None:
                if pending_edge.optional:
                    continue
                roles = _USED_AS.get(pending_edge.role or "") or _ROLES.get(
                    pending_edge.relation, ("record", "record")
                )
                resolver.require(pending_edge.subject, pending_edge.where, roles[0])
                resolver.require(pending_edge.object, pending_edge.where, roles[1])
                raise AssertionError("unreachable: require() raises")
            resolved.append((pending_edge, subject[1], obj[1]))
        recorded: set[tuple[int, int, str]] = set()
        if self.max_edge and resolved:
            subjects = sorted({s for _, s, _ in resolved})
            for i in range(0, len(subjects), LOOKUP_CHUNK):
                for s, o, r in self.connection.execute(
                    select(EDGE.c.subject, EDGE.c.object, EDGE.c.relation).where(
                        EDGE.c.subject.in_(subjects[i : i + LOOKUP_CHUNK])
                    )
                ):
                    recorded.add((s, o, r))
        for pending_edge, s, o in resolved:
            if (s, o, pending_edge.relation) not in recorded:
                self._accept_edge(pending_edge, s, o)

    # -- the end ----------------------------------------------------------------------
    def _load_chunks(self) -> None:
        """Hand the rows made so far to the staging process (bulk path) or keep them."""
        nodes, self.node_chunk = self.node_chunk, []
        edges, self.edge_chunk = self.edge_chunk, []
        self.node_rows.extend(nodes)
        self.edge_rows.extend(edges)
        if self.staging is not None:
            self.staging.load(NODE.name, nodes)
            self.staging.load(EDGE.name, edges)

    def finish(self) -> None:
        """Resolve what is left, refuse cycles, append the ledger entry, build indexes."""
        self._flush_nodes()
        self._resolve_pending_edges()
        self._load_chunks()  # the last rows go in while the cycle check runs
        if self.edge_index:
            cycle = find_cycle(
                self.connection, [(s, o) for s, o, _ in self.edge_index], self.max_edge > 0
            )
            if cycle is not None:
                # Name the line of the relation that closes the cycle: the last one given.
                order = {(s, o): i for i, (s, o, _) in enumerate(self.edge_index)}
                on_cycle = [order[pair] for pair in pairwise(cycle) if pair in order]
                closing = list(self.edge_index)[max(on_cycle)]
                where = self.edge_index[closing].where
                chain = " -> ".join(cycle_names(self.connection, cycle, self.new_names))
                raise CycleError(f"{prefix(where)}this would make the lineage cyclic: {chain}")
        if not self.node_rows and not self.edge_rows:
            self.result = WriteResult((), tuple(self.unchanged), 0, None, None)
            return
        entry = append_entry(
            self.connection,
            self.previous,
            operation=self.operation,
            node_range=(self.max_node + 1, self.next_id - 1) if self.node_rows else None,
            edge_range=(self.max_edge + 1, self.next_edge - 1) if self.edge_rows else None,
            record_count=len(self.node_rows) + len(self.edge_rows),
            digest=records_digest(self.node_seals + self.edge_seals),
        )
        if self.staging is not None:
            self.staging.copy_into(self.connection)
        else:
            _insert(self.connection, NODE, NODE_COLUMNS, self.node_rows)
            _insert(self.connection, EDGE, EDGE_COLUMNS, self.edge_rows)
        if self.bulk:
            for index in NODE.indexes | EDGE.indexes:
                if index.name in _INDEXED:
                    index.create(self.connection)
        log.info(
            "transaction %s: %d records, %d relations",
            entry["seq"],
            len(self.node_rows),
            len(self.edge_rows),
        )
        self.result = WriteResult(
            tuple(self.created),
            tuple(self.unchanged),
            len(self.edge_rows),
            entry["seq"],
            entry["entry_hash"],
        )

    def close(self) -> None:
        if self.staging is not None:
            self.staging.close()
