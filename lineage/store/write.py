"""The one write path: resolve references, refuse cycles, insert rows, append the ledger.

Everything that changes the store is a `Batch` passed to `commit()`. The batch
lands in one transaction, whole or not at all. Recording a fact that is already
recorded is a no-op; recording a different fact under an existing name is a
`Conflict` (use an amendment, which adds a new version).
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from lineage import process
from lineage.errors import Conflict, CycleError, UnknownNode
from lineage.store.acyclic import cycle_names, find_cycle
from lineage.store.data_root import current_data_root, real_path, stored_path
from lineage.store.engine import is_postgresql, write_transaction
from lineage.store.ledger import (
    LATE_COLUMNS,
    append_entry,
    head,
    records_digest,
    seal_of,
    seals_of,
)
from lineage.store.pending import (
    ENTITIES,
    ENTITY,
    Batch,
    PendingEdge,
    PendingNode,
    Ref,
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
    ALIAS,
    ALIAS_COLUMNS,
    DIGEST_INDEX,
    DIGEST_INDEX_DDL,
    EDGE,
    EDGE_COLUMNS,
    FACT_COLUMNS,
    IDENTITY_COLUMNS,
    NODE,
    NODE_COLUMNS,
)
from lineage.store.versions import GENERATED, USED, VERSION_NAME, VersionPlanner
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
    "was_revision_of": ("version", "earlier version"),
    "specialization_of": ("version", "dataset"),
    "was_invalidated_by": ("dataset", "run"),
}
# A run's `used` with a role names what it used by that role (--reference, --excludes).
_USED_AS = {REFERENCE_ROLE: ("run", "reference"), EXCLUDED_ROLE: ("run", "excluded part")}

_INDEXED = (
    "uq_node_name_kind_version",
    "ix_node_node_id",
    DIGEST_INDEX,
    "uq_edge",
    "ix_edge_object",
)


_FACT_POSITION = {column: i for i, column in enumerate(FACT_COLUMNS)}
_NO_FACTS: tuple[Any, ...] = (None,) * len(FACT_COLUMNS)


def _fact_values(facts: dict[str, Any]) -> list[Any]:
    """The fact columns of a row, in table order (a record sets only a few of them)."""
    values = list(_NO_FACTS)
    for column, value in facts.items():
        values[_FACT_POSITION[column]] = value
    return values


def _plain_version_end(edge: PendingEdge, subject_kind: str, object_kind: str) -> bool:
    """Whether `edge` is a run's read or write of a dataset whose name is not a
    version's (`orders@v2`): the planner may leave it as given."""
    if edge.relation == USED and object_kind == "dataset":
        return VERSION_NAME.match(edge.object[1]) is None
    if edge.relation == GENERATED and subject_kind == "dataset":
        return VERSION_NAME.match(edge.subject[1]) is None
    return False


_INSERT_CHUNK = 20_000  # rows per executemany: their columns are transposed at once


def _insert(
    connection: Connection,
    table: Any,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    kept: Sequence[int] | None = None,
) -> None:
    """Insert `rows` (every column of `table`, then the seal), binding only the columns
    at the positions `kept` (default: those set in at least one row of each chunk).

    A record sets a handful of its ~40 fact columns; binding the empty ones cost
    two thirds of the insert (the columns have no default: left out is NULL).
    Picking and testing for None run in C; plain DBAPI executemany under the
    Core tables, as the ORM is ~10x slower here.
    """
    marker = "%s" if is_postgresql(connection.engine) else "?"
    names = [*columns, "seal"]
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[start : start + _INSERT_CHUNK]
        if kept is None:
            by_column = list(zip(*chunk, strict=True))
            bound = [i for i, values in enumerate(by_column) if values.count(None) != len(chunk)]
        else:
            bound = list(kept)
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names[i] for i in bound)}) "
            f"VALUES ({', '.join([marker] * len(bound))})"
        )
        if len(bound) == len(names):
            connection.exec_driver_sql(sql, chunk)
        elif kept is None:
            connection.exec_driver_sql(sql, list(zip(*(by_column[i] for i in bound), strict=True)))
        else:
            connection.exec_driver_sql(sql, list(map(itemgetter(*bound), chunk)))


