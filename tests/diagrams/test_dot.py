"""The DOT of a diagram: PROV shapes and relations, marks, folding and escaping, read directly."""

from __future__ import annotations

import json
import re

import pytest
from diagram_parts import EVIL_NAMES, attribute, chains, dot_nodes

import lineage
from lineage.checks.findings import Finding
from lineage.diagrams import Diagram, style


def _node(diagram: Diagram, record: str) -> str:
    """The DOT attributes of the node that draws `record` ('kind:name')."""
    boxes = diagram.drawing.boxes
    index = next(i for i, b in enumerate(boxes) if record in b.members)
    return dot_nodes(diagram.dot())[f"n{index}"]


def _edges(diagram: Diagram) -> set[tuple[str, str, str]]:
    """(tail record, head record, label) of the edges between single records."""
    names = {f"n{i}": b.id for i, b in enumerate(diagram.drawing.boxes)}
    out = set()
    for line in diagram.dot().splitlines():
        match = re.match(r"^\t(n\d+) -> (n\d+) \[(.*)\]$", line)
        if match:
            label = attribute(match.group(3), "label") or ""
            out.add((names[match.group(1)], names[match.group(2)], label))
    return out


def test_kinds_have_prov_shapes_and_their_own_colours(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "m", agents=True)

    shapes = {
        record: (attribute(_node(d, record), "shape"), attribute(_node(d, record), "fillcolor"))
        for record in (
            "source:reviews",
            "dataset:clean",
            "model:m",
            "activity:dedup-1",
            "agent:ann",
            "attestation:ok-m",
        )
    }

    assert len(d.drawing.boxes) == 10
    assert shapes == {
        "source:reviews": ("ellipse", style.KIND_STYLES["source"].fill),
        "dataset:clean": ("ellipse", style.KIND_STYLES["dataset"].fill),
        "model:m": ("ellipse", style.KIND_STYLES["model"].fill),
        "activity:dedup-1": ("box", style.KIND_STYLES["activity"].fill),
        "agent:ann": ("house", style.KIND_STYLES["agent"].fill),
        "attestation:ok-m": ("note", style.KIND_STYLES["attestation"].fill),
    }
    assert len({fill for _, fill in shapes.values()}) == 6


def test_each_box_says_its_type_above_its_name(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "m")

    label = attribute(_node(d, "source:reviews"), "label") or ""

    assert re.search(r">source · public</FONT><BR/>.*<B>reviews</B>", label)
    assert "CC-BY-NC-4.0" in label
    assert "100 records · 2.0 kB" in label


def test_edges_keep_prov_direction_and_are_labelled_with_prov_names(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "m", agents=True)

    edges = _edges(d)

    assert d.digraph.graph_attr["rankdir"] == "RL"  # arrows point back, time runs left to right
    assert edges == {
        ("model:m", "activity:train-1", "wasGeneratedBy"),
        ("activity:train-1", "dataset:clean", "used"),
        ("dataset:clean", "activity:dedup-1", "wasGeneratedBy"),
        ("activity:dedup-1", "source:reviews", "used"),
        ("activity:dedup-1", "source:crawl", "used"),
        ("activity:dedup-1", "agent:bot", "wasAssociatedWith"),
        ("activity:train-1", "agent:ann", "wasAssociatedWith"),
        ("agent:ann", "agent:acme", "actedOnBehalfOf"),
        ("attestation:ok-m", "model:m", "wasDerivedFrom"),
        ("attestation:ok-m", "agent:ann", "wasAttributedTo"),
    }


def test_agents_are_left_out_by_default_and_named_on_their_runs(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "m")

    kinds = {b.kind for b in d.drawing.boxes}

    assert "agent" not in kinds
    assert d.drawing.records == 10
    assert "by bot" in (attribute(_node(d, "activity:dedup-1"), "label") or "")
    assert "by ann" in (attribute(_node(d, "attestation:ok-m"), "label") or "")
    assert "agents not drawn" in d.digraph.graph_attr["label"]


