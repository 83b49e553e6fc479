"""SVG, PNG and PDF drawn for real by the Graphviz binaries, and what happens without them."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from diagram_parts import EVIL_NAMES, SVG, svg_edges, svg_nodes

import lineage

# No skip without Graphviz: `make test` installs it, and CI must draw for real.


def test_svg_has_every_box_and_labelled_edge(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "m", agents=True)

    svg = d.to_svg()
    nodes = svg_nodes(svg)
    edges = svg_edges(svg)

    record_nodes = {n: lines for n, lines in nodes.items() if n.startswith("n")}
    assert len(record_nodes) == len(d.drawing.boxes) == 10
    names = {lines[1] for lines in record_nodes.values()}
    assert {
        "m",
        "train-1",
        "clean",
        "dedup-1",
        "reviews",
        "crawl",
        "ann",
        "bot",
        "acme",
        "ok-m",
    } == names
    assert sorted(label for *_, label in edges if label) == sorted(
        [
            "wasGeneratedBy",
            "used",
            "wasGeneratedBy",
            "used",
            "used",
            "wasAssociatedWith",
            "wasAssociatedWith",
            "actedOnBehalfOf",
            "wasDerivedFrom",
            "wasAttributedTo",
        ]
    )
    assert "source (entity from outside)" in [line for lines in nodes.values() for line in lines]


def test_svg_shapes_follow_prov(tiny: lineage.Store) -> None:
    d = lineage.diagram(tiny, "m", agents=True)
    root = ET.fromstring(d.to_svg())
    by_name: dict[str, set[str]] = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            title = group.find(f"{SVG}title")
            texts = ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]
            if title is not None and title.text and title.text.startswith("n") and texts:
                by_name[texts[1]] = {child.tag.removeprefix(SVG) for child in group.iter()}

    assert "ellipse" in by_name["reviews"]  # entity
    assert "polygon" in by_name["dedup-1"] and "ellipse" not in by_name["dedup-1"]  # activity
    assert "polygon" in by_name["ann"]  # agent (house)


@pytest.mark.parametrize("name", EVIL_NAMES)
def test_svg_shows_names_as_text_and_nothing_else(name: str, tiny: lineage.Store) -> None:
    tiny.add_source(name, license="MIT")
    tiny.record_run("copy", name="copy-evil", inputs=[name], outputs=["clean"])
    # Rewriting clean makes a new version of it (clean@v2): m is trained on that one too.
    tiny.record_run("train", name="train-evil", inputs=["clean"], outputs=["m"])

    svg = lineage.diagram(tiny, "m").to_svg()
    root = ET.fromstring(svg)  # still well-formed XML

    assert not any(el.tag.endswith("script") for el in root.iter())
    assert [name] == [lines[1] for lines in svg_nodes(svg).values() if name in lines]
    assert "<script>" not in svg


def test_png_and_pdf_are_drawn(tiny: lineage.Store, tmp_path: Path) -> None:
    d = lineage.diagram(tiny, "m")

    png = d.render("png")
    pdf = d.save(tmp_path / "m.pdf")

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width > 600 and height > 150
    assert pdf.read_bytes().startswith(b"%PDF")


def test_svg_element_embeds_without_prolog(tiny: lineage.Store) -> None:
    element = lineage.diagram(tiny, "m").svg_element()

    assert element.startswith("<svg")
    assert element.rstrip().endswith("</svg>")


def test_dot_and_mermaid_need_no_binaries(
    tiny: lineage.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    d = lineage.diagram(tiny, "m")

    assert d.render("dot").startswith(b"digraph lineage {")
    assert d.render("mermaid").startswith(b"%% Upstream lineage of model:m")
    with pytest.raises(lineage.GraphvizNotFound) as caught:
        d.render("svg")
    assert str(caught.value).startswith(
        "Graphviz 'dot' not found: install it with 'sudo apt-get install graphviz'"
    )
    assert "\n" not in str(caught.value)


def test_an_unknown_format_is_one_error(tiny: lineage.Store) -> None:
    with pytest.raises(lineage.InvalidRecord, match="unknown diagram format 'gif'"):
        lineage.diagram(tiny, "m").render("gif")
