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

A lineage has 100,000 records and twice as many relations: the graph is read once into
columns of integers (`Neighbourhood`), and each round of grouping works on whole columns
with `map` and slices, whose loops run in C, rather than on the networkx dicts record
by record.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import accumulate, chain, compress, count, filterfalse, repeat
from operator import add, eq, itemgetter, methodcaller, mul
from typing import Any

import networkx as nx

from lineage.vocabulary import NON_CONTENT_ROLES

# Refinement needs one round per level of nesting it tells apart; real pipelines are a
# few dozen steps deep, and a partial refinement is still a valid (coarser) summary.
MAX_ROUNDS = 200
# The fact that tells records of a kind apart for grouping (a run's operation, ...).
DETAIL: dict[Any, str] = {"activity": "operation", "agent": "agent_type", "attestation": "decision"}
# Records regrouped at a time: a grouping given a limit stops within this many of it.
_CHUNK = 4096


def relation_of(relation: object, role: object) -> str:
    """The relation an edge stands for: a `used` that carries no content is its own,
    'used:reference' (a tool the run consulted) or 'used:excluded' (a part it removed)."""
    text = str(relation)
    if role in NON_CONTENT_ROLES and text == "used":
        return f"used:{role}"
    return text


def relations(
    graph: nx.DiGraph[str], among: Iterable[str] | None = None
) -> Iterator[tuple[str, str, str]]:
    """Each edge of `graph` (or only those into `among`) as (tail, head, relation)."""
    if among is None:
        # The edges as `graph.edges(data=True)` lists them, without its view's generator.
        edges: Iterable[tuple[str, str, dict[str, object]]] = (
            (tail, head, data) for tail, heads in graph.adjacency() for head, data in heads.items()
        )
    else:
        edges = graph.in_edges(among, data=True)
    for tail, head, data in edges:
        yield tail, head, relation_of(data.get("relation", ""), data.get("role"))


def kinds(graph: nx.DiGraph[str]) -> list[Any]:
    """The `kind` of each record of `graph`, in its order."""
    return list(map(dict.get, facts_in_order(graph), repeat("kind")))


