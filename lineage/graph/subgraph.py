"""Read a whole closure with every record's facts into networkx, in bulk.

`closure` returns ids, kinds and names; reports, checks, diagrams and the
node-link output also need each record's facts and the relations between them.
This walks the relations level by level (standard SQL: `IN` lists of ids, the
same steps as `closure`'s recursion), keeping the relations it reads as the
graph's, then reads the records by id, each record's facts as one JSON array
made by the database, and builds the networkx graph in its own dicts. For
100,000 upstream records that is about 40% faster than a recursive query for
the records and another for their relations, with a column per fact.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from itertools import chain
from typing import Any

import networkx as nx
import orjson
from sqlalchemy import Connection, Float

from lineage.errors import NotYetRecorded, StoreError
from lineage.graph.closure import Direction, last_edge
from lineage.store.engine import fetch_rows, json_array
from lineage.store.tables import FACT_COLUMNS, JSON_COLUMNS, NODE
from lineage.store.write import GC_PAUSE_ROWS, collector_paused
from lineage.vocabulary import NOT_UPSTREAM

_FLOATS = tuple(column for column in FACT_COLUMNS if isinstance(NODE.c[column].type, Float))
# A bit per fact in a 64-bit integer, and PostgreSQL takes 100 arguments per function.
assert len(FACT_COLUMNS) < 63, "the facts no longer fit one integer of bits"
_FIRST = operator.itemgetter(0)
_FLOAT_AT = 8  # where the floating-point facts start in a node row (`_node_columns`)
_CHUNK = 2000  # ids per `IN (...)` list


def read_subgraph(
    connection: Connection,
    start: int,
    direction: Direction,
    *,
    depth: int | None = None,
    bound: int | None = None,
    depths: bool = True,
    effective: bool = False,
    ids: dict[str, int] | None = None,
) -> nx.DiGraph[str]:
    """The records `direction` of record `start` with their facts, as recorded up to
    ledger transaction `bound` (the newest state when None), within `depth` edges.

    Nodes are 'kind:name' with the facts of the version in force (JSON facts
    decoded, unset ones left out) and `kind`, `name`, `version`, `seal`, and with
    `depths` their shortest distance from `start` as `depth`, with `effective`
    the date the version took effect (or None). Edges carry `relation` and
    `role`. The graph's `root` attribute is the start's id. When given, `ids` is
    filled with each record's id ('kind:name' -> id), by which further reads about
    the records look them up.

    Raises NotYetRecorded if `start` was not yet recorded at `bound`.
    """
    edge_bound = last_edge(connection, bound) if bound is not None else None
    with collector_paused(GC_PAUSE_ROWS):  # see `closure`
        graph, label = _read(connection, start, direction, depth, bound, edge_bound, effective)
        if depths:
            add_depths(graph, direction)
        if ids is not None:
            ids.update(zip(label.values(), label, strict=True))
        return graph


def _read(
    connection: Connection,
    start: int,
    direction: Direction,
    depth: int | None,
    bound: int | None,
    edge_bound: int | None,
    effective: bool,
) -> tuple[nx.DiGraph[str], dict[int, str]]:
    reached, edge_rows = _walk(connection, start, direction, depth, edge_bound)
    # The records in id order, the start last unless it is reached again (a cycle):
    # the order the graph's records always had.
    batches = _node_rows(connection, sorted(reached), bound)
    if start not in reached:
        batches = chain(batches, _node_rows(connection, [start], bound))
    return _build(batches, edge_rows, start, bound, effective)


def _walk(
    connection: Connection,
    start: int,
    direction: Direction,
    depth: int | None,
    edge_bound: int | None,
) -> tuple[set[int], list[tuple[Any, ...]]]:
    """The ids of the records `direction` of `start` (as `closure` finds them, within
    `depth` steps, at least one), and the relations out of them and out of `start`,
    sorted, the start's last unless it is reached again.

    Level by level, each level's relations read by id: upstream, the relations read
    to find the next level are the graph's own, where a recursive query reads them
    twice (once to find the records, once for their relations).
    """
    upstream = direction == "upstream"
    own = _relations(connection, "subject", [start], edge_bound)  # the start's relations
    found: list[tuple[Any, ...]] = []  # the relations out of the records reached
    reached: set[int] = set()
    done = {start}  # the records whose next step is read
    rows = own if upstream else _relations(connection, "object", [start], edge_bound)
    level = 1
    while True:
        if upstream:
            step = {row[1] for row in rows if row[2] not in NOT_UPSTREAM}
        else:
            step = {row[0] for row in rows}
        new = step - reached
        reached |= new
        frontier = sorted(new - done) if depth is None or level < depth else []
        if not frontier:
            break
        done.update(frontier)
        level += 1
        rows = _relations(connection, "subject" if upstream else "object", frontier, edge_bound)
        if upstream:
            found += rows
    # Upstream, the relations out of the last level when a depth stopped the walk;
    # downstream, the relations out of every record reached.
    rest = reached - done if upstream else reached - {start}
    found += _relations(connection, "subject", sorted(rest), edge_bound)
    found.sort()
    own.sort()
    if start in reached:  # reached again (a cycle): its relations in their place
        found += own
        found.sort()
    else:
        found += own
    return reached, found


def _relations(
    connection: Connection, side: str, ids: list[int], edge_bound: int | None
) -> list[tuple[Any, ...]]:
    """The relations (subject, object, relation, role) whose `side` is one of `ids`,
    recorded up to edge id `edge_bound`."""
    edge_id = f" AND e.id <= {int(edge_bound)}" if edge_bound is not None else ""
    rows: list[tuple[Any, ...]] = []
    for marks in _chunks(ids):
        rows += fetch_rows(
            connection,
            "SELECT e.subject, e.object, e.relation, e.role FROM edge e "
            f"WHERE e.{side} IN ({marks}){edge_id}",
            {},
        )
    return rows


def read_graph(
    connection: Connection, *, bound: int | None = None, effective: bool = False
) -> nx.DiGraph[str]:
    """Every record and relation of the store as recorded up to ledger transaction
    `bound`, in the shape of `read_subgraph` (without depths; `root` is None)."""
    node_tx = edge_id = ""
    params: dict[str, Any] = {}
    if bound is not None:
        params = {"tx": bound, "bound": last_edge(connection, bound)}
        node_tx, edge_id = " WHERE n.tx <= :tx", " WHERE e.id <= :bound"
    nodes = f"SELECT {_node_columns(connection)} FROM node n{node_tx}"
    edges = f"SELECT e.subject, e.object, e.relation, e.role FROM edge e{edge_id}"
    with collector_paused(GC_PAUSE_ROWS):  # see `closure`
        node_rows = fetch_rows(connection, nodes, params)
        edge_rows = fetch_rows(connection, edges, params)
        return _build([node_rows], edge_rows, None, bound, effective)[0]


def other_outputs(
    connection: Connection,
    runs: Mapping[int, str],
    bound: int | None = None,
    known: Container[int] = (),
) -> dict[str, dict[str, dict[str, Any]]]:
    """For each run (id -> name), what else it generated: output 'kind:name' -> facts
    (as `read_subgraph` gives them), as recorded up to ledger transaction `bound`,
    leaving out the outputs whose ids are `known` (the trail already read)."""
    edge_bound = last_edge(connection, bound) if bound is not None else None
    edge_id = f" AND e.id <= {int(edge_bound)}" if edge_bound is not None else ""
    generated: list[tuple[str, int]] = []
    for marks in _chunks(runs):
        rows = fetch_rows(
            connection,
            f"SELECT e.object, e.subject FROM edge e WHERE e.object IN ({marks}) "
            f"AND e.relation = 'was_generated_by'{edge_id}",
            {},
        )
        generated += ((runs[run], subject) for run, subject in rows if subject not in known)
    if not generated:
        return {}
    # An output of several runs goes to the one whose name sorts last.
    found = {subject: run for run, subject in sorted(generated)}
    graph, label = _build(_node_rows(connection, sorted(found), bound), [], None, bound, False)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for identity, run in found.items():
        key = label.get(identity)
        if key is not None:
            out.setdefault(run, {})[key] = dict(graph.nodes[key])
    return out


def lineage_shape(
    graph: nx.DiGraph[str], direction: Direction, *, copy: bool = False
) -> nx.DiGraph[str]:
    """`graph` (as `read_subgraph` reads it without depths) in the shape `Store.upstream`
    and `Store.downstream` return: the records of `lineage verify` runs left out, the
    root's depth 0 and every other record's its shortest distance from the root.

    Changes `graph` and returns it; with `copy`, returns a new graph (node and edge
    attributes copied, in the same order) and leaves `graph` as it was.
    """
    root = graph.graph["root"]
    # Runs of `lineage verify` point at every record they checked; in a tree or a
    # diagram they would repeat under each of them. Nothing depends on them, so
    # leaving them out disconnects nothing (`closure` still lists them).
    checks = {n for n, kind in graph.nodes(data="kind") if kind == "verification" and n != root}
    if copy:
        with collector_paused(len(graph)):  # see `closure`
            shaped: nx.DiGraph[str] = nx.DiGraph(**graph.graph)
            shaped.add_nodes_from(
                (n, facts) for n, facts in graph.nodes(data=True) if n not in checks
            )
            shaped.add_edges_from(
                edge
                for edge in graph.edges(data=True)
                if edge[0] not in checks and edge[1] not in checks
            )
    else:
        shaped = graph
        shaped.remove_nodes_from(checks)
    add_depths(shaped, direction)
    return shaped


def add_depths(graph: nx.DiGraph[str], direction: Direction) -> None:
    """Set each node's `depth`: its shortest distance from the graph's root."""
    root = graph.graph["root"]
    if root not in graph:
        raise nx.NodeNotFound(f"Source {root} is not in G")
    # Breadth first over the adjacency dicts: networkx's search and its attribute
    # setter cost a view lookup per record.
    adjacency = graph._succ if direction == "upstream" else graph._pred
    attributes = graph._node
    attributes[root]["depth"] = 0
    seen = {root}
    frontier = [root]
    depth = 0
    while frontier:
        depth += 1
        following = []
        for current in frontier:
            for neighbour in adjacency[current]:
                if neighbour not in seen:
                    seen.add(neighbour)
                    attributes[neighbour]["depth"] = depth
                    following.append(neighbour)
        frontier = following


def _node_columns(connection: Connection) -> str:
    """The columns of a node row as `_build` reads them (`n` is the node table)."""
    # A column costs the SQLite driver about as much when it is empty as when it is
    # set, and most facts of most records are empty: the facts come as one JSON array
    # made by the database (the driver hands over a dozen columns per row rather than
    # sixty), with a bit per fact that is set. Floating-point facts come beside it,
    # as JSON text would round them.
    present = " + ".join(
        f"CASE WHEN n.{column} IS NULL THEN 0 ELSE {1 << bit} END"
        for bit, column in enumerate(FACT_COLUMNS)
    )
    packed = json_array(
        connection, ["NULL" if column in _FLOATS else f"n.{column}" for column in FACT_COLUMNS]
    )
    head = "n.node_id, n.kind, n.name, n.version, n.seal, n.effective"
    return ", ".join([head, present, packed, *(f"n.{column}" for column in _FLOATS)])


def _node_rows(
    connection: Connection, ids: list[int], bound: int | None
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of the records `ids` (each version recorded up to ledger transaction
    `bound`), in the order of `ids` when it is sorted, oldest version first: a batch
    of rows per query, every version of a record in one batch.

    Read as they are built (`_build`): the rows hold each record's facts as one JSON
    text, which all at once made most of a large read's peak of memory.
    """
    node_tx = f" AND n.tx <= {int(bound)}" if bound is not None else ""
    columns = _node_columns(connection)
    for marks in _chunks(ids):
        yield fetch_rows(
            connection,
            f"SELECT {columns} FROM node n WHERE n.node_id IN ({marks}){node_tx} "
            "ORDER BY n.node_id, n.version",
            {},
        )


