"""Upstream and downstream closure (recursive SQL) and the networkx graphs built from it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import networkx as nx
import pytest

import lineage
from lineage import LineageError, NodeRef, NodeRefs, UnknownNode


@pytest.fixture
def diamond(store: lineage.Store) -> lineage.Store:
    """A diamond, one transaction per record:

        source a --r1 (by agent ann)--> dataset b --\\
               \\--r2-----------------> dataset c ---r3--> model m
    """
    store.add_source("a", license="MIT", obtained="public")
    store.add_agent("ann", type="person")
    store.add_dataset("b")
    store.add_dataset("c")
    store.add_model("m")
    store.record_run("split", name="r1", inputs=["a"], outputs=["b"], agent="ann")
    store.record_run("split", name="r2", inputs=["a"], outputs=["c"])
    store.record_run("train", name="r3", inputs=["b", "c"], outputs=["m"])
    return store


def _recorded_at(store: lineage.Store, name: str) -> datetime:
    text = store.show(name).current.recorded_at
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _ids(refs: Sequence[NodeRef]) -> list[str]:
    return sorted(f"{r.kind}:{r.name}" for r in refs)


def test_upstream_closure_reaches_every_ancestor(diamond: lineage.Store) -> None:
    refs = diamond.closure("m", "upstream")

    assert _ids(refs) == [
        "activity:r1",
        "activity:r2",
        "activity:r3",
        "agent:ann",
        "dataset:b",
        "dataset:c",
        "source:a",
    ]


def test_shared_ancestor_of_a_diamond_appears_once(diamond: lineage.Store) -> None:
    refs = diamond.closure("m", "upstream")

    assert [r.name for r in refs].count("a") == 1
    assert len({r.id for r in refs}) == len(refs)


def test_downstream_closure_reaches_every_descendant(diamond: lineage.Store) -> None:
    refs = diamond.closure("a", "downstream")

    assert _ids(refs) == [
        "activity:r1",
        "activity:r2",
        "activity:r3",
        "dataset:b",
        "dataset:c",
        "model:m",
    ]


def test_closure_returns_node_refs_with_ids_kinds_and_names(diamond: lineage.Store) -> None:
    refs = diamond.closure("m", "upstream")

    assert refs
    assert all(isinstance(r, NodeRef) for r in refs)
    a = next(r for r in refs if r.name == "a")
    assert a.kind == "source"
    assert [r.id for r in diamond.closure("b", "upstream") if r.name == "a"] == [a.id]


def test_closure_columns_agree_with_its_node_refs(diamond: lineage.Store) -> None:
    refs = diamond.closure("m", "upstream", depth=10)

    assert isinstance(refs, NodeRefs)
    assert len(refs) == 7
    made = list(refs)
    assert refs.ids == [r.id for r in made]
    assert refs.kinds == [r.kind for r in made]
    assert refs.names == [r.name for r in made]
    assert refs.depths == [r.depth for r in made]
    assert sorted(refs.depths) == [1, 2, 2, 3, 3, 4, 4]


def test_closure_rows_index_slice_and_compare_like_a_list(diamond: lineage.Store) -> None:
    refs = diamond.closure("m", "upstream")
    made = list(refs)

    assert len(made) == 7
    assert refs[0] == made[0] and refs[-1] == made[-1]
    assert isinstance(refs[-1], NodeRef) and refs[-1].depth == 0
    assert refs[1:3] == made[1:3]
    assert refs == made
    assert refs == diamond.closure("m", "upstream")
    assert refs.depths == [0] * 7
    assert refs.ids == [r.id for r in made] and refs.names == [r.name for r in made]
    assert refs != diamond.closure("m", "upstream", depth=10)
    assert refs != made[:-1]
    assert made[0] in refs
    assert "7 records" in repr(refs)
    with pytest.raises(IndexError):
        refs[7]


def test_closure_with_a_depth_gives_each_record_its_shortest_distance(
    diamond: lineage.Store,
) -> None:
    refs = diamond.closure("m", "upstream", depth=10)

    depth_of = {f"{r.kind}:{r.name}": r.depth for r in refs}
    assert depth_of == {
        "activity:r3": 1,
        "dataset:b": 2,
        "dataset:c": 2,
        "activity:r1": 3,
        "activity:r2": 3,
        "source:a": 4,
        "agent:ann": 4,
    }


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (1, ["activity:r3"]),
        (2, ["activity:r3", "dataset:b", "dataset:c"]),
        (3, ["activity:r1", "activity:r2", "activity:r3", "dataset:b", "dataset:c"]),
    ],
)
def test_closure_depth_limits_how_far_it_goes(
    diamond: lineage.Store, depth: int, expected: list[str]
) -> None:
    assert _ids(diamond.closure("m", "upstream", depth=depth)) == expected


def test_downstream_depth_limit(diamond: lineage.Store) -> None:
    assert _ids(diamond.closure("a", "downstream", depth=2)) == [
        "activity:r1",
        "activity:r2",
        "dataset:b",
        "dataset:c",
    ]


def test_closure_of_an_unknown_name_raises_unknown_node(diamond: lineage.Store) -> None:
    assert diamond.info().records == 8

    with pytest.raises(UnknownNode, match="'nosuch'"):
        diamond.closure("nosuch", "upstream")


def test_downstream_as_of_leaves_out_a_run_recorded_later(diamond: lineage.Store) -> None:
    before_r3 = _recorded_at(diamond, "activity:r2")
    assert "model:m" in _ids(diamond.closure("a", "downstream"))

    then = diamond.closure("a", "downstream", as_of=before_r3)

    assert _ids(then) == ["activity:r1", "activity:r2", "dataset:b", "dataset:c"]


def test_upstream_graph_as_of_leaves_out_a_run_recorded_later(diamond: lineage.Store) -> None:
    before_r2 = _recorded_at(diamond, "activity:r1")

    graph = diamond.upstream("m", as_of=_recorded_at(diamond, "activity:r3"))
    then = diamond.downstream("a", as_of=before_r2)

    assert "source:a" in graph
    assert set(then.nodes) == {"source:a", "activity:r1", "dataset:b"}


def test_upstream_as_of_shows_the_version_in_force_then(diamond: lineage.Store) -> None:
    recorded = _recorded_at(diamond, "activity:r3")
    diamond.amend("a", reason="relicensed", license="Apache-2.0")

    now = diamond.upstream("m")
    then = diamond.upstream("m", as_of=recorded)

    assert now.nodes["source:a"]["license"] == "Apache-2.0"
    assert now.nodes["source:a"]["version"] == 2
    assert then.nodes["source:a"]["license"] == "MIT"
    assert then.nodes["source:a"]["version"] == 1


def test_upstream_as_of_before_the_record_existed_is_an_error(diamond: lineage.Store) -> None:
    before_m = _recorded_at(diamond, "dataset:c")

    with pytest.raises(LineageError, match="not yet recorded"):
        diamond.upstream("m", as_of=before_m)


def test_upstream_graph_has_kind_name_and_relation_attributes(diamond: lineage.Store) -> None:
    graph = diamond.upstream("m")

    assert isinstance(graph, nx.DiGraph)
    assert graph.graph["root"] == "model:m"
    assert graph.nodes["source:a"]["kind"] == "source"
    assert graph.nodes["source:a"]["name"] == "a"
    assert graph.nodes["source:a"]["license"] == "MIT"
    assert sorted(graph.edges(data="relation")) == [
        ("activity:r1", "agent:ann", "was_associated_with"),
        ("activity:r1", "source:a", "used"),
        ("activity:r2", "source:a", "used"),
        ("activity:r3", "dataset:b", "used"),
        ("activity:r3", "dataset:c", "used"),
        ("dataset:b", "activity:r1", "was_generated_by"),
        ("dataset:c", "activity:r2", "was_generated_by"),
        ("model:m", "activity:r3", "was_generated_by"),
    ]
    assert nx.is_directed_acyclic_graph(graph)


def test_upstream_graph_nodes_carry_their_distance_from_the_root(diamond: lineage.Store) -> None:
    graph = diamond.upstream("m")

    assert dict(graph.nodes(data="depth")) == {
        "model:m": 0,
        "activity:r3": 1,
        "dataset:b": 2,
        "dataset:c": 2,
        "activity:r1": 3,
        "activity:r2": 3,
        "source:a": 4,
        "agent:ann": 4,
    }


def test_upstream_graph_with_a_depth_stops_there(diamond: lineage.Store) -> None:
    graph = diamond.upstream("m", depth=2)

    assert set(graph.nodes) == {"model:m", "activity:r3", "dataset:b", "dataset:c"}
    assert graph.number_of_edges() == 3


def test_downstream_graph_keeps_edges_in_prov_direction(diamond: lineage.Store) -> None:
    graph = diamond.downstream("a")

    assert graph.graph["root"] == "source:a"
    assert "agent:ann" not in graph
    assert graph.edges["activity:r1", "source:a"]["relation"] == "used"
    assert graph.edges["model:m", "activity:r3"]["relation"] == "was_generated_by"
    assert graph.nodes["model:m"]["depth"] == 4


def test_a_json_fact_beyond_64_bits_is_read_exactly(db_url: str) -> None:
    # Rows written before canonical JSON refused such integers may hold them.
    exact = {"row_hash": 18446744073709551617, "id": 123456789012345678901234567890}
    with lineage.open_store(db_url) as store:
        store.record({"sources": [{"name": "a", "license": "MIT", "attrs": {"x": 1}}]})
        with store.database.engine.begin() as connection:
            connection.exec_driver_sql(
                "UPDATE node SET attrs = '"
                '{"row_hash":18446744073709551617,"id":123456789012345678901234567890}'
                "'"
            )
        assert store.upstream("a").nodes["source:a"]["attrs"] == exact
        assert type(store.upstream("a").nodes["source:a"]["attrs"]["id"]) is int
