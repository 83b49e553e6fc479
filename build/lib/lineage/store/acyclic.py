"""Refusing cycles: the lineage graph stays a DAG."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, select

from lineage.store.resolve import LOOKUP_CHUNK
from lineage.store.tables import NODE


def find_cycle(
    connection: Connection, new_edges: list[tuple[int, int]], store_has_edges: bool
) -> list[int] | None:
    """Return a cycle (node ids) that the new edges would close, or None.

    The stored graph is acyclic, so any cycle uses a new edge. Stored paths
    between the nodes the new edges touch are added as shortcut edges (found
    by a downstream recursive query), and Kahn's algorithm runs on the result.
    """
    graph: dict[int, list[int]] = defaultdict(list)
    for subject, obj in new_edges:
        graph[subject].append(obj)
    if store_has_edges:
        touched = sorted({n for edge in new_edges for n in edge})
        for i in range(0, len(touched), LOOKUP_CHUNK):
            chunk = touched[i : i + LOOKUP_CHUNK]
            starts = ", ".join(str(int(n)) for n in chunk)
            rows = connection.exec_driver_sql(
                "WITH RECURSIVE down(start, id) AS ("
                f"SELECT id, id FROM node WHERE version = 1 AND id IN ({starts}) UNION "
                "SELECT down.start, edge.subject FROM edge JOIN down ON edge.object = down.id"
                ") SELECT start, id FROM down WHERE start <> id"
            )
            touched_set = set(touched)
            for start, reached in rows:
                if reached in touched_set:
                    graph[reached].append(start)
    indegree = Counter(t for targets in graph.values() for t in targets)
    queue = [n for n in graph if n not in indegree]
    seen = 0
    nodes = graph.keys() | indegree.keys()
    empty: list[int] = []
    while queue:
        n = queue.pop()
        seen += 1
        for t in graph.get(n, empty):
            left = indegree[t] - 1
            indegree[t] = left
            if not left:
                queue.append(t)
    if seen == len(nodes):
        return None
    # Every node left has a predecessor left, but not always a successor (it may only
    # hang below a cycle): so walk backwards until a node repeats, then turn around.
    remaining = {n for n in nodes if indegree[n] > 0}
    predecessor: dict[int, int] = {}
    for n in remaining:
        for t in graph.get(n, empty):
            if t in remaining:
                predecessor.setdefault(t, n)
    walk: list[int] = [next(iter(remaining))]
    positions = {walk[0]: 0}
    while (step := predecessor[walk[-1]]) not in positions:
        positions[step] = len(walk)
        walk.append(step)
    return [step, *reversed(walk[positions[step] :])]


def cycle_names(
    connection: Connection, ids: Iterable[int], new: dict[int, tuple[str, str]]
) -> list[str]:
    out = []
    for node_id in ids:
        if node_id in new:
            kind, name = new[node_id]
        else:
            row = connection.execute(
                select(NODE.c.kind, NODE.c.name).where(NODE.c.id == node_id)
            ).one()
            kind, name = row
        out.append(f"{kind}:{name}")
    return out
