"""Exports of a lineage graph to the formats other tools read.

Each exporter turns the graph `Store.export_graph` returns (nodes `kind:name`
with kind, name, version, seal, effective and every fact; edges with relation
and role) into the bytes of one format.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import networkx as nx

from lineage.exports.bom import croissant, cyclonedx, spdx3
from lineage.exports.graphml import graphml
from lineage.exports.prov import prov_json, prov_n, prov_o, prov_xml
from lineage.openlineage.export import openlineage_ndjson

if TYPE_CHECKING:  # the API sits above the exports; only its type is needed here
    from lineage.api import Store

Exporter = Callable[["nx.DiGraph[str]"], bytes]

# Format name -> exporter. `lineage export --format` offers exactly these.
EXPORTERS: dict[str, Exporter] = {
    "prov-json": prov_json,
    "prov-n": prov_n,
    "prov-xml": prov_xml,
    "prov-o": prov_o,
    "graphml": graphml,
    "openlineage": openlineage_ndjson,  # newline-delimited OpenLineage 2-0-2 events
    "spdx3": spdx3,  # SPDX 3.0.1 JSON-LD, AI and Dataset profiles
    "cyclonedx": cyclonedx,  # CycloneDX 1.6 (or 1.7) ML-BOM
    "croissant": croissant,  # Croissant 1.0 (or 1.1) with the RAI vocabulary
}


def export(store: Store, format: str, target: str | None = None) -> str:
    """The lineage of `target` (the whole store when None) in `format`, as text.

    Raises UnknownNode when `target` is not recorded, InvalidRecord for an unknown format.

    Example:
        text = lineage.export(store, "openlineage", "support-assistant-v1")
    """
    return store.export(format, target).data.decode("utf-8")
