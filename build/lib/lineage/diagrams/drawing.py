"""What a diagram shows, before any syntax: boxes, links, marks and how much was folded.

A `Drawing` is built from the lineage graph (networkx, as `Store.upstream` returns
it) and the findings of `lineage check`; the DOT and Mermaid writers only translate
it, so both say the same thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Literal

import networkx as nx

from lineage.checks.findings import Finding
from lineage.diagrams.summarise import Level, of_kind, partition, relations
from lineage.errors import AmbiguousName, UnknownNode

Direction = Literal["upstream", "downstream", "both"]

# Facts a group shows when all its members agree on them.
SHARED_FACTS = (
    "obtained",
    "operation",
    "tool",
    "tool_version",
    "agent_type",
    "software_version",
    "personal_data",
    "intended_use",
    "decision",
    "tier",
    "status",
)
MARKED: tuple[str, ...] = ("error", "warning")
# The fact that tells records of a kind apart for grouping (a run's operation, ...).
_DETAIL = {"activity": "operation", "agent": "agent_type", "attestation": "decision"}
# Above this many records a diagram folds: about what a screen or a printed page holds.
DEFAULT_MAX_NODES = 80


@dataclass(frozen=True)
class Box:
    """One node of the drawing: a record, a group of similar records, or a "more" stub.

    `members` are the 'kind:name' ids it stands for (none for a stub). For a group,
    `facts` holds only what all members share; `licences`, `records` and `size_bytes`
    are totals over the members.
    """

    id: str
    kind: str
    name: str
    members: tuple[str, ...]
    facts: dict[str, Any] = field(default_factory=dict)
    licences: tuple[str, ...] = ()
    unlicensed: int = 0
    records: int | None = None
    size_bytes: int | None = None
    findings: tuple[Finding, ...] = ()
    highlighted: bool = False
    root: bool = False
    more: int = 0
    depth: int = 0

    @property
    def is_group(self) -> bool:
        return len(self.members) > 1

    @property
    def is_more(self) -> bool:
        return self.kind == "more"

    def count(self, severity: str) -> int:
        """How many findings of `severity` are about this box's records."""
        return sum(1 for f in self.findings if f.severity == severity)


@dataclass(frozen=True)
class Link:
    """One edge of the drawing: `count` relations between the records of two boxes."""

    tail: str
    head: str
    relation: str
    count: int = 1
    highlighted: bool = False


@dataclass(frozen=True)
class Drawing:
    """Everything a diagram shows, and what it had to leave out to stay readable."""

    root: str
    direction: Direction
    boxes: tuple[Box, ...]
    links: tuple[Link, ...]
    records: int
    level: Level = "none"
    left_out: int = 0
    max_nodes: int | None = None
    highlight: str | None = None
    highlighted_findings: int = 0
    agents: bool = True
    as_of: str | None = None

    @property
    def grouped(self) -> int:
        """How many records are drawn inside groups rather than on their own."""
        return sum(len(b.members) for b in self.boxes if b.is_group)

    def box(self, box_id: str) -> Box:
        """The box with id `box_id` (a record id for records drawn on their own)."""
        for box in self.boxes:
            if box.id == box_id:
                return box
        raise KeyError(box_id)

    def box_of(self, record: str) -> Box:
        """The box that draws `record` ('kind:name'), alone or in a group."""
        for box in self.boxes:
            if record in box.members:
                return box
        raise KeyError(record)

    def marked(self, severity: str) -> int:
        """How many findings of `severity` are shown on the drawing."""
        return sum(box.count(severity) for box in self.boxes)


def resolve(graph: nx.DiGraph[str], name: str, what: str) -> str:
    """The id of the record called `name` ('name' or 'kind:name') in `graph`."""
    if name in graph:
        return name
    found: list[str] = sorted(
        str(n) for n, data in graph.nodes(data=True) if data.get("name") == name
    )
    if not found:
        raise UnknownNode(f"{what} {name!r} is not in the lineage of {graph.graph['root']}")
    if len(found) > 1:
        raise AmbiguousName(f"{what} {name!r} names more than one record: {', '.join(found)}")
    return found[0]


def _path_between(graph: nx.DiGraph[str], a: str, b: str) -> list[str]:
    """The records on every path between `a` and `b`, in either direction."""
    for start, end in ((a, b), (b, a)):
        below: set[str] = nx.descendants(graph, start)
        if end in below:
            above: set[str] = nx.ancestors(graph, end)
            return [start, *(below & above), end]
    return [b]


