"""How long `lineage check` and `lineage report` take as the upstream graph grows.

For each size, a synthetic store (bench/synthetic.py) is built once and kept in
the work folder; its large model has about 40% of the graph upstream. The check
and each report format are timed on it, in this process, on SQLite.

    python bench/bench_report.py                  # 10k and 100k upstream records
    python bench/bench_report.py --sizes 10000 100000 1000000 --keep bench-data/

The requirement: report and check of a model with 100,000 upstream records in
under 10 seconds each.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import build

import lineage
from lineage.checks import check_trail, load_trail
from lineage.reports import render_report, report_from_trail

LIMIT_SECONDS = 10.0
UPSTREAM_SHARE = 0.4  # of the graph, for the large model of bench/synthetic.py
LARGE_MODEL = "model-large"


CPU: dict[str, float] = {}
"""CPU seconds of the last `timed` call: on a shared machine wall time also counts waiting."""


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    CPU["last"] = time.process_time() - cpu
    return time.perf_counter() - start, result


def store_for(folder: Path, upstream: int) -> tuple[str, str, int]:
    """A store whose large model has about `upstream` records upstream (built once).

    The synthetic manifest (hundreds of MB of dicts) is made only to build the store
    and freed before anything is measured.
    """
    path = folder / f"report-bench-{upstream}.db"
    if not path.exists():
        graph = build(int(upstream / UPSTREAM_SHARE))
        print(f"  building a store of {graph.nodes:,} records ...", flush=True)
        seconds, _ = timed(lambda: _record(str(path), graph.manifest))
        print(f"  recorded in {seconds:.0f} s", flush=True)
        del graph
    with lineage.open_store(str(path)) as store:
        records = store.info().records
    return str(path), LARGE_MODEL, records


def _record(path: str, manifest: dict[str, Any]) -> None:
    with lineage.open_store(path) as store:
        store.record(manifest)


def measure(path: str, model: str) -> dict[str, float | int]:
    figures: dict[str, float | int] = {}
    with lineage.open_store(path) as store:
        seconds, trail = timed(lambda: load_trail(store, model))
        figures["read"], read_cpu = seconds, CPU["last"]
        figures["upstream"] = trail.graph.number_of_nodes()
        seconds, result = timed(lambda: check_trail(trail))
        figures["findings"] = len(result.findings)
        figures["check"] = figures["read"] + seconds
        figures["check cpu"] = read_cpu + CPU["last"]
        seconds, report = timed(lambda: report_from_trail(trail))
        built, built_cpu = figures["read"] + seconds, read_cpu + CPU["last"]
        for fmt in ("md", "html", "json"):
            seconds, data = timed(lambda fmt=fmt: render_report(report, fmt))
            figures[f"report {fmt}"] = built + seconds
            figures[f"report {fmt} cpu"] = built_cpu + CPU["last"]
            figures[f"{fmt} MB"] = len(data) / 1e6
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        help="upstream records of the model checked (default 10000 100000)",
    )
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder")
    args = parser.parse_args()
    os.environ.setdefault("LINEAGE_ACTOR", "bench")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="lineage-report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        print(f"{size:,} upstream records:", flush=True)
        path, model, nodes = store_for(folder, size)
        figures = measure(path, model)
        rows.append((nodes, figures))
        print(
            "  "
            + ", ".join(
                f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v:,}" for k, v in figures.items()
            ),
            flush=True,
        )
    print()
    print("| graph | upstream | findings | read | check | report md | report html | report json |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    failed = False
    for nodes, f in rows:
        print(
            f"| {nodes:,} | {f['upstream']:,} | {f['findings']:,} | {f['read']:.1f} s | "
            f"{f['check']:.1f} s | {f['report md']:.1f} s | {f['report html']:.1f} s | "
            f"{f['report json']:.1f} s |"
        )
        print(
            f"| (CPU time) | | | | {f['check cpu']:.1f} s | {f['report md cpu']:.1f} s | "
            f"{f['report html cpu']:.1f} s | {f['report json cpu']:.1f} s |"
        )
        if 90_000 <= int(f["upstream"]) <= 110_000:
            worst = max(float(f[k]) for k in ("check", "report md", "report html", "report json"))
            failed = worst >= LIMIT_SECONDS
            print(
                f"100k: slowest {worst:.1f} s, limit {LIMIT_SECONDS:.0f} s: "
                f"{'FAIL' if failed else 'ok'}"
            )
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