def _chunks(ids: Iterable[int]) -> Iterator[str]:
    """`ids` sorted, as comma-separated lists of at most `_CHUNK` for `IN (...)`."""
    ordered = sorted(ids)
    for i in range(0, len(ordered), _CHUNK):
        yield ", ".join(map(str, map(int, ordered[i : i + _CHUNK])))


def _build(
    node_batches: Iterable[list[tuple[Any, ...]]],
    edge_rows: list[tuple[Any, ...]],
    start: int | None,
    bound: int | None,
    effective: bool,
) -> tuple[nx.DiGraph[str], dict[int, str]]:
    """The graph of the rows of `node_batches` (`_node_columns`; every version of a
    record in one batch) and `edge_rows`, and each record's 'kind:name' by id."""
    graph: nx.DiGraph[str] = nx.DiGraph(root=None)
    label: dict[int, str] = {}
    layouts: dict[int, _Layout] = {}
    shared: dict[str, str] = {}  # one string per kind, rather than one per record
    for rows in node_batches:
        _add_nodes(graph, label, layouts, shared, _newest(rows), effective)
        del rows  # before the next batch is read
    if start is not None:
        if start not in label:
            raise NotYetRecorded(f"the record was not yet recorded at ledger entry {bound}")
        graph.graph["root"] = label[start]
    _add_edges(graph, edge_rows, label)
    return graph, label


