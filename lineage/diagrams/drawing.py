"""What a diagram shows, before any syntax: boxes, links, marks and how much was folded.

A `Drawing` is built from the lineage graph (networkx, as `Store.upstream` returns
it) and the findings of `lineage check`; the DOT and Mermaid writers only translate
it, so both say the same thing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, compress, pairwise, repeat
from operator import attrgetter, eq
from typing import Any, Literal

import networkx as nx

from lineage.checks.findings import Finding
from lineage.diagrams.summarise import Level, partition
from lineage.errors import AmbiguousName, UnknownNode
from lineage.graph.grouping import (
    Neighbourhood,
    facts_in_order,
    kinds_and_details,
    of_kind,
    relation_of,
)

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
# Facts of a record that its box does not list (it shows them otherwise, or not at all).
_NOT_SHOWN = frozenset({"kind", "name", "version", "seal", "depth"})
# The relations that name an agent on its runs and sign-offs.
_SIGNED = ("was_associated_with", "was_attributed_to")
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
        return sum(n for (found, _), n in self._tally.items() if found == severity)

    def rules(self, severity: str) -> list[str]:
        """The rules of the findings of `severity` about this box's records, sorted."""
        return sorted({rule for found, rule in self._tally if found == severity})

    @cached_property
    def _tally(self) -> Counter[tuple[str, str]]:
        # How many findings of each severity and rule. Captions, legends and labels
        # each ask, and a group may have 40,000 findings.
        return Counter(map(attrgetter("severity", "rule"), self.findings))


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
    # networkx's own dicts: an agent acts for tens of thousands of runs, and its views
    # cost a Python call for each.
    facts, predecessors = graph._node, graph._pred
    for agent in agents:
        name = facts[agent].get("name", agent)
        acts = predecessors[agent]
        relations = map(dict.get, acts.values(), repeat("relation"))
        for who in compress(acts, map(_SIGNED.__contains__, relations)):
            who_facts = facts[who]
            who_facts["by"] = [*who_facts.get("by", ()), name]
    graph.remove_nodes_from(agents)


def _total(values: list[Any]) -> int | None:
    """The sum of the numbers among `values`, as integers; None when there are none."""
    types = set(map(type, values))
    if types <= {int, type(None)}:  # the usual case, summed in C
        return sum(filter(None, values)) if int in types else None
    numbers = [int(v) for v in values if isinstance(v, int | float)]
    return sum(numbers) if numbers else None


def _box(
    box_id: str,
    members: list[str],
    data: list[dict[str, Any]],
    depth: int,
    findings: dict[str, list[Finding]],
    highlighted: set[str],
    root: str,
) -> Box:
    """The box of `members` (with facts `data`, nearest the target first, at `depth`)."""
    first = data[0]
    kind = str(first.get("kind", "record"))
    if len(members) == 1:
        facts = {k: v for k, v in first.items() if k not in _NOT_SHOWN}
    else:
        facts = {}
        for key in (*SHARED_FACTS, "by"):
            value = first.get(key)
            if value is not None and all(map(eq, _fact(data, key), repeat(value))):
                facts[key] = value
    licences = _fact(data, "license")
    named = set(filter(None, licences))
    return Box(
        id=box_id,
        kind=kind,
        name=str(first.get("name", members[0])),
        members=tuple(members),
        facts=facts,
        licences=tuple(sorted({str(licence) for licence in named})),
        unlicensed=len(licences) - sum(map(bool, licences)),
        records=_total(_fact(data, "records")),
        size_bytes=_total(_fact(data, "size_bytes")),
        findings=tuple(chain.from_iterable(map(findings.get, members, repeat(())))),
        highlighted=not highlighted.isdisjoint(members),
        root=root in members,
        depth=depth,
    )


def _fact(data: list[dict[str, Any]], key: str) -> list[Any]:
    """Fact `key` of each record (None where a record has none)."""
    return list(map(dict.get, data, repeat(key)))


def _connect(
    graph: nx.DiGraph[str],
    around: Neighbourhood,
    boxes: list[Box],
    box_of: list[int],
    lit_edges: set[tuple[str, str]],
) -> tuple[tuple[Box, ...], tuple[Link, ...]]:
    """The links between boxes, and a "more" stub wherever related records were left out.

    `box_of[i]` is the box drawing record `around.nodes[i]` (-1: left out). Boxes come
    back in a stable order (nearest the target first), so that the same lineage always
    gives the same DOT and Mermaid text.
    """
    ids = [box.id for box in boxes]
    between = Counter(
        zip(
            map(box_of.__getitem__, around.tails),
            map(box_of.__getitem__, around.heads),
            around.codes,
            strict=True,
        )
    )
    links: Counter[tuple[str, str, str]] = Counter()
    for (a, b, code), count in between.items():
        if a >= 0 and b >= 0:
            links[(ids[a], ids[b], around.relation_names[code])] += count
    left_out = _left_out(around, box_of, ids) if -1 in box_of else {}
    lit_links: set[tuple[str, str, str]] = set()
    for tail, head in lit_edges:
        a, b = box_of[around.index[tail]], box_of[around.index[head]]
        if a >= 0 and b >= 0:
            data = graph.edges[tail, head]
            relation = relation_of(data.get("relation", ""), data.get("role"))
            lit_links.add((ids[a], ids[b], relation))
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


