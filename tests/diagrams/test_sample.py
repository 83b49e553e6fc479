"""The sample pipeline's diagram: every record drawn, planted problems marked, golden files.

Golden files are in tests/golden/diagrams/; `pytest --update-golden` (or
LINEAGE_UPDATE_GOLDEN=1) rewrites them, and the diff is reviewed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import lineage
from lineage.checks import check

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "diagrams"
# Tooltips hold recorded paths, which depend on the folder the store was loaded from.
TOOLTIP = re.compile(r' tooltip="(?:[^"\\]|\\.)*"')


def _matches_golden(request: pytest.FixtureRequest, name: str, text: str) -> None:
    path = GOLDEN / name
    if request.config.getoption("--update-golden", False) or os.environ.get(
        "LINEAGE_UPDATE_GOLDEN"
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8")


def test_every_record_of_the_sample_lineage_is_drawn(sample_store: lineage.Store) -> None:
    graph = sample_store.upstream("support-assistant-v1")
    assert graph.number_of_nodes() == 35

    d = lineage.diagram(sample_store, "support-assistant-v1", agents=True)

    drawn = {m for b in d.drawing.boxes for m in b.members}
    evaluations = {e.id for e in sample_store.evaluations("support-assistant-v1")}
    assert len(evaluations) == 13
    signs = {
        "attestation:approval-support-assistant-v1",
        "attestation:renewal-support-assistant-v1",
        "agent:maria-lopez",
    }
    assert drawn == set(graph) | signs | evaluations
    assert d.drawing.level == "none"
    # Two sign-offs, each signed by her, her delegation; each evaluation hangs off the model.
    assert len(d.drawing.links) == graph.number_of_edges() + 5 + len(evaluations)


def test_planted_problems_are_marked_on_the_sample(sample_store: lineage.Store) -> None:
    findings = check(sample_store, "support-assistant-v1").findings

    d = lineage.diagram(
        sample_store, "support-assistant-v1", findings=findings, highlight="non-commercial"
    )

    rules = {b.id: {f.rule for f in b.findings} for b in d.drawing.boxes}
    assert "non-commercial" in rules["source:product-reviews-openshelf"]
    assert "share-alike" in rules["source:code-reply-macros"]
    assert "pii-not-removed" in rules["source:support-tickets-2025h1"]
    lit = {b.id for b in d.drawing.boxes if b.highlighted}
    assert lit == {
        "source:product-reviews-openshelf",
        "activity:deduplicate-2025-06-05",
        "dataset:text-deduped",
        "activity:mix-2025-06-08",
        "dataset:training-mixture-v1",
        "activity:tokenize-2025-06-09",
        "dataset:mixture-v1-tokens",
        "activity:train-support-assistant-v1",
        "model:support-assistant-v1",
    }


def test_sample_diagram_matches_the_golden_files(
    sample_store: lineage.Store, request: pytest.FixtureRequest
) -> None:
    d = lineage.diagram(sample_store, "support-assistant-v1")

    _matches_golden(request, "support-assistant-v1.mmd", d.mermaid())
    _matches_golden(request, "support-assistant-v1.gv", TOOLTIP.sub("", d.dot()))
