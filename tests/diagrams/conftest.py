"""Small stores and graphs to draw, and helpers to read the DOT and SVG back."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

import lineage

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


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[lineage.Store]:
    """reviews (CC-BY-NC) + crawl -> dedup-1 (by bot) -> clean -> train-1 (by ann) -> m.

    ann acts on behalf of acme and signs the model off (ok-m).
    """
    with lineage.open_store(str(tmp_path / "x.db")) as store:
        store.add_agent("acme", type="organization")
        store.add_agent("ann", type="person", acted_on_behalf_of="acme")
        store.add_agent("bot", type="software", version="1.0")
        store.add_source(
            "reviews", license="CC-BY-NC-4.0", obtained="public", records=100, size_bytes=2000
        )
        store.add_source("crawl", license="MIT", obtained="crawled", personal_data="unknown")
        store.add_dataset("clean", records=90)
        store.add_model("m", license="Apache-2.0", intended_use="commercial")
        store.record_run(
            "dedup",
            name="dedup-1",
            inputs=["reviews", "crawl"],
            outputs=["clean"],
            agent="bot",
            tool="dedup==2.3.1",
            started="2025-06-02T08:00:00Z",
        )
        store.record_run("train", name="train-1", inputs=["clean"], outputs=["m"], agent="ann")
        store.approve("m", by="ann", name="ok-m", decision="approved", tier="general-commercial")
        yield store


@pytest.fixture
def sharded(tmp_path: Path) -> Iterator[lineage.Store]:
    """40 shard files (sources) -> ingest-1 -> corpus -> train-1 -> big, and a lone extra source."""
    shards = [
        {"name": f"shard-{i:02d}", "license": "CC-BY-4.0", "size_bytes": 1000 + i, "records": 10}
        for i in range(40)
    ]
    with lineage.open_store(str(tmp_path / "s.db")) as store:
        store.record(
            {
                "sources": [*shards, {"name": "extra", "license": "MIT"}],
                "datasets": [{"name": "corpus"}],
                "models": [{"name": "big"}],
                "runs": [
                    {
                        "operation": "ingest",
                        "name": "ingest-1",
                        "inputs": [s["name"] for s in shards],
                        "outputs": ["corpus"],
                    },
                    {
                        "operation": "train",
                        "name": "train-1",
                        "inputs": ["corpus", "extra"],
                        "outputs": ["big"],
                    },
                ],
            }
        )
        yield store


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
