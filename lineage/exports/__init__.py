"""Exports of a lineage graph to the formats other tools read.

Each exporter turns the graph `Store.export_graph` returns (nodes `kind:name`
with kind, name, version, seal, effective and every fact; edges with relation
and role) into the bytes of one format.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from lineage.exports.graphml import graphml
from lineage.exports.prov import prov_json, prov_n, prov_o, prov_xml

Exporter = Callable[["nx.DiGraph[str]"], bytes]

# Format name -> exporter. `lineage export --format` offers exactly these.
EXPORTERS: dict[str, Exporter] = {
    "prov-json": prov_json,
    "prov-n": prov_n,
    "prov-xml": prov_xml,
    "prov-o": prov_o,
    "graphml": graphml,
}