def test_legend_lists_only_the_kinds_drawn(tiny: lineage.Store) -> None:
    with_sign_off = lineage.diagram(tiny, "m").dot()
    without = lineage.diagram(tiny, "m", sign_offs=False).dot()

    assert "attestation (a sign-off)" in with_sign_off
    assert "attestation (a sign-off)" not in without
    assert "agent (person" not in without
    assert "source (entity from outside)" in without
    assert "cluster_legend" not in lineage.diagram(tiny, "m", legend=False).dot()


def test_a_graph_without_attestations_or_with_unknown_kinds_draws() -> None:
    graph = chains(1, steps=1)
    graph.add_node("gadget:g", kind="gadget", name="g", depth=1)
    graph.add_edge("model:m", "gadget:g", relation="was_frobbed_by")

    d = Diagram.of_graph(graph)

    assert attribute(_node(d, "gadget:g"), "shape") == "ellipse"
    assert ("model:m", "gadget:g", "was_frobbed_by") in _edges(d)


def test_findings_mark_their_subjects(tiny: lineage.Store) -> None:
    findings = [
        Finding(
            "non-commercial",
            "error",
            "NC data in a commercial model",
            "source:reviews",
            ("source:reviews", "activity:dedup-1", "dataset:clean", "activity:train-1", "model:m"),
        ),
        Finding("personal-data-unknown", "warning", "unknown", "source:crawl"),
        Finding("approval-missing", "info", "fyi", "model:m"),
    ]

    d = lineage.diagram(tiny, "m", findings=findings)

    reviews, crawl, model = (_node(d, r) for r in ("source:reviews", "source:crawl", "model:m"))
    assert attribute(reviews, "color") == style.ERROR
    assert "1 error: non-commercial" in (attribute(reviews, "label") or "")
    assert attribute(crawl, "color") == style.WARNING
    assert "1 warning: personal-data-unknown" in (attribute(crawl, "label") or "")
    assert attribute(model, "color") == style.ROOT_BORDER  # info is not marked
    assert "1 error, 1 warning" in d.digraph.graph_attr["label"]


def test_highlight_draws_the_evidence_path_of_one_rule(tiny: lineage.Store) -> None:
    findings = [
        Finding(
            "non-commercial",
            "error",
            "NC",
            "source:reviews",
            ("source:reviews", "dataset:clean", "model:m"),
        ),  # skips the runs
        Finding("other", "error", "x", "source:crawl", ("source:crawl", "model:m")),
    ]

    d = lineage.diagram(tiny, "m", findings=findings, highlight="non-commercial")

    lit = {(link.tail, link.head) for link in d.drawing.links if link.highlighted}
    assert lit == {
        ("model:m", "activity:train-1"),
        ("activity:train-1", "dataset:clean"),
        ("dataset:clean", "activity:dedup-1"),
        ("activity:dedup-1", "source:reviews"),
    }
    assert attribute(_node(d, "source:reviews"), "color") == style.HIGHLIGHT
    assert attribute(_node(d, "source:crawl"), "color") == style.ERROR
    assert "highlighted: non-commercial (1 finding)" in d.digraph.graph_attr["label"]


def test_highlight_of_a_rule_without_findings_says_so(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "m", highlight="share-alike")

    assert not any(link.highlighted for link in d.drawing.links)
    assert "share-alike (no findings of this rule)" in d.digraph.graph_attr["label"]


def test_siblings_collapse_into_one_group_with_count_and_total_size(
    sharded: lineage.Store,
) -> None:
    d = lineage.diagram(sharded, "big", max_nodes=10)

    group = d.drawing.box_of("source:shard-07")
    label = attribute(_node(d, "source:shard-07"), "label") or ""

    assert d.drawing.level == "siblings"
    assert len(group.members) == 40
    assert group.size_bytes == sum(1000 + i for i in range(40))
    assert "40 sources" in label and "shard-00 … shard-39" in label
    assert "400 records · 40.8 kB in all" in label
    assert attribute(_node(d, "source:shard-07"), "peripheries") == "2"
    assert d.drawing.box_of("source:extra").members == ("source:extra",)  # other neighbours
    assert ("activity:ingest-1", group.id, "used \u00d740") in _edges(d)
    assert len(d.drawing.boxes) == 6


