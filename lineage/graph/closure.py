"""Upstream and downstream closure as recursive SQL, on SQLite and PostgreSQL alike.

Edges point from the dependent record to what it depends on (PROV: an activity
`used` an entity, an entity `was_generated_by` an activity), so upstream follows
edges forwards and downstream follows them backwards.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import add, itemgetter
from typing import Any, Literal, NamedTuple, overload

from sqlalchemy import Connection

from lineage.store.engine import fetch_rows

Direction = Literal["upstream", "downstream"]


class NodeRef(NamedTuple):
    """A record in a closure: its id, kind, name, and its distance from the start."""

    id: int
    kind: str
    name: str
    depth: int


_ID, _KIND, _NAME, _DEPTH = (itemgetter(i) for i in range(4))
_NO_DEPTH = (0,)


class NodeRefs(Sequence[NodeRef]):
    """The records of a closure: the rows the database driver built, kept as they came.

    A closure is hundreds of thousands of rows, and a Python object made per row
    cost about as much as the query (issue 17). So nothing is made per row until
    asked for: indexing and iterating give NodeRef (made in C), and the columns
    `ids`, `kinds`, `names` and `depths` are lists made in C as well, for callers that
    want a set of ids or names and no objects. Rows are (id, kind, name, depth), or
    (id, kind, name) for a closure without a depth limit, where every depth is 0.

    Example:
        refs = store.closure("support-assistant-v1")
        len(refs), refs[0].name, set(refs.ids)
    """

    __slots__ = ("_depths", "_rows")

    def __init__(self, rows: list[tuple[Any, ...]], *, depths: bool) -> None:
        self._rows = rows
        self._depths = depths

    def _full(self, rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        return iter(rows) if self._depths else map(add, rows, repeat(_NO_DEPTH))

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> NodeRef: ...

    @overload
    def __getitem__(self, index: slice) -> list[NodeRef]: ...

    def __getitem__(self, index: int | slice) -> NodeRef | list[NodeRef]:
        if isinstance(index, slice):
            return list(map(tuple.__new__, repeat(NodeRef), self._full(self._rows[index])))
        row = self._rows[index]
        return tuple.__new__(NodeRef, row if self._depths else row + _NO_DEPTH)

    def __iter__(self) -> Iterator[NodeRef]:
        # tuple.__new__ makes each NodeRef in C (NodeRef._make is a Python call per row).
        return map(tuple.__new__, repeat(NodeRef), self._full(self._rows))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NodeRefs) and other._depths == self._depths:
            return self._rows == other._rows
        if isinstance(other, (NodeRefs, list)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"NodeRefs({len(self._rows)} records)"

    @property
    def ids(self) -> list[int]:
        """The record ids, in the order of the rows."""
        return list(map(_ID, self._rows))

    @property
    def kinds(self) -> list[str]:
        """The kinds, in the order of the rows."""
        return list(map(_KIND, self._rows))

    @property
    def names(self) -> list[str]:
        """The names, in the order of the rows."""
        return list(map(_NAME, self._rows))

    @property
    def depths(self) -> list[int]:
        """The shortest distances from the start (all 0 for a closure without a depth)."""
        if not self._depths:
            return [0] * len(self._rows)
        return list(map(_DEPTH, self._rows))


@dataclass(frozen=True)
class EdgeRow:
    """A relation between two records of a closure."""

    subject: int
    object: int
    relation: str
    role: str | None


def cte(direction: Direction, depth: int | None, bounded: bool) -> str:
    follow, come_from = ("object", "subject") if direction == "upstream" else ("subject", "object")
    # Edge ids grow with the ledger, so "recorded by transaction N" is "id <= the last
    # edge id of N": the id is in every SQLite index, so the traversal stays index-only.
    tx = " AND e.id <= :bound" if bounded else ""
    if depth is None:
        # Without a depth limit, UNION on the id alone visits each record once.
        return (
            "WITH RECURSIVE reach(id) AS ("
            f"SELECT e.{follow} FROM edge e WHERE e.{come_from} = :start{tx} "
            f"UNION SELECT e.{follow} FROM edge e JOIN reach ON e.{come_from} = reach.id "
            f"WHERE 1 = 1{tx})"
        )
    return (
        "WITH RECURSIVE reach(id, depth) AS ("
        f"SELECT e.{follow}, 1 FROM edge e WHERE e.{come_from} = :start{tx} "
        f"UNION SELECT e.{follow}, reach.depth + 1 FROM edge e "
        f"JOIN reach ON e.{come_from} = reach.id WHERE reach.depth < :depth{tx})"
    )


def content_cte(direction: Direction, depth: int | None, bounded: bool) -> str:
    """`cte` restricted to what carries content: `reach(id, cut[, depth])`.

    Relations with the role `reference` (a tool the run consulted) are not followed,
    nor those with the role `excluded` (a part the run removed). An excluded part can
    still be reached through what contained it (the Pile, behind a run that removed
    Books3 from it), so each path carries `cut`: the ids, as text ',12,40,', of the
    records along it that exclude something (upstream) or are excluded somewhere
    (downstream). A step into a record that a run on the path excluded, or out
    through a run that excludes a record on the path, is not taken. Only standard
    SQL (`||`, `LIKE`, `CAST ... AS TEXT`, `EXISTS`), so it runs unchanged on SQLite
    and PostgreSQL (the LIKE wildcard is the parameter `:wild`, as a literal '%' would
    be a placeholder to psycopg); without exclusions `cut` stays ',' and each record
    is visited once.
    """
    upstream = direction == "upstream"
    follow, come_from = ("object", "subject") if upstream else ("subject", "object")
    tx = " AND e.id <= :bound" if bounded else ""
    xtx = " AND x.id <= :bound" if bounded else ""
    content = " AND (e.role IS NULL OR e.role NOT IN ('reference', 'excluded'))"
    # Upstream, a run cuts what it excludes; downstream, a record is cut by a run
    # that excludes it. `marks(n)` says whether n goes into the path's cut.
    mark_side = "subject" if upstream else "object"

    def marks(node: str) -> str:
        return (
            f"CASE WHEN EXISTS (SELECT 1 FROM edge x WHERE x.{mark_side} = {node} "
            f"AND x.role = 'excluded'{xtx}) "
            f"THEN CAST({node} AS TEXT) || ',' ELSE '' END"
        )

    def blocked(cut: str) -> str:
        # Upstream: the next record was excluded by a run on the path. Downstream:
        # the next run excludes a record on the path.
        near, far = ("object", "subject") if upstream else ("subject", "object")
        return (
            f" AND NOT EXISTS (SELECT 1 FROM edge x WHERE x.{near} = e.{near} "
            f"AND x.role = 'excluded'{xtx} "
            f"AND {cut} LIKE :wild || ',' || CAST(x.{far} AS TEXT) || ',' || :wild)"
        )

    first_cut = f"CAST(',' AS TEXT) || {marks(':start')}"
    next_cut = f"reach.cut || {marks(f'e.{follow}')}"
    first = (
        f"SELECT e.{follow}, {first_cut} || {marks(f'e.{follow}')}"
        f"{', 1' if depth is not None else ''} FROM edge e WHERE e.{come_from} = :start"
        f"{tx}{content}{blocked(first_cut)}"
    )
    step = (
        f"SELECT e.{follow}, {next_cut}{', reach.depth + 1' if depth is not None else ''} "
        f"FROM edge e JOIN reach ON e.{come_from} = reach.id WHERE 1 = 1"
        f"{' AND reach.depth < :depth' if depth is not None else ''}"
        f"{tx}{content}{blocked('reach.cut')}"
    )
    columns = "id, cut, depth" if depth is not None else "id, cut"
    return f"WITH RECURSIVE reach({columns}) AS ({first} UNION {step})"


def _params(start: int, depth: int | None, bound: int | None) -> dict[str, Any]:
    params: dict[str, Any] = {"start": start}
    if depth is not None:
        params["depth"] = depth
    if bound is not None:
        params["bound"] = bound
    return params


def last_edge(connection: Connection, tx: int) -> int:
    """The id of the last relation written by ledger transaction `tx` or before."""
    rows = fetch_rows(connection, "SELECT MAX(edge_last) FROM ledger WHERE seq <= :tx", {"tx": tx})
    return int(rows[0][0] or 0)


def closure(
    connection: Connection,
    start: int,
    direction: Direction,
    *,
    depth: int | None = None,
    bound: int | None = None,
    content: bool = False,
) -> NodeRefs:
    """Every record reachable from `start` (not itself): ids, kinds, names, depths.

    With `depth`, only records at most that many edges away. With `bound`, only
    edges written in ledger transactions up to `bound` (the graph as recorded then).
    Depth is the shortest distance when `depth` is given, else 0. With `content`,
    only what content flows along: not through references (tools, filters,
    classifiers) nor to parts a run excluded (see `content_cte`).
    """
    if bound is not None:
        bound = last_edge(connection, bound)
    if content:
        reach = content_cte(direction, depth, bound is not None)
    else:
        reach = cte(direction, depth, bound is not None)
    if depth is None and content:
        sql = (
            f"{reach} SELECT n.id, n.kind, n.name FROM node n WHERE n.id IN (SELECT id FROM reach)"
        )
    elif depth is None:
        # Three columns, as the hand-written query: a constant depth costs 5% of a
        # 400k-record closure, so NodeRefs adds it when a NodeRef is made.
        sql = f"{reach} SELECT n.id, n.kind, n.name FROM reach JOIN node n ON n.id = reach.id"
    else:
        sql = (
            f"{reach} SELECT n.id, n.kind, n.name, MIN(reach.depth) FROM reach "
            "JOIN node n ON n.id = reach.id GROUP BY n.id, n.kind, n.name"
        )
    params = _params(start, depth, bound)
    if content:
        params["wild"] = "%"
    # The collector runs as it does for the hand-written query: the driver's tuples of
    # ints and strings leave its young generation at the first collection that sees
    # them. Paused, the first collection afterwards walked every row at once.
    return NodeRefs(fetch_rows(connection, sql, params, traversal=True), depths=depth is not None)


def edges_within(
    connection: Connection, ids: set[int], bound: int | None = None
) -> Iterator[EdgeRow]:
    """The relations whose both ends are in `ids`, as recorded up to `bound`."""
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        marks = ", ".join(str(int(n)) for n in chunk)
        tx = f" AND tx <= {int(bound)}" if bound is not None else ""
        rows = connection.exec_driver_sql(
            f"SELECT subject, object, relation, role FROM edge WHERE subject IN ({marks}){tx}"
        )
        for subject, obj, relation, role in rows:
            if obj in ids:
                yield EdgeRow(subject, obj, relation, role)


def versions_of(
    connection: Connection, ids: set[int], bound: int | None = None
) -> dict[int, dict[str, Any]]:
    """The version of each record in force at `bound` (the newest when None)."""
    out: dict[int, dict[str, Any]] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        marks = ", ".join(str(int(n)) for n in chunk)
        tx = f" AND tx <= {int(bound)}" if bound is not None else ""
        result = connection.exec_driver_sql(f"SELECT * FROM node WHERE node_id IN ({marks}){tx}")
        for row in result.mappings():
            have = out.get(row["node_id"])
            if have is None or row["version"] > have["version"]:
                out[row["node_id"]] = dict(row)
    return out
