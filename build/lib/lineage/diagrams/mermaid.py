"""A `Drawing` as Mermaid flowchart text, for Markdown pages, GitHub and notebooks.

The same boxes, links and marks as the Graphviz diagram, in Mermaid's shapes:
entities as stadiums (Mermaid has no plain ellipse in every version that GitHub
renders), activities as rectangles, agents as trapezoids (the nearest to PROV's
house), attestations as flags. Every label is double-quoted and made of escaped
text (see `escaping.mermaid_text`), so no name can end it or start a tag.
"""

from __future__ import annotations

from lineage.diagrams import style
from lineage.diagrams.drawing import Box, Drawing
from lineage.diagrams.escaping import clean, mermaid_text
from lineage.diagrams.labels import box_lines, caption, link_label


def _label(box: Box) -> str:
    lines = []
    for line in box_lines(box):
        text = mermaid_text(line.text)
        lines.append(f"<b>{text}</b>" if line.role == "name" else text)
    return "<br/>".join(lines)


def _shape(kind: str) -> style.KindStyle:
    return style.MORE_STYLE if kind == "more" else style.style_of(kind)


def to_mermaid(drawing: Drawing, *, legend: bool = True) -> str:
    """The Mermaid flowchart of `drawing`, laid out like the Graphviz one (time left to right)."""
    # A comment ends at the line's end, and only `%%{` would make it a directive.
    comments = [clean(line, 200).replace("{", "(").replace("}", ")") for line in caption(drawing)]
    out = [f"%% {line}" for line in comments]
    out.append("flowchart RL")
    name = {box.id: f"n{i}" for i, box in enumerate(drawing.boxes)}
    for box in drawing.boxes:
        look = _shape(box.kind)
        out.append(f"  {name[box.id]}{look.mermaid_open}{_label(box)}{look.mermaid_close}")
    lit: list[int] = []
    for i, link in enumerate(drawing.links):
        label = link_label(link.relation, link.count)
        arrow = "-.->" if not link.relation or link.relation in style.SECONDARY_RELATIONS else "-->"
        text = f'|"{mermaid_text(label)}"|' if label else ""
        out.append(f"  {name[link.tail]} {arrow}{text} {name[link.head]}")
        if link.highlighted:
            lit.append(i)

    if legend:
        kinds = [k for k in style.KIND_STYLES if any(b.kind == k for b in drawing.boxes)]
        out.append('  subgraph legend["Legend"]')
        for kind in kinds:
            look = style.KIND_STYLES[kind]
            text = mermaid_text(look.legend)
            out.append(f"    legend_{kind}{look.mermaid_open}{text}{look.mermaid_close}")
        out.append("  end")

    for kind, look in (*style.KIND_STYLES.items(), ("more", style.MORE_STYLE)):
        out.append(f"  classDef {kind} fill:{look.fill},stroke:{look.border},color:{style.TEXT}")
    out.append("  classDef group stroke-width:3px,stroke-dasharray:6 2")
    out.append(f"  classDef target stroke:{style.ROOT_BORDER},stroke-width:3px")
    out.append(f"  classDef error stroke:{style.ERROR},stroke-width:3px")
    out.append(f"  classDef warning stroke:{style.WARNING},stroke-width:3px")
    out.append(f"  classDef highlighted stroke:{style.HIGHLIGHT},stroke-width:4px")
    classes: dict[str, list[str]] = {}
    for box in drawing.boxes:
        node = name[box.id]
        if box.kind in style.KIND_STYLES or box.is_more:
            classes.setdefault(box.kind, []).append(node)
        for flag, on in (
            ("group", box.is_group),
            ("target", box.root),
            ("error", box.count("error") > 0),
            ("warning", box.count("warning") > 0 and not box.count("error")),
            ("highlighted", box.highlighted),
        ):
            if on:
                classes.setdefault(flag, []).append(node)
    if legend:
        for kind in style.KIND_STYLES:
            if classes.get(kind):
                classes[kind].append(f"legend_{kind}")
    for cls, nodes in classes.items():
        out.append(f"  class {','.join(nodes)} {cls}")
    if lit:
        ids = ",".join(str(i) for i in lit)
        out.append(f"  linkStyle {ids} stroke:{style.HIGHLIGHT},stroke-width:3px")
    return "\n".join(out) + "\n"
