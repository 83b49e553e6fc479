"""A report's diagram drawn from the graph its trail read is the one drawn from the store.

`lineage report -o x.html` draws the upstream graph the report already read
(`upstream=trail.whole`) instead of reading the store a second time; the drawing,
its DOT text and its SVG must be the same either way.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import lineage
from lineage import process
from lineage.checks.trail import ledger_head
from lineage.reports import build_report_with_trail, produce_report, upstream_svg
from lineage.validation import parse_time

TARGET = "support-assistant-v1"


def _snapshot(graph: nx.DiGraph[str]) -> tuple[Any, ...]:
    return (
        copy.deepcopy(graph.graph),
        copy.deepcopy(list(graph.nodes(data=True))),
        copy.deepcopy(list(graph.edges(data=True))),
    )


def _assert_drawn_alike(
    store: lineage.Store, target: str, as_of: datetime | None = None, **options: Any
) -> lineage.Diagram:
    report, trail = build_report_with_trail(store, target, as_of=as_of, verify_digests=False)
    before = _snapshot(trail.whole)

    read = lineage.diagram(store, target, as_of=as_of, findings=report.findings, **options)
    given = lineage.diagram(
        store, target, as_of=as_of, findings=report.findings, upstream=trail.whole, **options
    )

    assert given.drawing == read.drawing
    assert given.dot() == read.dot()
    assert _snapshot(trail.whole) == before  # the trail's graph is the caller's: unchanged
    return given


def test_report_svg_from_the_trail_is_the_svg_read_from_the_store(
    sample_store: lineage.Store, at_root: Path
) -> None:
    sample_store.verify_content(TARGET)  # the report cites what `lineage verify` found
    report, trail = build_report_with_trail(sample_store, TARGET)

    read = upstream_svg(sample_store, report.target, findings=report.findings)
    given = upstream_svg(
        sample_store, report.target, findings=report.findings, upstream=trail.whole
    )

    assert read is not None and "<svg" in read
    assert given == read


def test_sample_diagram_from_the_trail_is_the_one_read_from_the_store(
    sample_store: lineage.Store, at_root: Path
) -> None:
    sample_store.verify_content(TARGET)

    drawn = _assert_drawn_alike(sample_store, TARGET)

    assert drawn.drawing.records > 30
    assert any(box.kind == "attestation" for box in drawn.drawing.boxes)  # the sign-off


def test_sample_diagram_from_the_trail_alike_with_agents_and_highlight(
    sample_store: lineage.Store, at_root: Path
) -> None:
    _assert_drawn_alike(sample_store, TARGET, agents=True, highlight="non-commercial")
    _assert_drawn_alike(sample_store, TARGET, direction="both", max_nodes=12)


def _pipeline(store: lineage.Store, folder: Path, units: int) -> None:
    """`units` x (4 crawl files -> shard run -> 3 shards -> filter -> dedup) -> mix -> model."""
    sources: list[dict[str, Any]] = []
    datasets: list[dict[str, Any]] = [{"name": "mix"}]
    runs: list[dict[str, Any]] = []
    finals: list[str] = []
    for unit in range(units):
        raw = [f"raw-{unit}-{i}" for i in range(4)]
        for name in raw:
            path = folder / f"{name}.txt"
            path.write_text(name, encoding="utf-8")
            licence = "CC-BY-NC-4.0" if unit == 3 else "CC-BY-4.0"
            sources.append({"name": name, "license": licence, "path": str(path)})
        shards = [f"shard-{unit}-{j}" for j in range(3)]
        datasets.extend({"name": shard, "records": 100 + j} for j, shard in enumerate(shards))
        runs.append({"operation": "shard", "name": f"shard-run-{unit}", "inputs": raw,
                     "outputs": shards, "agent": f"bot-{unit % 3}"})  # fmt: skip
        for shard in shards:
            current = shard
            for step in ("filter", "dedup"):
                out = f"{current}-{step}"
                datasets.append({"name": out, "derived_from": [current]})
                runs.append({"operation": step, "name": f"{step}-{out}", "inputs": [current],
                             "outputs": [out], "agent": f"bot-{unit % 3}"})  # fmt: skip
                current = out
            finals.append(current)
    runs.append({"operation": "mix", "name": "mix-run", "inputs": finals, "outputs": ["mix"]})
    runs.append({"operation": "train", "name": "train-1", "inputs": ["mix"], "outputs": ["m"]})
    store.record(
        {
            "agents": [
                {"name": "acme", "type": "organization"},
                {"name": "ann", "type": "person", "acted_on_behalf_of": "acme"},
                *({"name": f"bot-{i}", "type": "software", "version": "1.0"} for i in range(3)),
            ],
            "sources": sources,
            "datasets": datasets,
            "models": [{"name": "m", "intended_use": "commercial", "license": "Apache-2.0"}],
            "runs": runs,
        }
    )
    store.approve("m", by="ann", name="ok-m", decision="approved", tier="general-commercial")


@pytest.mark.parametrize("units", [2, 40])
def test_generated_diagram_from_the_trail_is_the_one_read_from_the_store(
    store: lineage.Store, tmp_path: Path, units: int
) -> None:
    _pipeline(store, tmp_path, units)
    store.verify_content("m")

    drawn = _assert_drawn_alike(store, "m")
    _assert_drawn_alike(store, "model:m", agents=True, highlight="non-commercial", max_nodes=30)

    assert drawn.drawing.records > units * 20
    assert (drawn.drawing.level != "none") == (units == 40)  # 40 units fold, 2 do not


def test_generated_diagram_from_the_trail_as_of_an_earlier_entry(
    store: lineage.Store, tmp_path: Path
) -> None:
    _pipeline(store, tmp_path, 3)
    then = parse_time(ledger_head(store).recorded_at)
    time.sleep(0.01)  # the next entry is recorded strictly later
    store.add_source("late", license="MIT")
    store.record_run("extra", name="extra-1", inputs=["late"], outputs=["mix"])

    drawn = _assert_drawn_alike(store, "m", as_of=then)

    assert "source:late" not in {m for box in drawn.drawing.boxes for m in box.members}


def test_a_pre_read_graph_of_another_record_is_refused(sample_store: lineage.Store) -> None:
    _, trail = build_report_with_trail(sample_store, TARGET, verify_digests=False)

    with pytest.raises(ValueError, match="not of"):
        lineage.diagram(sample_store, "product-reviews-openshelf", upstream=trail.whole)
    with pytest.raises(ValueError, match="depth"):
        lineage.diagram(sample_store, TARGET, depth=2, upstream=trail.whole)


def _assert_produced_alike(store: lineage.Store, target: str, fmt: str) -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    report = lineage.build_report(store, target, produced_at=moment, verify_digests=False)
    svg = upstream_svg(store, report.target, findings=report.findings)  # read again

    _, data = produce_report(store, target, fmt, produced_at=moment, verify_digests=False)

    assert data == lineage.render_report(report, fmt, svg=svg)


@pytest.fixture(params=["one process", "diagram in a forked child"])
def forking(request: pytest.FixtureRequest) -> Iterator[bool]:
    """Produce reports as the API does (one process), and as a command does, whose
    diagram and families are made in a forked child (`lineage.process.Forked`)."""
    forked = request.param != "one process"
    process.one_shot(forked)
    try:
        assert process.can_fork() == forked
        yield forked
    finally:
        process.one_shot(False)


def test_produced_html_report_is_the_one_built_rendered_and_drawn_apart(
    sample_store: lineage.Store, at_root: Path, forking: bool
) -> None:
    _assert_produced_alike(sample_store, TARGET, "html")
    _assert_produced_alike(sample_store, TARGET, "md")


def test_produced_html_report_of_a_folded_lineage_is_the_one_drawn_apart(
    store: lineage.Store, tmp_path: Path, forking: bool
) -> None:
    _pipeline(store, tmp_path, 40)
    store.verify_content("m")

    _assert_produced_alike(store, "m", "html")


def test_produced_json_report_of_a_folded_lineage_is_the_one_built_apart_without_families(
    store: lineage.Store, tmp_path: Path
) -> None:
    _pipeline(store, tmp_path, 40)
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    built = lineage.build_report(store, "m", produced_at=moment, verify_digests=False)
    assert built.families  # a lineage large enough to fold: Markdown and HTML need them

    report, data = produce_report(store, "m", "json", produced_at=moment, verify_digests=False)

    # JSON lists every record's row: the families are not made, and not missed.
    assert report.families == {}
    assert data == lineage.render_report(built, "json")
    assert report.records == built.records and report.gaps == built.gaps


def test_an_unknown_format_is_refused_before_the_store_is_read(
    sample_store: lineage.Store,
) -> None:
    # The target does not exist either: the format is what is named, so nothing was read.
    with pytest.raises(lineage.InvalidRecord, match="unknown report format 'docx'"):
        produce_report(sample_store, "no-such-model", "docx")
