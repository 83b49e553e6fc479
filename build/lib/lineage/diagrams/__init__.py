"""Lineage diagrams in W3C PROV's drawing conventions, readable at any size.

`diagram(store, target)` returns a `Diagram`: a `graphviz.Digraph`, its Mermaid
text, and SVG, PNG or PDF renderings (those need the Graphviz binaries).
"""

from lineage.diagrams.diagram import Diagram, diagram, format_for, lineage_graph
from lineage.diagrams.drawing import Box, Drawing, Link, build_drawing
from lineage.diagrams.render import FORMATS, Format, GraphvizNotFound

__all__ = [
    "FORMATS",
    "Box",
    "Diagram",
    "Drawing",
    "Format",
    "GraphvizNotFound",
    "Link",
    "build_drawing",
    "diagram",
    "format_for",
    "lineage_graph",
]
