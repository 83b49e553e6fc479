"""Read a whole upstream closure, with every record's facts, in a few bulk queries.

`Store.upstream` builds the same graph from one query per 500 records, and a
check or report of a model with 100,000 upstream records spends most of its
time there. This reader asks the database for the closure's records and
relations in one recursive query each (standard SQL, as in
`lineage.graph.closure`) and builds the networkx graph in bulk, about twice as
fast. The result has the shape of `Store.upstream`'s, without the `depth`
attribute. It belongs beside `Store.upstream`; it lives here until the store
offers a bulk read of its own.
"""

from __future__ import annotations

import functools
import json
import operator
from itertools import compress
from typing import TYPE_CHECKING, Any

import networkx as nx
from sqlalchemy import Connection, text

from lineage.errors import InvalidRecord
from lineage.store.tables import FACT_COLUMNS, JSON_COLUMNS

if TYPE_CHECKING:  # the API sits above the checks; only its type is needed here
    from lineage.api import Store

_FACTS = frozenset(FACT_COLUMNS)


def _reach(bounded: bool) -> str:
    tx = " AND e.tx <= :bound" if bounded else ""
    return (
        "WITH RECURSIVE reach(id) AS ("
        f"SELECT e.object FROM edge e WHERE e.subject = :start{tx} "
        f"UNION SELECT e.object FROM edge e JOIN reach ON e.subject = reach.id "
        f"WHERE 1 = 1{tx}) "
    )


def read_upstream(store: Store, target: str, bound: int | None) -> nx.DiGraph[str]:
    """The upstream graph of `target` as recorded up to ledger entry `bound`.

    Nodes are 'kind:name' with the facts of the version in force as attributes,
    and `kind`, `name`, `version`, `seal`; edges carry `relation` and `role`.
    The graph's `root` attribute is the target's id.

    Raises UnknownNode if `target` was never recorded, InvalidRecord if it was not
    yet recorded at `bound`.
    """
    database = store.database
    with database.read() as connection:
        start, _, _ = database.resolve(connection, target)
        params: dict[str, Any] = {"start": start}
        if bound is not None:
            params["bound"] = bound
        node_rows, columns = _node_rows(connection, start, params, bound is not None)
        edge_rows = _edge_rows(connection, params, bound is not None)
    index = {name: position for position, name in enumerate(columns)}
    newest: dict[int, Any] = {}
    node_id, version = index["node_id"], index["version"]
    for row in node_rows:
        have = newest.get(row[node_id])
        if have is None or row[version] > have[version]:
            newest[row[node_id]] = row
    if start not in newest:
        raise InvalidRecord(f"{target!r} was not yet recorded at ledger entry {bound}")
    fact_names = [column for column in columns if column in _FACTS]
    facts_of = operator.itemgetter(*(index[column] for column in fact_names))
    present = functools.partial(operator.is_not, None)
    kind, name, seal = index["kind"], index["name"], index["seal"]
    label: dict[int, str] = {}
    nodes: list[tuple[str, dict[str, Any]]] = []
    for identity, row in newest.items():
        key = f"{row[kind]}:{row[name]}"
        label[identity] = key
        values = facts_of(row)
        # The facts that are set, selected in C: a report of 100,000 records reads
        # five million columns, most of them empty.
        attributes = dict(compress(zip(fact_names, values, strict=True), map(present, values)))
        for column in JSON_COLUMNS.intersection(attributes):
            attributes[column] = json.loads(attributes[column])
        attributes.update(kind=row[kind], name=row[name], version=row[version], seal=row[seal])
        nodes.append((key, attributes))
    graph: nx.DiGraph[str] = nx.DiGraph(root=label[start])
    graph.add_nodes_from(nodes)
    graph.add_edges_from(
        (label[subject], label[obj], {"relation": relation, "role": role})
        for subject, obj, relation, role in edge_rows
        if subject in label and obj in label
    )
    return graph


def _node_rows(
    connection: Connection, start: int, params: dict[str, Any], bounded: bool
) -> tuple[list[Any], list[str]]:
    tx = " AND n.tx <= :bound" if bounded else ""
    result = connection.execute(
        text(
            _reach(bounded) + "SELECT n.* FROM node n WHERE (n.node_id IN (SELECT id FROM reach) "
            f"OR n.node_id = :start){tx}"
        ),
        params,
    )
    columns = list(result.keys())
    return list(result.fetchall()), columns


def _edge_rows(connection: Connection, params: dict[str, Any], bounded: bool) -> list[Any]:
    tx = " AND e.tx <= :bound" if bounded else ""
    result = connection.execute(
        text(
            _reach(bounded) + "SELECT e.subject, e.object, e.relation, e.role FROM edge e "
            f"WHERE (e.subject IN (SELECT id FROM reach) OR e.subject = :start){tx}"
        ),
        params,
    )
    return list(result.fetchall())
