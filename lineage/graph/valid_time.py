"""The world as the events describe it at a time (`--valid-at`), beside `--as-of`.

`--as-of T` reads the store as it was recorded at T (the ledger); `--valid-at T`
reads what the recorded events say had happened by T: the version of a dataset
current at T, runs that had started by T, versions written by T. The two combine:
`--as-of` picks what is known, `--valid-at` the moment it describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from lineage.canonical import utc_text
from lineage.errors import UnknownNode
from lineage.graph.closure import Direction
from lineage.store.versions import History, load_histories, moment

if TYPE_CHECKING:  # networkx loads only when a graph is cut to a valid time
    import networkx as nx


@dataclass(frozen=True)
class DatasetVersion:
    """One version of a dataset: its record name, number, when it was written, by which
    run, whether it kept the previous content, and when it was dropped (if it was)."""

    name: str
    number: int
    written: str | None
    writer: str | None
    write: str | None
    dropped: str | None


def _text(value: datetime | None) -> str | None:
    return utc_text(value) if value is not None else None


def history_of(
    connection: Connection, node_id: int, name: str, bound: int | None = None
) -> History:
    """Every recorded version of dataset `node_id` (as recorded up to ledger entry `bound`)."""
    return load_histories(connection, {node_id: name}, datetime.now(UTC), bound)[node_id]


def dataset_versions(history: History) -> tuple[DatasetVersion, ...]:
    """The versions of a history, oldest write first (unwritten version 1 first of all)."""
    ordered = sorted(
        history.versions, key=lambda v: (v.time or datetime.min.replace(tzinfo=UTC), v.number)
    )
    return tuple(
        DatasetVersion(v.name, v.number, _text(v.time), v.writer, v.write, _text(v.dropped))
        for v in ordered
    )


def event_time(facts: dict[str, Any]) -> datetime | None:
    """When a record happened in the world as its events tell: a run's start (else end),
    a dataset version's write; None for records without a time (sources, agents)."""
    if facts.get("kind") == "activity":
        return moment(facts.get("started") or facts.get("ended"))
    info = (
        (facts.get("attrs") or {}).get("dataset_version")
        if isinstance(facts.get("attrs"), dict)
        else None
    )
    if isinstance(info, dict):
        return moment(info.get("time"))
    return None


def valid_at_graph(graph: nx.DiGraph[str], at: datetime, direction: Direction) -> nx.DiGraph[str]:
    """`graph` (a closure with a `root`) as the events describe it at `at`: records whose
    time is after `at` left out, with what is reachable from the root only through them.

    Raises UnknownNode when the root itself happened after `at`.
    """
    import networkx as nx

    from lineage.graph.subgraph import add_depths

    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    root = graph.graph["root"]
    later = {n for n, facts in graph.nodes(data=True) if (t := event_time(facts)) and t > at}
    if root in later:
        raise UnknownNode(f"{root} did not happen yet at {utc_text(at)}")
    kept = graph.subgraph(n for n in graph if n not in later)
    view = kept if direction == "upstream" else kept.reverse(copy=False)
    reachable = nx.descendants(view, root) | {root}
    out: nx.DiGraph[str] = nx.DiGraph(graph.subgraph(reachable))
    out.graph.update(graph.graph)
    add_depths(out, direction)
    return out