def _sealed(table: str, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """`rows` of `table`, each with its seal after its columns."""
    return [(*row, seal) for row, seal in zip(rows, seals_of(table, rows), strict=True)]


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
        if process.ONE_SHOT:
            _promote_survivors()
        gc.enable()


def _promote_survivors() -> None:
    """Move every object the paused block left alive to the oldest generation.

    Re-enabled as they are, the millions of objects allocated meanwhile would all sit
    in the youngest generation, and the next allocation would walk them all (a second
    of a 100,000-record report, spent on the report it has just made). Frozen and
    unfrozen (two list splices, no walk), they join the oldest generation unwalked.
    Only in a process that ends after its command (`lineage.process.ONE_SHOT`, the
    CLI's commands): objects moved so do not count towards the oldest generation's
    next collection and `gc.freeze` resets the youngest one's count, so in a process
    that goes on (the server, a notebook) the garbage cycles of every read would
    pile up uncollected. Left alone when something else froze objects on purpose
    (`gc.freeze` before a fork): unfreezing would release them.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


@contextmanager
def writer(engine: Engine, operation: str, expected_rows: int = 0) -> Iterator[Writer]:
    """A write transaction that records streamed in; committed whole when the block ends.

    `expected_rows` lets a first import into an empty store take the bulk path
    (indexes built after the load; on SQLite with two CPUs or more, rows sealed and
    written by a second process while the caller produces more, see
    `lineage.store.staging`). Any error in the block rolls everything back.
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
        self.max_alias = connection.execute(select(func.max(ALIAS.c.id))).scalar() or 0
        self.stored_aliases = self.max_alias > 0
        self.data_root = current_data_root(connection)
        # Other names of records: stored ones (looked up as names come) and this batch's.
        self.alias_names: dict[str, str] = {}
        self.aliases_looked_up: set[str] = set()
        self.new_aliases: list[tuple[str, str, str, object]] = []
        self.alias_rows: list[tuple[Any, ...]] = []
        self.alias_seals: list[str] = []
        self.tx = (self.previous["seq"] + 1) if self.previous else 1
        self.next_id = self.max_node + 1
        self.next_edge = self.max_edge + 1
        self.resolver = NameResolver(connection, store_empty=self.max_node == 0)
        self.pending_nodes: list[PendingNode] = []
        self.pending_edges: list[PendingEdge] = []
        # Bulk path: reads and writes of datasets new in this transaction, both ends
        # found, each with its place among `pending_edges` (see `_resolve_held_edges`).
        self.held_edges: list[tuple[int, PendingEdge, int, int]] = []
        self.seen: set[tuple[str, str]] = set()
        self.node_rows: list[tuple[Any, ...]] = []
        self.edge_rows: list[tuple[Any, ...]] = []
        self.fact_names: set[str] = set()  # the fact columns set in some record
        self.edge_index: dict[tuple[int, int, str], PendingEdge] = {}
        self.node_chunk: list[tuple[Any, ...]] = []
        self.edge_chunk: list[tuple[Any, ...]] = []
        self.unchanged: list[tuple[str, str]] = []
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
                    self.staging = StagedLoader(
                        {NODE.name: NODE_COLUMNS, EDGE.name: EDGE_COLUMNS}, LATE_COLUMNS
                    )
                except OSError as error:  # no scratch file or no child: write them here
                    log.warning("bulk load without a staging process: %s", error)

    # -- records ----------------------------------------------------------------------
    # -- other names ------------------------------------------------------------------
    def add_alias(self, kind: str, alias: str, name: str, where: object = "") -> None:
        """Record `alias` as another name of the `kind` record `name` (recorded, or
        added in this transaction). Records and relations given under `alias` from now
        on are those of `name`."""
        if alias == name or self.alias_names.get(alias) == name:
            return
        self.alias_names[alias] = name
        self.aliases_looked_up.add(alias)
        self.new_aliases.append((kind, alias, name, where))

    def load_aliases(self, names: Iterable[str]) -> None:
        """Learn which of `names` are recorded aliases, and of which record."""
        if not self.stored_aliases:
            return
        wanted = sorted(set(names) - self.aliases_looked_up)
        self.aliases_looked_up.update(wanted)
        for i in range(0, len(wanted), LOOKUP_CHUNK):
            query = (
                select(ALIAS.c.name, NODE.c.name)
                .join(NODE, NODE.c.id == ALIAS.c.node_id)
                .where(ALIAS.c.name.in_(wanted[i : i + LOOKUP_CHUNK]))
            )
            for alias, name in self.connection.execute(query):
                self.alias_names.setdefault(alias, name)

    def canonical(self, ref: Ref) -> Ref:
        """The name `ref` is recorded under: its record's own name when it is an alias."""
        kind, name = ref
        if kind is not None and kind != ENTITY and kind not in ENTITIES:
            return ref
        return (kind, self.alias_names.get(name, name))

    def _rename_node(self, pending: PendingNode) -> None:
        if pending.kind in ENTITIES and pending.name in self.alias_names:
            pending.name = self.alias_names[pending.name]
        path = pending.facts.get("path")
        if isinstance(path, str) and os.path.isabs(path):
            pending.facts["path"] = stored_path(path, self.data_root)

    def _keep_stored_path(self, stored: dict[str, Any], pending: PendingNode) -> None:
        """A recorded path that names the same place as the one given is the recorded
        path, not a change: one recorded relative to an earlier command's folder (before
        schema 6), or absolute before the data root was set."""
        before, path = stored.get("path"), pending.facts.get("path")
        if not isinstance(before, str) or not isinstance(path, str) or before == path:
            return
        root = self.data_root
        if os.path.abspath(real_path(before, root)) == os.path.abspath(real_path(path, root)):
            pending.facts["path"] = before

    def _rename_edge(self, pending: PendingEdge) -> None:
        if self.alias_names:
            pending.subject = self.canonical(pending.subject)
            pending.object = self.canonical(pending.object)

    def _write_aliases(self) -> None:
        """Rows of the aliases given in this transaction (no-ops for known ones)."""
        if not self.new_aliases:
            return
        resolver = self.resolver
        names = [n for _, alias, name, _ in self.new_aliases for n in (alias, name)]
        resolver.load(names)
        stored: dict[str, int] = {}
        if self.stored_aliases:
            wanted = sorted({alias for _, alias, _, _ in self.new_aliases})
            for i in range(0, len(wanted), LOOKUP_CHUNK):
                query = select(ALIAS.c.name, ALIAS.c.node_id).where(
                    ALIAS.c.name.in_(wanted[i : i + LOOKUP_CHUNK])
                )
                stored.update({a: n for a, n in self.connection.execute(query)})
        written: set[str] = set()
        for kind, alias, name, where in self.new_aliases:
            _, node_id = resolver.require((kind, name), where, kind)
            taken = resolver.find((ENTITY, alias))
            if taken is not None and taken[1] != node_id:
                raise Conflict(
                    f"{prefix(where)}{alias!r} is the name of another record: it cannot also "
                    f"name {kind} {name!r}"
                )
            if stored.get(alias, node_id) != node_id:
                raise Conflict(
                    f"{prefix(where)}{alias!r} is already another name of a different record"
                )
            if taken is not None or alias in stored or alias in written:
                continue
            written.add(alias)
            self.max_alias += 1
            values = (self.max_alias, alias, node_id, self.tx)
            seal = seal_of(ALIAS.name, values)
            self.alias_seals.append(seal)
            self.alias_rows.append((*values, seal))

    # -- records ----------------------------------------------------------------------
    def add_node(self, pending: PendingNode) -> None:
        """Add a record (a new one, or with `reason` a new version)."""
        self._rename_node(pending)
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
        self.load_aliases(n.name for n in batch if n.kind in ENTITIES)
        for pending in batch:
            self._rename_node(pending)
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
        else:
            node_id = found[1]
            stored = current[node_id]
            self._keep_stored_path(stored, pending)
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
        self.fact_names.update(facts)
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
        self.next_id += 1
        return values  # sealed with its chunk (`_load_chunks`)

    def add_version_record(self, pending: PendingNode) -> None:
        """Add a dataset version made by the write path (lineage.store.versions)."""
        row = self._row(pending, None, {})
        assert row is not None
        self.node_chunk.append(row)

    def transaction_rows(self) -> Iterator[tuple[Any, ...]]:
        """The record rows this transaction wrote so far, in order (NODE_COLUMNS, then the
        seal, which the rows of the chunk not yet loaded, and those the staging child
        seals, do not have here)."""
        yield from self.node_rows
        yield from self.node_chunk

    # -- relations --------------------------------------------------------------------
    def add_edge(self, pending: PendingEdge) -> None:
        """Add a relation. On the bulk path it is written as soon as both ends are known;
        otherwise (or when an end comes later) it is resolved when the transaction ends."""
        self._rename_edge(pending)
        if self.bulk:
            find = self.resolver.find
            subject = find(pending.subject)
            obj = find(pending.object)
            if subject is not None and obj is not None:
                # A dataset read or written resolves to a version when the transaction ends.
                hint = pending.version
                if hint is None or (subject[0] != "dataset" and obj[0] != "dataset"):
                    self._accept_edge(pending, subject[1], obj[1])
                    return
                plain = hint.named is None and hint.time is None
                if plain and _plain_version_end(pending, subject[0], obj[0]):
                    self.held_edges.append((len(self.pending_edges), pending, subject[1], obj[1]))
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
        self.edge_chunk.append(
            (self.next_edge, subject, obj, pending.relation, pending.role, self.tx)
        )
        self.next_edge += 1
        if len(self.edge_chunk) >= self._CHUNK:
            self._load_chunks()

    def _resolve_held_edges(self) -> list[tuple[PendingEdge, int, int]]:
        """The held reads and writes of datasets (bulk path), when none of those datasets
        has versions: what the version planner would leave as given, placed after the
        other relations, as it places them. Otherwise they go back among the pending
        relations, in the order given, for the planner.

        Deciding costs one pass over them (`VersionPlanner.versioned`), and no second
        look-up of their ends: a first import reads and writes hundreds of thousands.
        """
        held, self.held_edges = self.held_edges, []
        if not held:
            return []
        # Ends found when they came stay right unless a name came to mean several
        # records (an ambiguous name is an error), an alias renamed one, or a relation
        # left pending needs the planner too.
        plain = not self.resolver.several and not self.alias_names
        plain = plain and all(e.version is None for e in self.pending_edges)
        if plain:
            hinted = [
                (place, edge, o, edge.subject[1])
                if edge.relation == USED
                else (place, edge, s, edge.object[1])
                for place, edge, s, o in held
            ]
            if not VersionPlanner(self).versioned(hinted):
                return [(edge, s, o) for _, edge, s, o in held]
        merged: list[PendingEdge] = []
        start = 0
        for place, edge, _, _ in held:
            merged += self.pending_edges[start:place]
            merged.append(edge)
            start = place
        self.pending_edges = merged + self.pending_edges[start:]
        return []

    def _resolve_pending_edges(self) -> None:
        """Resolve the relations left for the end; drop ones already recorded."""
        held = self._resolve_held_edges()
        pending_edges, self.pending_edges = self.pending_edges, []
        self.load_aliases(r[1] for e in pending_edges for r in (e.subject, e.object))
        for pending_edge in pending_edges:
            self._rename_edge(pending_edge)
        if any(e.version is not None for e in pending_edges):
            pending_edges = VersionPlanner(self).plan(pending_edges)
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
        for pending_edge, s, o in held:  # new in this transaction: none recorded
            self._accept_edge(pending_edge, s, o)

    # -- the end ----------------------------------------------------------------------
    def _load_chunks(self) -> None:
        """Hand the rows made so far to the staging process, which seals them (bulk path),
        or seal and keep them."""
        nodes, edges = self.node_chunk, self.edge_chunk
        self.node_chunk, self.edge_chunk = [], []
        if self.staging is not None:
            self.staging.load(NODE.name, nodes)
            self.staging.load(EDGE.name, edges)
        else:
            nodes, edges = _sealed(NODE.name, nodes), _sealed(EDGE.name, edges)
        self.node_rows.extend(nodes)
        self.edge_rows.extend(edges)

    def finish(self) -> None:
        """Resolve what is left, refuse cycles, append the ledger entry, build indexes."""
        self._flush_nodes()
        self._resolve_pending_edges()
        self._write_aliases()
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
                new_names = {r[1]: (r[3], r[4]) for r in self.transaction_rows()}
                chain = " -> ".join(cycle_names(self.connection, cycle, new_names))
                raise CycleError(f"{prefix(where)}this would make the lineage cyclic: {chain}")
        if not self.node_rows and not self.edge_rows and not self.alias_rows:
            self.result = WriteResult((), tuple(self.unchanged), 0, None, None)
            return
        if self.staging is not None:
            # Its rows have no seal here: the child sealed them, and digests them.
            digest = self.staging.finish("".join(self.alias_seals))
        else:
            digest = records_digest(
                [r[-1] for r in self.node_rows] + [r[-1] for r in self.edge_rows] + self.alias_seals
            )
        entry = append_entry(
            self.connection,
            self.previous,
            operation=self.operation,
            node_range=(self.max_node + 1, self.next_id - 1) if self.node_rows else None,
            edge_range=(self.max_edge + 1, self.next_edge - 1) if self.edge_rows else None,
            record_count=len(self.node_rows) + len(self.edge_rows) + len(self.alias_rows),
            digest=digest,
        )
        if self.staging is not None:
            self.staging.copy_into(self.connection)
        else:
            # Every identity column and the seal, and the fact columns some record set.
            facts = [i for i, c in enumerate(NODE_COLUMNS) if c in self.fact_names]
            kept = [*range(len(IDENTITY_COLUMNS)), *facts, len(NODE_COLUMNS)]
            _insert(self.connection, NODE, NODE_COLUMNS, self.node_rows, kept)
            every = range(len(EDGE_COLUMNS) + 1)
            _insert(self.connection, EDGE, EDGE_COLUMNS, self.edge_rows, every)
        _insert(self.connection, ALIAS, ALIAS_COLUMNS, self.alias_rows)
        if self.bulk:
            for index in NODE.indexes | EDGE.indexes:
                if index.name in _INDEXED:
                    index.create(self.connection)
            self.connection.execute(text(DIGEST_INDEX_DDL))
        log.info(
            "transaction %s: %d records, %d relations",
            entry["seq"],
            len(self.node_rows),
            len(self.edge_rows),
        )
        self.result = WriteResult(
            tuple([(r[3], r[4], r[2]) for r in self.node_rows]),
            tuple(self.unchanged),
            len(self.edge_rows),
            entry["seq"],
            entry["entry_hash"],
        )

    def close(self) -> None:
        """Stop the staging child, and let go of the rows, names and relations kept
        for the transaction (the result stays)."""
        if self.staging is not None:
            self.staging.close()
        # Dropped here, while the garbage collector is still paused (`collector_paused`):
        # left alive, the collector's first passes after it resumes walk every one of
        # them (measured: a tenth of a bulk load's time).
        self.node_rows, self.node_chunk = [], []
        self.edge_rows, self.edge_chunk = [], []
        self.alias_rows, self.alias_seals = [], []
        self.pending_nodes, self.pending_edges, self.held_edges = [], [], []
        self.edge_index, self.seen, self.unchanged = {}, set(), []
        self.resolver = NameResolver(self.connection, store_empty=False)
