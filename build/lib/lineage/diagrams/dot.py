"""A `Drawing` as a `graphviz.Digraph`: PROV shapes, labelled relations, time left to right.

Edges keep PROV's direction (from the later record to the one it depends on), and
the graph is laid out right to left along them (`rankdir=RL`), so sources stand on
the left, the model on the right, and time reads left to right as the arrows point
back to what each record came from, as in PROV's own figures.

Node names in the DOT are `n0`, `n1`, ...; recorded text only ever reaches the DOT
through the escaping functions, as HTML-like labels or escaped strings.
"""

from __future__ import annotations

from typing import Any

import graphviz

from lineage.diagrams import style
from lineage.diagrams.drawing import Box, Drawing, Link
from lineage.diagrams.escaping import dot_string, html_text
from lineage.diagrams.labels import Line, box_lines, caption, link_label, tooltip

_FONTS = {
    "type": ('POINT-SIZE="8"', style.MUTED, False),
    "name": ('POINT-SIZE="11"', style.TEXT, True),
    "fact": ('POINT-SIZE="9"', style.TEXT, False),
    "error": ('POINT-SIZE="9"', style.ERROR, True),
    "warning": ('POINT-SIZE="9"', style.WARNING, True),
}


def html_label(lines: list[Line]) -> str:
    """Label lines as one Graphviz HTML-like label, every text escaped."""
    parts = []
    for line in lines:
        size, colour, bold = _FONTS[line.role]
        text = html_text(line.text)
        if bold:
            text = f"<B>{text}</B>"
        parts.append(f'<FONT {size} COLOR="{colour}">{text}</FONT>')
    return "<" + "<BR/>".join(parts) + ">"


def _title(lines: list[str]) -> str:
    head = f'<FONT POINT-SIZE="14"><B>{html_text(lines[0], 200)}</B></FONT>'
    rest = [
        f'<FONT POINT-SIZE="10" COLOR="{style.MUTED}">{html_text(t, 200)}</FONT>' for t in lines[1:]
    ]
    return "<" + '<BR ALIGN="LEFT"/>'.join([head, *rest]) + '<BR ALIGN="LEFT"/>>'


def _node_attrs(box: Box, dimmed: bool) -> dict[str, Any]:
    look = style.MORE_STYLE if box.is_more else style.style_of(box.kind)
    attrs: dict[str, Any] = {
        "label": html_label(box_lines(box)),
        "shape": look.shape,
        "fillcolor": look.fill,
        "color": look.border,
        "tooltip": dot_string(tooltip(box)),
    }
    if box.is_more:
        attrs.update(style="dashed", fontcolor=style.MUTED)
        return attrs
    if box.is_group:
        attrs["peripheries"] = "2"  # a double outline reads as "several of these"
    width = 1.2
    if box.root:
        attrs["color"] = style.ROOT_BORDER
        width = 2.5
    if box.count("error"):
        attrs["color"] = style.ERROR
        width = 2.5
    elif box.count("warning"):
        attrs["color"] = style.WARNING
        width = 2.5
    if box.highlighted:
        attrs["color"] = style.HIGHLIGHT
        width = 3.5
    attrs["penwidth"] = str(width)
    if dimmed and not box.highlighted:
        attrs["style"] = "filled"
        attrs["fillcolor"] = look.fill + "80"  # half transparent: the path stands out
    return attrs


