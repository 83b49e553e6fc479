"""`lineage tiers` against `lineage check` on the same model: 100,000 records upstream and
10,000 evaluations (issue 14: tiers stays within 1.5x of check).

The store (bench/synthetic.py, its large model holding about UPSTREAM records upstream)
is built once and kept in the temporary folder; then 10,000 evaluation results are
recorded against the model in one manifest: 10 test sets (one of them split from a
source of the model's training data, so contamination has something to find) x 100
metrics x 10 slices, by an in-house and an outside evaluator. Each command runs as a
separate process, several times; the minimum, median and maximum wall seconds are
printed beside the CPU seconds of the process (user and system, from getrusage of the
children), and the ratio of the medians of each. The machine is shared: CPU seconds say
what a command costs, wall seconds also how busy the machine was.

    .venv/bin/python bench/bench_tiers.py [--upstream 100000] [--evaluations 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds of the command, and the CPU seconds of its process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # check exits 1 when it finds problems
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def spread(values: list[float]) -> str:
    """Minimum, median and maximum seconds, in columns."""
    return f"{min(values):8.2f}{statistics.median(values):8.2f}{max(values):8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", type=int, default=100_000)
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir())
    db = store_for(folder, args.upstream, args.evaluations)
    with lineage.open_store(db) as store:
        upstream = len(store.closure(MODEL))
        evaluations = len(store.evaluations(MODEL))
    print(f"{MODEL}: {upstream:,} records upstream, {evaluations:,} evaluations")
    cli = shutil.which("lineage", path=str(Path(sys.executable).parent)) or "lineage"
    commands = {
        "check": [cli, "--db", db, "check", MODEL],
        "tiers": [cli, "--db", db, "tiers", MODEL],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, argv in commands.items():  # interleaved, so drift hits both alike
            wall, cpu = run(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    columns = f"{'min':>8}{'median':>8}{'max':>8}"
    print(f"  {f'seconds ({args.repeat} runs)':<18}wall{columns}   CPU{columns}")
    for name in commands:
        print(f"  {name:<22}{spread(walls[name])}      {spread(cpus[name])}")
    for what, times in (("wall", walls), ("CPU", cpus)):
        ratio = statistics.median(times["tiers"]) / statistics.median(times["check"])
        verdict = "within" if ratio <= TARGET_RATIO else "OVER"
        print(
            f"  tiers / check ({what}, medians): {ratio:.2f}x, {verdict} the {TARGET_RATIO}x target"
        )


if __name__ == "__main__":
    main()
