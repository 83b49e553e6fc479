"""The Mermaid text, parsed back with a small grammar: shapes, relations, marks, escaping."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from diagram_parts import EVIL_NAMES

import lineage
from lineage.checks.findings import Finding

# Mermaid shapes by their delimiters around a quoted label.
SHAPES = {
    ('(["', '"])'): "stadium",
    ('["', '"]'): "rectangle",
    ('[/"', '"\\]'): "trapezoid",
    ('>"', '"]'): "flag",
    ('{{"', '"}}'): "hexagon",
}
NODE = re.compile(r'^\s+(\w+)(\(\["|\[/"|\["|>"|\{\{")(.*?)("\]\)|"\\\]|"\]|"\}\})$')
EDGE = re.compile(r'^\s+(n\d+) (-->|-\.->)(?:\|"([^"]*)"\|)? (n\d+)$')
CLASS = re.compile(r"^\s+class ([\w,]+) (\w+)$")
LINK_STYLE = re.compile(r"^\s+linkStyle ([\d,]+) (\S+)$")
# Inside a label: escaped text, our own line breaks and bold tags, nothing else.
LABEL_TEXT = re.compile(r'^[^"<>\[\]{}|`\n]*$')


@dataclass
class Chart:
    direction: str = ""
    nodes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)
    classes: dict[str, set[str]] = field(default_factory=dict)
    lit: set[int] = field(default_factory=set)


def _decode(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def parse(text: str) -> Chart:
    """Read Mermaid flowchart text back; fails on any line outside the grammar."""
    chart = Chart()
    for line in text.splitlines():
        if line.startswith("%% "):
            assert "{" not in line, line  # `%%{` would be a directive
        elif line.startswith("flowchart "):
            chart.direction = line.split()[1]
        elif m := NODE.match(line):
            name, opening, label, closing = m.groups()
            assert (opening, closing) in SHAPES, line
            lines = label.split("<br/>")
            for i, part in enumerate(lines):
                if part.startswith("<b>"):
                    assert part.endswith("</b>"), line
                    lines[i] = part = part[3:-4]
                assert LABEL_TEXT.match(part), f"unescaped text in {line!r}"
            chart.nodes[name] = (SHAPES[(opening, closing)], [_decode(p) for p in lines])
        elif m := EDGE.match(line):
            tail, arrow, label, head = m.groups()
            assert label is None or LABEL_TEXT.match(label), line
            chart.edges.append((tail, head, _decode(label or ""), arrow))
        elif m := CLASS.match(line):
            chart.classes.setdefault(m.group(2), set()).update(m.group(1).split(","))
        elif m := LINK_STYLE.match(line):
            chart.lit.update(int(i) for i in m.group(1).split(","))
        else:
            assert re.match(r'^\s+(classDef \w+ \S.*|subgraph legend\["Legend"\]|end)$', line), line
    return chart


def _box_names(d: lineage.Diagram) -> dict[str, str]:
    return {f"n{i}": b.id for i, b in enumerate(d.drawing.boxes)}


def test_mermaid_has_every_box_and_relation_in_prov_terms(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "m", agents=True)

    chart = parse(d.mermaid())
    names = _box_names(d)
    shapes = {names[n]: shape for n, (shape, _) in chart.nodes.items() if n in names}
    edges = {(names[t], names[h], label) for t, h, label, _ in chart.edges}

    assert chart.direction == "RL"
    assert shapes == {
        "model:m": "stadium",
        "dataset:clean": "stadium",
        "source:reviews": "stadium",
        "source:crawl": "stadium",
        "activity:train-1": "rectangle",
        "activity:dedup-1": "rectangle",
        "agent:ann": "trapezoid",
        "agent:bot": "trapezoid",
        "agent:acme": "trapezoid",
        "attestation:ok-m": "flag",
    }
    assert ("activity:dedup-1", "source:reviews", "used") in edges
    assert ("dataset:clean", "activity:dedup-1", "wasGeneratedBy") in edges
    assert ("agent:ann", "agent:acme", "actedOnBehalfOf") in edges
    assert len(edges) == len(d.drawing.links) == 10
    assert chart.classes["source"] >= {
        "n" + str(i) for i, b in enumerate(d.drawing.boxes) if b.kind == "source"
    }
    assert "target" in chart.classes and len(chart.classes["target"]) == 1


def test_mermaid_labels_carry_type_name_and_facts(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "m")

    chart = parse(d.mermaid())
    labels = {_box_names(d)[n]: lines for n, (_, lines) in chart.nodes.items() if n.startswith("n")}

    assert labels["source:reviews"] == [
        "source · public",
        "reviews",
        "CC-BY-NC-4.0",
        "100 records · 2.0 kB",
    ]
    assert labels["activity:dedup-1"][:2] == ["activity · dedup", "dedup-1"]


def test_mermaid_marks_findings_and_highlights_the_path(tiny: lineage.Store) -> None:
    findings = [
        Finding(
            "non-commercial",
            "error",
            "NC",
            "source:reviews",
            ("source:reviews", "activity:dedup-1", "dataset:clean", "activity:train-1", "model:m"),
        )
    ]

    d = lineage.diagram(tiny, "m", findings=findings, highlight="non-commercial")
    chart = parse(d.mermaid())
    names = _box_names(d)

    lit = {(names[chart.edges[i][0]], names[chart.edges[i][1]]) for i in chart.lit}
    assert lit == {
        ("model:m", "activity:train-1"),
        ("activity:train-1", "dataset:clean"),
        ("dataset:clean", "activity:dedup-1"),
        ("activity:dedup-1", "source:reviews"),
    }
    assert {names[n] for n in chart.classes["error"]} == {"source:reviews"}


def test_mermaid_groups_say_how_many(sharded: lineage.Store) -> None:
    d = lineage.diagram(sharded, "big", max_nodes=10)

    chart = parse(d.mermaid())

    assert any(label == "used \u00d740" for _, _, label, _ in chart.edges)
    assert len(chart.classes["group"]) == 1


@pytest.mark.parametrize("name", [*EVIL_NAMES, 'end"] --> x[" #35; %%{init}%% `tick` |pipe|'])
def test_names_are_escaped_in_mermaid(name: str, tiny: lineage.Store) -> None:
    tiny.add_source(name, license="MIT")
    tiny.record_run("copy", name="copy-evil", inputs=[name], outputs=["clean"])
    # Rewriting clean makes a new version of it (clean@v2): m is trained on that one too.
    tiny.record_run("train", name="train-evil", inputs=["clean"], outputs=["m"])
    d = lineage.diagram(tiny, "m")

    chart = parse(d.mermaid())
    node = next(n for n, b in _box_names(d).items() if b == f"source:{name}")

    assert len([n for n in chart.nodes if n.startswith("n")]) == len(d.drawing.boxes)
    assert len(chart.edges) == len(d.drawing.links)
    assert chart.nodes[node][1][:2] == ["source", name]