def _newest(rows: list[tuple[Any, ...]]) -> Iterable[tuple[Any, ...]]:
    """The row of the highest version of each record in `rows`, in the order of `rows`."""
    newest = dict(zip(map(_FIRST, rows), rows, strict=True))
    if len(newest) == len(rows):
        return rows
    newest = {}  # several versions of some record: the highest
    for row in rows:
        have = newest.get(row[0])
        if have is None or row[3] > have[3]:
            newest[row[0]] = row
    return newest.values()


def _add_nodes(
    graph: nx.DiGraph[str],
    label: dict[int, str],
    layouts: dict[int, _Layout],
    shared: dict[str, str],
    rows: Iterable[tuple[Any, ...]],
    effective: bool,
) -> None:
    """Add the records of `rows` (one row each) to `graph` and their keys to `label`."""
    # Into the graph's own dicts, as `add_nodes_from` would leave them, without
    # networkx's checks per item (a node given with its facts costs it an exception
    # caught and two dict copies).
    node, succ, pred = graph._node, graph._succ, graph._pred
    loads = orjson.loads
    # The row's head by one itemgetter, its floating-point facts by index where set:
    # unpacking them with a starred name made a list per record.
    head = operator.itemgetter(0, 1, 2, 3, 4, 5, 6, 7)
    for row in rows:
        identity, kind, name, version, seal, since, present, packed = head(row)
        layout = layouts.get(present)
        if layout is None:
            layout = layouts[present] = _layout(present)
        names, pick, decode, placed = layout
        try:
            values = loads(packed)
        except orjson.JSONDecodeError:  # SQLite writes an infinite REAL as Inf
            raise StoreError(
                f"{kind}:{name} holds a value lineage never writes (its row was edited "
                "outside lineage; 'lineage audit verify' names it)"
            ) from None
        for position, index in placed:
            values[position] = row[_FLOAT_AT + index]
        attributes = dict(zip(names, pick(values), strict=False))  # see `_layout`
        for column in decode:
            attributes[column] = _decoded(attributes[column])
        kind = shared.setdefault(kind, kind)
        attributes["kind"] = kind
        attributes["name"] = name
        attributes["version"] = version
        attributes["seal"] = seal
        if effective:
            attributes["effective"] = since
        key = f"{kind}:{name}"
        label[identity] = key
        if key in node:
            node[key].update(attributes)
        else:
            succ[key] = {}
            pred[key] = {}
            node[key] = attributes  # made for this graph alone: networkx would copy it


