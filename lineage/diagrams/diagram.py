"""The diagram of a record's lineage: `diagram(store, target)` and the `Diagram` it returns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Protocol

import graphviz
import networkx as nx

from lineage.checks.findings import Finding
from lineage.checks.trail import bulk_work
from lineage.diagrams.dot import to_digraph
from lineage.diagrams.drawing import (
    DEFAULT_MAX_NODES,
    Direction,
    Drawing,
    build_drawing,
    drop_agents,
)
from lineage.diagrams.mermaid import to_mermaid
from lineage.diagrams.render import FORMATS, Format, check_format, render
from lineage.diagrams.summarise import of_kind
from lineage.errors import InvalidRecord
from lineage.graph.subgraph import lineage_shape

SUFFIX_FORMATS: dict[str, Format] = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
}
_SVG_START = re.compile(r"<svg\b")


class Store(Protocol):
    """What a diagram reads from a store (`lineage.Store` has it); diagrams sit below the API."""

    def upstream(
        self, name: str, *, depth: int | None = None, as_of: datetime | None = None
    ) -> nx.DiGraph[str]: ...

    def downstream(
        self, name: str, *, depth: int | None = None, as_of: datetime | None = None
    ) -> nx.DiGraph[str]: ...

    def snapshot(self) -> AbstractContextManager[None]: ...


def format_for(path: str | Path, default: Format = "svg") -> Format:
    """The format a file name asks for by its suffix (`.png`, `.mmd`, ...), else `default`."""
    return SUFFIX_FORMATS.get(Path(path).suffix.lower(), default)


class Diagram:
    """A lineage diagram: the Graphviz digraph, its Mermaid text, and renderings of it.

    `drawing` says what is drawn and what was folded or left out; `digraph` is a
    `graphviz.Digraph` that notebooks display as it is.

    Example:
        d = lineage.diagram(store, "support-assistant-v1")
        d.digraph            # displays in Jupyter
        Path("lineage.svg").write_text(d.to_svg())
        print(d.mermaid())   # for a Markdown page
    """

    FORMATS = FORMATS
    MAX_NODES = DEFAULT_MAX_NODES

    def __init__(self, drawing: Drawing, *, legend: bool = True) -> None:
        self.drawing = drawing
        self.legend = legend
        self.digraph: graphviz.Digraph = to_digraph(drawing, legend=legend)

    @classmethod
    def of_graph(
        cls,
        graph: nx.DiGraph[str],
        *,
        direction: Direction = "upstream",
        max_nodes: int | None = DEFAULT_MAX_NODES,
        focus: Sequence[str] = (),
        findings: Sequence[Finding] = (),
        highlight: str | None = None,
        agents: bool = False,
        legend: bool = True,
        as_of: datetime | None = None,
    ) -> Diagram:
        """The diagram of a lineage graph as `Store.upstream` returns it (its `root` set),
        as recorded at `as_of` (named in the diagram) if given."""
        drawing = build_drawing(
            graph,
            direction=direction,
            max_nodes=max_nodes,
            focus=focus,
            findings=findings,
            highlight=highlight,
            agents=agents,
            as_of=as_of.isoformat() if as_of else None,
        )
        return cls(drawing, legend=legend)

    @staticmethod
    def format_for(path: str | Path, default: Format = "svg") -> Format:
        """The format a file name asks for by its suffix (`.png`, `.mmd`, ...), else `default`."""
        return format_for(path, default)

    def dot(self) -> str:
        """The DOT source."""
        return str(self.digraph.source)

    def mermaid(self) -> str:
        """The Mermaid flowchart text."""
        return to_mermaid(self.drawing, legend=self.legend)

    def render(self, format: str = "svg") -> bytes:
        """The diagram as svg, png or pdf (drawn by Graphviz), or as dot or mermaid text.

        Raises GraphvizNotFound when svg, png or pdf is asked for and `dot` is missing.
        """
        chosen = check_format(format)
        if chosen == "mermaid":
            return self.mermaid().encode("utf-8")
        return render(self.digraph, chosen)

    def to_svg(self) -> str:
        """The SVG document."""
        return self.render("svg").decode("utf-8")

    def svg_element(self) -> str:
        """The `<svg>` element alone, without XML prolog or doctype, to embed in HTML."""
        svg = self.to_svg()
        start = _SVG_START.search(svg)
        return svg[start.start() :] if start else svg

    def save(self, path: str | Path, format: str | None = None) -> Path:
        """Write the diagram to `path`, in `format` or the one its suffix names."""
        target = Path(path)
        target.write_bytes(self.render(format or format_for(target)))
        return target

    def _repr_svg_(self) -> str:
        return self.svg_element()

    def __repr__(self) -> str:
        d = self.drawing
        return (
            f"<Diagram of {d.root} ({d.direction}): {len(d.boxes)} boxes, "
            f"{len(d.links)} links, {d.records} records>"
        )


def _add(graph: nx.DiGraph[str], other: nx.DiGraph[str], depth: int) -> None:
    for node, data in other.nodes(data=True):
        if node not in graph:
            graph.add_node(node, **{**data, "depth": depth})
    for tail, head, data in other.edges(data=True):
        graph.add_edge(tail, head, **data)


SignOffs = list[tuple["nx.DiGraph[str]", int]]
"""What `read_sign_offs` read: the graphs to add to a diagram's, each with its depth."""


