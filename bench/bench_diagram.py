"""Benchmark diagrams: lineages of 40,000 and 100,000 records to SVG, against unfolded dot.

    python bench/bench_diagram.py                    # a 100,000-record store, SQLite
    python bench/bench_diagram.py --db big.db        # reuse a store this script built

The store is bench/synthetic.py's graph plus `model-all`, trained on every
tokenized shard, so that its upstream lineage is the whole store (~100,000
records); `model-large` has ~40% of it. Prints one table, min / median / max over --runs
runs (bench/harness.py; --busy runs a CPU-bound process beside it). Nothing is
asserted: the table says whether the issue's target (under 10 s to SVG) holds
on the median and a person reads it. The baseline row is
Graphviz `dot` on 2,000 records of the same lineage drawn without folding, which
is what folding saves us from.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness
import networkx as nx
from synthetic import build

import lineage
from lineage.checks import check
from lineage.diagrams import Diagram, build_drawing, lineage_graph
from lineage.diagrams.drawing import drop_agents

TARGET_SECONDS = 10.0
T = TypeVar("T")
TARGETS: set[str] = set()  # measures held to TARGET_SECONDS


def timed(function: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def row(
    bench: harness.Bench,
    measure: str,
    seconds: float,
    to_dot: int | None = None,
    target: bool = False,
) -> None:
    name = f"{measure} [{to_dot:,} boxes to dot]" if to_dot is not None else measure
    bench.add(name, seconds, "s")
    if target:
        TARGETS.add(name)


def with_model_on_everything(manifest: dict[str, Any]) -> dict[str, Any]:
    """The synthetic manifest plus `model-all`, trained on every tokenized shard."""
    shards = [d["name"] for d in manifest["datasets"] if d["name"].endswith("-t")]
    return {
        **manifest,
        "datasets": [*manifest["datasets"], {"name": "mix-all"}],
        "models": [*manifest["models"], {"name": "model-all", "intended_use": "commercial"}],
        "runs": [
            *manifest["runs"],
            {"operation": "mix", "name": "mix-all-run", "inputs": shards, "outputs": ["mix-all"]},
            {
                "operation": "train",
                "name": "train-all",
                "inputs": ["mix-all"],
                "outputs": ["model-all"],
            },
        ],
    }


def whole_pipelines(graph: nx.DiGraph, count: int) -> nx.DiGraph:
    """About `count` records of a lineage, as whole pipelines from raw files to the root.

    Takes the full upstream of one tokenized shard after another, so the sample keeps
    the real depth of the lineage (a breadth-first cut would be shallow and easy).
    """
    root = graph.graph["root"]
    train = next(iter(graph.successors(root)))
    mixture = next(iter(graph.successors(train)))
    mix = next(iter(graph.successors(mixture)))
    keep = {root, train, mixture, mix}
    for shard in sorted(graph.successors(mix)):
        keep |= {shard} | nx.descendants(graph, shard)
        if len(keep) >= count:
            break
    sample: nx.DiGraph = graph.subgraph(keep).copy()
    sample.graph["root"] = root
    return sample


def to_svg(bench: harness.Bench, store: lineage.Store, target: str) -> None:
    """The whole path a user waits for: closure, folding, layout, SVG."""
    seconds, drawn = timed(lambda: (d := lineage.diagram(store, target), d.to_svg())[0])
    d = drawn.drawing
    row(
        bench,
        f"diagram {target} -> SVG ({d.records:,} records, folded: {d.level})",
        seconds,
        len(d.boxes),
        target=True,
    )


def steps(bench: harness.Bench, store: lineage.Store, target: str) -> nx.DiGraph:
    """Where the time goes, step by step, and the cost of marking findings."""
    read, graph = timed(lambda: lineage_graph(store, target))
    drop_agents(graph)  # as diagram() does: agents are named on their runs
    row(bench, "  read the lineage (Store.upstream: SQL, then networkx)", read)
    fold, drawing = timed(lambda: build_drawing(graph))
    row(bench, "  fold it (siblings, then structure)", fold, len(drawing.boxes))
    layout, _ = timed(lambda: Diagram(drawing).to_svg())
    row(bench, "  write the DOT, lay it out with dot -Tsvg", layout, len(drawing.boxes))
    checking, result = timed(lambda: check(store, target))
    row(bench, f"  lineage check, {len(result.findings):,} findings (a separate command)", checking)
    marked, _ = timed(
        lambda: Diagram.of_graph(
            graph, findings=result.findings, highlight="unknown-provenance"
        ).to_svg()
    )
    row(bench, "  fold + draw with those findings marked and a rule highlighted", marked)
    return graph


def baseline(bench: harness.Bench, graph: nx.DiGraph) -> None:
    """Graphviz on 2,000 records of the lineage, unfolded, and the same records folded."""
    sample = whole_pipelines(graph, 2000)
    unfolded = Diagram.of_graph(sample, max_nodes=None)
    seconds, _ = timed(unfolded.to_svg)
    row(
        bench,
        f"baseline: dot -Tsvg on {len(sample):,} records of it, unfolded",
        seconds,
        len(unfolded.drawing.boxes),
    )
    folded = Diagram.of_graph(sample)
    seconds, _ = timed(folded.to_svg)
    row(bench, f"  the same {len(sample):,} records, folded", seconds, len(folded.drawing.boxes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    harness.add_options(parser)
    parser.add_argument("--nodes", type=int, default=100_000, help="records in the store")
    parser.add_argument("--db", help="a store this script built before, or where to keep one")
    args = parser.parse_args()
    synthetic = build(args.nodes)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or str(Path(folder) / "bench.db")
        if not Path(db).exists():
            load, _ = timed(lambda: _load(db, with_model_on_everything(synthetic.manifest)))
            print(f"loaded {synthetic.nodes + 4:,} records in {load:.1f} s", file=sys.stderr)
        note = (
            f"{synthetic.nodes + 4:,} records in the store (SQLite); "
            f"target: a lineage to SVG in under {TARGET_SECONDS:.0f} s"
        )
        with harness.Bench("bench_diagram", args, note) as bench, lineage.open_store(db) as store:
            for _ in bench.runs():
                to_svg(bench, store, "model-all")
                to_svg(bench, store, synthetic.large_model)
                baseline(bench, steps(bench, store, synthetic.large_model))
            for name in TARGETS:
                bench.target(name, at_most=TARGET_SECONDS)


def _load(db: str, manifest: dict[str, Any]) -> None:
    with lineage.open_store(db) as store:
        store.record(manifest)


if __name__ == "__main__":
    main()