def _edge_attrs(link: Link, dimmed: bool, tail_kind: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    label = link_label(link.relation, link.count)
    if label:
        attrs["label"] = dot_string(label)
    if not link.relation:  # to a "more" stub
        attrs.update(style="dashed", color=style.EDGE_SECONDARY, arrowhead="none")
        return attrs
    if link.relation in style.SECONDARY_RELATIONS:
        attrs.update(color=style.EDGE_SECONDARY, fontcolor=style.MUTED)
        if link.relation != "was_derived_from":
            attrs["style"] = "dashed"  # responsibility, not data flow
    if link.relation in ("was_associated_with", "was_attributed_to") or tail_kind == "attestation":
        # An agent runs steps all along the pipeline, and a sign-off hangs off its
        # subject: ranking them as steps would stretch the time axis for nothing.
        attrs["constraint"] = "false"
    if link.highlighted:
        attrs.update(color=style.HIGHLIGHT, fontcolor=style.HIGHLIGHT, penwidth="3", style="solid")
    elif dimmed:
        attrs.update(color="#CCCCCC", fontcolor="#AAAAAA")
    if link.count > 1:
        attrs.setdefault("penwidth", "2")
    return attrs


def _legend(drawing: Drawing, graph: graphviz.Digraph) -> None:
    """A legend of the kinds and marks present, as a column of sample shapes."""
    kinds = [k for k in style.KIND_STYLES if any(b.kind == k for b in drawing.boxes)]
    entries: list[tuple[str, dict[str, Any]]] = []
    for kind in kinds:
        look = style.KIND_STYLES[kind]
        entries.append(
            (look.legend, {"shape": look.shape, "fillcolor": look.fill, "color": look.border})
        )
    plain = {"shape": "box", "fillcolor": "#FFFFFF", "color": style.MUTED}
    if any(b.is_group for b in drawing.boxes):
        entries.append(("group of similar records", {**plain, "peripheries": "2"}))
    if any(b.is_more for b in drawing.boxes):
        entries.append(("related records not drawn", {**plain, "style": "dashed"}))
    if any(b.root for b in drawing.boxes):
        entries.append(("the target", {**plain, "color": style.ROOT_BORDER, "penwidth": "2.5"}))
    if drawing.marked("error"):
        entries.append(
            ("has errors (lineage check)", {**plain, "color": style.ERROR, "penwidth": "2.5"})
        )
    if drawing.marked("warning"):
        entries.append(
            ("has warnings (lineage check)", {**plain, "color": style.WARNING, "penwidth": "2.5"})
        )
    if drawing.highlight:
        entries.append(
            (
                f"evidence path of {drawing.highlight}",
                {**plain, "color": style.HIGHLIGHT, "penwidth": "3.5"},
            )
        )
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(
            label="Legend",
            fontsize="10",
            color="#BBBBBB",
            style="rounded",
            fontcolor=style.MUTED,
            rank="same",
        )
        for i, (text, attrs) in enumerate(entries):
            legend.node(
                f"legend{i}",
                label=html_label([Line(text, "fact")]),
                width="0",
                height="0",
                margin="0.06,0.03",
                **attrs,
            )
        for i in range(len(entries) - 1):
            legend.edge(f"legend{i + 1}", f"legend{i}", style="invis")
    if entries and drawing.boxes:
        # In the column of the records farthest from the target (the earliest, on the
        # left), where there is room, rather than as one more column of its own.
        farthest = max(range(len(drawing.boxes)), key=lambda i: drawing.boxes[i].depth)
        with graph.subgraph() as column:
            column.attr(rank="same")
            column.node("legend0")
            column.node(f"n{farthest}")


def to_digraph(drawing: Drawing, *, legend: bool = True) -> graphviz.Digraph:
    """The Graphviz digraph of `drawing`."""
    title = caption(drawing)
    graph = graphviz.Digraph(
        name="lineage",
        graph_attr={
            "rankdir": "RL",
            "label": _title(title),
            "labelloc": "t",
            "labeljust": "l",
            "fontname": style.FONT,
            "nodesep": "0.18",
            "ranksep": "0.3",
            "pad": "0.25",
            "bgcolor": "white",
            "newrank": "true",
        },
        node_attr={
            "fontname": style.FONT,
            "fontsize": "10",
            "style": "filled",
            "margin": "0.12,0.05",
        },
        edge_attr={
            "fontname": style.FONT,
            "fontsize": "8",
            "color": style.EDGE,
            "fontcolor": style.MUTED,
            "arrowsize": "0.7",
        },
    )
    dimmed = drawing.highlight is not None and drawing.highlighted_findings > 0
    name = {box.id: f"n{i}" for i, box in enumerate(drawing.boxes)}
    for box in drawing.boxes:
        graph.node(name[box.id], **_node_attrs(box, dimmed))
    kind = {box.id: box.kind for box in drawing.boxes}
    for link in drawing.links:
        graph.edge(name[link.tail], name[link.head], **_edge_attrs(link, dimmed, kind[link.tail]))
    if legend:
        _legend(drawing, graph)
    return graph
