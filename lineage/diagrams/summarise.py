"""Fold a large lineage graph into one that Graphviz lays out quickly and a person can read.

Graphviz `dot` takes about 2.5 s for 2,000 nodes and grows as n^2.1, so what reaches
it must already be small. Three steps, each taken only when the previous one left
more than `max_nodes` boxes:

1. **siblings**: records of the same kind with exactly the same neighbours (10,000
   shard files feeding one run) become one group.
2. **structure**: records in parallel branches of the same shape (1,000 crawl files
   each through its own extract -> filter -> dedup chain) become one group per step:
   the coarsest partition in which every member of a group has the same kinds of
   relations to the same groups (a bisimulation, computed by partition refinement).
   The drawing then shows the pipeline's shape with counts.
3. **truncate**: the groups nearest the target are kept, and each kept group whose
   neighbours were left out gets a "more" stub, so the bound holds.

Records in `keep` (the target, the `--focus` paths) are never grouped or left
out. `label_of` decides what may be grouped at all: only records with equal labels
(kind, operation, agent type, worst finding, highlighted or not) share a group.
The groupings themselves are `lineage.graph.grouping`'s, shared with the reports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from lineage.graph.grouping import (
    MAX_ROUNDS,
    Neighbourhood,
    kept_apart,
    merge_siblings,
    merge_structure,
    of_kind,
    relations,
)

__all__ = [
    "MAX_ROUNDS",
    "Level",
    "Neighbourhood",
    "Partition",
    "merge_siblings",
    "merge_structure",
    "of_kind",
    "partition",
    "relations",
]

log = logging.getLogger(__name__)

Level = Literal["none", "siblings", "structure", "truncated"]


@dataclass(frozen=True)
class Partition:
    """Which group each record falls in, and which records are left out.

    `group_of` maps every drawn record to a group number; records in `dropped` are
    not drawn. `level` names the last step that was needed.
    """

    group_of: dict[str, int]
    dropped: frozenset[str] = frozenset()
    level: Level = "none"
    groups: int = 0


def _truncate(
    graph: nx.DiGraph[str],
    group_of: dict[str, int],
    max_nodes: int,
    keep: set[str],
    prefer: set[str],
) -> frozenset[str]:
    """The records to leave out so that kept groups plus their "more" stubs fit `max_nodes`.

    Groups of `keep` records come first, then those of `prefer` records, then the
    rest nearest the target first; a kept group needs one stub for each direction
    in which it has left-out neighbours.
    """
    members: dict[int, list[str]] = {}
    for node, group in group_of.items():
        members.setdefault(group, []).append(node)
    successors: dict[int, set[int]] = {g: set() for g in members}
    predecessors: dict[int, set[int]] = {g: set() for g in members}
    for tail, head in graph.edges():
        a, b = group_of[tail], group_of[head]
        if a != b:
            successors[a].add(b)
            predecessors[b].add(a)
    depth = {
        g: min(int(graph.nodes[n].get("depth", 0) or 0) for n in nodes)
        for g, nodes in members.items()
    }
    pinned = {group_of[n] for n in keep if n in group_of}
    preferred = {group_of[n] for n in prefer if n in group_of}
    order = sorted(members, key=lambda g: (g not in pinned, g not in preferred, abs(depth[g]), g))

    kept: set[int] = set()
    out_left = {g: len(successors[g]) for g in members}  # neighbours not (yet) kept
    in_left = {g: len(predecessors[g]) for g in members}
    stubs = 0
    for group in order:
        gain = (out_left[group] > 0) + (in_left[group] > 0)
        for other in predecessors[group] & kept:  # `group` is a successor of `other`
            gain -= out_left[other] == 1
        for other in successors[group] & kept:
            gain -= in_left[other] == 1
        if group not in pinned and len(kept) + 1 + stubs + gain > max_nodes:
            break
        kept.add(group)
        stubs += gain
        for other in predecessors[group]:
            out_left[other] -= 1
        for other in successors[group]:
            in_left[other] -= 1
    return frozenset(n for g, nodes in members.items() if g not in kept for n in nodes)


def partition(
    graph: nx.DiGraph[str],
    *,
    max_nodes: int | None,
    label_of: Callable[[str], Hashable],
    keep: set[str],
    prefer: set[str] | None = None,
    around: Neighbourhood | None = None,
) -> Partition:
    """Group and bound `graph` so that at most `max_nodes` boxes are drawn (None: no bound).

    Records in `keep` stay on their own and are always drawn, even beyond the bound;
    those in `prefer` are the last to be left out. `label_of` is asked once per record;
    `around` is `graph`'s `Neighbourhood` when the caller has it already.
    """
    size = graph.number_of_nodes()
    if max_nodes is None or size <= max_nodes:
        return Partition({n: i for i, n in enumerate(graph)}, groups=size)
    if around is None:
        around = Neighbourhood(graph)
    label = kept_apart(around, label_of, keep)  # both grouping steps ask for every label
    group, count = merge_structure(around, label)
    log.info("structure: %d records in %d groups", size, count)
    if count <= max_nodes:
        # Siblings alone are the more faithful picture when they are enough; they can
        # only be enough when the coarsest grouping is.
        fine, fine_count = merge_siblings(around, label, limit=max_nodes)
        if fine_count <= max_nodes:
            log.info("siblings: %d records in %d groups", size, fine_count)
            return Partition(
                dict(zip(around.nodes, fine, strict=True)), level="siblings", groups=fine_count
            )
        log.info("siblings: %d records in more than %d groups", size, max_nodes)
        return Partition(
            dict(zip(around.nodes, group, strict=True)), level="structure", groups=count
        )
    group_of = dict(zip(around.nodes, group, strict=True))
    dropped = _truncate(graph, group_of, max_nodes, keep, prefer or set())
    kept = {group_of[n] for n in graph if n not in dropped}
    log.info("truncated: %d records left out, %d groups kept", len(dropped), len(kept))
    return Partition(
        {n: g for n, g in group_of.items() if n not in dropped},
        dropped=dropped,
        level="truncated",
        groups=len(kept),
    )
