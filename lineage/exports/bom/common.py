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
from lineage.vocabulary import EXCLUDED_ROLE, NON_CONTENT_ROLES

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
    claims: list[dict[str, Any]] = field(default_factory=list)
    evaluations: list[dict[str, Any]] = field(default_factory=list)

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
        """The data a model target was built from: the content inputs of the runs that
        made it (never a reference the run consulted, nor a part it excluded)."""
        inputs: set[str] = set()
        for _, run, data in self.graph.out_edges(self.root, data=True):
            if data["relation"] == "was_generated_by":
                inputs.update(self.used(run))
        return sorted(inputs)

    def used(self, run: str, role: str | None = None) -> list[str]:
        """What `run` used as content (`role` None), or with the role `reference` or
        `excluded`."""
        return sorted(
            o
            for _, o, d in self.graph.out_edges(run, data=True)
            if d["relation"] == "used"
            and (d.get("role") == role if role else d.get("role") not in NON_CONTENT_ROLES)
        )

    def content_upstream(self, keys: list[str]) -> list[str]:
        """Every record whose content flows into `keys` (through content inputs of the
        runs that made them, and derivations), `keys` excluded. A part a run on the way
        removed (role `excluded`) is not reached: its content stops at that run."""
        removed: set[str] = set()
        while True:
            found = self._walk(keys, removed)
            now = {e for k in found for e in self.used(k, EXCLUDED_ROLE)}
            if now <= removed:
                return found
            removed |= now

    def _walk(self, keys: list[str], removed: set[str]) -> list[str]:
        seen: set[str] = set(keys)
        todo = list(keys)
        while todo:
            key = todo.pop()
            for _, parent, d in self.graph.out_edges(key, data=True):
                nexts: list[str] = []
                if d["relation"] == "was_generated_by":
                    nexts = [parent, *self.used(parent)]
                elif d["relation"] == "was_derived_from" and self.graph.nodes[key]["kind"] in (
                    "source",
                    "dataset",
                    "model",
                ):
                    nexts = [parent]
                for item in nexts:
                    if item not in seen and item not in removed:
                        seen.add(item)
                        todo.append(item)
        return sorted(seen - set(keys))

    def tested_on(self, model: str) -> list[str]:
        """The test data of the evaluations of `model`."""
        return sorted({e["dataset"] for e in self.evaluations if e["model"] == model})


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
    # Licence claims and evaluations are statements about records, not parts of the bill:
    # each exporter says them where its standard can (see `Export.claims`,
    # `Export.evaluations`), else in the gap list.
    about = sorted(k for k, kind in graph.nodes(data="kind") if kind in ("claim", "evaluation"))
    claims: list[dict[str, Any]] = []
    evaluations: list[dict[str, Any]] = []
    for key in about:
        data = dict(graph.nodes[key])
        links: dict[str, str] = {}
        for _, other, edge in graph.out_edges(key, data=True):
            relation, role = edge["relation"], edge.get("role")
            if relation == "was_attributed_to":
                links["by"] = other
            elif relation == "was_generated_by":
                links["run"] = other
            elif relation == "was_derived_from":
                links[{"model": "model", "test-data": "dataset"}.get(role or "", "subject")] = other
        item = {"key": key, "data": data, **links}
        if data["kind"] == "claim" and "subject" in links:
            claims.append(item)
        elif data["kind"] == "evaluation" and "model" in links and "dataset" in links:
            evaluations.append(item)
    if about:
        graph = graph.copy()
        graph.remove_nodes_from(about)
    export = Export(graph, root, LedgerHead(head["hash"], head["recorded_at"]))
    export.claims = claims
    export.evaluations = evaluations
    return export


def facts_of(item: dict[str, Any]) -> dict[str, Any]:
    """The facts of a claim or evaluation (see `prepare`), without its identity."""
    return {k: v for k, v in sorted(item["data"].items()) if k not in ("kind", "seal")}


def metric_value(value: float) -> str:
    """A metric's value as text, the shortest that reads back the same (0.7, not 0.70)."""
    return repr(float(value))


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
