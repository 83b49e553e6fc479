"""What the three AI bill-of-materials exports share: ids, times, the ledger head, the gap list.

Every export is a pure function of the graph `Store.export_graph` returns: the same
store gives the same bytes. Times come from the records and the ledger head, never
from the clock; ids from kind and name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import networkx as nx
import orjson

from lineage.errors import InvalidRecord

# Kinds a bill of materials describes as data.
DATA_KINDS = frozenset({"source", "dataset"})
LINEAGE_NAMESPACE = uuid.UUID("6f1c1a4e-3f57-5b7a-9a53-6c1d6e0b2a71")


def dumps(document: dict[str, Any]) -> bytes:
    """The document as indented JSON with sorted keys: byte-for-byte deterministic."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def iri(kind: str, name: str) -> str:
    """The stable IRI of a record (names may hold '/', ':' or spaces)."""
    return f"urn:lineage:{kind}:{quote(name, safe='')}"


def whole_seconds(text: str) -> str:
    """A recorded time or date as UTC whole seconds with 'Z' (what SPDX DateTime requires)."""
    if len(text) == 10:  # a date
        return f"{text}T00:00:00Z"
    return f"{text[:19]}Z"


def digest_hex(digest: str | None) -> str | None:
    """The hex of a 'sha256:<hex>' digest."""
    if digest and digest.startswith("sha256:"):
        return digest.removeprefix("sha256:")
    return None


@dataclass(frozen=True)
class LedgerHead:
    """The ledger entry an export was read at."""

    hash: str
    recorded_at: str


@dataclass
class Export:
    """The graph being exported, in a fixed order, and what the target standard could not hold."""

    graph: nx.DiGraph[str]
    root: str
    head: LedgerHead
    gaps: list[dict[str, str]] = field(default_factory=list)

    @property
    def root_data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.graph.nodes[self.root]
        return data

    def nodes(self, *kinds: str) -> list[tuple[str, dict[str, Any]]]:
        """The nodes of these kinds, sorted by key."""
        return [(k, d) for k, d in sorted(self.graph.nodes(data=True)) if d["kind"] in kinds]

    def edges(self, relation: str) -> list[tuple[str, str, dict[str, Any]]]:
        return sorted(
            (s, o, d) for s, o, d in self.graph.edges(data=True) if d["relation"] == relation
        )

    def gap(self, record: str, fact: str, held: str) -> None:
        """Note that `fact` of `record` has no home in the standard and where it is kept."""
        self.gaps.append({"record": record, "fact": fact, "held": held})

    def gap_list(self) -> list[dict[str, str]]:
        return sorted(self.gaps, key=lambda g: (g["record"], g["fact"]))

    def unmapped(
        self, key: str, data: dict[str, Any], mapped: frozenset[str], held: str
    ) -> dict[str, Any]:
        """The facts of `key` outside `mapped`, each noted as a gap held in `held`."""
        out: dict[str, Any] = {}
        for column, value in sorted(data.items()):
            if column in IDENTITY or column in mapped:
                continue
            out[column] = value
            self.gap(key, column, held)
        return out

    def trained_on(self) -> list[str]:
        """The data a model target was built from: the inputs of the runs that made it."""
        inputs: set[str] = set()
        for _, run, data in self.graph.out_edges(self.root, data=True):
            if data["relation"] == "was_generated_by":
                for _, used, edge in self.graph.out_edges(run, data=True):
                    if edge["relation"] == "used":
                        inputs.add(used)
        return sorted(inputs)


# Node attributes that are identity, not facts.
IDENTITY = frozenset({"kind", "name", "version", "seal", "effective"})


def prepare(graph: nx.DiGraph[str], what: str, kinds: frozenset[str]) -> Export:
    """The export of `graph` (as `Store.export_graph` returns it) after checking its target."""
    root = graph.graph.get("root")
    if root is None:
        raise InvalidRecord(f"a {what} export needs a TARGET (a model or a dataset)")
    kind = graph.nodes[root]["kind"]
    if kind not in kinds:
        raise InvalidRecord(
            f"a {what} export describes a {' or '.join(sorted(kinds))}; {root} is a {kind}"
        )
    head = graph.graph.get("ledger_head")
    if head is None:
        raise InvalidRecord(f"a {what} export needs the ledger head of the store")
    claims = sorted(k for k, kind in graph.nodes(data="kind") if kind == "claim")
    if claims:
        # A licence claim by a third party (audit, tool) has no place in these standards,
        # which hold one declared and one concluded licence per element: left out, as gaps.
        graph = graph.copy()
        graph.remove_nodes_from(claims)
    export = Export(graph, root, LedgerHead(head["hash"], head["recorded_at"]))
    for key in claims:
        export.gap(key, "record", "lineage: a licence claim (see the paper-trail report)")
    return export


def serial_number(export: Export) -> str:
    """A UUIDv5 of the ledger head and the target: the same store gives the same serial."""
    return f"urn:uuid:{uuid.uuid5(LINEAGE_NAMESPACE, f'{export.head.hash}:{export.root}')}"


def spec_version(graph: nx.DiGraph[str], allowed: tuple[str, ...], what: str) -> str:
    """The requested version of the standard (the first of `allowed` by default)."""
    wanted = graph.graph.get("spec_version")
    if wanted is None:
        return allowed[0]
    if wanted not in allowed:
        raise InvalidRecord(
            f"--spec-version {wanted} is not a {what} version lineage writes; one of: "
            + ", ".join(allowed)
        )
    return str(wanted)