def _with_sign_offs(store: Store, graph: nx.DiGraph[str], as_of: datetime | None) -> None:
    """Add the target's attestations and evaluations, and who signed each (with whom they
    acted for)."""
    add_sign_offs(graph, read_sign_offs(store, graph, as_of))


def read_sign_offs(store: Store, graph: nx.DiGraph[str], as_of: datetime | None) -> SignOffs:
    """What `_with_sign_offs` adds to `graph`, read from the store without changing `graph`
    (so a diagram drawn elsewhere adds it with `add_sign_offs`)."""
    root = graph.graph["root"]
    parts: SignOffs = []
    attestations = of_kind(graph, "attestation")
    if graph.nodes[root].get("kind") in ("source", "dataset", "model"):
        around = store.downstream(root, depth=1, as_of=as_of)
        # Sign-offs, and evaluation results: PROV entities hanging off the model.
        signs = around.subgraph(
            [root, *of_kind(around, "attestation"), *of_kind(around, "evaluation")]
        )
        parts.append((signs, 1))
        # As they will be in `graph` once added: those it has keep their place.
        attestations += [n for n in of_kind(signs, "attestation") if n not in graph]
    for node in attestations:
        signers = store.upstream(node, depth=1, as_of=as_of)
        agents = of_kind(signers, "agent")
        parts.append((signers.subgraph([node, *agents]), 2))
        parts.extend((store.upstream(agent, as_of=as_of), 3) for agent in agents)
    return parts


def add_sign_offs(graph: nx.DiGraph[str], parts: SignOffs) -> None:
    """Add what `read_sign_offs` read to `graph`, in the order it was read."""
    for other, depth in parts:
        _add(graph, other, depth)


def _pre_read(
    upstream: nx.DiGraph[str], target: str, direction: Direction, depth: int | None, reuse: bool
) -> nx.DiGraph[str]:
    """A pre-read upstream graph in the shape `Store.upstream` returns (a copy unless
    `reuse`)."""
    root = str(upstream.graph.get("root"))
    if direction == "downstream" or depth is not None:
        raise ValueError("a pre-read upstream graph draws the whole upstream, not a depth of it")
    if target not in (root, root.partition(":")[2]):
        raise ValueError(f"the pre-read upstream graph is of {root}, not of {target}")
    return lineage_shape(upstream, "upstream", copy=not reuse)


