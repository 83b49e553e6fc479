"""What a write transaction is made of: pending records and relations, and its result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

Ref = tuple[str | None, str]  # (kind, or None for any kind, or ENTITY; name)
# Where a record comes from, for errors: a str, or anything whose str() names the
# place (a manifest's file:line is only worked out if an error needs it).
Where = object
ENTITY = "entity"  # a Ref kind meaning source, dataset or model
ENTITIES = frozenset({"source", "dataset", "model"})


@dataclass(slots=True)
class PendingNode:
    """A record to add (or, with `reason`, a new version of an existing one)."""

    kind: str
    name: str
    facts: dict[str, Any]
    where: Where = ""
    reason: str | None = None
    effective: str | None = None
    clear: tuple[str, ...] = ()  # columns an amendment records as unknown again


@dataclass(frozen=True, slots=True)
class VersionHint:
    """How a `used` or `was_generated_by` relation of a dataset picks its version
    (see lineage.store.versions): the event time of the read or write when the run
    records no start or end, how a write treats the previous content ('append', 'overwrite' or
    'drop'), a version the event names (OpenLineage's datasetVersion), and for a
    rename (`was_revision_of` from the new name to the old) the run that renamed it."""

    time: str | None = None
    write: str = "append"
    named: str | None = None
    run: str | None = None


@dataclass(slots=True)
class PendingEdge:
    """A relation between two records named by (kind, name)."""

    subject: Ref
    object: Ref
    relation: str
    where: Where = ""
    role: str | None = None
    optional: bool = False  # skip, rather than fail, when an end is not recorded
    version: VersionHint | None = None  # set: the dataset end resolves to a version


@dataclass
class Batch:
    """Everything one transaction writes."""

    operation: str
    nodes: list[PendingNode] = field(default_factory=list)
    edges: list[PendingEdge] = field(default_factory=list)

    def add_node(self, pending: PendingNode) -> None:
        self.nodes.append(pending)

    def add_edge(self, pending: PendingEdge) -> None:
        self.edges.append(pending)


class Sink(Protocol):
    """Where recorded facts go: a `Batch` in memory, or a `Writer` streaming to the store."""

    def add_node(self, pending: PendingNode) -> None: ...

    def add_edge(self, pending: PendingEdge) -> None: ...


@dataclass(frozen=True)
class WriteResult:
    """What a commit did: new versions written, records already present, edges added."""

    created: tuple[tuple[str, str, int], ...]
    unchanged: tuple[tuple[str, str], ...]
    edges: int
    ledger_seq: int | None
    ledger_hash: str | None
