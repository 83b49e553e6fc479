"""AI bills of materials: SPDX 3.0.1, CycloneDX 1.6/1.7 ML-BOM and Croissant 1.0/1.1 + RAI.

Each exporter is a pure function of the graph `Store.export_graph` returns (plus the
ledger head and the requested `spec_version` in `graph.graph`), built as plain dicts
and written with orjson, sorted keys: the same store gives the same bytes.
`validate_bom` runs the standard's own validator offline (the optional extra
`lineage[validate]`) and lineage's post-checks (`lineage.exports.bom.postchecks`).
"""

from __future__ import annotations

from lineage.exports.bom.croissant import croissant
from lineage.exports.bom.cyclonedx import cyclonedx
from lineage.exports.bom.spdx3 import spdx3
from lineage.exports.bom.validate import validate_bom

BOM_FORMATS: tuple[str, ...] = ("spdx3", "cyclonedx", "croissant")

__all__ = ["BOM_FORMATS", "croissant", "cyclonedx", "spdx3", "validate_bom"]
