"""GraphML export: networkx reads it back with every record, relation and fact."""

from __future__ import annotations

import io
import json

import networkx as nx

import lineage


def test_graphml_reads_back_with_nodes_edges_and_attributes(sample_store: lineage.Store) -> None:
    graph = sample_store.export_graph("support-assistant-v1")

    read = nx.read_graphml(io.BytesIO(sample_store.export("graphml", "support-assistant-v1").data))

    assert set(read.nodes) == set(graph.nodes)
    assert read.number_of_nodes() > 30
    assert {(s, t, d["relation"]) for s, t, d in read.edges(data=True)} == {
        (s, t, d["relation"]) for s, t, d in graph.edges(data=True)
    }
    assert read.graph["root"] == "model:support-assistant-v1"
    for key, facts in graph.nodes(data=True):
        node = read.nodes[key]
        assert node["label"] == facts["name"]
        for field, value in facts.items():
            if field == "depth" or value is None:
                continue
            if isinstance(value, list | dict):
                assert json.loads(node[field]) == value, (key, field)
            else:
                assert node[field] == value, (key, field)


def test_graphml_keeps_numbers_as_numbers(sample_store: lineage.Store) -> None:
    read = nx.read_graphml(io.BytesIO(sample_store.export("graphml").data))

    crawl = read.nodes["source:web-crawl-2025-05"]
    assert isinstance(crawl["records"], int)
    assert isinstance(crawl["size_bytes"], int)
    assert crawl["license"] == "LicenseRef-website-terms"
    assert json.loads(crawl["attrs"])["crawler"] == "NorthwindBot/1.4"
    assert "root" not in read.graph  # the whole store has no root
    assert read.number_of_nodes() == len(sample_store.list())