def _highlighted(
    graph: nx.DiGraph[str], findings: Iterable[Finding]
) -> tuple[set[str], set[tuple[str, str]]]:
    """The records and edges on the evidence paths of `findings`.

    A path lists records in data-flow order and may skip steps (a source straight to
    the model it reached); a skipped stretch is filled with the shortest path.
    """
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    for finding in findings:
        chain = [n for n in (finding.subject, *finding.path) if n in graph]
        chain = [n for i, n in enumerate(chain) if i == 0 or n != chain[i - 1]]
        nodes.update(chain)
        for a, b in pairwise(chain):
            if graph.has_edge(b, a) or graph.has_edge(a, b):
                edges.add((b, a) if graph.has_edge(b, a) else (a, b))
                continue
            step: list[str] = []
            for start, end in ((b, a), (a, b)):
                try:
                    step = nx.shortest_path(graph, start, end)
                    break
                except nx.NetworkXNoPath:
                    continue
            nodes.update(step)
            edges.update(pairwise(step))
    return nodes, edges


def drop_agents(graph: nx.DiGraph[str]) -> None:
    """Remove the agents from `graph`, naming them on their runs and sign-offs instead.

    Each run or sign-off gets a `by` fact listing its agents' names; the graph's
    `records` attribute keeps the count of records before. When the root is an
    agent, the graph is left as it is: agents are then what it is about.
    """
    graph.graph.setdefault("records", graph.number_of_nodes())
    root = str(graph.graph.get("root"))
    if root in graph and graph.nodes[root].get("kind") == "agent":
        return  # the diagram is about agents: they stay
    agents = of_kind(graph, "agent")
    for agent in agents:
        name = graph.nodes[agent].get("name", agent)
        for who, _, relation in relations(graph, [agent]):
            if relation in ("was_associated_with", "was_attributed_to"):
                graph.nodes[who]["by"] = [*graph.nodes[who].get("by", ()), name]
    graph.remove_nodes_from(agents)


def _total(values: Iterable[Any]) -> int | None:
    numbers = [int(v) for v in values if isinstance(v, int | float)]
    return sum(numbers) if numbers else None


def _box(
    graph: nx.DiGraph[str],
    box_id: str,
    members: Sequence[str],
    findings: dict[str, list[Finding]],
    highlighted: set[str],
    root: str,
) -> Box:
    data = [graph.nodes[m] for m in members]
    first = data[0]
    kind = str(first.get("kind", "record"))
    skip = {"kind", "name", "version", "seal", "depth"}
    if len(members) == 1:
        facts = {k: v for k, v in first.items() if k not in skip}
    else:
        facts = {}
        for key in (*SHARED_FACTS, "by"):
            value = first.get(key)
            if value is not None and all(d.get(key) == value for d in data):
                facts[key] = value
    licences = sorted({str(d["license"]) for d in data if d.get("license")})
    return Box(
        id=box_id,
        kind=kind,
        name=str(first.get("name", members[0])),
        members=tuple(members),
        facts=facts,
        licences=tuple(licences),
        unlicensed=sum(1 for d in data if not d.get("license")),
        records=_total(d.get("records") for d in data),
        size_bytes=_total(d.get("size_bytes") for d in data),
        findings=tuple(f for m in members for f in findings.get(m, ())),
        highlighted=any(m in highlighted for m in members),
        root=root in members,
        depth=min(abs(int(d.get("depth", 0) or 0)) for d in data),
    )


