"""How long the AI bill-of-materials exports take, against the PROV-JSON export of the same graph.

A synthetic store (bench/synthetic.py, built once by bench_report.store_for and kept in
the work folder) whose large model has about UPSTREAM records upstream. The graph is
read once (`Store.export_graph`, common to every format) and each exporter is then run
`--repeat` times on it, unvalidated, interleaved: spdx3, cyclonedx, croissant and
prov-json. Prints min / median / max wall seconds of each, and each format's median
as a multiple of PROV-JSON's.

    python bench/bench_bom.py                           # 100,000 upstream records
    python bench/bench_bom.py --sizes 10000 --repeat 3  # quicker
    python bench/bench_bom.py --keep /tmp/bom-bench     # keep (and reuse) the stores
    python bench/bench_bom.py --busy                    # beside one CPU-bound process

The requirement: each bill of materials within 2x of PROV-JSON (issue 15).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import LARGE_MODEL, store_for

import lineage
from lineage.exports import EXPORTERS

FORMATS = ("spdx3", "cyclonedx", "croissant", "prov-json")


def measure(db: str, repeat: int) -> tuple[int, dict[str, list[float]], dict[str, int]]:
    with lineage.open_store(db) as store:
        graph = store.export_graph(LARGE_MODEL)
    times: dict[str, list[float]] = {f: [] for f in FORMATS}
    sizes: dict[str, int] = {}
    for _ in range(repeat):
        for format_ in FORMATS:
            gc.collect()
            start = time.perf_counter()
            data = EXPORTERS[format_](graph)
            times[format_].append(time.perf_counter() - start)
            sizes[format_] = len(data)
    return graph.number_of_nodes(), times, sizes


def spin() -> None:
    """A CPU-bound process to run beside the measurement (`--busy`)."""
    while True:
        sum(i * i for i in range(10_000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each export")
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder")
    parser.add_argument("--busy", action="store_true", help="one CPU-bound process beside it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bom-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for upstream in args.sizes:
        db, records = store_for(folder, upstream)
        busy = multiprocessing.Process(target=spin, daemon=True) if args.busy else None
        if busy:
            busy.start()
        try:
            nodes, times, sizes = measure(db, args.repeat)
        finally:
            if busy:
                busy.terminate()
                busy.join()
        base = statistics.median(times["prov-json"])
        beside = ", beside one CPU-bound process" if args.busy else ""
        print(
            f"\n{nodes:,} records in the export ({records:,} in the store), "
            f"{args.repeat} runs{beside}"
        )
        header = ("format", "min s", "median s", "max s", "MB", "x PROV-JSON")
        print("{:<10} {:>8} {:>9} {:>8} {:>7} {:>12}".format(*header))
        for format_ in FORMATS:
            row = times[format_]
            median = statistics.median(row)
            print(
                f"{format_:<10} {min(row):8.2f} {median:9.2f} {max(row):8.2f} "
                f"{sizes[format_] / 1e6:7.1f} {median / base:12.2f}"
            )


if __name__ == "__main__":
    main()
