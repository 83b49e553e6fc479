"""Group the records of a lineage graph that play the same part in it.

Shared by the diagrams, which draw each group as one box, and the reports, which lay
out each large family of similar records as one row. Two groupings:

- **siblings**: records with equal labels and exactly the same neighbours (10,000
  shard files feeding one run).
- **structure**: the coarsest grouping in which every member of a group has the same
  label and the same kinds of relations to the same groups (a bisimulation, computed
  by partition refinement): records in parallel branches of the same shape (1,000
  crawl files each through its own extract -> filter -> dedup chain) fall in one
  group per step.

What a label holds (kind, operation, a finding...) is the caller's: only records with
equal labels share a group.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator

import networkx as nx

from lineage.vocabulary import NON_CONTENT_ROLES

# Refinement needs one round per level of nesting it tells apart; real pipelines are a
# few dozen steps deep, and a partial refinement is still a valid (coarser) summary.
MAX_ROUNDS = 200


def relations(
    graph: nx.DiGraph[str], among: Iterable[str] | None = None
) -> Iterator[tuple[str, str, str]]:
    """Each edge of `graph` (or only those into `among`) as (tail, head, relation).

    A `used` that carries no content is its own relation, 'used:reference' (a tool the
    run consulted) or 'used:excluded' (a part it removed).
    """
    if among is None:
        # The edges as `graph.edges(data=True)` lists them, without its view's generator.
        edges: Iterable[tuple[str, str, dict[str, object]]] = (
            (tail, head, data) for tail, heads in graph.adjacency() for head, data in heads.items()
        )
    else:
        edges = graph.in_edges(among, data=True)
    for tail, head, data in edges:
        relation = str(data.get("relation", ""))
        role = data.get("role")
        if role in NON_CONTENT_ROLES and relation == "used":
            relation = f"used:{role}"
        yield tail, head, relation


def of_kind(graph: nx.DiGraph[str], kind: str) -> list[str]:
    """The records of `graph` of one kind."""
    return [n for n, data in graph.nodes(data=True) if data.get("kind") == kind]


class Neighbourhood:
    """The graph as integers, built once for every grouping step.

    `nodes[i]` is a record; `around[i]` lists its relations as (code, neighbour
    index), where outgoing relations have codes below `codes` and incoming ones the
    same codes shifted by `codes`, so that one set compares both directions.
    """

    def __init__(self, graph: nx.DiGraph[str]) -> None:
        self.nodes: list[str] = list(graph)
        index = {node: i for i, node in enumerate(self.nodes)}
        relation_codes: dict[str, int] = {}
        edges: list[tuple[int, int, int]] = []
        append = edges.append
        # `relations(graph)` inlined: one generator step per edge is a third of this.
        for tail, heads in graph.adjacency():
            first = index[tail]
            for head, data in heads.items():
                relation = str(data.get("relation", ""))
                role = data.get("role")
                if role in NON_CONTENT_ROLES and relation == "used":
                    relation = f"used:{role}"
                code = relation_codes.get(relation)
                if code is None:
                    code = relation_codes[relation] = len(relation_codes)
                append((first, index[head], code))
        self.codes = max(1, len(relation_codes))
        self.around: list[list[tuple[int, int]]] = [[] for _ in self.nodes]
        for tail, head, code in edges:
            self.around[tail].append((code, head))
            self.around[head].append((code + self.codes, tail))

    def refine(
        self, base: list[int], group: list[int], limit: int | None = None
    ) -> tuple[list[int], int]:
        """Regroup each record by its `base` number and the groups it relates to, how.

        With `limit`, stops as soon as there are more groups than that: the grouping
        returned is then incomplete, and its count `limit + 1`.
        """
        width = 2 * self.codes
        numbers: dict[tuple[int, frozenset[int]], int] = {}
        around = self.around
        new = [0] * len(group)
        for i, pairs in enumerate(around):
            key = (base[i], frozenset([code + width * group[j] for code, j in pairs]))
            new[i] = numbers.setdefault(key, len(numbers))
            if limit is not None and len(numbers) > limit:
                break
        return new, len(numbers)


def _numbers(values: Iterable[Hashable]) -> list[int]:
    seen: dict[Hashable, int] = {}
    return [seen.setdefault(v, len(seen)) for v in values]


def merge_siblings(
    around: Neighbourhood, label_of: Callable[[str], Hashable], limit: int | None = None
) -> tuple[list[int], int]:
    """Group records with equal labels and exactly the same relations to the same records.

    One round is enough: a sibling group's members share all their neighbours, so
    two records whose neighbours fall in the same groups already had the same
    neighbours. Returns each record's group and the number of groups; with `limit`,
    gives up once there are more groups than that (see `Neighbourhood.refine`).
    """
    labels = _numbers(label_of(n) for n in around.nodes)
    return around.refine(labels, list(range(len(around.nodes))), limit)


def merge_structure(
    around: Neighbourhood, label_of: Callable[[str], Hashable]
) -> tuple[list[int], int]:
    """The coarsest grouping in which members share label and related groups (bisimulation).

    Starts from one group per label and splits groups whose members relate to
    different groups, until no group splits. Every grouping that `merge_siblings`
    finds refines this one, so this one never has more groups.
    """
    group = _numbers(label_of(n) for n in around.nodes)
    count = len(set(group))
    for _ in range(MAX_ROUNDS):
        group, new_count = around.refine(group, group)
        if new_count == count:
            break
        count = new_count
    return group, count


def families(
    graph: nx.DiGraph[str], label_of: Callable[[str], Hashable], keep: Iterable[str] = ()
) -> dict[str, int]:
    """Each record's family: its group in the structural grouping (`merge_structure`).

    Records in `keep` are each a family of their own.

    Example:
        families(trail.graph, lambda n: trail.graph.nodes[n]["kind"], keep=[trail.target])
    """
    kept = set(keep)
    around = Neighbourhood(graph)
    group, _ = merge_structure(
        around, lambda node: ("keep", node) if node in kept else label_of(node)
    )
    return dict(zip(around.nodes, group, strict=True))