def _connect(
    graph: nx.DiGraph[str],
    boxes: list[Box],
    box_of: dict[str, str],
    lit_edges: set[tuple[str, str]],
) -> tuple[tuple[Box, ...], tuple[Link, ...]]:
    """The links between boxes, and a "more" stub wherever related records were left out.

    Boxes come back in a stable order (nearest the target first), so that the same
    lineage always gives the same DOT and Mermaid text.
    """
    links: Counter[tuple[str, str, str]] = Counter()
    lit_links: set[tuple[str, str, str]] = set()
    left_out: dict[tuple[str, str], set[str]] = {}
    for tail, head, relation in relations(graph):
        a, b = box_of.get(tail), box_of.get(head)
        if a is not None and b is not None:
            links[(a, b, relation)] += 1
            if (tail, head) in lit_edges:
                lit_links.add((a, b, relation))
        elif a is not None:
            left_out.setdefault((a, "out"), set()).add(head)
        elif b is not None:
            left_out.setdefault((b, "in"), set()).add(tail)
    depth = {b.id: b.depth for b in boxes}
    stubs = []
    for (box_id, way), missing in sorted(left_out.items()):
        stub = f"more:{box_id}:{way}"
        stubs.append(
            Box(
                stub, "more", f"{len(missing)} more", (), more=len(missing), depth=depth[box_id] + 1
            )
        )
        links[(box_id, stub, "") if way == "out" else (stub, box_id, "")] += len(missing)
    ordered = sorted([*boxes, *stubs], key=lambda b: (b.depth, b.is_more, b.kind, b.name, b.id))
    place = {b.id: i for i, b in enumerate(ordered)}
    return tuple(ordered), tuple(
        Link(a, b, relation, count, (a, b, relation) in lit_links)
        for (a, b, relation), count in sorted(
            links.items(), key=lambda item: (place[item[0][0]], place[item[0][1]], item[0][2])
        )
    )


def build_drawing(
    graph: nx.DiGraph[str],
    *,
    direction: Direction = "upstream",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    focus: Sequence[str] = (),
    findings: Sequence[Finding] = (),
    highlight: str | None = None,
    agents: bool = False,
    as_of: str | None = None,
) -> Drawing:
    """The drawing of `graph` (a lineage closure with `root` set), folded to `max_nodes` boxes.

    Findings mark the boxes of their subjects (errors and warnings); the evidence
    paths of the findings of rule `highlight` are drawn highlighted, and fold only
    with other highlighted records; the paths from the target to each `focus`
    record are never folded. Raises UnknownNode or AmbiguousName for a `focus`
    name that is not in the graph.
    """
    root = str(graph.graph["root"])
    records = int(graph.graph.get("records", graph.number_of_nodes()))
    if not agents and of_kind(graph, "agent") and graph.nodes[root].get("kind") != "agent":
        graph = graph.copy()  # the caller's graph stays as it was
        drop_agents(graph)
    by_subject: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.subject in graph:
            by_subject.setdefault(finding.subject, []).append(finding)
    chosen = [f for f in findings if highlight is not None and f.rule == highlight]
    lit_nodes, lit_edges = _highlighted(graph, chosen)
    keep = {root}
    for name in focus:
        keep.update(_path_between(graph, root, resolve(graph, name, "--focus")))

    worst = {
        subject: next(s for s in MARKED if any(f.severity == s for f in marks))
        for subject, marks in by_subject.items()
        if any(f.severity in MARKED for f in marks)
    }

    # A plain dict: networkx's node view costs more per lookup than the lookup.
    facts_of: dict[str, dict[str, Any]] = dict(graph.nodes(data=True))

    def label_of(node: str) -> Hashable:
        data = facts_of[node]
        kind = data.get("kind")
        detail = data.get(_DETAIL[kind]) if kind in _DETAIL else None
        # Highlighted records group only with highlighted ones, so a path carrying a
        # problem through 10,000 shards stays visible, folded like the rest.
        return (kind, detail, worst.get(node), node in lit_nodes)

    parts = partition(graph, max_nodes=max_nodes, label_of=label_of, keep=keep, prefer=lit_nodes)
    members: dict[int, list[str]] = {}
    for node in sorted(graph, key=lambda n: (abs(int(facts_of[n].get("depth", 0) or 0)), n)):
        if node not in parts.dropped:
            members.setdefault(parts.group_of[node], []).append(node)
    box_of: dict[str, str] = {}
    boxes: list[Box] = []
    for group in members.values():
        box_id = group[0] if len(group) == 1 else f"group:{group[0]}"
        boxes.append(_box(graph, box_id, group, by_subject, lit_nodes, root))
        for node in group:
            box_of[node] = box_id

    ordered, links = _connect(graph, boxes, box_of, lit_edges)
    return Drawing(
        root=root,
        direction=direction,
        boxes=ordered,
        links=links,
        records=records,
        level=parts.level,
        left_out=len(parts.dropped),
        max_nodes=max_nodes,
        highlight=highlight,
        highlighted_findings=len(chosen),
        agents=agents,
        as_of=as_of,
    )
