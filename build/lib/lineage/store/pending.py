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


@dataclass(slots=True)
class PendingEdge:
    """A relation between two records named by (kind, name)."""

    subject: Ref
    object: Ref
    relation: str
    where: Where = ""
    role: str | None = None
    optional: bool = False  # skip, rather than fail, when an end is not recorded


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
