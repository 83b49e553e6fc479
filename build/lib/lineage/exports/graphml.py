"""GraphML of a lineage graph, for graph tools (Gephi, yEd, Cytoscape), written by networkx.

GraphML attributes are scalars: lists and mappings (restrictions, params, attrs)
are written as canonical JSON text, and unset facts are left out.
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

from lineage.validation import canonical_json


def _scalar(value: Any) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    return canonical_json(value)


def graphml(graph: nx.DiGraph[str]) -> bytes:
    """The graph as GraphML: nodes `kind:name` with `label`, kind, name and facts; edges
    with their `relation` (and `role`)."""
    flat: nx.DiGraph[str] = nx.DiGraph()
    root = graph.graph.get("root")
    if root is not None:
        flat.graph["root"] = root
    for key, data in sorted(graph.nodes(data=True)):
        values = {k: _scalar(v) for k, v in data.items() if v is not None and k != "depth"}
        flat.add_node(key, label=data["name"], **values)
    for subject, obj, data in sorted(graph.edges(data=True)):
        flat.add_edge(subject, obj, **{k: _scalar(v) for k, v in data.items() if v is not None})
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()
