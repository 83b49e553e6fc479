"""`lineage check` and `lineage show` of a small model, in a small store and in a store
holding STORE_RECORDS other records with digests (issue 16: finding records with the same
content goes through the digest index, so a big store does not slow it down).

Both stores hold the same trail: a model trained on 50 sources with their own digests, 5
of them mirrored under another name with another licence (so `same-content` has 5
findings). The big store adds STORE_RECORDS unrelated sources, each with a digest. A
third copy of the big store without the index `ix_node_digest` shows what the index
saves. Each measurement runs in this process, several times; the minimum, median and
maximum seconds are printed, with the ratio of the medians against the small store.

    .venv/bin/python bench/bench_same_content.py [--records 200000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lineage
from lineage.graph.identity import copies_of

SOURCES = 50
MIRRORS = 5
TARGET_RATIO = 1.5


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _trail() -> dict[str, Any]:
    sources = [
        {
            "name": f"src-{i}",
            "license": "CC-BY-4.0",
            "owner": "o",
            "uri": "https://o.example",
            "digest": _digest(f"src-{i}"),
        }
        for i in range(SOURCES)
    ]
    sources += [
        {"name": f"mirror-{i}", "license": "MIT", "digest": _digest(f"src-{i}")}
        for i in range(MIRRORS)
    ]
    return {
        "sources": sources,
        "datasets": [{"name": "mix"}],
        "models": [{"name": "m", "intended_use": "research", "owner": "o"}],
        "runs": [
            {
                "operation": "mix",
                "name": "mix-run",
                "inputs": [f"src-{i}" for i in range(SOURCES)],
                "outputs": ["mix"],
            },
            {"operation": "train", "name": "train-run", "inputs": ["mix"], "outputs": ["m"]},
        ],
    }


def _others(count: int) -> dict[str, Any]:
    return {
        "sources": [
            {"name": f"other-{i}", "license": "CC-BY-4.0", "digest": _digest(f"other-{i}")}
            for i in range(count)
        ]
    }


def _timed(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # warm the caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def _row(label: str, times: list[float], baseline: float) -> None:
    median = statistics.median(times)
    print(
        f"| {label} | {min(times):.3f} | {median:.3f} | {max(times):.3f} | "
        f"{median / baseline:.2f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-same-content-"))
    try:
        small, big, unindexed = (str(folder / f"{n}.db") for n in ("small", "big", "unindexed"))
        with lineage.open_store(small) as store:
            store.record(_trail())
        with lineage.open_store(big) as store:
            store.record(_others(args.records))
            store.record(_trail())
            records = store.info().records
        shutil.copy(big, unindexed)
        with sqlite3.connect(unindexed) as connection:
            connection.execute("DROP INDEX ix_node_digest")
        print(f"stores: {SOURCES + MIRRORS + 4} records, and {records:,} records")
        results: dict[str, dict[str, list[float]]] = {}
        for label, path in (("small", small), ("big", big), ("big, no index", unindexed)):
            with lineage.open_store(path) as store:
                found = lineage.check(store, "m").of_rule("same-content")
                assert len(found) == MIRRORS, found
                digests = {f"source:src-{i}": _digest(f"src-{i}") for i in range(SOURCES)}

                def lookup(s: lineage.Store = store, d: dict[str, str] = digests) -> object:
                    with s.database.read() as connection:
                        return copies_of(connection, d)

                results[label] = {
                    "same-content lookup": _timed(lookup, args.repeat),
                    "show src-0": _timed(lambda s=store: s.show("src-0"), args.repeat),
                    "check m": _timed(lambda s=store: lineage.check(s, "m"), args.repeat),
                }
        print("\n| store, command | min s | median s | max s | vs small store |")
        print("| --- | --- | --- | --- | --- |")
        worst = 0.0
        for command in ("same-content lookup", "show src-0", "check m"):
            baseline = statistics.median(results["small"][command])
            for label in results:
                _row(f"{label}: {command}", results[label][command], baseline)
                if label == "big" and command != "check m":
                    worst = max(worst, statistics.median(results[label][command]) / baseline)
        verdict = "within" if worst <= TARGET_RATIO else "OVER"
        print(
            f"\nsame-content lookup and show, big store vs small store: {worst:.2f}x "
            f"({verdict} the {TARGET_RATIO}x target; check m is shown for scale, its other "
            "steps read more of a bigger store)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