def _left_out(
    around: Neighbourhood, box_of: list[int], ids: list[str]
) -> dict[tuple[str, str], set[str]]:
    """For each drawn box, the records left out that its records relate to, out and in."""
    left_out: dict[tuple[str, str], set[str]] = {}
    for tail, head in zip(around.tails, around.heads, strict=True):
        a, b = box_of[tail], box_of[head]
        if a >= 0 and b < 0:
            left_out.setdefault((ids[a], "out"), set()).add(around.nodes[head])
        elif b >= 0 and a < 0:
            left_out.setdefault((ids[b], "in"), set()).add(around.nodes[tail])
    return left_out


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
    # The graph as columns (see `Neighbourhood`): 100,000 records are grouped, sorted
    # and summed in C, where networkx's views would cost a Python call for each.
    facts = facts_in_order(graph)
    kinds, details = kinds_and_details(facts)  # what tells records apart
    if not agents and "agent" in kinds and graph.nodes[root].get("kind") != "agent":
        graph = graph.copy()  # the caller's graph stays as it was
        drop_agents(graph)
        facts = facts_in_order(graph)
        kinds, details = kinds_and_details(facts)
    by_subject: dict[str, list[Finding]] = {}
    for finding in findings:
        by_subject.setdefault(finding.subject, []).append(finding)
    chosen = [f for f in findings if highlight is not None and f.rule == highlight]
    lit_nodes, lit_edges = _highlighted(graph, chosen)
    keep = {root}
    for name in focus:
        keep.update(_path_between(graph, root, resolve(graph, name, "--focus")))

    # A record's worst finding: the first severity of MARKED that one of its findings has.
    worst: dict[str, str] = {}
    subjects = list(map(attrgetter("subject"), findings))
    severities = list(map(attrgetter("severity"), findings))
    for severity in reversed(MARKED):
        found = compress(subjects, map(eq, severities, repeat(severity)))
        worst.update(dict.fromkeys(found, severity))

    around = Neighbourhood(graph)
    nodes = around.nodes
    # Highlighted records group only with highlighted ones, so a path carrying a
    # problem through 10,000 shards stays visible, folded like the rest.
    label_of = dict(
        zip(
            nodes,
            zip(
                kinds,
                details,
                map(worst.get, nodes),
                map(lit_nodes.__contains__, nodes),
                strict=True,
            ),
            strict=True,
        )
    )
    parts = partition(
        graph,
        max_nodes=max_nodes,
        label_of=label_of.__getitem__,
        keep=keep,
        prefer=lit_nodes,
        around=around,
    )
    group = list(map(parts.group_of.get, nodes, repeat(-1)))
    depths = _depths(facts)
    # Each group's members nearest the target first, then by id.
    order = sorted(range(len(nodes)), key=nodes.__getitem__)
    order.sort(key=depths.__getitem__)
    order.sort(key=group.__getitem__)
    boxes: list[Box] = []
    box_number: dict[int, int] = {}  # group -> its box
    start = bisect_left(order, 0, key=group.__getitem__)  # left-out records (-1) first
    while start < len(order):
        end = bisect_right(order, group[order[start]], lo=start, key=group.__getitem__)
        indexes = order[start:end]
        members = list(map(nodes.__getitem__, indexes))
        box_id = members[0] if len(members) == 1 else f"group:{members[0]}"
        box_number[group[indexes[0]]] = len(boxes)
        depth = depths[indexes[0]]
        data = list(map(facts.__getitem__, indexes))
        boxes.append(_box(box_id, members, data, depth, by_subject, lit_nodes, root))
        start = end
    box_of = list(map(box_number.get, group, repeat(-1)))

    ordered, links = _connect(graph, around, boxes, box_of, lit_edges)
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


def _depths(facts: list[dict[str, Any]]) -> list[int]:
    """Each record's distance from the target, however its `depth` was recorded."""
    depths = list(map(dict.get, facts, repeat("depth"), repeat(0)))
    if set(map(type, depths)) <= {int}:  # as `add_depths` sets them
        return list(map(abs, depths))
    return [abs(int(depth or 0)) for depth in depths]
