"""References and removed parts are drawn apart from the data flow, in DOT and Mermaid."""

from __future__ import annotations

from real_lineages import fineweb, the_pile

import lineage


def test_references_and_removed_parts_are_drawn_dashed_and_dotted(store: lineage.Store) -> None:
    store.record(fineweb())
    store.record(the_pile())
    pile = lineage.diagram(store, "pile-lm", max_nodes=200)
    dot = pile.dot()
    removed = [line for line in dot.splitlines() if "used (excluded: removed)" in line]
    assert len(removed) == 5
    assert all("style=dotted" in line for line in removed)
    # The run that assembled the Pile used Books3 as content: a plain, solid `used`.
    assembled = [line for line in dot.splitlines() if line.endswith("[label=used]")]
    assert len(assembled) >= 11  # 11 components into the assembly, then the trimmed Pile

    web = lineage.diagram(store, "web-lm", max_nodes=200).mermaid()
    tools = [line for line in web.splitlines() if '"used (reference)"' in line]
    assert len(tools) == 2
    assert all("-.->" in line for line in tools)