def lineage_graph(
    store: Store,
    target: str,
    *,
    direction: Direction = "upstream",
    depth: int | None = None,
    as_of: datetime | None = None,
    sign_offs: bool = True,
    upstream: nx.DiGraph[str] | None = None,
    reuse_upstream: bool = False,
) -> nx.DiGraph[str]:
    """The records a diagram of `target` draws, as one networkx graph.

    Upstream, downstream, or both combined; with `sign_offs`, also the attestations
    of the target and the agents who signed them. Raises UnknownNode or
    AmbiguousName for a `target` that names no single record.

    `upstream` is the whole upstream graph of `target` as recorded at `as_of`,
    already read by the caller (a `Trail.whole`, or `read_subgraph` without
    depths): it is copied instead of read again, and not changed; with
    `reuse_upstream`, the caller hands it over and it becomes the graph returned
    (no copy). It needs `depth` None and a direction other than downstream
    (ValueError otherwise).
    """
    if direction not in ("upstream", "downstream", "both"):
        raise InvalidRecord(
            f"unknown direction {direction!r}: use upstream, downstream or both", ("direction",)
        )
    with store.snapshot():  # one state of the store for every part drawn
        if upstream is not None:
            graph = _pre_read(upstream, target, direction, depth, reuse_upstream)
        elif direction == "downstream":
            graph = store.downstream(target, depth=depth, as_of=as_of)
        else:
            graph = store.upstream(target, depth=depth, as_of=as_of)
        if direction == "both":
            down = store.downstream(target, depth=depth, as_of=as_of)
            for node, data in down.nodes(data=True):
                if node not in graph:
                    graph.add_node(node, **data)
            graph.add_edges_from(down.edges(data=True))
        if sign_offs:
            _with_sign_offs(store, graph, as_of)
    return graph


def diagram(
    store: Store,
    target: str,
    *,
    direction: Direction = "upstream",
    depth: int | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    as_of: datetime | None = None,
    focus: Sequence[str] = (),
    findings: Sequence[Finding] = (),
    highlight: str | None = None,
    agents: bool = False,
    sign_offs: bool = True,
    legend: bool = True,
    upstream: nx.DiGraph[str] | None = None,
    reuse_upstream: bool = False,
) -> Diagram:
    """Draw the lineage of `target` ('name' or 'kind:name') as a W3C PROV diagram.

    `direction` is upstream (what it was built from), downstream (what was built
    from it) or both; `depth` limits how many relations away. Above `max_nodes`
    records (None: no limit), similar records fold into groups and, if still too
    many, the records farthest from the target are left out; the paths to each
    `focus` record and the evidence paths of the findings of rule `highlight` stay
    drawn. `findings` (from `lineage check`) mark the records they are about.
    `agents=False` leaves agents out and names them on their runs instead.
    `upstream` is the upstream graph of `target` already read, and `reuse_upstream`
    hands it over to be changed rather than copied (see `lineage_graph`).

    Raises UnknownNode or AmbiguousName for a target or focus that names no single
    record, and GraphvizNotFound when rendering to svg, png or pdf without Graphviz.

    Example:
        d = lineage.diagram(store, "support-assistant-v1", findings=findings,
                            highlight="licence-reaches-commercial-model")
        Path("lineage.svg").write_text(d.to_svg())
    """
    # Folding 100,000 records makes as many small objects, none of them cyclic: the
    # collector would walk them (and a report's trail beside them) again and again.
    with bulk_work():
        graph = lineage_graph(
            store,
            target,
            direction=direction,
            depth=depth,
            as_of=as_of,
            sign_offs=sign_offs,
            upstream=upstream,
            reuse_upstream=reuse_upstream,
        )
        if not agents:
            drop_agents(graph)  # here, where the graph is ours, without a copy
        return Diagram.of_graph(
            graph,
            direction=direction,
            max_nodes=max_nodes,
            focus=focus,
            findings=findings,
            highlight=highlight,
            agents=agents,
            legend=legend,
            as_of=as_of,
        )


def upstream_diagram(
    upstream: nx.DiGraph[str],
    sign_offs: SignOffs,
    *,
    findings: Sequence[Finding] = (),
    as_of: datetime | None = None,
) -> Diagram:
    """What `diagram(store, target, findings=findings, as_of=as_of, upstream=upstream,
    reuse_upstream=True)` draws, from its sign-offs already read (`read_sign_offs`):
    without the store, so it may be drawn in another process (`lineage.reports.produce`).
    Changes `upstream`, as `reuse_upstream` does."""
    with bulk_work():
        graph = lineage_shape(upstream, "upstream")
        add_sign_offs(graph, sign_offs)
        drop_agents(graph)  # as `diagram` draws it: agents named on their runs
        return Diagram.of_graph(graph, findings=findings, as_of=as_of)
