"""`lineage tiers` against `lineage check` on the same model: 100,000 records upstream and
10,000 evaluations (issue 14: tiers stays within 1.5x of check).

The store (bench/synthetic.py, its large model holding about UPSTREAM records upstream)
is built once and kept in the temporary folder; then 10,000 evaluation results are
recorded against the model in one manifest: 10 test sets (one of them split from a
source of the model's training data, so contamination has something to find) x 100
metrics x 10 slices, by an in-house and an outside evaluator. Each command runs as a
separate process, several times; min / median / max over --runs runs
(bench/harness.py) of the wall seconds and, beside them, the CPU seconds of the
command's process (user and system, from getrusage of the children) are printed, and
the ratios run by run. The machine is shared: CPU seconds say what a command costs,
wall seconds also how busy the machine was.

    .venv/bin/python bench/bench_tiers.py [--upstream N] [--evaluations N] [--runs 5] [--busy]
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness
from synthetic import build

import lineage

UPSTREAM_SHARE = 0.4  # of the graph, for the large model of bench/synthetic.py
MODEL = "model-large"
TARGET_RATIO = 1.5


def store_for(folder: Path, upstream: int, evaluations: int) -> str:
    """A store whose large model has about `upstream` records upstream and `evaluations`
    evaluation results (built once, kept in `folder`)."""
    path = folder / f"tiers-bench-{upstream}-{evaluations}.db"
    if path.exists():
        return str(path)
    partial = folder / f"tiers-bench-{upstream}-{evaluations}.partial.db"
    partial.unlink(missing_ok=True)
    graph = build(int(upstream / UPSTREAM_SHARE))
    print(f"  building a store of {graph.nodes:,} records ...", flush=True)
    start = time.perf_counter()
    with lineage.open_store(str(partial)) as store:
        store.record(graph.manifest)
        del graph
        gc.collect()
        upstream_of = {r.name for r in store.closure(MODEL) if r.kind == "source"}
        manifest = _evaluations(sorted(upstream_of)[len(upstream_of) // 2], evaluations)
        store.record({k: v for k, v in manifest.items() if k != "evaluations"})
        # Bound to the digests of model and test data, as `evaluation add` and
        # `evaluation import` bind them (a manifest without them is judged against the
        # graph its transaction wrote, which costs a second read of the upstream).
        digests = {
            name: lineage.upstream_digest(store.upstream(name))
            for name in {MODEL, *(e["dataset"] for e in manifest["evaluations"])}
        }
        for item in manifest["evaluations"]:
            item["attrs"] = {
                "model_digest": digests[MODEL],
                "data_digest": digests[item["dataset"]],
            }
        store.record({"evaluations": manifest["evaluations"]})
        print(
            f"  recorded {store.info().records:,} records in {time.perf_counter() - start:.0f} s",
            flush=True,
        )
    partial.rename(path)
    return str(path)


def _evaluations(training_source: str, count: int) -> dict[str, Any]:
    sets = 10
    slices = 10
    metrics = max(1, count // (sets * slices))
    agents = [
        {"name": "acme", "type": "organization"},
        {"name": "in-house", "type": "person", "acted_on_behalf_of": "acme"},
        {"name": "audit-co", "type": "organization"},
        {"name": "outside", "type": "person", "acted_on_behalf_of": "audit-co"},
    ]
    sources = [{"name": f"test-set-{i}", "license": "MIT"} for i in range(1, sets)]
    datasets = [{"name": "test-set-0", "derived_from": [training_source]}]
    items = []
    for s in range(sets):
        for m in range(metrics):
            for c in range(slices):
                items.append(
                    {
                        "model": MODEL,
                        "dataset": f"test-set-{s}",
                        "metric": "accuracy" if m == 0 else f"metric_{m}",
                        "value": 0.8 + (m % 7) / 100,
                        "slice": "all" if c == 0 else f"locale=l{c}",
                        "category": "fairness" if m == 1 else "performance",
                        "threshold": 0.8,
                        "direction": "higher-is-better",
                        "records": 100,
                        "by": "outside" if s % 2 else "in-house",
                        "date": "2026-11-02",
                    }
                )
    return {"agents": agents, "sources": sources, "datasets": datasets, "evaluations": items}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    harness.add_options(parser)
    parser.add_argument("--upstream", type=int, default=100_000)
    parser.add_argument("--evaluations", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir())
    db = store_for(folder, args.upstream, args.evaluations)
    with lineage.open_store(db) as store:
        upstream = len(store.closure(MODEL))
        evaluations = len(store.evaluations(MODEL))
    note = f"{MODEL}: {upstream:,} records upstream, {evaluations:,} evaluations"
    env = harness.installed_env(folder / "lineage-bench-pycache")
    cli = shutil.which("lineage", path=str(Path(sys.executable).parent)) or "lineage"
    commands = {
        "lineage check": [cli, "--db", db, "check", MODEL],
        "lineage tiers": [cli, "--db", db, "tiers", MODEL],
    }
    with harness.Bench("bench_tiers", args, note) as bench:
        for _ in bench.runs():
            for name, argv in commands.items():  # interleaved, so drift hits both alike
                timing = harness.run_command(argv, env)
                bench.add(f"{name} (wall)", timing.wall, "s")
                bench.add(f"{name} (CPU)", timing.cpu, "s")
        for what in ("wall", "CPU"):
            bench.ratio(
                f"tiers / check ({what})",
                f"lineage tiers ({what})",
                f"lineage check ({what})",
                at_most=TARGET_RATIO,
            )


if __name__ == "__main__":
    main()
