"""How long the AI bill-of-materials exports take, against the PROV-JSON export of the same graph.

A synthetic store (bench/synthetic.py, built once by bench_report.store_for and kept in
the work folder) whose large model has about UPSTREAM records upstream. The graph is
read once (`Store.export_graph`, common to every format) and each exporter is then run
`--runs` times on it, unvalidated, interleaved: spdx3, cyclonedx, croissant and
prov-json. Prints min / median / max wall seconds of each, and each format's time
as a multiple of PROV-JSON's in the same run (bench/harness.py; `--busy` too).

    python bench/bench_bom.py                           # 100,000 upstream records
    python bench/bench_bom.py --sizes 10000 --runs 3    # quicker
    python bench/bench_bom.py --keep /tmp/bom-bench     # keep (and reuse) the stores
    python bench/bench_bom.py --busy                    # beside one CPU-bound process

The requirement: each bill of materials within 2x of PROV-JSON (issue 15).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from bench_report import LARGE_MODEL, store_for

import lineage
from lineage.exports import EXPORTERS

FORMATS = ("spdx3", "cyclonedx", "croissant", "prov-json")


def measure(bench: harness.Bench, db: str) -> tuple[int, dict[str, int]]:
    with lineage.open_store(db) as store:
        graph = store.export_graph(LARGE_MODEL)
    sizes: dict[str, int] = {}
    for _ in bench.runs():
        for format_ in FORMATS:  # interleaved, so drift hits every format alike
            gc.collect()
            start = time.perf_counter()
            data = EXPORTERS[format_](graph)
            bench.add(f"export {format_}", time.perf_counter() - start, "s")
            sizes[format_] = len(data)
    for format_ in FORMATS[:-1]:
        bench.ratio(f"{format_} / prov-json", f"export {format_}", "export prov-json", at_most=2.0)
    return graph.number_of_nodes(), sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_options(parser, runs=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bom-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for upstream in args.sizes:
        db, records = store_for(folder, upstream)
        with harness.Bench(f"bench_bom ({upstream:,} upstream)", args) as bench:
            nodes, sizes = measure(bench, db)
            bench.note = f"{nodes:,} records in the export ({records:,} in the store); " + (
                ", ".join(f"{f} {sizes[f] / 1e6:.1f} MB" for f in FORMATS)
            )


if __name__ == "__main__":
    main()
