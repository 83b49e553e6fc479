"""Run the Graphviz binaries, and say how to install them when they are missing."""

from __future__ import annotations

import logging
import time
from typing import Final, Literal

import graphviz

from lineage.errors import InvalidRecord, LineageError

log = logging.getLogger(__name__)

Format = Literal["svg", "png", "pdf", "dot", "mermaid"]
FORMATS: Final[tuple[Format, ...]] = ("svg", "png", "pdf", "dot", "mermaid")
NEEDS_GRAPHVIZ: Final = frozenset({"svg", "png", "pdf"})
# A PNG at 72 dpi has 8-point edge labels a few pixels high; twice that reads on screen.
PNG_DPI: Final = "144"


class GraphvizNotFound(LineageError):
    """The Graphviz `dot` program is not installed (DOT and Mermaid output do not need it)."""


NOT_FOUND_MESSAGE: Final = (
    "Graphviz 'dot' not found: install it with 'sudo apt-get install graphviz' "
    "(or 'brew install graphviz'), or ask for --format dot or mermaid, which need no binaries"
)


def check_format(format: str) -> Format:
    """`format` if it is one we write; raises InvalidRecord otherwise."""
    for known in FORMATS:
        if format == known:
            return known
    raise InvalidRecord(
        f"unknown diagram format {format!r}: use one of {', '.join(FORMATS)}", ("format",)
    )


def render(graph: graphviz.Digraph, format: str) -> bytes:
    """`graph` laid out by `dot` as SVG, PNG or PDF bytes (`dot`: the DOT source itself).

    Raises GraphvizNotFound when the `dot` program is missing.
    """
    chosen = check_format(format)
    if chosen == "dot":
        return str(graph.source).encode("utf-8")
    if chosen not in NEEDS_GRAPHVIZ:
        raise InvalidRecord(f"format {format!r} is not drawn by Graphviz", ("format",))
    if chosen == "png":
        graph = graph.copy()
        graph.graph_attr["dpi"] = PNG_DPI
    started = time.perf_counter()
    try:
        data: bytes = graph.pipe(format=chosen, engine="dot", quiet=True)
    except graphviz.ExecutableNotFound as error:
        raise GraphvizNotFound(NOT_FOUND_MESSAGE) from error
    log.info("dot -T%s: %.2f s", chosen, time.perf_counter() - started)
    return data