def test_below_max_nodes_nothing_collapses(sharded: lineage.Store) -> None:
    d = lineage.diagram(sharded, "big")

    assert d.drawing.level == "none"
    assert len(d.drawing.boxes) == 45


def test_parallel_chains_fold_into_the_pipeline_shape() -> None:
    d = Diagram.of_graph(chains(50), max_nodes=20)

    sizes = sorted(len(b.members) for b in d.drawing.boxes)

    assert d.drawing.level == "structure"
    assert sizes == [1, 1] + [50] * 7  # model, mix, then one group per step of the chains
    raw = d.drawing.box_of("source:raw-3")
    assert raw.size_bytes == 5000 and raw.licences == ("MIT",)


def test_max_nodes_bounds_the_drawing_with_more_stubs() -> None:
    graph = chains(30, steps=4)
    for i in range(30):  # make every chain different, so nothing folds
        graph.nodes[f"activity:step1-{i}"]["operation"] = f"op-{i}"

    d = Diagram.of_graph(graph, max_nodes=25)

    more = [b for b in d.drawing.boxes if b.is_more]
    assert d.drawing.level == "truncated"
    assert len(d.drawing.boxes) <= 25
    assert more and d.drawing.left_out > 0
    assert all(attribute(_node(d, b.members[0]), "shape") for b in d.drawing.boxes if b.members)
    assert "not drawn (--max-nodes 25)" in d.digraph.graph_attr["label"]


def test_focus_keeps_the_path_to_one_record_expanded() -> None:
    d = Diagram.of_graph(chains(50), max_nodes=20, focus=["raw-7"])

    path = [n for n in chains(50) if n.endswith("-7")]
    assert len(path) == 7
    assert all(d.drawing.box_of(r).members == (r,) for r in path)
    assert len(d.drawing.box_of("source:raw-8").members) == 49


def test_focus_on_a_record_outside_the_lineage_is_one_error() -> None:
    with pytest.raises(lineage.UnknownNode, match="--focus 'nosuch' is not in the lineage"):
        Diagram.of_graph(chains(2), focus=["nosuch"])


def _escstring(value: str) -> str:
    """A Graphviz escString as the text it stands for (backslash escapes resolved)."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


@pytest.mark.parametrize("name", [*EVIL_NAMES, "back\\slash at the end\\"])
def test_names_are_escaped_in_the_dot(name: str, tiny: lineage.Store) -> None:
    tiny.add_source(name, license="MIT", owner='line one\nline "two" \\')
    tiny.record_run("copy", name="copy-evil", inputs=[name], outputs=["clean"])
    # Rewriting clean makes a new version of it (clean@v2): m is trained on that one too.
    tiny.record_run("train", name="train-evil", inputs=["clean"], outputs=["m"])
    d = lineage.diagram(tiny, "m")
    index = next(i for i, b in enumerate(d.drawing.boxes) if b.name == name)

    # Graphviz's own parser reads the DOT back: the nodes and texts it finds are ours.
    parsed = json.loads(d.digraph.pipe(format="json"))
    objects = {o["name"]: o for o in parsed["objects"]}
    node = objects[f"n{index}"]
    drawn = [op["text"] for op in node["_ldraw_"] if op["op"] == "T"]

    assert sorted(n for n in objects if re.fullmatch(r"n\d+", n)) == sorted(
        f"n{i}" for i in range(len(d.drawing.boxes))
    )
    assert not any("evil" in n or "script" in n for n in objects)
    assert drawn[:3] == ["source", name, "MIT"]
    assert _escstring(node["tooltip"]).splitlines() == [
        f"source:{name}",
        "license: MIT",
        "owner: line one",
        'line "two" \\',
    ]


def test_a_diagram_of_an_agent_keeps_the_agents(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "acme", direction="downstream")

    kinds = {b.id: b.kind for b in d.drawing.boxes}

    assert kinds["agent:acme"] == "agent" and kinds["agent:ann"] == "agent"
    assert {"activity:train-1", "model:m"} <= set(kinds)


def test_a_record_with_no_lineage_draws_alone(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "reviews")

    assert [b.id for b in d.drawing.boxes] == ["source:reviews"]
    assert d.drawing.links == ()
    assert "Upstream lineage of source:reviews" in d.digraph.graph_attr["label"]