_Layout = tuple[
    tuple[str, ...],
    Callable[[list[Any]], tuple[Any, ...]],
    tuple[str, ...],
    tuple[tuple[int, int], ...],
]


def _layout(present: int) -> _Layout:
    """For the facts whose bits are set in `present`: their names, what picks their
    values from the JSON array, those to decode from JSON, and where each
    floating-point fact (by its place among them) goes in the array."""
    positions = [bit for bit in range(len(FACT_COLUMNS)) if present >> bit & 1]
    names = tuple(FACT_COLUMNS[bit] for bit in positions)
    # An itemgetter of one index gives the value, not a tuple: two more, past the names.
    pick = operator.itemgetter(*positions, 0, 0)
    decode = tuple(name for name in names if name in JSON_COLUMNS)
    placed = tuple(
        (FACT_COLUMNS.index(column), index)
        for index, column in enumerate(_FLOATS)
        if column in names
    )
    return names, pick, decode, placed


# A run of 20 digits or more may be an integer beyond 64 bits, which orjson reads as a
# float (without an error) where Python's reader keeps it exact.
_LONG_NUMBER = re.compile(r"\d{20}")


def _decoded(text: str) -> Any:
    """A JSON fact's value (as `json.loads` reads it, in C where it can)."""
    if _LONG_NUMBER.search(text):
        return json.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # what only Python's reader takes (NaN, Infinity)
        return json.loads(text)


def _add_edges(
    graph: nx.DiGraph[str], edge_rows: list[tuple[Any, ...]], label: dict[int, str]
) -> None:
    """`graph.add_edges_from` of the edges between records in `label`, into a graph
    that has none yet: the same dicts in the same order, without networkx's checks."""
    succ, pred = graph._succ, graph._pred
    get = label.get
    shared: dict[str, str] = {}  # one string per relation and per role
    intern = shared.setdefault
    for subject, obj, relation, role in edge_rows:
        tail, head = get(subject), get(obj)
        if tail is None or head is None:
            continue
        relation = intern(relation, relation)
        if role is not None:
            role = intern(role, role)
        heads = succ[tail]
        data = heads.get(head)
        if data is None:
            heads[head] = pred[head][tail] = {"relation": relation, "role": role}
        else:  # a second relation between the same two records: the last one's stays
            data.update(relation=relation, role=role)
    # networkx 3.3 and later cache views on the graph; 3.2 (which pyproject allows)
    # has no cache, nor this function.
    clear_cache = getattr(nx, "_clear_cache", None)
    if clear_cache is not None:
        clear_cache(graph)
