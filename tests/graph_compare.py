"""Whether two stores hold the same graph: the yardstick of every round-trip test.

"The same graph" means:

- the same records, identified by (kind, name), each with the same facts in its
  version in force: every fact column (JSON-valued ones compared as decoded
  values, so key order does not matter), `attrs` included, and `effective`;
- the same relations, identified by (relation, subject, object) where the ends
  are (kind, name), each with the same role.

What a store assigns by itself is not compared: row ids, versions, the history
of amendments, reasons, seals, ledger transactions and recording times.

The stores are read with plain SQL, not through the code under test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy

from lineage.store.tables import FACT_COLUMNS, JSON_COLUMNS

NodeKey = tuple[str, str]  # (kind, name)
EdgeKey = tuple[str, NodeKey, NodeKey]  # (relation, subject, object)


@dataclass(frozen=True)
class GraphSnapshot:
    """Every record's facts in force, and every relation with its role."""

    nodes: dict[NodeKey, dict[str, Any]]
    edges: dict[EdgeKey, str | None]


def snapshot(url: str) -> GraphSnapshot:
    """Read the graph held by the store at SQLAlchemy `url`."""
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT * FROM node").mappings().all()
            edge_rows = connection.exec_driver_sql(
                "SELECT subject, object, relation, role FROM edge"
            ).all()
    finally:
        engine.dispose()
    current: dict[int, Any] = {}
    for row in rows:
        have = current.get(row["node_id"])
        if have is None or row["version"] > have["version"]:
            current[row["node_id"]] = row
    nodes: dict[NodeKey, dict[str, Any]] = {}
    key_of: dict[int, NodeKey] = {}
    for node_id, row in current.items():
        key = (row["kind"], row["name"])
        key_of[node_id] = key
        facts = {"effective": row["effective"]}
        for column in FACT_COLUMNS:
            value = row[column]
            facts[column] = json.loads(value) if column in JSON_COLUMNS and value else value
        nodes[key] = facts
    edges = {(rel, key_of[s], key_of[o]): role for s, o, rel, role in edge_rows}
    return GraphSnapshot(nodes, edges)


def differences(a: GraphSnapshot, b: GraphSnapshot, limit: int = 10) -> list[str]:
    """What differs between two graphs, in words (empty when they are the same)."""
    found: list[str] = []
    for key in sorted(a.nodes.keys() - b.nodes.keys()):
        found.append(f"only in the first: {key[0]}:{key[1]}")
    for key in sorted(b.nodes.keys() - a.nodes.keys()):
        found.append(f"only in the second: {key[0]}:{key[1]}")
    for key in sorted(a.nodes.keys() & b.nodes.keys()):
        left, right = a.nodes[key], b.nodes[key]
        for column in sorted(left):
            if left[column] != right.get(column):
                found.append(
                    f"{key[0]}:{key[1]}: {column} {left[column]!r} != {right.get(column)!r}"
                )
    for edge in sorted(a.edges.keys() - b.edges.keys(), key=str):
        found.append(f"relation only in the first: {edge}")
    for edge in sorted(b.edges.keys() - a.edges.keys(), key=str):
        found.append(f"relation only in the second: {edge}")
    for edge in sorted(a.edges.keys() & b.edges.keys(), key=str):
        if a.edges[edge] != b.edges[edge]:
            found.append(f"{edge}: role {a.edges[edge]!r} != {b.edges[edge]!r}")
    return found[:limit]


def assert_same_graph(first_url: str, second_url: str) -> GraphSnapshot:
    """Fail, naming the differences, unless both stores hold the same non-empty graph."""
    a, b = snapshot(first_url), snapshot(second_url)
    assert a.nodes, "the first store is empty: nothing would be compared"
    problems = differences(a, b)
    assert not problems, "the graphs differ:\n" + "\n".join(problems)
    return a
