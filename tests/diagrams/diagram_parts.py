"""What the diagram tests share besides fixtures: hostile names and readers of DOT and SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import networkx as nx

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

# Names that try to end a DOT string, open an HTML-like label, inject an SVG element,
# or be read as a Graphviz escape.
EVIL_NAMES = (
    '"]; evil [label="x',
    "</text><script>alert(1)</script>",
    "{braces} <b>&amp; \\N \\G \\",
    "данные-数据-😀",
)


def chains(n: int, steps: int = 3) -> nx.DiGraph:
    """`n` parallel chains raw-i -> step runs -> out-i, all used by one mix run -> model."""
    graph = nx.DiGraph(root="model:m")

    def add(node: str, depth: int, **facts: object) -> None:
        kind, name = node.split(":", 1)
        graph.add_node(node, kind=kind, name=name, depth=depth, **facts)

    add("model:m", 0)
    add("activity:mix", 1, operation="mix")
    graph.add_edge("model:m", "activity:mix", relation="was_generated_by")
    for i in range(n):
        current = f"dataset:out-{i}"
        add(current, 2)
        graph.add_edge("activity:mix", current, relation="used")
        for step in range(steps):
            run = f"activity:step{step}-{i}"
            older = f"dataset:d{step}-{i}" if step < steps - 1 else f"source:raw-{i}"
            add(run, 3 + 2 * step, operation=f"step{step}")
            add(older, 4 + 2 * step, size_bytes=100, license="MIT")
            graph.add_edge(current, run, relation="was_generated_by")
            graph.add_edge(run, older, relation="used")
            current = older
    return graph


def svg_nodes(svg: str) -> dict[str, list[str]]:
    """The text lines of each node of an SVG drawn by Graphviz, by the node's DOT name."""
    root = ET.fromstring(svg)
    nodes: dict[str, list[str]] = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        title = group.find(f"{SVG}title")
        assert title is not None and title.text
        nodes[title.text] = ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]
    return nodes


def svg_edges(svg: str) -> list[tuple[str, str, str]]:
    """(tail, head, label) of each edge of an SVG drawn by Graphviz."""
    root = ET.fromstring(svg)
    edges = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "edge":
            continue
        title = group.find(f"{SVG}title")
        assert title is not None and title.text
        tail, head = title.text.split("->")
        label = " ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))
        edges.append((tail, head, label))
    return edges


NODE_LINE = re.compile(r"^\t(n\d+) \[(.*)\]$")


def dot_nodes(dot: str) -> dict[str, str]:
    """The attribute text of each record node (n0, n1, ...) in DOT source."""
    return {m.group(1): m.group(2) for line in dot.splitlines() if (m := NODE_LINE.match(line))}


def attribute(attrs: str, name: str) -> str | None:
    """One attribute's value from a node's DOT attribute text (quoted or bare)."""
    match = re.search(rf'(?:^| ){name}=("(?:[^"\\]|\\.)*"|<.*>(?= \w+=|$)|\S+)', attrs)
    if not match:
        return None
    value = match.group(1)
    return value[1:-1] if value.startswith('"') else value
