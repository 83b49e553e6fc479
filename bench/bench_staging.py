"""Whether a first bulk import's staging child pays off, by the CPU-bound processes beside it.

    .venv/bin/python bench/bench_staging.py                      # 0, 1, 2 and 3 spinners, 3 runs
    .venv/bin/python bench/bench_staging.py --spinners 0,1,4,6 --nodes 100000 --runs 1

A first import into an empty SQLite store hands its rows to a second process
(lineage.store.staging) on any machine with two CPUs or more, whatever the load
(`spare_core`). This measures that choice: for each number of spinning processes
started beside it, one `store.record` of the same synthetic lineage (bench/synthetic.py)
with the child, and one with the store's own process writing the rows, alternated
within each run; the ratio is taken run by run. No figure is asserted: a person reads
it. (`--busy` adds one spinner to every count.)
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness
from synthetic import build

import lineage
import lineage.store.staging as staging


def load_seconds(folder: Path, manifest: dict[str, list[dict[str, object]]], staged: bool) -> float:
    """Wall seconds of one first import of `manifest` into a new store, with or without the
    staging child."""
    chosen = staging.spare_core
    staging.spare_core = lambda cpus=None: staged  # type: ignore[assignment]
    try:
        path = folder / f"store-{'staged' if staged else 'alone'}-{time.monotonic_ns()}.db"
        store = lineage.open_store(str(path))
        start = time.perf_counter()
        store.record(manifest)
        elapsed = time.perf_counter() - start
        store.close()
        return elapsed
    finally:
        staging.spare_core = chosen
        gc.collect()


def _counts(text: str) -> list[int]:
    """`--spinners`: counts of zero or more, comma-separated (argparse says what is wrong)."""
    try:
        counts = [int(n) for n in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not comma-separated counts: {text!r}") from None
    if any(n < 0 for n in counts):
        raise argparse.ArgumentTypeError(f"a count below zero: {text!r}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_options(parser)
    parser.add_argument("--nodes", type=int, default=200_000, help="records of the lineage")
    parser.add_argument(
        "--spinners",
        type=_counts,
        default="0,1,2,3",
        help="comma-separated counts of CPU-bound processes",
    )
    args = parser.parse_args()
    counts: list[int] = args.spinners
    manifest = build(args.nodes).manifest
    with tempfile.TemporaryDirectory() as warm:  # imports and first-use costs, paid once
        load_seconds(Path(warm), build(2_000).manifest, staged=False)
    with harness.Bench("staging", args) as bench, tempfile.TemporaryDirectory() as folder:
        for _ in bench.runs():
            for count in counts:
                spinners = [
                    subprocess.Popen([sys.executable, "-c", harness.SPIN]) for _ in range(count)
                ]
                try:
                    staged = load_seconds(Path(folder), manifest, staged=True)
                    alone = load_seconds(Path(folder), manifest, staged=False)
                finally:
                    for spinner in spinners:
                        spinner.kill()
                        spinner.wait()
                bench.add(f"{count} spinner(s): staged load", staged, "s")
                bench.add(f"{count} spinner(s): store's process alone", alone, "s")
                for path in Path(folder).iterdir():
                    path.unlink()
        for count in counts:
            bench.ratio(
                f"{count} spinner(s): staged, of alone",
                f"{count} spinner(s): staged load",
                f"{count} spinner(s): store's process alone",
            )


if __name__ == "__main__":
    main()