def kinds_and_details(facts: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """Each record's kind, and its `DETAIL` fact (None for other kinds), from its facts."""
    kinds: list[Any] = list(map(dict.get, facts, repeat("kind")))
    # No fact is named "": a kind without a detail looks it up and finds None.
    names: map[str] = map(DETAIL.get, kinds, repeat(""))
    return kinds, list(map(dict.get, facts, names))


def facts_in_order(graph: nx.DiGraph[str]) -> list[dict[str, Any]]:
    """The facts of each record of `graph`, in its order."""
    return list(map(itemgetter(1), graph.nodes(data=True)))


def of_kind(graph: nx.DiGraph[str], kind: str) -> list[str]:
    """The records of `graph` of one kind."""
    return list(compress(graph, map(eq, kinds(graph), repeat(kind))))


def numbers(values: Iterable[Hashable]) -> list[int]:
    """Each value's number: 0 for the first value met, 1 for the next different one..."""
    values = list(values)
    first = dict(zip(dict.fromkeys(values), count()))
    return list(map(first.__getitem__, values))


_RELATION_ROLE = itemgetter("relation", "role")


class _Codes(dict[tuple[object, object], int]):
    """The code of each relation, for the (relation, role) of an edge; given when first met."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []  # the relation of each code

    def __missing__(self, pair: tuple[object, object]) -> int:
        name = relation_of(*pair)
        if name not in self.names:
            self.names.append(name)
        code = self[pair] = self.names.index(name)
        return code


class Neighbourhood:
    """The graph as columns of integers, built once for every grouping step.

    `nodes[i]` is a record and `index` its number; edge `e` goes from
    `nodes[tails[e]]` to `nodes[heads[e]]` as relation `relation_names[codes[e]]`,
    in the order of `relations(graph)`.

    For grouping, each record also has entries, one slice of `_entry_codes` and
    `_entry_others` per record: one for the record itself, then one per relation
    out of it and into it, with a code for the relation and its direction and the
    record at the other end. A record's signature in a round of grouping is the set
    of its entries' codes, each combined with the group of the record it names.
    """

    def __init__(self, graph: nx.DiGraph[str]) -> None:
        # networkx keeps its node, successor and predecessor dicts in one order.
        self.nodes: list[str] = list(graph)
        size = len(self.nodes)
        self.index: dict[str, int] = dict(zip(self.nodes, count()))
        successors = list(graph._succ.values())
        out_degrees = list(map(len, successors))
        self.tails: list[int] = list(chain.from_iterable(map(repeat, count(), out_degrees)))
        self.heads: list[int] = list(map(self.index.__getitem__, chain.from_iterable(successors)))
        facts = chain.from_iterable(map(methodcaller("values"), successors))
        codes = _Codes()
        try:  # every edge has both, as the store's graphs have them
            self.codes: list[int] = list(map(codes.__getitem__, map(_RELATION_ROLE, facts)))
        except KeyError:
            every = list(chain.from_iterable(map(methodcaller("values"), successors)))
            codes = _Codes()
            relations = map(dict.get, every, repeat("relation"), repeat(""))
            roles = map(dict.get, every, repeat("role"))
            self.codes = list(map(codes.__getitem__, zip(relations, roles, strict=True)))
        self.relation_names: list[str] = codes.names

        # Codes of entries: a relation's code out of the record, the same shifted by
        # `shift` into it, and `itself` for the record's own entry. The own entry of
        # record i names `size + i`, where a round looks up its `base` number.
        shift = len(self.relation_names)
        itself = 2 * shift
        self._width = itself + 1
        owners = [*range(size), *self.tails, *self.heads]
        order = sorted(range(len(owners)), key=owners.__getitem__)
        others = [*range(size, 2 * size), *self.heads, *self.tails]
        entry_codes = [*repeat(itself, size), *self.codes, *map(add, self.codes, repeat(shift))]
        self._entry_others = list(map(others.__getitem__, order))
        self._entry_codes = list(map(entry_codes.__getitem__, order))
        entries = map(add, map(add, out_degrees, map(len, graph._pred.values())), repeat(1))
        ends = list(accumulate(entries, initial=0))
        self._slices = list(map(slice, ends[:-1], ends[1:]))

    def refine(
        self, base: Sequence[int], group: Sequence[int], limit: int | None = None
    ) -> tuple[list[int], int]:
        """Regroup each record by its `base` number and the groups it relates to, how.

        With `limit`, stops as soon as there are more groups than that: the grouping
        returned is then incomplete, and its count `limit + 1`.
        """
        width = self._width
        # An entry's value: its code plus `width` times the group of the record it
        # names (for the record's own entry, its `base` number). Codes are below
        # `width`, so equal sets of values are equal signatures.
        scaled = [*map(mul, group, repeat(width)), *map(mul, base, repeat(width))]
        values = [0] * len(self._entry_codes)
        found: dict[frozenset[int], int] = {}
        new: list[int] = []
        for start in range(0, len(self.nodes), _CHUNK):
            slices = self._slices[start : start + _CHUNK]
            low, high = slices[0].start, slices[-1].stop
            values[low:high] = map(
                add,
                self._entry_codes[low:high],
                map(scaled.__getitem__, self._entry_others[low:high]),
            )
            keys = list(map(frozenset, map(values.__getitem__, slices)))
            unseen = filterfalse(found.__contains__, dict.fromkeys(keys))
            found.update(zip(unseen, count(len(found))))
            new += map(found.__getitem__, keys)
            if limit is not None and len(found) > limit:
                new += repeat(0, len(self.nodes) - len(new))
                return new, limit + 1
        return new, len(found)


def merge_siblings(
    around: Neighbourhood, label_of: Callable[[str], Hashable], limit: int | None = None
) -> tuple[list[int], int]:
    """Group records with equal labels and exactly the same relations to the same records.

    One round is enough: a sibling group's members share all their neighbours, so
    two records whose neighbours fall in the same groups already had the same
    neighbours. Returns each record's group and the number of groups; with `limit`,
    gives up once there are more groups than that (see `Neighbourhood.refine`).
    """
    labels = numbers(map(label_of, around.nodes))
    return around.refine(labels, range(len(around.nodes)), limit)


def merge_structure(
    around: Neighbourhood, label_of: Callable[[str], Hashable]
) -> tuple[list[int], int]:
    """The coarsest grouping in which members share label and related groups (bisimulation).

    Starts from one group per label and splits groups whose members relate to
    different groups, until no group splits. Every grouping that `merge_siblings`
    finds refines this one, so this one never has more groups.
    """
    group = numbers(map(label_of, around.nodes))
    total = max(group, default=-1) + 1
    for _ in range(MAX_ROUNDS):
        group, new_total = around.refine(group, group)
        if new_total == total:
            break
        total = new_total
    return group, total


def kept_apart(
    around: Neighbourhood, label_of: Callable[[str], Hashable], keep: Iterable[str]
) -> Callable[[str], int]:
    """`label_of` asked once per record, with each record of `keep` labelled alone; as
    numbers (equal labels, equal numbers), which the grouping steps compare fastest."""
    labels = list(map(label_of, around.nodes))
    for node in keep:
        at = around.index.get(node)
        if at is not None:
            labels[at] = ("keep", node)
    return dict(zip(around.nodes, numbers(labels), strict=True)).__getitem__


def families(
    graph: nx.DiGraph[str], label_of: Callable[[str], Hashable], keep: Iterable[str] = ()
) -> dict[str, int]:
    """Each record's family: its group in the structural grouping (`merge_structure`).

    Records in `keep` are each a family of their own.

    Example:
        families(trail.graph, lambda n: trail.graph.nodes[n]["kind"], keep=[trail.target])
    """
    around = Neighbourhood(graph)
    group, _ = merge_structure(around, kept_apart(around, label_of, keep))
    return dict(zip(around.nodes, group, strict=True))
